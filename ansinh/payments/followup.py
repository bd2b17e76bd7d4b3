"""Follow-up of changes that reach payments: a death stops them at once and lists what was overpaid.

A death (from a registry snapshot, a match or a visit) suspends the person's active benefits in the
same transaction, so the next cycle computes nothing for them; payments not yet sent for months after
the month of death are cancelled, and those already sent or paid become recovery entries (truy thu).
A move needs nothing here: a cycle pays the person's current commune, the month constraint forbids a
second payment, and months a move made both communes miss come back as arrears (see compute.py).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.scoping import area_communes
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.payments.compute import month_of
from ansinh.payments.models import Payment, PaymentAttempt, RecoveryEntry
from ansinh.payments.services import PaymentError, can_prepare
from ansinh.registry.models import Benefit, Person

DEATH_REASON = "death reported, pending confirmation"


def person_death_record(*, user: User, person_id: int, date_of_death: date, source: str) -> dict[str, int]:
    """Suspend a deceased person's benefits, cancel unsent later months, and list paid ones for recovery."""
    if not can_prepare(user):
        raise PaymentError(_("Only social-affairs officers record a death."))
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None or not area_communes(user).filter(pk=person.commune_id).exists():
            raise PaymentError(_("This person does not exist or is outside your area."))
        events, summary = death_follow_up(person=person, date_of_death=date_of_death, source=source)
        audit_record(actor=user, entries=events)
    return summary


def death_follow_up(*, person: Person, date_of_death: date, source: str) -> tuple[list[AuditEvent], dict[str, int]]:
    """The payments side of a death, inside the caller's transaction; the caller records the audit events.

    For another app that learns of a death (a matching run, a visit) and checks its own permissions.
    """
    reason = f"{DEATH_REASON} ({source[:60]}, {date_of_death.isoformat()})"
    events: list[AuditEvent] = []
    for benefit in Benefit.objects.select_for_update().filter(person=person, status=Benefit.Status.ACTIVE):
        Benefit.objects.filter(pk=benefit.pk).update(
            status=Benefit.Status.SUSPENDED, status_reason=reason, version=F("version") + 1
        )
        events.append(
            AuditEvent.about(
                benefit,
                "suspend",
                before={"status": benefit.status},
                after={"status": Benefit.Status.SUSPENDED, "status_reason": reason},
                commune_id=person.commune_id,
            )
        )
    after_death = Payment.objects.filter(person=person, month__gt=month_of(date_of_death))
    sent = PaymentAttempt.objects.filter(status__in=[PaymentAttempt.Status.SENT, PaymentAttempt.Status.PAID])
    unsent = after_death.filter(status=Payment.Status.PLANNED).exclude(pk__in=sent.values("payment_id"))
    cancelled = list(unsent.values_list("pk", flat=True))
    unsent.update(status=Payment.Status.CANCELLED, status_reason=reason[:300])
    overpaid = after_death.filter(
        Q(status=Payment.Status.PAID) | Q(pk__in=sent.values("payment_id")), recovery__isnull=True
    ).exclude(status=Payment.Status.CANCELLED)
    entries = [
        RecoveryEntry(
            payment=payment,
            person=person,
            commune_id=payment.commune_id,
            amount=payment.amount,
            date_of_death=date_of_death,
            reason=reason[:300],
        )
        for payment in overpaid
    ]
    RecoveryEntry.objects.bulk_create(entries)
    suspended = len(events)
    events.append(
        AuditEvent.about(
            person,
            "death",
            after={
                "date_of_death": date_of_death.isoformat(),
                "cancelled": cancelled,
                "recovery": [e.payment_id for e in entries],
            },
            summary=source[:200],
        )
    )
    return events, {"suspended": suspended, "cancelled": len(cancelled), "recovery": len(entries)}
