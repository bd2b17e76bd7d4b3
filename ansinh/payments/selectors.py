"""Reads of payments, always through the scoping layer: cycles of the user's area and their payments."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import area_communes, has_role, scope_queryset
from ansinh.geo.models import Commune
from ansinh.payments.models import ExportFile, ExportRun, Payment, PaymentAttempt, PaymentCycle, ResultImport
from ansinh.payouts.models import CASH_CHANNELS

READER_ROLES = (
    RoleSlug.NATIONAL_SUPERVISOR,
    RoleSlug.PROVINCE_OFFICER,
    RoleSlug.COMMUNE_CULTURE_OFFICER,
    RoleSlug.COMMUNE_POLICE,
    RoleSlug.AUDITOR,
)


def can_read(user: User) -> bool:
    return has_role(user, *READER_ROLES)


def cycle_list(*, user: User) -> QuerySet[PaymentCycle]:
    """Cycles with at least one commune in the user's area (their payments are scoped again per commune)."""
    if not can_read(user):
        return PaymentCycle.objects.none()
    communes = area_communes(user).values("pk")
    ids = PaymentCycle.communes.through.objects.filter(commune_id__in=communes).values("paymentcycle_id")
    return PaymentCycle.objects.filter(pk__in=ids).order_by("-created_at", "-pk")


def cycle_get(*, user: User, cycle_id: int) -> PaymentCycle | None:
    return cycle_list(user=user).filter(pk=cycle_id).first()


def payment_list(*, user: User, cycle: PaymentCycle | None = None) -> QuerySet[Payment]:
    if not can_read(user):
        return Payment.objects.none()
    payments = scope_queryset(Payment.objects.all(), user)
    return payments.filter(cycle=cycle) if cycle is not None else payments


def failed_queue(*, user: User, cycle: PaymentCycle) -> QuerySet[Payment]:
    """Failed payments of the cycle in the user's area, with their last attempt's reason."""
    return (
        payment_list(user=user, cycle=cycle)
        .filter(status=Payment.Status.FAILED)
        .select_related("person", "commune")
        .order_by("commune__name", "person__sort_key", "pk")
    )


def runs_of(*, cycle: PaymentCycle) -> QuerySet[ExportRun]:
    return ExportRun.objects.filter(cycle=cycle).prefetch_related("files").order_by("number")


def export_file_get(*, user: User, file_id: int) -> ExportFile | None:
    """A stored file of a cycle whose every commune lies in the user's area (files span communes)."""
    found = ExportFile.objects.select_related("run__cycle").filter(pk=file_id).first()
    if found is None or cycle_get(user=user, cycle_id=found.run.cycle_id) is None:
        return None
    outside = found.run.cycle.communes.exclude(pk__in=area_communes(user).values("pk"))
    return None if outside.exists() else found


def imports_of(*, cycle: PaymentCycle) -> QuerySet[ResultImport]:
    return ResultImport.objects.filter(cycle=cycle).order_by("-created_at", "-pk")


OUTCOMES = ("planned", "paid", "failed", "rerouted", "outstanding")


def cycle_report(*, user: User, cycle: PaymentCycle) -> dict[str, Any]:
    """Planned, paid, failed, re-routed and outstanding, in count and amount, per commune and per channel.

    Outstanding: planned but not yet settled one way or the other (sent and waiting, or not sent).
    """
    payments = payment_list(user=user, cycle=cycle).exclude(status=Payment.Status.CANCELLED)
    measures: dict[str, Any] = {"planned": Q()}
    measures["paid"] = Q(status=Payment.Status.PAID)
    measures["failed"] = Q(status=Payment.Status.FAILED)
    # Re-routed: now paid in cash although the benefit's method was an account (delivered or not).
    measures["rerouted"] = Q(channel__in=list(CASH_CHANNELS)) & ~Q(payout_method__channel__in=list(CASH_CHANNELS))
    measures["outstanding"] = Q(status__in=[Payment.Status.PLANNED, Payment.Status.REROUTED])

    def table(field: str) -> list[dict[str, Any]]:
        aggregates: dict[str, Any] = {}
        for name, condition in measures.items():
            aggregates[f"{name}_count"] = Count("pk", filter=condition)
            aggregates[f"{name}_amount"] = Sum("amount", filter=condition)
        rows = payments.values(field).annotate(**aggregates).order_by(field)
        return [{"key": row[field], **{k: v or 0 for k, v in row.items() if k != field}} for row in rows]

    by_commune = table("commune_id")
    names = dict(Commune.objects.filter(pk__in=[r["key"] for r in by_commune]).values_list("pk", "name"))
    for row in by_commune:
        row["label"] = names.get(row["key"], "")
    by_channel = table("channel")
    keys = [f"{name}_{unit}" for name in measures for unit in ("count", "amount")]
    totals = {k: sum(r[k] for r in by_commune) for k in keys}
    written_off = payments.filter(status=Payment.Status.WRITTEN_OFF).aggregate(n=Count("pk"), s=Sum("amount"))
    return {
        "by_commune": by_commune,
        "by_channel": by_channel,
        "totals": totals,
        "written_off": {"count": written_off["n"], "amount": written_off["s"] or 0},
        "attempts": PaymentAttempt.objects.filter(payment__in=payments).count(),
    }


def cash_to_deliver(*, user: User) -> QuerySet[PaymentAttempt]:
    """Cash attempts waiting for delivery in the user's area; an agent sees their organisation's only."""
    attempts = PaymentAttempt.objects.filter(status=PaymentAttempt.Status.SENT, channel__in=list(CASH_CHANNELS))
    scoped = scope_queryset(attempts, user, commune_field="payment__commune", organisation_field="organisation")
    return scoped.select_related("payment__person", "payment__commune").order_by("payment__commune__name", "pk")
