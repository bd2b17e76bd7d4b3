"""Which records a user may see, asked of the app that owns them.

The audit app imports no domain app, yet its per-record page takes a record's type and id from the
URL, so it must ask whether this user may see that record. Each domain app registers a check for its
record types in its AppConfig.ready():

    register_record_type("registry.person", lambda user, object_id: person_get(user=user, ...) is not None)
"""

from __future__ import annotations

from collections.abc import Callable

from ansinh.access.models import User

RecordCheck = Callable[[User, str], bool]

_checks: dict[str, RecordCheck] = {}


def register_record_type(object_type: str, can_view: RecordCheck) -> None:
    """Declare how to tell whether a user may see a record of this type (through a scoped selector)."""
    _checks[object_type] = can_view


def record_check(object_type: str) -> RecordCheck | None:
    return _checks.get(object_type)
