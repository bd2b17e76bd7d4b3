"""Reading the audit trail: only roles that may read it, numbers masked for roles that may not see them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.scoping import can_read_audit, can_see_unmasked, scope_queryset
from ansinh.audit.models import AuditEntry, AuditSubject
from ansinh.audit.records import record_check
from ansinh.lib.logredact import redact
from ansinh.lib.masking import mask_personal_numbers

RECORD_HISTORY_LIMIT = 200

ACTION_LABELS: dict[str, str | Promise] = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "view": _("viewed"),
    "export": _("exported"),
    "reveal": _("revealed a number"),
    "transition": _("changed status"),
    "approve": _("approved"),
    "reject": _("rejected"),
    "import": _("imported"),
}


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return _text(self.before)

    @property
    def after_text(self) -> str:
        return _text(self.after)


@dataclass(frozen=True)
class AuditLine:
    """An entry as a reader sees it: values already masked when the reader may not see numbers."""

    seq: int
    at: dt.datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    object_ids: tuple[str, ...]
    summary: str
    changes: tuple[FieldChange, ...]
    masked: bool

    @property
    def action_label(self) -> str | Promise:
        return ACTION_LABELS.get(self.action, self.action)


def audit_entry_list(
    *, user: User, object_type: str = "", object_id: str = "", actor: str = ""
) -> QuerySet[AuditEntry]:
    """Entries the user may list, newest first, optionally for one record or one acting user.

    Nation-wide readers see every entry; area readers see entries about records in their communes and
    entries they wrote themselves. Anyone else sees nothing.
    """
    if not can_read_audit(user):
        return AuditEntry.objects.none()
    base = AuditEntry.objects.all()
    entries = scope_queryset(base, user, commune_field="commune") | base.filter(actor=user)
    if object_type or object_id:
        entries = entries.filter(_record_filter(object_type=object_type, object_id=object_id))
    if actor:
        entries = entries.filter(actor_username=actor)
    return entries.order_by("-seq")


def audit_entries_for_record(
    *, user: User, object_type: str, object_id: str | int, limit: int = RECORD_HISTORY_LIMIT
) -> list[AuditLine]:
    """The whole history of one record, newest first, for a reader the caller has shown may see it.

    The caller passes a record it got through its own scoped selector; this returns nothing to a
    user who may not read the audit trail, and masks numbers for one who may not see them.
    """
    if not can_read_audit(user):
        return []
    entries = AuditEntry.objects.filter(_record_filter(object_type=object_type, object_id=str(object_id)))
    return audit_lines(user=user, entries=entries.order_by("-seq")[:limit])


def audit_record_history(
    *, user: User, object_type: str, object_id: str, limit: int = RECORD_HISTORY_LIMIT
) -> list[AuditLine] | None:
    """A record's history for the per-record page, which takes the record from the URL.

    None when the user may not see the record (as its app's registered check says). For a record
    type no app has registered, area readers get only the entries they could list.
    """
    if not can_read_audit(user):
        return None
    check = record_check(object_type)
    if check is not None:
        if not check(user, object_id):
            return None
        return audit_entries_for_record(user=user, object_type=object_type, object_id=object_id, limit=limit)
    entries = audit_entry_list(user=user, object_type=object_type, object_id=object_id)
    return audit_lines(user=user, entries=entries[:limit])


def audit_lines(*, user: User, entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """Entries already limited to what the user may see, as lines to show (masked where needed)."""
    masked = not can_see_unmasked(user)
    return [_line(entry, masked=masked) for entry in entries]


def _record_filter(*, object_type: str, object_id: str) -> Q:
    own = Q()
    named = AuditSubject.objects.all()
    if object_type:
        own &= Q(object_type=object_type)
        named = named.filter(object_type=object_type)
    if object_id:
        own &= Q(object_id=object_id)
        named = named.filter(object_id=object_id)
    if not object_id:
        return own
    return own | Q(seq__in=named.values("entry_id"))


def _line(entry: AuditEntry, *, masked: bool) -> AuditLine:
    data = json.loads(entry.canonical)
    before, after = data.get("before"), data.get("after")
    summary = entry.summary
    if masked:
        before, after = mask_personal_numbers(before), mask_personal_numbers(after)
        # Summaries should carry no numbers; this catches one that does.
        summary = redact(summary)
    return AuditLine(
        seq=entry.seq,
        at=entry.at,
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_ids=tuple(data.get("object_ids") or ()),
        summary=summary,
        changes=_changes(before, after),
        masked=masked,
    )


def _changes(before: Any, after: Any) -> tuple[FieldChange, ...]:
    if before is None and after is None:
        return ()
    if isinstance(before, Mapping | None) and isinstance(after, Mapping | None):
        old, new = before or {}, after or {}
        return tuple(FieldChange(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new)))
    return (FieldChange("", before, after),)
