"""Campaigns (area, period, steps with owners, deadlines and targets) and the figures behind dashboards.

`CommuneFigure` holds the current value of every indicator per commune. It is kept correct by
database triggers on the source tables (see `ansinh.campaigns.freshness`): each change writes the
commune it touches to `StaleCommune` in the writer's own transaction, and a read first recomputes
the communes listed there. `DailySnapshot` copies the figures once a day, for trends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.roles import RoleSlug
from ansinh.geo.models import Commune, Province


class Measure(models.TextChoices):
    """What a step's progress is computed from (see `ansinh.campaigns.measures`)."""

    LISTS_HANDED_OVER = "lists_handed_over", _("lists classified and handed over for matching")
    MATCHED_CLEANED = "matched_cleaned", _("matched and cleaned")
    VISITED = "visited", _("worklist visited")
    CLASSIFIED = "classified", _("classified by type")
    ACCOUNTS_UPDATED = "accounts_updated", _("accounts updated and lists handed to the paying office")
    PAID = "paid", _("paid")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    preset = models.CharField(_("preset"), max_length=40, blank=True)
    # No province: the whole nation.
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.TextField(_("title"))
    owner_role = models.CharField(
        _("responsible role"), max_length=40, choices=[(s.value, s.value) for s in RoleSlug], blank=True
    )
    owner_label = models.CharField(_("responsible (as written in the plan)"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices, blank=True)
    target_percent = models.PositiveSmallIntegerField(_("target (%)"), default=100)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("step")
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="campaign_step_order_once")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title[:60]}"


class CommuneFigure(models.Model):
    """The current value of one indicator's dimension in one commune (zeros are not stored)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=40)
    dimension = models.CharField(max_length=60)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "indicator", "dimension"], name="commune_figure_once")
        ]


class StaleCommune(models.Model):
    """A commune whose figures a change made stale; written by triggers, consumed by the refresh.

    Append-only with no unique key, so that writers never wait on each other for a row lock.
    """

    id = models.BigAutoField(primary_key=True)
    commune_id = models.BigIntegerField(db_index=True)


class DailySnapshot(models.Model):
    day = models.DateField()
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=40)
    dimension = models.CharField(max_length=60)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "commune", "indicator", "dimension"], name="daily_snapshot_once")
        ]
        indexes = [models.Index(fields=["indicator", "commune", "day"])]
