from __future__ import annotations

import pytest

from ansinh.audit.models import AuditEntry
from ansinh.registry.models import Benefit
from ansinh.review.models import MatchResult, MatchRun
from ansinh.review.services import DEATH_REASON, ReviewError, match_run_for_batch
from tests.conftest import Personas
from tests.review.conftest import Batch

pytestmark = pytest.mark.django_db


def test_a_run_stores_one_result_per_person_linked_back_to_them(committed: Batch, personas: Personas) -> None:
    run = match_run_for_batch(
        user=personas.police_ba_dinh, batch_id=committed.batch.pk, population_path=committed.population
    )
    results = {r.person_id: r for r in MatchResult.objects.filter(run=run)}
    assert results[committed.lan.pk].status == "verified"
    assert results[committed.lan.pk].decision == MatchResult.Decision.NONE
    assert results[committed.mai.pk].status == "corrected"
    assert results[committed.mai.pk].differences == ["date_of_birth"]
    assert results[committed.nam.pk].differences == ["commune_code"]
    assert results[committed.khai.pk].status == "deceased"
    assert results[committed.khai.pk].registry["date_of_death"] == "2025-10-01"
    assert results[committed.khai.pk].decision == MatchResult.Decision.PENDING
    assert run.counts == {"verified": 1, "corrected": 2, "deceased": 1}


def test_a_death_suspends_the_persons_active_benefits_at_once_and_audited(committed: Batch, personas: Personas) -> None:
    match_run_for_batch(user=personas.police_ba_dinh, batch_id=committed.batch.pk, population_path=committed.population)
    benefit = Benefit.objects.get(person=committed.khai)
    assert benefit.status == Benefit.Status.SUSPENDED
    assert benefit.status_reason == DEATH_REASON
    assert Benefit.objects.get(person=committed.lan).status == Benefit.Status.ACTIVE
    assert AuditEntry.objects.filter(
        object_type="registry.benefit", object_id=str(benefit.pk), action="suspend"
    ).exists()
    assert AuditEntry.objects.filter(object_type="review.matchrun", action="match").count() == 1


def test_an_officer_of_another_commune_cannot_match_the_batch(committed: Batch, personas: Personas) -> None:
    with pytest.raises(ReviewError):
        match_run_for_batch(
            user=personas.police_tay_ho, batch_id=committed.batch.pk, population_path=committed.population
        )
    assert not MatchRun.objects.exists()


def test_the_auditor_cannot_start_a_run(committed: Batch, personas: Personas) -> None:
    with pytest.raises(ReviewError):
        match_run_for_batch(user=personas.auditor, batch_id=committed.batch.pk, population_path=committed.population)
