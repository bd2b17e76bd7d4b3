"""Matching runs and their results, waiting for an officer's decision in the review queue.

A result belongs to one person of our registry (the list row that was matched); the registry snapshot's
values sit beside it so that the queue can show both sides without the snapshot file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.imports.models import ImportBatch
from ansinh.registry.models import Person


class MatchStatus(models.TextChoices):
    """The engine's statuses (`ansinh.matching.STATUSES`)."""

    VERIFIED = "verified", _("verified")
    CORRECTED = "corrected", _("corrected")
    DECEASED = "deceased", _("deceased")
    AMBIGUOUS = "ambiguous", _("ambiguous")
    NOT_FOUND = "not_found", _("not found")
    INVALID = "invalid", _("invalid")


# The statuses an officer must decide on; the others need nothing.
REVIEW_STATUSES = (MatchStatus.CORRECTED, MatchStatus.AMBIGUOUS, MatchStatus.DECEASED, MatchStatus.NOT_FOUND)


class MatchRun(models.Model):
    class Status(models.TextChoices):
        DONE = "done", _("done")

    class Scope(models.TextChoices):
        BATCH = "batch", _("one committed batch")
        AREA = "area", _("everyone of an area")

    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    scope = models.CharField(_("who was matched"), max_length=8, choices=Scope.choices, default=Scope.BATCH)
    area = models.CharField(_("area"), max_length=200, blank=True)
    population_file = models.CharField(_("registry snapshot"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DONE)
    counts = models.JSONField(_("results per status"), default=dict)
    # How many results are new, changed or unchanged against each person's previous result.
    changes = models.JSONField(_("results per change"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching run")

    def __str__(self) -> str:
        return f"{self.population_file} #{self.pk}"


class Change(models.TextChoices):
    """A result against the same person's result in an earlier run: re-matching reports only what changed."""

    NEW = "new", _("new")
    CHANGED = "changed", _("changed")
    UNCHANGED = "unchanged", _("unchanged")


class Decision(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    NONE = "none", _("nothing to decide")
    # A newer run's result for the same person took its place in the queue.
    SUPERSEDED = "superseded", _("replaced by a newer run")


class DuplicateCase(models.Model):
    """People of our registry that the matching found to be one person (a duplicate group), possibly on
    different lists and categories: one review-queue item, decided as a whole."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="duplicate_cases")
    group = models.CharField(_("duplicate group"), max_length=40)
    citizen_id = models.CharField(_("ID number in the population registry"), max_length=12, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "group"]
        verbose_name = _("duplicate case")
        constraints = [models.UniqueConstraint(fields=["run", "group"], name="duplicate_case_once")]

    def __str__(self) -> str:
        return f"{self.group} #{self.pk}"


class MatchResult(models.Model):
    Decision = Decision

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source_row = models.PositiveIntegerField()
    status = models.CharField(_("match status"), max_length=12, choices=MatchStatus.choices)
    citizen_id = models.CharField(_("ID number in the population registry"), max_length=12, blank=True)
    probability = models.FloatField(_("match probability"), default=0.0)
    differences = models.JSONField(_("fields that differ"), default=list)
    explanation = models.TextField(_("explanation"), blank=True)
    registry = models.JSONField(_("population registry values"), default=dict)
    duplicate_group = models.CharField(_("duplicate group"), max_length=40, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, default=Decision.NONE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    change = models.CharField(_("change since the previous run"), max_length=10, choices=Change.choices,
                              default=Change.NEW)  # fmt: skip
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    duplicate_case = models.ForeignKey(
        DuplicateCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta:
        ordering = ["run", "source_row"]
        verbose_name = _("matching result")
        constraints = [models.UniqueConstraint(fields=["run", "source_row"], name="match_result_once")]
        indexes = [models.Index(fields=["status", "decision"])]


class RegistryReport(models.Model):
    """A correction to report back to the population registry: a value the officer found wrong there.

    Written when a death is reversed in review (the person is alive): the registry's date of death is the
    value to correct. `reported_at` is set once it has gone out in an export.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    result = models.ForeignKey(MatchResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    citizen_id = models.CharField(_("ID number in the population registry"), max_length=12, blank=True)
    field = models.CharField(_("registry field"), max_length=40)
    registry_value = models.CharField(_("value in the population registry"), max_length=300, blank=True)
    correct_value = models.CharField(_("correct value"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correction to report to the population registry")

    def __str__(self) -> str:
        return f"{self.field} #{self.pk}"
