"""Computing a cycle set-wise: amounts from the dated rules, arrears for the newly approved,
nothing for the suspended."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from ansinh.audit.models import AuditEntry
from ansinh.payments.models import Payment
from ansinh.payments.services import PaymentError, cycle_compute
from ansinh.payouts.models import Channel
from ansinh.registry.models import Benefit, Category
from tests.payments.conftest import PERIOD, Pay

pytestmark = pytest.mark.django_db


def test_a_cycle_pays_each_active_benefit_its_rule_amount_through_its_channel(pay: Pay) -> None:
    poor = pay.beneficiary(pay.world.ba_dinh, subgroup="elderly_80_poor")
    plain = pay.beneficiary(pay.world.ba_dinh, subgroup="elderly_80_no_pension", channel=Channel.CASH_HOME)
    decided = pay.beneficiary(pay.world.ba_dinh, category=Category.MERITORIOUS, subgroup=None, monthly_amount=2_789_000)
    cycle = pay.cycle()
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    amounts = dict(Payment.objects.filter(cycle=cycle).values_list("benefit_id", "amount"))
    assert amounts == {poor.pk: 1_000_000, plain.pk: 500_000, decided.pk: 2_789_000}
    channels = dict(Payment.objects.filter(cycle=cycle).values_list("benefit_id", "channel"))
    assert channels[plain.pk] == Channel.CASH_HOME
    assert set(Payment.objects.filter(cycle=cycle).values_list("kind", "month").distinct()) == {("regular", PERIOD)}


def test_the_rules_in_force_that_month_decide_the_amount(pay: Pay) -> None:
    benefit = pay.beneficiary(pay.world.ba_dinh, subgroup="elderly_80_poor")
    cycle = pay.cycle(period=202406)
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    assert Payment.objects.get(cycle=cycle, benefit=benefit).amount == 720_000  # 360,000 x 2.0 before July 2024


def test_suspended_ended_and_outside_benefits_are_not_paid(pay: Pay) -> None:
    suspended = pay.beneficiary(pay.world.ba_dinh)
    ended = pay.beneficiary(pay.world.ba_dinh)
    elsewhere = pay.beneficiary(pay.world.tay_ho)
    Benefit.objects.filter(pk=suspended.pk).update(status=Benefit.Status.SUSPENDED)
    Benefit.objects.filter(pk=ended.pk).update(status=Benefit.Status.ENDED)
    cycle = pay.cycle()
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    assert not Payment.objects.filter(benefit__in=[suspended, ended, elsewhere]).exists()


def test_a_newly_approved_benefit_gets_its_earlier_months_as_arrears(pay: Pay) -> None:
    new = pay.beneficiary(pay.world.ba_dinh, start=date(2026, 8, 15), decided=date(2026, 10, 20))
    old = pay.beneficiary(pay.world.ba_dinh, start=date(2019, 1, 1), decided=date(2019, 1, 1))
    cycle = pay.cycle()
    totals = cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk).totals
    months = sorted(Payment.objects.filter(benefit=new).values_list("month", "kind"))
    assert months == [(202608, "arrears"), (202609, "arrears"), (202610, "arrears"), (202611, "regular")]
    assert list(Payment.objects.filter(benefit=old).values_list("month", flat=True)) == [PERIOD]
    assert totals["all"] == {"count": 5, "amount": 5_000_000}
    assert {row["key"]: row["count"] for row in totals["kind"]} == {"arrears": 3, "regular": 2}


def test_recomputing_a_draft_replaces_its_payments_and_is_audited(pay: Pay) -> None:
    pay.beneficiary(pay.world.ba_dinh)
    cycle = pay.cycle()
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    pay.beneficiary(pay.world.ba_dinh)
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    assert Payment.objects.filter(cycle=cycle).count() == 2
    assert AuditEntry.objects.filter(object_type="payments.paymentcycle", action="compute").count() == 2


def test_a_month_already_in_another_cycle_is_not_computed_again(pay: Pay) -> None:
    benefit = pay.beneficiary(pay.world.ba_dinh)
    first = pay.cycle()
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=first.pk)
    overlapping = pay.cycle(communes=[pay.world.ba_dinh, pay.world.tay_ho])
    cycle_compute(user=pay.personas.province_hanoi, cycle_id=overlapping.pk)
    assert Payment.objects.filter(benefit=benefit).count() == 1
    assert not Payment.objects.filter(cycle=overlapping).exists()


def test_the_database_refuses_a_second_payment_of_a_month_or_an_occasion(pay: Pay) -> None:
    benefit = pay.beneficiary(pay.world.ba_dinh)
    cycle = pay.cycle()
    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    common = dict(cycle=cycle, benefit=benefit, person=benefit.person, commune=pay.world.ba_dinh,
                  category=benefit.category, amount=1, channel="bank")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(**common, month=PERIOD, kind="arrears")
    Payment.objects.create(**common, occasion="lunar_new_year:2027", kind="lunar_new_year")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(**common, occasion="lunar_new_year:2027", kind="lunar_new_year")
    # A cancelled payment frees its month.
    Payment.objects.filter(cycle=cycle, month=PERIOD).update(status=Payment.Status.CANCELLED)
    Payment.objects.create(**common, month=PERIOD, kind="arrears")


def test_an_officer_cannot_compute_a_cycle_outside_their_area(pay: Pay) -> None:
    cycle = pay.cycle()
    with pytest.raises(PaymentError):
        cycle_compute(user=pay.personas.police_tay_ho, cycle_id=cycle.pk)


def test_a_lunar_new_year_cycle_pays_each_person_once_whatever_their_benefits(pay: Pay) -> None:
    from ansinh.payments.services import cycle_create

    first = pay.beneficiary(pay.world.ba_dinh)
    Benefit.objects.create(person=first.person, category=Category.MERITORIOUS, monthly_amount=2_789_000)
    pay.beneficiary(pay.world.ba_dinh, name="Trần Văn Bảy")
    made = [
        cycle_create(
            user=pay.personas.culture_ba_dinh,
            name=f"Tết {n}",
            communes=[pay.world.ba_dinh],
            occasion="lunar_new_year:2027",
            occasion_amount=400_000,
        )
        for n in (1, 2)
    ]
    for cycle in made:
        cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)
    payments = Payment.objects.filter(occasion="lunar_new_year:2027")
    assert payments.count() == 2 and set(payments.values_list("cycle_id", flat=True)) == {made[0].pk}
    assert set(payments.values_list("amount", "kind")) == {(400_000, "lunar_new_year")}
    with pytest.raises(PaymentError):
        cycle_create(user=pay.personas.culture_ba_dinh, name="x", communes=[pay.world.ba_dinh], occasion="funeral")
