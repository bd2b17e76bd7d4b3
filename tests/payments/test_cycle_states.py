"""The order of a cycle's states, the second user who approves, the audit of each step, and cash deliveries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ansinh.audit.models import AuditEntry
from ansinh.payments.cash import cash_delivery_record
from ansinh.payments.exporting import export_run_create
from ansinh.payments.models import Payment, PaymentAttempt, PaymentCycle
from ansinh.payments.services import PaymentError, cycle_approve, cycle_close, cycle_compute, cycle_submit
from ansinh.payouts.models import Channel
from tests import factories as f
from tests.payments.conftest import Pay
from tests.payments.test_export import media  # noqa: F401

pytestmark = pytest.mark.django_db


def _transitions(cycle: PaymentCycle) -> list[str]:
    entries = AuditEntry.objects.filter(object_type="payments.paymentcycle", object_id=str(cycle.pk)).order_by("pk")
    return list(entries.values_list("action", flat=True))


def test_states_cannot_be_skipped_and_the_submitter_cannot_approve(pay: Pay) -> None:
    pay.beneficiary(pay.world.ba_dinh)
    preparer, officer = pay.personas.culture_ba_dinh, pay.personas.province_hanoi
    cycle = pay.cycle()
    with pytest.raises(PaymentError):
        cycle_approve(user=officer, cycle_id=cycle.pk)
    with pytest.raises(PaymentError, match="Compute"):
        cycle_submit(user=preparer, cycle_id=cycle.pk)
    cycle_compute(user=preparer, cycle_id=cycle.pk)
    with pytest.raises(PaymentError):
        cycle_close(user=officer, cycle_id=cycle.pk)
    cycle_submit(user=preparer, cycle_id=cycle.pk)
    with pytest.raises(PaymentError):
        cycle_approve(user=preparer, cycle_id=cycle.pk)  # not an approving role
    with pytest.raises(PaymentError):
        cycle_compute(user=preparer, cycle_id=cycle.pk)  # locked once submitted
    cycle_approve(user=officer, cycle_id=cycle.pk)
    assert _transitions(cycle) == ["create", "compute", "submit", "approve"]


def test_an_approver_cannot_approve_what_they_submitted(pay: Pay) -> None:
    pay.beneficiary(pay.world.ba_dinh)
    officer = pay.personas.province_hanoi
    cycle = pay.cycle(communes=[pay.world.ba_dinh])
    cycle_compute(user=officer, cycle_id=cycle.pk)
    cycle_submit(user=officer, cycle_id=cycle.pk)
    with pytest.raises(PaymentError, match="someone other"):
        cycle_approve(user=officer, cycle_id=cycle.pk)
    second = f.user(f.RoleSlug.PROVINCE_OFFICER, provinces=[pay.world.hanoi])
    assert cycle_approve(user=second, cycle_id=cycle.pk).state == PaymentCycle.State.APPROVED


def test_a_cash_delivery_with_a_signature_pays_the_attempt_and_lets_the_cycle_close(pay: Pay) -> None:
    pay.beneficiary(pay.world.ba_dinh, channel=Channel.CASH_HOME)
    cycle = pay.approved(pay.cycle())
    export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    attempt = PaymentAttempt.objects.get()
    with pytest.raises(PaymentError, match="signature or a photo"):
        cash_delivery_record(user=pay.personas.agent, attempt_id=attempt.pk, delivered_at=timezone.now(),
                             received_by_name="Nguyễn Văn An")  # fmt: skip
    with pytest.raises(PaymentError):
        cash_delivery_record(user=pay.personas.police_tay_ho, attempt_id=attempt.pk, delivered_at=timezone.now(),
                             received_by_name="Nguyễn Văn An", photo=SimpleUploadedFile("p.jpg", b"x"))  # fmt: skip
    delivered = cash_delivery_record(
        user=pay.personas.agent, attempt_id=attempt.pk, delivered_at=timezone.now() - timedelta(hours=1),
        received_by_name="Nguyễn Văn An", signature=SimpleUploadedFile("sig.png", b"\x89PNG"),
    )  # fmt: skip
    assert delivered.delivered_by == pay.personas.agent
    assert Payment.objects.get().status == Payment.Status.PAID
    # No bank transfer waited for a result: the delivery reconciled the cycle.
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.RECONCILED
    assert cycle_close(user=pay.personas.province_hanoi, cycle_id=cycle.pk).state == PaymentCycle.State.CLOSED


def test_an_agent_records_a_delivery_on_the_page_and_sees_only_their_organisation(pay: Pay) -> None:
    from django.test import Client
    from django.urls import reverse

    pay.beneficiary(pay.world.ba_dinh, name="Hoàng Thị Em", channel=Channel.CASH_POINT)
    cycle = pay.approved(pay.cycle())
    export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    attempt = PaymentAttempt.objects.get()
    agent = Client()
    agent.force_login(pay.personas.agent)
    assert "Hoàng Thị Em" in agent.get(reverse("payments:delivery_list")).content.decode()
    other = f.user(f.RoleSlug.PAYMENT_AGENT, communes=[pay.world.ba_dinh], org=f.organisation("Ví điện tử khác"))
    stranger = Client()
    stranger.force_login(other)
    assert "Hoàng Thị Em" not in stranger.get(reverse("payments:delivery_list")).content.decode()
    agent.post(
        reverse("payments:delivery_record", args=[attempt.pk]),
        {"received_by_name": "Hoàng Thị Em", "delivered_at": "2026-11-10T09:30",
         "photo": SimpleUploadedFile("p.jpg", b"\xff\xd8")},
    )  # fmt: skip
    assert PaymentAttempt.objects.get().status == PaymentAttempt.Status.PAID
    assert Payment.objects.get().status == Payment.Status.PAID
