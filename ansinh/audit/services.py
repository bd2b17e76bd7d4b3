"""Writing the audit trail.

Domain services call `audit_record` once, at the end of their own transaction, with every entry the
change needs (one per changed record, or one naming all the people a page showed). It locks the head
row, so writers queue there and the chain's order is the order of commits; calling it last keeps
that lock short, since it is held until the caller's transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from ansinh.audit.chain import CANONICAL_VERSION, canonical_text, chain_hash, jsonable
from ansinh.audit.models import GENESIS_HASH, HEAD_ID, AuditEntry, AuditHead, AuditSubject


class AuditError(Exception):
    """The audit trail could not be written (called outside a transaction, or the head row is damaged)."""


_LIMITS = {"action": 40, "object_type": 100, "object_id": 64, "object_ids": 64, "summary": 500}


@dataclass(frozen=True)
class AuditEvent:
    """One thing to record: an action on one record (`object_id`) or on several (`object_ids`).

    `before` and `after` hold field values (for an update, only the changed ones: see `diff_fields`);
    `commune_id` is the commune the record belongs to, which lets area officers list the entry.
    """

    action: str
    object_type: str
    object_id: str | int = ""
    object_ids: Sequence[str | int] = ()
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    summary: str = ""
    commune_id: int | None = None

    def __post_init__(self) -> None:
        if not self.action or not self.object_type:
            raise ValueError("an audit event needs an action and an object type")
        object.__setattr__(self, "object_id", "" if self.object_id is None else str(self.object_id))
        object.__setattr__(self, "object_ids", tuple(str(item) for item in self.object_ids))
        if self.object_id and self.object_ids:
            raise ValueError("give object_id or object_ids, not both")
        # The column widths, checked here so that SQLite (which does not enforce them) fails like PostgreSQL.
        for name, limit in _LIMITS.items():
            texts = self.object_ids if name == "object_ids" else [getattr(self, name)]
            if any(len(str(text)) > limit for text in texts):
                raise ValueError(f"audit event {name} is longer than {limit} characters")

    @classmethod
    def about(
        cls,
        instance: Model,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        summary: str = "",
        commune_id: int | None = None,
    ) -> AuditEvent:
        """An event on one model instance; its commune is taken from `instance.commune_id` if it has one."""
        object_type, object_id = object_ref(instance)
        if commune_id is None:
            found = getattr(instance, "commune_id", None)
            commune_id = found if isinstance(found, int) else None
        return cls(
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            summary=summary,
            commune_id=commune_id,
        )


@dataclass
class _Prepared:
    event: AuditEvent
    before: Any
    after: Any
    subjects: tuple[str, ...] = field(default=())


def object_type_of(model: type[Model] | Model) -> str:
    """The object type written in entries: "app_label.model_name", e.g. "registry.person"."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def object_ref(instance: Model) -> tuple[str, str]:
    return object_type_of(instance), str(instance.pk)


def record_values(
    instance: Model, *, fields: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """The instance's concrete field values by field name (a foreign key gives the related id)."""
    wanted = set(fields) if fields is not None else None
    skipped = set(exclude)
    return {
        f.name: f.value_from_object(instance)
        for f in instance._meta.concrete_fields
        if (wanted is None or f.name in wanted) and f.name not in skipped
    }


def diff_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value changed; a field missing on one side counts as None."""
    changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after.get(key) for key in changed}


def audit_record(*, actor: AbstractBaseUser | AnonymousUser | None, entries: Sequence[AuditEvent]) -> list[AuditEntry]:
    """Append entries to the chain inside the caller's transaction; call it last in that transaction.

    Steps: turn the values into plain JSON data (before taking the lock, so a bad value fails early),
    lock the head row, number and hash the entries from the head, insert them in bulk, move the head.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditError("audit_record must run inside transaction.atomic(), in the same transaction as the change")
    if not entries:
        return []
    actor_id, actor_username = _actor(actor)
    prepared = [_Prepared(event, jsonable(event.before), jsonable(event.after)) for event in entries]

    head = _lock_head()
    at = timezone.now()
    seq, prev = head.count, head.last_hash
    rows: list[AuditEntry] = []
    subjects: list[tuple[int, str, str]] = []
    for item in prepared:
        event = item.event
        seq += 1
        canonical = canonical_text(
            {
                "v": CANONICAL_VERSION,
                "seq": seq,
                "at": at,
                "actor": actor_id,
                "actor_username": actor_username,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "object_ids": list(event.object_ids),
                "commune": event.commune_id,
                "summary": event.summary,
                "before": item.before,
                "after": item.after,
            }
        )
        digest = chain_hash(prev, canonical)
        rows.append(
            AuditEntry(
                seq=seq,
                at=at,
                actor_id=actor_id,
                actor_username=actor_username,
                action=event.action,
                object_type=event.object_type,
                object_id=str(event.object_id),
                commune_id=event.commune_id,
                summary=event.summary,
                canonical=canonical,
                prev_hash=prev,
                hash=digest,
            )
        )
        subjects.extend((seq, event.object_type, str(object_id)) for object_id in event.object_ids)
        prev = digest
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    _insert_subjects(subjects)
    AuditHead.objects.filter(pk=HEAD_ID).update(count=seq, last_hash=prev, updated_at=at)
    return rows


def _insert_subjects(subjects: list[tuple[int, str, str]]) -> None:
    """The records entries name, straight to the driver: an import names hundreds of thousands, and
    building a model object for each would cost more than the import's own writes."""
    if not subjects:
        return
    quote = connection.ops.quote_name
    column = {f.name: f.column for f in AuditSubject._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in ("entry", "object_type", "object_id"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(AuditSubject._meta.db_table)} ({columns}) VALUES (%s, %s, %s)",  # noqa: S608
            subjects,
        )


def _actor(actor: AbstractBaseUser | AnonymousUser | None) -> tuple[int | None, str]:
    if actor is None or not actor.is_authenticated:
        return None, ""
    return actor.pk, actor.get_username()


def _lock_head() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(pk=HEAD_ID)
    except AuditHead.DoesNotExist:
        pass
    if AuditEntry.objects.exists():
        raise AuditError("the audit head row is missing while entries exist; run `ansinh audit verify`")
    # A concurrent first writer's insert makes this one wait for its commit, then do nothing.
    AuditHead.objects.bulk_create([AuditHead(pk=HEAD_ID, count=0, last_hash=GENESIS_HASH)], ignore_conflicts=True)
    return AuditHead.objects.select_for_update().get(pk=HEAD_ID)
