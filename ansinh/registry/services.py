"""Writes and audited reads of the registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ansinh.access.models import User
from ansinh.audit.services import AuditEvent, audit_record, diff_fields, record_values
from ansinh.registry.models import Person

PERSON = "registry.person"


def person_views_record(*, user: User, people: Sequence[Person], action: str = "view") -> None:
    """Record that the user saw (or exported) these people's personal data: one entry for the page."""
    if not people:
        return
    with transaction.atomic():
        audit_record(
            actor=user,
            entries=[AuditEvent(action=action, object_type=PERSON, object_ids=[str(p.pk) for p in people])],
        )


def person_reveal(*, user: User, person: Person, field: str) -> str:
    """Return one unmasked number of a person, recording that the user asked for it."""
    value = str(getattr(person, field))
    with transaction.atomic():
        audit_record(
            actor=user,
            entries=[AuditEvent.about(person, "reveal", summary=field)],
        )
    return value


class StaleEdit(Exception):
    """Someone else saved the record since this edit began; nothing was written."""


EDITABLE = (
    "full_name",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "citizen_id",
    "old_id",
    "hamlet",
    "house_number",
    "phone",
)


def person_update(*, user: User, person: Person, expected_version: int, changes: dict[str, Any]) -> Person:
    """Save an officer's edit if nobody saved the person since `expected_version`; audited with before and after.

    The version check is part of the UPDATE itself, so two officers saving at once cannot both win.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if "full_name" in changes:
        changes = {**changes, **Person.name_fields(changes["full_name"])}
    with transaction.atomic():
        before = record_values(person, fields=EDITABLE)
        updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated == 0:
            raise StaleEdit
        person.refresh_from_db()
        old, new = diff_fields(before, record_values(person, fields=EDITABLE))
        if new:
            audit_record(actor=user, entries=[AuditEvent.about(person, "update", before=old, after=new)])
    return person
