"""Writes and audited reads of the registry."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from ansinh.access.models import User
from ansinh.audit.services import AuditEvent, audit_record
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
