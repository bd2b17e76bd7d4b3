"""Writes of a payment cycle: create, compute, the state transitions, the failed-transfer queue, closing.

Each function is one transaction that ends with its audit entries. Exports live in `exporting.py`,
result files in `reconcile.py`, deaths and recoveries in `followup.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation, User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import area_communes, has_role
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.geo.models import Commune, Province
from ansinh.payments import compute
from ansinh.payments.models import Payment, PaymentAttempt, PaymentCycle
from ansinh.payouts.models import CASH_CHANNELS, Channel, PayoutMethod

PREPARER_ROLES = (RoleSlug.PROVINCE_OFFICER, RoleSlug.COMMUNE_CULTURE_OFFICER)
DEFAULT_APPROVER_ROLES = (RoleSlug.PROVINCE_OFFICER,)

# Where each transition may start; the order cannot be skipped.
TRANSITIONS: dict[str, tuple[str, str]] = {
    "submit": (PaymentCycle.State.DRAFT, PaymentCycle.State.SUBMITTED),
    "approve": (PaymentCycle.State.SUBMITTED, PaymentCycle.State.APPROVED),
    "return": (PaymentCycle.State.SUBMITTED, PaymentCycle.State.DRAFT),
    "export": (PaymentCycle.State.APPROVED, PaymentCycle.State.EXPORTED),
    "reconcile": (PaymentCycle.State.EXPORTED, PaymentCycle.State.RECONCILED),
    "close": (PaymentCycle.State.RECONCILED, PaymentCycle.State.CLOSED),
}
FINAL_STATUSES = (Payment.Status.PAID, Payment.Status.REROUTED, Payment.Status.WRITTEN_OFF, Payment.Status.CANCELLED)
OCCASION_KINDS = {"lunar_new_year": Payment.Kind.LUNAR_NEW_YEAR, "funeral": Payment.Kind.FUNERAL}


class PaymentError(Exception):
    """The request cannot be carried out; `text` says why, for the officer."""

    def __init__(self, text: Any) -> None:
        super().__init__(str(text))
        self.text = text


def approver_roles() -> tuple[str, ...]:
    return tuple(getattr(settings, "PAYMENTS_APPROVER_ROLES", DEFAULT_APPROVER_ROLES))


def can_prepare(user: User) -> bool:
    return has_role(user, *PREPARER_ROLES)


def can_approve(user: User) -> bool:
    return has_role(user, *(RoleSlug(r) for r in approver_roles()))


def _covers(user: User, cycle: PaymentCycle) -> bool:
    """True when every commune of the cycle lies in the user's area (actions need the whole cycle)."""
    outside = cycle.communes.exclude(pk__in=area_communes(user).values("pk"))
    return not outside.exists()


def _cycle_locked(*, user: User, cycle_id: int) -> PaymentCycle:
    cycle = PaymentCycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None or not _covers(user, cycle):
        raise PaymentError(_("This cycle does not exist or is outside your area."))
    return cycle


def _event(cycle: PaymentCycle, action: str, before: str, after: str, **extra: Any) -> AuditEvent:
    return AuditEvent.about(cycle, action, before={"state": before}, after={"state": after, **extra})


def cycle_move(cycle: PaymentCycle, *, action: str, user: User, extra: dict[str, Any] | None = None) -> AuditEvent:
    """Move a locked cycle one step along TRANSITIONS; the caller records the returned event in its transaction."""
    source, target = TRANSITIONS[action]
    if cycle.state != source:
        raise PaymentError(
            _("This cycle is %(state)s; it must be %(source)s first.")
            % {"state": cycle.get_state_display(), "source": PaymentCycle.State(source).label}
        )
    updated = PaymentCycle.objects.filter(pk=cycle.pk, state=source).update(state=target)
    if not updated:
        raise PaymentError(_("Someone else changed this cycle; reload the page."))
    cycle.state = target
    return _event(cycle, action, source, target, **(extra or {}))


# -- create and compute -----------------------------------------------------------------------------


