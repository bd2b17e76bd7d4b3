"""The precomputed figures equal a full recomputation after every kind of change (randomised)."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from ansinh.campaigns import freshness
from ansinh.campaigns.models import CommuneFigure, StaleCommune
from ansinh.payouts.models import Channel, PayoutMethod, Proxy
from ansinh.registry.models import Benefit, Category, Person
from ansinh.review.models import MatchResult, MatchRun, MatchStatus
from tests import factories as f
from tests.campaigns.helpers import classified_visit, payment

pytestmark = pytest.mark.django_db


def stored() -> dict[tuple[int, str, str], int]:
    return {
        (c, k, d): v
        for c, k, d, v in CommuneFigure.objects.values_list("commune_id", "indicator", "dimension", "value")
    }


def test_triggers_are_installed_on_every_source_table(world) -> None:
    tables = {source.model._meta.db_table for source in freshness.sources()}
    assert {"registry_person", "registry_benefit", "review_matchresult", "payouts_payoutmethod"} <= tables
    installed = freshness._existing_triggers(connection)
    assert len(installed) >= 3 * len(tables)


def test_a_new_benefit_marks_its_commune_stale_and_a_refresh_counts_it(world) -> None:
    freshness.figures_refresh()
    person = f.person("Nguyễn Thị Lan", world.ba_dinh)
    StaleCommune.objects.all().delete()
    Benefit.objects.create(person=person, category=Category.SOCIAL_PROTECTION)
    assert set(StaleCommune.objects.values_list("commune_id", flat=True)) == {world.ba_dinh.pk}
    assert freshness.figures_refresh() == 1
    assert stored()[(world.ba_dinh.pk, "beneficiaries", "social_protection")] == 1
    assert not StaleCommune.objects.exists()


def test_moving_a_person_makes_both_communes_stale(world) -> None:
    person = f.person("Trần Văn Hùng", world.ba_dinh)
    Benefit.objects.create(person=person, category=Category.MERITORIOUS)
    freshness.figures_refresh()
    Person.objects.filter(pk=person.pk).update(commune=world.le_chan)
    assert set(StaleCommune.objects.values_list("commune_id", flat=True)) == {world.ba_dinh.pk, world.le_chan.pk}
    freshness.figures_refresh()
    assert (world.ba_dinh.pk, "beneficiaries", "all") not in stored()
    assert stored()[(world.le_chan.pk, "beneficiaries", "all")] == 1


def test_a_refresh_limited_to_some_communes_leaves_the_others_stale(world) -> None:
    for commune in (world.ba_dinh, world.le_chan):
        Benefit.objects.create(person=f.person("Lê Thị Hoa", commune), category=Category.OTHER)
    freshness.figures_refresh(commune_ids=[world.ba_dinh.pk])
    assert set(StaleCommune.objects.values_list("commune_id", flat=True)) == {world.le_chan.pk}


def _random_change(rng: random.Random, world, run: MatchRun, officer) -> None:  # type: ignore[no-untyped-def]
    communes = [world.ba_dinh, world.tay_ho, world.le_chan]
    people = list(Person.objects.order_by("pk"))
    benefits = list(Benefit.objects.order_by("pk"))
    action = rng.randrange(12)
    if action == 0 or not people:
        person = f.person(rng.choice(["Nguyễn Văn An", "Phạm Thị Bình", "Hoàng Văn Cường"]), rng.choice(communes))
        Benefit.objects.create(person=person, category=rng.choice(Category.values))
    elif action == 1:
        Benefit.objects.create(person=rng.choice(people), category=rng.choice(Category.values))
    elif action == 2 and benefits:
        Benefit.objects.filter(pk=rng.choice(benefits).pk).update(status=rng.choice(Benefit.Status.values))
    elif action == 3:
        Person.objects.filter(pk=rng.choice(people).pk).update(commune=rng.choice(communes))
    elif action == 4:
        status = rng.choice(MatchStatus.values)
        decision = MatchResult.Decision.PENDING if status != "verified" else MatchResult.Decision.NONE
        MatchResult.objects.create(
            run=run, person=rng.choice(people), source_row=rng.randrange(1, 10**9), status=status, decision=decision
        )
    elif action == 5 and MatchResult.objects.exists():
        result = MatchResult.objects.order_by("pk")[rng.randrange(MatchResult.objects.count())]
        MatchResult.objects.filter(pk=result.pk).update(decision=rng.choice(MatchResult.Decision.values))
    elif action == 6 and benefits:
        benefit = rng.choice(benefits)
        PayoutMethod.objects.filter(benefit=benefit, status="active").update(status="superseded")
        PayoutMethod.objects.create(person=benefit.person, benefit=benefit, channel=rng.choice(Channel.values))
    elif action == 7:
        Proxy.objects.create(
            person=rng.choice(people),
            full_name="Người nhận thay",
            relationship="con",
            status=rng.choice(Proxy.Status.values),
        )
    elif action == 8:
        classified_visit(rng.choice(people), officer, rng)
    elif action == 9 and benefits:
        payment(rng.choice(benefits), rng, officer)
    elif action == 10 and benefits:
        benefit = rng.choice([b for b in benefits if not b.payout_methods.exists()] or benefits)
        PayoutMethod.objects.filter(benefit=benefit).delete()
        if not benefit.payments.exists():
            benefit.delete()
    elif action == 11:
        MatchResult.objects.filter(pk__in=MatchResult.objects.order_by("-pk").values("pk")[:1]).delete()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_equal_a_full_recomputation_after_random_changes(world, personas, seed: int) -> None:
    rng = random.Random(seed)
    run = MatchRun.objects.create(population_file="snapshot.parquet", created_by=personas.national)
    for _ in range(5):
        Benefit.objects.create(
            person=f.person("Đỗ Thị Mai", rng.choice([world.ba_dinh, world.le_chan])), category="other"
        )
    freshness.figures_refresh()
    seen: set[str] = set()
    for step in range(60):
        _random_change(rng, world, run, personas.police_ba_dinh)
        if rng.random() < 0.3:
            freshness.figures_refresh(commune_ids=[rng.choice([world.ba_dinh, world.tay_ho, world.le_chan]).pk])
        if step % 5 == 4:
            freshness.figures_refresh()
            assert stored() == freshness.compute(), f"figures differ after change {step} (seed {seed})"
            seen |= {key for _, key, _ in stored()}
    freshness.figures_refresh()
    assert stored() == freshness.compute()
    indicators = seen
    assert {"beneficiaries", "matching", "accounts", "visits", "classification", "payments"} <= indicators
