"""Registering, paying and stopping, and what each does to the count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ansinh.audit.models import AuditEntry
from ansinh.insurance import rules, services
from ansinh.insurance.models import Coverage, Participant
from ansinh.insurance.selectors import monthly_report, participant_list
from tests.conftest import Personas, World
from tests.insurance.conftest import Insurance

M = rules.month_index


def _register(ins: Insurance, world: World, **changes: object) -> Participant:
    fields: dict[str, object] = {
        "user": ins.officer,
        "full_name": "Lê Văn Hùng",
        "citizen_id": "031090000777",
        "sex": "M",
        "birth_year": 1990,
        "commune": world.le_chan,
        "monthly_income": 2_000_000,
        "payment_mode": "monthly",
        "support_group": "other",
        "registered_on": dt.date(2024, 5, 1),
    }
    fields.update(changes)
    return services.participant_register(**fields)  # type: ignore[arg-type]


def test_registration_refuses_an_id_that_contradicts_sex_or_birth_year(ins: Insurance, world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _register(ins, world, sex="F")
    assert "citizen_id" in error.value.message_dict
    with pytest.raises(ValidationError):
        _register(ins, world, birth_year=1991)
    with pytest.raises(ValidationError):
        _register(ins, world, citizen_id="03109000077")


def test_registration_refuses_income_outside_the_bounds_of_its_date(ins: Insurance, world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _register(ins, world, monthly_income=1_499_999)
    assert "monthly_income" in error.value.message_dict
    with pytest.raises(ValidationError):
        _register(ins, world, monthly_income=46_800_001)
    assert _register(ins, world, monthly_income=46_800_000, registered_on=dt.date(2024, 7, 1)).pk


def test_registration_refuses_the_same_id_twice(ins: Insurance, world: World) -> None:
    with pytest.raises(ValidationError):
        _register(ins, world, citizen_id=ins.lan.citizen_id, sex="F", birth_year=1985)


def test_payment_gets_support_of_the_near_poor_and_is_audited(ins: Insurance) -> None:
    payment = services.payment_record(
        user=ins.officer, participant=ins.lan, from_month=M(2025, 4), paid_on=dt.date(2025, 4, 10), receipt="R1"
    )
    assert (payment.from_month, payment.to_month) == (M(2025, 4), M(2025, 6))
    assert payment.support == 3 * 82_500
    assert payment.amount == 3 * 330_000 - 3 * 82_500
    assert AuditEntry.objects.filter(object_type="insurance.payment", object_id=str(payment.pk)).exists()


def test_a_retried_payment_with_the_same_receipt_is_recorded_once(ins: Insurance) -> None:
    first = services.payment_record(
        user=ins.agent_a, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 10), receipt="BD-1"
    )
    again = services.payment_record(
        user=ins.agent_a, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 10), receipt="BD-1"
    )
    assert first.pk == again.pk
    assert ins.lan.payments.count() == 1


def test_a_payer_counts_through_the_deadline_and_not_after(ins: Insurance) -> None:
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 5))
    trend = monthly_report(ins.officer, 2024, 7).total.trend  # months 07/2023 .. 07/2024
    by_month = dict(zip(range(M(2023, 7), M(2024, 7) + 1), trend, strict=True))
    # Paid Jan-Mar; the Apr-Jun period may be paid until the end of June.
    assert [by_month[M(2024, m)] for m in range(1, 8)] == [1, 1, 1, 1, 1, 1, 0]
    assert by_month[M(2023, 12)] == 0


def test_a_late_payment_brings_the_payer_back(ins: Insurance) -> None:
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 5))
    assert monthly_report(ins.officer, 2024, 8).total.count == 0
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 4), paid_on=dt.date(2024, 8, 20))
    assert monthly_report(ins.officer, 2024, 8).total.count == 1
    assert Coverage.objects.filter(participant=ins.lan).count() == 1  # the runs merged


def test_a_stopped_participant_no_longer_counts_from_the_month_of_the_stop(ins: Insurance) -> None:
    services.payment_record(
        user=ins.officer, participant=ins.minh, from_month=M(2024, 3), months=None, paid_on=dt.date(2024, 3, 5)
    )
    services.payment_record(
        user=ins.officer,
        participant=ins.minh,
        from_month=M(2024, 4),
        mode="years_ahead",
        months=24,
        paid_on=dt.date(2024, 4, 1),
    )
    assert monthly_report(ins.officer, 2024, 10).total.count == 1
    services.participant_stop(user=ins.officer, participant=ins.minh, stopped_on=dt.date(2024, 10, 3), reason="died")
    report = monthly_report(ins.officer, 2024, 10)
    assert (report.total.count, report.total.previous) == (0, 1)
    with pytest.raises(ValidationError):
        services.payment_record(
            user=ins.officer, participant=ins.minh, from_month=M(2026, 4), paid_on=dt.date(2026, 4, 1)
        )


def test_agents_see_only_their_organisations_participants(ins: Insurance) -> None:
    assert list(participant_list(user=ins.agent_a)) == [ins.lan]
    assert list(participant_list(user=ins.agent_b)) == [ins.minh]
    assert set(participant_list(user=ins.officer)) == {ins.lan, ins.minh}


def test_social_assistance_officers_see_no_participant(ins: Insurance, personas: Personas) -> None:
    assert not participant_list(user=personas.police_ba_dinh).exists()
    assert not participant_list(user=personas.province_hanoi).exists()
    assert monthly_report(personas.province_hanoi, 2024, 10).total.count == 0


def test_nobody_registers_outside_their_area_and_agents_do_not_plan(ins: Insurance, world: World) -> None:
    with pytest.raises(PermissionError):
        _register(ins, world, commune=world.ba_dinh)
    with pytest.raises(PermissionError):
        services.plan_set(user=ins.agent_a, year=2024, target_participants=10, organisation=ins.org_a)


def test_agents_report_counts_only_their_organisation(ins: Insurance) -> None:
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 10), paid_on=dt.date(2024, 10, 5))
    services.payment_record(
        user=ins.officer, participant=ins.minh, from_month=M(2024, 10), paid_on=dt.date(2024, 10, 5)
    )
    assert monthly_report(ins.officer, 2024, 10).total.count == 2
    report = monthly_report(ins.agent_a, 2024, 10)
    assert report.total.count == 1
    assert [row.key for row in report.organisations] == [ins.org_a.pk]


def test_an_agent_cannot_pay_or_stop_for_another_organisations_participant(ins: Insurance) -> None:
    with pytest.raises(PermissionError):
        services.payment_record(
            user=ins.agent_a, participant=ins.minh, from_month=M(2024, 10), paid_on=dt.date(2024, 10, 1)
        )
    with pytest.raises(PermissionError):
        services.participant_stop(user=ins.agent_a, participant=ins.minh, stopped_on=dt.date(2024, 10, 1), reason="x")


def test_programme_coverage_counts_communes_with_a_point_that_signed(ins: Insurance, world: World) -> None:
    from ansinh.insurance.models import CollectionPoint
    from ansinh.insurance.selectors import programme_coverage

    CollectionPoint.objects.create(organisation=ins.org_a, commune=world.le_chan, name="Điểm thu Lê Chân")
    CollectionPoint.objects.create(organisation=ins.org_b, commune=ins.ngo_quyen, name="Điểm thu Ngô Quyền")
    assert (programme_coverage(user=ins.officer).signed, programme_coverage(user=ins.officer).percent) == (0, 0.0)
    services.programme_sign(
        user=ins.officer, commune=world.le_chan, organisation=ins.org_a, insurance_office="BHXH Hải Phòng",
        signed_on=dt.date(2024, 3, 1),
    )  # fmt: skip
    coverage = programme_coverage(user=ins.officer)
    assert (coverage.communes_with_point, coverage.signed, coverage.percent) == (2, 1, 50.0)
