"""Deaths and moves between cycles: a death stops the next cycle and lists what was overpaid;
a move pays each month once."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.payments.exporting import export_run_create
from ansinh.payments.followup import person_death_record
from ansinh.payments.models import Payment, PaymentAttempt, RecoveryEntry
from ansinh.payments.reconcile import result_import
from ansinh.payments.services import PaymentError, cycle_compute
from ansinh.registry.models import Benefit, Person
from tests.payments.conftest import Pay
from tests.payments.test_export import media  # noqa: F401
from tests.payments.test_reconcile import _csv

pytestmark = pytest.mark.django_db


def _paid_cycle(pay: Pay, period: int) -> None:
    cycle = pay.approved(pay.cycle(period=period))
    run = export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert run is not None
    rows = [(a.end_to_end_id, "paid", "", "") for a in PaymentAttempt.objects.filter(export_run=run)]
    result_import(user=pay.personas.province_hanoi, cycle_id=cycle.pk, content=_csv(rows), filename=f"{period}.csv")


def test_a_death_suspends_before_the_next_cycle_and_lists_months_paid_after_it(pay: Pay) -> None:
    dead = pay.beneficiary(pay.world.ba_dinh, name="Đỗ Văn Khải")
    alive = pay.beneficiary(pay.world.ba_dinh, name="Vũ Thị Mai")
    for period in (202609, 202610, 202611):
        _paid_cycle(pay, period)
    summary = person_death_record(
        user=pay.personas.culture_ba_dinh, person_id=dead.person_id, date_of_death=date(2026, 9, 20), source="visit"
    )
    assert summary == {"suspended": 1, "cancelled": 0, "recovery": 2}
    assert Benefit.objects.get(pk=dead.pk).status == Benefit.Status.SUSPENDED
    recovered = RecoveryEntry.objects.filter(person_id=dead.person_id).order_by("payment__month")
    assert [(r.payment.month, r.amount) for r in recovered] == [(202610, 1_000_000), (202611, 1_000_000)]
    following = pay.cycle(period=202612)
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=following.pk)
    assert list(Payment.objects.filter(cycle=following).values_list("benefit_id", flat=True)) == [alive.pk]
    again = person_death_record(
        user=pay.personas.culture_ba_dinh, person_id=dead.person_id, date_of_death=date(2026, 9, 20), source="visit"
    )
    assert again["recovery"] == 0 and RecoveryEntry.objects.count() == 2


def test_a_death_cancels_a_computed_month_not_yet_sent(pay: Pay) -> None:
    dead = pay.beneficiary(pay.world.ba_dinh)
    cycle = pay.approved(pay.cycle())
    person_death_record(user=pay.personas.culture_ba_dinh, person_id=dead.person_id,
                        date_of_death=date(2026, 10, 2), source="registry")  # fmt: skip
    assert Payment.objects.get(cycle=cycle).status == Payment.Status.CANCELLED
    assert export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk) is None


def test_a_death_outside_the_officers_area_is_refused(pay: Pay) -> None:
    dead = pay.beneficiary(pay.world.tay_ho)
    with pytest.raises(PaymentError):
        person_death_record(user=pay.personas.culture_ba_dinh, person_id=dead.person_id,
                            date_of_death=date(2026, 10, 2), source="visit")  # fmt: skip


def test_a_moved_person_is_paid_by_the_new_commune_with_no_month_twice_or_skipped(pay: Pay) -> None:
    mover = pay.beneficiary(pay.world.ba_dinh)
    _paid_cycle(pay, 202610)  # Ba Đình pays October
    tay_ho_november = pay.cycle(period=202611, communes=[pay.world.tay_ho])
    cycle_compute(user=pay.personas.province_hanoi, cycle_id=tay_ho_november.pk)  # before the move: nothing
    assert not Payment.objects.filter(cycle=tay_ho_november).exists()
    Person.objects.filter(pk=mover.person_id).update(commune=pay.world.tay_ho)  # the confirmed move
    ba_dinh_november = pay.cycle(period=202611)
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=ba_dinh_november.pk)
    assert not Payment.objects.filter(cycle=ba_dinh_november).exists()  # no longer Ba Đình's
    tay_ho_december = pay.cycle(period=202612, communes=[pay.world.tay_ho])
    cycle_compute(user=pay.personas.province_hanoi, cycle_id=tay_ho_december.pk)
    paid = sorted(Payment.objects.filter(benefit=mover).values_list("month", "kind", "commune__code"))
    assert paid == [(202610, "regular", "00004"), (202611, "arrears", "00103"), (202612, "regular", "00103")]


def test_a_death_found_by_matching_lists_the_months_paid_after_the_registrys_date_of_death(pay: Pay) -> None:
    from ansinh.review.models import MatchResult, MatchRun, MatchStatus
    from ansinh.review.services import _suspend_for_deaths

    dead = pay.beneficiary(pay.world.ba_dinh, name="Đỗ Văn Khải")
    for period in (202609, 202610, 202611):
        _paid_cycle(pay, period)
    run = MatchRun.objects.create(population_file="snapshot.parquet", created_by=pay.personas.culture_ba_dinh)
    result = MatchResult.objects.create(
        run=run,
        person=dead.person,
        source_row=1,
        status=MatchStatus.DECEASED,
        registry={"date_of_death": "2026-10-03"},
    )
    _suspend_for_deaths([result])
    assert Benefit.objects.get(pk=dead.pk).status == Benefit.Status.SUSPENDED
    recovered = RecoveryEntry.objects.filter(person_id=dead.person_id)
    assert [r.payment.month for r in recovered] == [202611]
