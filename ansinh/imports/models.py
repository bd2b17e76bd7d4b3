"""Staged imports: a file becomes a batch of rows; valid rows are committed, invalid ones stay.

Nothing is ever dropped: every data row of the file has an `ImportRow`, with its parsed values, its
cells as written and its problems, whether it was committed or not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Commune
from ansinh.registry.models import Benefit, Category, Person


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        STAGED = "staged", _("staged, not committed")
        COMMITTED = "committed", _("committed")
        UNREADABLE = "unreadable", _("could not be read")

    file_name = models.CharField(_("file"), max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    default_commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The communes the batch's rows fall in: how a batch is scoped to a user's area.
    communes = models.ManyToManyField(Commune, blank=True, related_name="import_batches")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STAGED)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    columns = models.JSONField(default=list)  # [{index, letter, header, field}]
    file_problems = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")

    def __str__(self) -> str:
        return self.file_name


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("valid, not committed yet")
        INVALID = "invalid", _("invalid")
        NEW = "new", _("new")
        CHANGED = "changed", _("changed (proposed)")
        UNCHANGED = "unchanged", _("unchanged")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    data_row = models.PositiveIntegerField()
    sheet_row = models.PositiveIntegerField()
    values = models.JSONField(default=dict)  # parsed values; dates as ISO text
    raw = models.JSONField(default=dict)  # every cell as written, unknown columns included
    problems = models.JSONField(default=list)  # [{level, code, column, field, message}]
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    benefit = models.ForeignKey(Benefit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["batch", "data_row"]
        constraints = [models.UniqueConstraint(fields=["batch", "data_row"], name="import_row_once")]
        indexes = [models.Index(fields=["batch", "outcome"])]

    @property
    def has_error(self) -> bool:
        return any(p["level"] == "error" for p in self.problems)

    @property
    def has_warning(self) -> bool:
        return any(p["level"] == "warning" for p in self.problems)


class ProposedChange(models.Model):
    """A difference between a list and the registry, shown for review; never applied silently."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proposed_changes")
    benefit = models.ForeignKey(Benefit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    current_value = models.CharField(max_length=300, blank=True)
    proposed_value = models.CharField(max_length=300, blank=True)
    row = models.ForeignKey(ImportRow, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "field", "status"])]
