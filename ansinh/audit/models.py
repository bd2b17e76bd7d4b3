"""The audit trail: append-only entries chained by hash, and the head row that orders them.

Each entry stores the exact text it was hashed over (`canonical`); `hash` is
sha256(prev_hash + "\\n" + canonical). The head row holds the entry count and the last hash, so a
deleted tail shows as a mismatch, and locking it orders the chain by commit.

Entries are written only by `ansinh.audit.services.audit_record` (bulk inserts); the models and,
in the database, triggers refuse to change or delete them.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
HEAD_ID = 1


class AuditImmutableError(Exception):
    """Raised on an attempt to change or delete an audit entry through the ORM."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A user who has acted stays (deactivate, don't delete): the entry names them.
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("record type"), max_length=100)
    # Empty when the entry names several records: they are in AuditSubject.
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    # The commune the record belongs to, when there is one: lets area officers list their area's entries.
    commune = models.ForeignKey(
        "geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    canonical = models.TextField(editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects: ClassVar[models.Manager[AuditEntry]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_entry_object"),
            models.Index(fields=["actor_username", "seq"], name="audit_entry_actor"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise AuditImmutableError("audit entries are written only by ansinh.audit.services.audit_record")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit entries cannot be deleted")


class AuditSubject(models.Model):
    """One of several records an entry names (a list page or an export), so each is queryable."""

    entry = models.ForeignKey(AuditEntry, to_field="seq", on_delete=models.PROTECT, related_name="subjects")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)

    objects: ClassVar[models.Manager[AuditSubject]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_subject_object")]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise AuditImmutableError("audit subjects are written only by ansinh.audit.services.audit_record")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit subjects cannot be deleted")


class AuditHead(models.Model):
    """The single row (id 1) holding the entry count and the last hash; its lock orders writers."""

    count = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.count} entries"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("the audit head cannot be deleted")
