"""Indicators count set-wise per commune, use each person's latest result, and tolerate missing tables."""

from __future__ import annotations

import random

import pytest

from ansinh.campaigns import freshness, indicators_more
from ansinh.campaigns.indicators import INDICATORS
from ansinh.registry.models import Benefit, Category
from ansinh.review.models import MatchResult, MatchRun
from tests import factories as f
from tests.campaigns.helpers import classified_visit

pytestmark = pytest.mark.django_db


def figures(indicator: str) -> dict[tuple[int, str], int]:
    return {(c, d): v for c, d, v in INDICATORS[indicator].compute(None)}


def test_every_indicator_of_the_issue_is_registered() -> None:
    expected = {"beneficiaries", "matching", "visits", "classification", "accounts", "refusals", "proxies"}
    assert expected | {"home_deliveries", "payments"} <= set(INDICATORS)


def test_every_indicator_yields_nothing_over_empty_tables(world) -> None:
    assert freshness.compute() == {}


def test_an_indicator_whose_app_has_no_model_yields_nothing(world, personas, monkeypatch) -> None:
    person = f.person("Nguyễn Thị Lan", world.ba_dinh)
    classified_visit(person, personas.police_ba_dinh, classification="registered")
    assert figures("visits")
    monkeypatch.setattr(indicators_more, "_visit", lambda: None)
    assert figures("visits") == {} and figures("classification") == {}
    assert INDICATORS["visits"].sources() == []


def test_a_person_with_two_benefits_counts_once_in_all_and_once_per_category(world) -> None:
    person = f.person("Trần Văn Bình", world.ba_dinh)
    Benefit.objects.create(person=person, category=Category.SOCIAL_PROTECTION)
    Benefit.objects.create(person=person, category=Category.POOR_HOUSEHOLD)
    Benefit.objects.create(person=person, category=Category.OTHER, status=Benefit.Status.ENDED)
    counted = figures("beneficiaries")
    assert counted[(world.ba_dinh.pk, "all")] == 1
    assert counted[(world.ba_dinh.pk, "social_protection")] == counted[(world.ba_dinh.pk, "poor_household")] == 1
    assert (world.ba_dinh.pk, "other") not in counted


def test_matching_counts_each_persons_latest_result_only(world, personas) -> None:
    person = f.person("Lê Thị Cúc", world.tay_ho)
    first = MatchRun.objects.create(population_file="a.parquet", created_by=personas.national)
    second = MatchRun.objects.create(population_file="b.parquet", created_by=personas.national)
    MatchResult.objects.create(run=first, person=person, source_row=1, status="not_found", decision="pending")
    MatchResult.objects.create(run=second, person=person, source_row=1, status="verified")
    counted = figures("matching")
    assert counted[(world.tay_ho.pk, "verified")] == 1
    assert (world.tay_ho.pk, "not_found") not in counted and (world.tay_ho.pk, "pending") not in counted
    assert counted[(world.tay_ho.pk, "cleaned")] == counted[(world.tay_ho.pk, "handed_over")] == 1


def test_classification_uses_the_latest_visit_and_groups_the_four_types(world, personas) -> None:
    officer = personas.police_ba_dinh
    declined = f.person("Phạm Văn Dũng", world.ba_dinh)
    classified_visit(declined, officer, random.Random(1), classification="persuaded")
    classified_visit(declined, officer, random.Random(1), classification="declined")
    classified_visit(f.person("Hoàng Thị Em", world.ba_dinh), officer, classification="persuaded")
    counted = figures("classification")
    assert counted[(world.ba_dinh.pk, "type_2")] == 2
    assert counted[(world.ba_dinh.pk, "declined")] == counted[(world.ba_dinh.pk, "persuaded")] == 1
    refusals = figures("refusals")
    assert refusals[(world.ba_dinh.pk, "all")] == 1
    assert any(d.startswith("reason:") for _, d in refusals)
