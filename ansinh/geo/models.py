"""Administrative units: the current two levels (province, commune) and the pre-2025 units.

Rows are keyed on internal ids; the official code is an attribute that a corrected official list
may change without moving anything that points at the unit.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone (xã / phường / đặc khu) since 1 July 2025."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        WARD = "ward", _("ward")
        SPECIAL_ZONE = "special_zone", _("special zone")

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The unit's key in the vietnamadminunits data: it survives a code corrected by the official
    # list, so reloading the package finds the same row instead of the one now holding its old code.
    package_key = models.CharField(max_length=100, blank=True, db_index=True)
    # Code and name were confirmed by an official list; reloading the package leaves them alone.
    official = models.BooleanField(default=False)

    class Meta:
        ordering = ["province__code", "code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


class LegacyUnit(models.Model):
    """A pre-2025 commune (with its district and province) and what it became.

    `new_commune` is set when the whole old commune went into one new commune. An old commune
    that was split has `is_split` set and its possible successors in `candidates`: a person
    chooses, the system never guesses.
    """

    province_code = models.CharField(max_length=8)
    province_name = models.CharField(max_length=100)
    district_code = models.CharField(max_length=8)
    district_name = models.CharField(max_length=100)
    # Empty for the five island districts that had no communes; the row then stands for the district.
    code = models.CharField(_("code"), max_length=8, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    new_commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors"
    )
    is_split = models.BooleanField(default=False)
    candidates = models.ManyToManyField(Commune, blank=True, related_name="split_predecessors")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="geo_legacyunit_code_unique"),
            models.UniqueConstraint(
                fields=["district_code"], condition=Q(code=""), name="geo_legacyunit_district_without_code_unique"
            ),
        ]
        verbose_name = _("pre-2025 unit")
        verbose_name_plural = _("pre-2025 units")

    def __str__(self) -> str:
        return f"{self.name}, {self.district_name}, {self.province_name}"