def cycle_create(
    *,
    user: User,
    name: str,
    communes: Iterable[Commune] = (),
    province: Province | None = None,
    period: int | None = None,
    occasion: str = "",
    occasion_amount: int | None = None,
    arrears_since: date | None = None,
) -> PaymentCycle:
    """A draft cycle for a province (all its communes) or a set of communes, for a month or an occasion."""
    if not can_prepare(user):
        raise PaymentError(_("Only social-affairs officers prepare payment cycles."))
    chosen = list(Commune.objects.filter(province=province)) if province is not None else list(communes)
    if not chosen:
        raise PaymentError(_("A cycle needs at least one commune."))
    allowed = set(area_communes(user).filter(pk__in=[c.pk for c in chosen]).values_list("pk", flat=True))
    if len(allowed) != len({c.pk for c in chosen}):
        raise PaymentError(_("Some of these communes are outside your area."))
    if (period is None) == (not occasion):
        raise PaymentError(_("Give either a month or an occasion."))
    # A funeral allowance is due on a death, not to everyone active: it is not computed as a cycle yet.
    if occasion and occasion.split(":", maxsplit=1)[0] != "lunar_new_year":
        raise PaymentError(_("Only the Lunar New Year allowance is paid as an occasion cycle."))
    if period is not None and not (1 <= period % 100 <= 12):
        raise PaymentError(_("The month must be written YYYYMM."))
    with transaction.atomic():
        cycle = PaymentCycle.objects.create(
            name=name,
            kind=PaymentCycle.Kind.SPECIAL if occasion else PaymentCycle.Kind.REGULAR,
            province=province,
            period=period,
            occasion=occasion,
            occasion_amount=occasion_amount,
            arrears_since=arrears_since,
            created_by=user,
        )
        cycle.communes.set(chosen)
        audit_record(actor=user, entries=[AuditEvent.about(cycle, "create", after={"name": name, "state": "draft"})])
    return cycle


def cycle_totals(cycle: PaymentCycle) -> dict[str, Any]:
    """Counts and sums per commune, category, channel and kind: the preview before the cycle is locked."""
    live = Payment.objects.filter(cycle=cycle).exclude(status=Payment.Status.CANCELLED)
    totals: dict[str, Any] = {}
    for key, field in (("commune", "commune_id"), ("category", "category"), ("channel", "channel"), ("kind", "kind")):
        rows = live.values(field).annotate(count=Count("pk"), amount=Sum("amount")).order_by(field)
        totals[key] = [{"key": row[field], "count": row["count"], "amount": row["amount"] or 0} for row in rows]
    overall = live.aggregate(count=Count("pk"), amount=Sum("amount"))
    totals["all"] = {"count": overall["count"], "amount": overall["amount"] or 0}
    return totals


def cycle_compute(*, user: User, cycle_id: int) -> PaymentCycle:
    """Fill a draft cycle set-wise (recomputing replaces its earlier draft payments) and store the preview totals."""
    if not can_prepare(user):
        raise PaymentError(_("Only social-affairs officers prepare payment cycles."))
    with transaction.atomic():
        cycle = _cycle_locked(user=user, cycle_id=cycle_id)
        if cycle.state != PaymentCycle.State.DRAFT:
            raise PaymentError(_("Only a draft cycle can be computed."))
        removed, _deleted = Payment.objects.filter(cycle=cycle).delete()
        if cycle.kind == PaymentCycle.Kind.REGULAR:
            inserted = compute.insert_monthly(cycle)
        else:
            inserted = compute.insert_occasion(cycle, kind=OCCASION_KINDS[cycle.occasion.split(":", maxsplit=1)[0]])
        cycle.totals = cycle_totals(cycle)
        cycle.computed_at = timezone.now()
        cycle.save(update_fields=["totals", "computed_at"])
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    cycle, "compute", after={"payments": inserted, "replaced": removed, **cycle.totals["all"]}
                )
            ],
        )
    return cycle


# -- transitions ------------------------------------------------------------------------------------


