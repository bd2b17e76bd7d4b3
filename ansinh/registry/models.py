"""The beneficiary registry: people, households, benefits, and the dated rules that price a benefit.

A birth date may be known to the year, the month or the day; it is held as three columns so that a
year-only date is never mistaken for 1 January.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import LabelledMixin
from ansinh.geo.models import Commune
from ansinh.lib.text import fold, nfc, vietnamese_sort_key


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Category(models.TextChoices):
    SOCIAL_PROTECTION = "social_protection", _("social protection")
    SOCIAL_PENSION = "social_pension", _("social pension")
    MERITORIOUS = "meritorious", _("meritorious people")
    POOR_HOUSEHOLD = "poor_household", _("poor household")
    NEAR_POOR_HOUSEHOLD = "near_poor_household", _("near-poor household")
    OTHER = "other", _("other")


class Household(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="households")
    hamlet = models.CharField(_("hamlet / street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=50, blank=True)
    head_name = models.CharField(_("head of household"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")


class Person(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    full_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, editable=False, default="")
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    citizen_id = models.CharField(_("ID number"), max_length=12, blank=True, db_index=True)
    old_id = models.CharField(_("old ID number (9 digits)"), max_length=9, blank=True, db_index=True)
    id_as_written = models.CharField(_("ID as written on the list"), max_length=40, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="people", verbose_name=_("commune"))
    hamlet = models.CharField(_("hamlet / street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    checks = models.JSONField(_("open checks"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        indexes = [
            models.Index(fields=["commune", "sort_key"]),
            models.Index(fields=["full_name_folded", "birth_year"]),
            # The list in Vietnamese order, read in index order and stopped at a page (see selectors.py);
            # commune and folded name ride along so that the walk needs no table row.
            models.Index(fields=["sort_key", "id", "commune", "full_name_folded"], name="person_sort_walk"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        for field, value in self.name_fields(self.full_name).items():
            setattr(self, field, value)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def name_fields(full_name: str) -> dict[str, str]:
        """The stored name and the columns derived from it (bulk writes skip save(), so they call this)."""
        name = nfc(full_name)
        return {"full_name": name, "full_name_folded": fold(name), "sort_key": vietnamese_sort_key(name)}

    @property
    def birth_date_display(self) -> str:
        if self.birth_year is None:
            return ""
        if self.birth_month is None:
            return f"{self.birth_year:04d}"
        if self.birth_day is None:
            return f"{self.birth_month:02d}/{self.birth_year:04d}"
        return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year:04d}"


class Subgroup(LabelledMixin):
    """A sub-group of a category (elderly 80+ without pension, severe disability…)."""

    code = models.SlugField(max_length=60, unique=True)
    category = models.CharField(max_length=30, choices=Category.choices)

    class Meta:
        ordering = ["category", "code"]


class AllowanceLevel(models.Model):
    """The standard (base) monthly level of a category from a date: 360,000 then 500,000 VND for social protection."""

    category = models.CharField(max_length=30, choices=Category.choices)
    valid_from = models.DateField()
    amount = models.PositiveIntegerField(help_text="VND per month")
    legal_basis = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["category", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["category", "valid_from"], name="allowance_level_once")]


class Coefficient(models.Model):
    """The coefficient of a sub-group from a date; the monthly amount is the level times the coefficient."""

    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="coefficients")
    valid_from = models.DateField()
    value = models.DecimalField(max_digits=4, decimal_places=2)
    confirmed = models.BooleanField(default=True, help_text="False where the legal text is not yet confirmed")

    class Meta:
        ordering = ["subgroup", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["subgroup", "valid_from"], name="coefficient_once")]


class Benefit(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="benefits")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    subgroup = models.ForeignKey(Subgroup, null=True, blank=True, on_delete=models.PROTECT, related_name="benefits")
    coefficient = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    monthly_amount = models.PositiveIntegerField(_("monthly amount (VND)"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("decision issued by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    source = models.CharField(_("source list"), max_length=300, blank=True)
    source_batch_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("benefit")
        indexes = [models.Index(fields=["category", "status"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.person}"
