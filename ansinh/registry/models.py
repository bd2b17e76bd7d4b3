"""The beneficiary registry. The foundation holds the person and their commune; the registry
issue extends it with households, benefits, dates of birth and ID checks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Commune
from ansinh.lib.text import fold, nfc, vietnamese_sort_key


class Person(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    full_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, editable=False, default="")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="people", verbose_name=_("commune"))
    citizen_id = models.CharField(_("ID number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        indexes = [models.Index(fields=["commune", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = nfc(self.full_name)
        self.full_name_folded = fold(self.full_name)
        self.sort_key = vietnamese_sort_key(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
