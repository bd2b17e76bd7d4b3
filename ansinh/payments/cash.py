"""Proof of a cash delivery: who handed it over, when, to whom, with a signature or a photo."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import area_communes, has_role
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.payments.models import CashDelivery, Payment, PaymentAttempt, PaymentCycle
from ansinh.payments.services import PREPARER_ROLES, PaymentError, cycle_reconciled_if_settled
from ansinh.payouts.models import CASH_CHANNELS


def can_record_delivery(user: User) -> bool:
    return has_role(user, RoleSlug.PAYMENT_AGENT, *PREPARER_ROLES)


def cash_delivery_record(
    *,
    user: User,
    attempt_id: int,
    delivered_at: datetime,
    received_by_name: str,
    signature: UploadedFile | None = None,
    photo: UploadedFile | None = None,
    note: str = "",
) -> CashDelivery:
    """Record that a cash attempt was handed over; the attempt and its payment become paid."""
    if not can_record_delivery(user):
        raise PaymentError(_("Only payment agents and social-affairs officers record a delivery."))
    if signature is None and photo is None:
        raise PaymentError(_("A delivery needs a signature or a photo."))
    if not received_by_name.strip():
        raise PaymentError(_("Write who received the money."))
    if delivered_at > timezone.now():
        raise PaymentError(_("The delivery cannot be in the future."))
    with transaction.atomic():
        # The cycle first, as every cycle write does, so that two writers never lock in opposite orders.
        cycle_id = PaymentAttempt.objects.filter(pk=attempt_id).values_list("payment__cycle_id", flat=True).first()
        cycle = PaymentCycle.objects.select_for_update().filter(pk=cycle_id or 0).first()
        attempt = PaymentAttempt.objects.select_for_update().select_related("payment").filter(pk=attempt_id).first()
        if attempt is None or cycle is None or not area_communes(user).filter(pk=attempt.payment.commune_id).exists():
            raise PaymentError(_("This payment does not exist or is outside your area."))
        if has_role(user, RoleSlug.PAYMENT_AGENT) and attempt.organisation_id != user.organisation_id:
            raise PaymentError(_("This payment is handed over by another organisation."))
        if attempt.channel not in CASH_CHANNELS or attempt.status != PaymentAttempt.Status.SENT:
            raise PaymentError(_("Only a cash payment waiting for delivery can be recorded."))
        delivery = CashDelivery(
            attempt=attempt, delivered_by=user, delivered_at=delivered_at,
            received_by_name=received_by_name.strip()[:200], note=note[:300],
        )  # fmt: skip
        if signature is not None:
            delivery.signature = signature
        if photo is not None:
            delivery.photo = photo
        delivery.save()
        PaymentAttempt.objects.filter(pk=attempt.pk).update(status=PaymentAttempt.Status.PAID, settled_at=delivered_at)
        Payment.objects.filter(pk=attempt.payment_id).update(status=Payment.Status.PAID, status_reason="")
        audit_record(
            actor=user,
            entries=[
                *cycle_reconciled_if_settled(cycle, user=user),
                AuditEvent.about(
                    attempt.payment, "deliver", before={"status": attempt.payment.status},
                    after={"status": Payment.Status.PAID, "attempt": attempt.pk}, commune_id=attempt.payment.commune_id,
                )
            ],
        )  # fmt: skip
    return delivery