def cycle_submit(*, user: User, cycle_id: int) -> PaymentCycle:
    """Lock the computed cycle and send it for approval: its payments no longer change."""
    if not can_prepare(user):
        raise PaymentError(_("Only social-affairs officers submit payment cycles."))
    with transaction.atomic():
        cycle = _cycle_locked(user=user, cycle_id=cycle_id)
        if cycle.computed_at is None:
            raise PaymentError(_("Compute the cycle before submitting it."))
        # The totals stored by the compute still hold: only a compute writes a draft's payments.
        event = cycle_move(cycle, action="submit", user=user, extra=dict(cycle.totals.get("all", {})))
        PaymentCycle.objects.filter(pk=cycle.pk).update(submitted_by=user, submitted_at=timezone.now())
        audit_record(actor=user, entries=[event])
    cycle.refresh_from_db()
    return cycle


def cycle_approve(*, user: User, cycle_id: int) -> PaymentCycle:
    """Approve a submitted cycle: another user than its submitter, of an approving role."""
    if not can_approve(user):
        raise PaymentError(_("Only a province social-affairs officer approves payment cycles."))
    with transaction.atomic():
        cycle = _cycle_locked(user=user, cycle_id=cycle_id)
        if cycle.submitted_by_id == user.pk:
            raise PaymentError(_("The cycle must be approved by someone other than who submitted it."))
        event = cycle_move(cycle, action="approve", user=user)
        PaymentCycle.objects.filter(pk=cycle.pk).update(approved_by=user, approved_at=timezone.now())
        audit_record(actor=user, entries=[event])
    cycle.refresh_from_db()
    return cycle


def cycle_return(*, user: User, cycle_id: int, reason: str) -> PaymentCycle:
    """Send a submitted cycle back to draft for corrections, with a reason."""
    if not can_approve(user):
        raise PaymentError(_("Only a province social-affairs officer returns payment cycles."))
    with transaction.atomic():
        cycle = _cycle_locked(user=user, cycle_id=cycle_id)
        event = cycle_move(cycle, action="return", user=user, extra={"reason": reason[:300]})
        PaymentCycle.objects.filter(pk=cycle.pk).update(submitted_by=None, submitted_at=None)
        audit_record(actor=user, entries=[event])
    cycle.refresh_from_db()
    return cycle


def cycle_close(*, user: User, cycle_id: int) -> PaymentCycle:
    """Close a reconciled cycle once every payment is paid, re-routed or written off."""
    if not can_approve(user):
        raise PaymentError(_("Only a province social-affairs officer closes payment cycles."))
    with transaction.atomic():
        cycle = _cycle_locked(user=user, cycle_id=cycle_id)
        open_payments = Payment.objects.filter(cycle=cycle).exclude(status__in=FINAL_STATUSES).count()
        in_flight = PaymentAttempt.objects.filter(
            payment__cycle=cycle, status=PaymentAttempt.Status.SENT, channel__in=list(_account_channels())
        ).count()
        if open_payments or in_flight:
            raise PaymentError(
                _("%(count)d payments are neither paid, re-routed nor written off; the cycle cannot close.")
                % {"count": open_payments + in_flight}
            )
        event = cycle_move(cycle, action="close", user=user)
        PaymentCycle.objects.filter(pk=cycle.pk).update(closed_at=timezone.now())
        audit_record(actor=user, entries=[event])
    cycle.refresh_from_db()
    return cycle


def _account_channels() -> set[str]:
    return {c.value for c in Channel if c not in CASH_CHANNELS}


def cycle_reconciled_if_settled(cycle: PaymentCycle, *, user: User) -> list[AuditEvent]:
    """Move an exported cycle to reconciled once no bank transfer waits for its result (cash may still)."""
    if cycle.state != PaymentCycle.State.EXPORTED:
        return []
    in_flight = PaymentAttempt.objects.filter(
        payment__cycle=cycle, status=PaymentAttempt.Status.SENT, channel__in=list(_account_channels())
    ).exists()
    return [] if in_flight else [cycle_move(cycle, action="reconcile", user=user)]


# -- the failed-transfer queue ----------------------------------------------------------------------


def _failed_locked(*, user: User, payment_id: int) -> Payment:
    payment = Payment.objects.select_for_update().select_related("cycle").filter(pk=payment_id).first()
    if payment is None or not area_communes(user).filter(pk=payment.commune_id).exists():
        raise PaymentError(_("This payment does not exist or is outside your area."))
    if payment.status != Payment.Status.FAILED:
        raise PaymentError(_("Only a failed payment can be retried, re-routed or written off."))
    if payment.cycle.state not in (PaymentCycle.State.EXPORTED, PaymentCycle.State.RECONCILED):
        raise PaymentError(_("The cycle of this payment is not open for corrections."))
    return payment


def _payment_event(payment: Payment, action: str, before: dict[str, Any], after: dict[str, Any]) -> AuditEvent:
    return AuditEvent.about(payment, action, before=before, after=after, commune_id=payment.commune_id)


def payment_retry(*, user: User, payment_id: int) -> Payment:
    """Queue a failed transfer for the next export run with the benefit's corrected account.

    The account is corrected through the payouts app's change request (four-eyes); a retry with the
    very account that failed is refused.
    """
    if not can_prepare(user):
        raise PaymentError(_("Only social-affairs officers handle failed transfers."))
    with transaction.atomic():
        payment = _failed_locked(user=user, payment_id=payment_id)
        method = PayoutMethod.objects.filter(benefit_id=payment.benefit_id, status=PayoutMethod.Status.ACTIVE).first()
        last = payment.attempts.order_by("-number").first()
        if method is None:
            raise PaymentError(_("The benefit has no active payout method."))
        if last is not None and method.channel not in CASH_CHANNELS:
            bin_ = method.bank.bin if method.bank_id and method.bank else ""
            if (bin_, method.account_number) == (last.bank_bin, last.account_number):
                raise PaymentError(_("The account has not been corrected since the transfer failed."))
        before = {"status": payment.status, "channel": payment.channel, "payout_method": payment.payout_method_id}
        payment.status, payment.channel, payment.payout_method = Payment.Status.PLANNED, method.channel, method
        payment.organisation_id = method.organisation_id
        payment.status_reason = ""
        payment.save(update_fields=["status", "channel", "payout_method", "organisation", "status_reason"])
        after = {"status": payment.status, "channel": payment.channel, "payout_method": method.pk}
        audit_record(actor=user, entries=[_payment_event(payment, "retry", before, after)])
    return payment


def payment_reroute(*, user: User, payment_id: int, organisation_id: int, at_home: bool) -> Payment:
    """Pay a failed transfer in cash through a payment service organisation, in this cycle."""
    if not can_prepare(user):
        raise PaymentError(_("Only social-affairs officers handle failed transfers."))
    organisation = Organisation.objects.filter(pk=organisation_id, kind=Organisation.Kind.PAYMENT_SERVICE).first()
    if organisation is None:
        raise PaymentError(_("Choose a payment service organisation."))
    with transaction.atomic():
        payment = _failed_locked(user=user, payment_id=payment_id)
        before = {"status": payment.status, "channel": payment.channel}
        payment.status = Payment.Status.REROUTED
        payment.channel = Channel.CASH_HOME if at_home else Channel.CASH_POINT
        payment.organisation = organisation
        payment.save(update_fields=["status", "channel", "organisation"])
        after = {"status": payment.status, "channel": payment.channel, "organisation": organisation.pk}
        audit_record(actor=user, entries=[_payment_event(payment, "reroute", before, after)])
    return payment


def payment_write_off(*, user: User, payment_id: int, reason: str) -> Payment:
    """Give up a failed payment, with the reason; only an approving officer may."""
    if not can_approve(user):
        raise PaymentError(_("Only a province social-affairs officer writes off a payment."))
    reason = reason.strip()
    if not reason:
        raise PaymentError(_("Give the reason for writing off this payment."))
    with transaction.atomic():
        payment = _failed_locked(user=user, payment_id=payment_id)
        before = {"status": payment.status}
        payment.status, payment.status_reason = Payment.Status.WRITTEN_OFF, reason[:300]
        payment.save(update_fields=["status", "status_reason"])
        after = {"status": payment.status, "reason": payment.status_reason}
        audit_record(actor=user, entries=[_payment_event(payment, "write_off", before, after)])
    return payment


def failed_queue_filter() -> Q:
    return Q(status=Payment.Status.FAILED)
