"""Measures: a share of one indicator figure over another, the unit of step progress and of the map."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.campaigns.models import Measure

FigureKey = tuple[str, str]  # (indicator, dimension)


@dataclass(frozen=True)
class MeasureDef:
    key: str
    label: str | Promise
    numerator: FigureKey
    denominator: FigureKey

    def share(self, figures: Mapping[FigureKey, int]) -> float | None:
        """Percent (0-100, one decimal), or None when there is nothing to count."""
        whole = figures.get(self.denominator, 0)
        if not whole:
            return None
        return round(min(100.0, 100.0 * figures.get(self.numerator, 0) / whole), 1)


PEOPLE = ("beneficiaries", "people")
ACTIVE = ("beneficiaries", "all")

MEASURES: dict[str, MeasureDef] = {
    m.key: m
    for m in (
        MeasureDef(Measure.LISTS_HANDED_OVER, Measure.LISTS_HANDED_OVER.label, ("matching", "handed_over"), PEOPLE),
        MeasureDef(Measure.MATCHED_CLEANED, Measure.MATCHED_CLEANED.label, ("matching", "cleaned"), PEOPLE),
        MeasureDef(Measure.VISITED, Measure.VISITED.label, ("visits", "visited"), ACTIVE),
        MeasureDef(Measure.CLASSIFIED, Measure.CLASSIFIED.label, ("classification", "any"), ACTIVE),
        MeasureDef(Measure.ACCOUNTS_UPDATED, Measure.ACCOUNTS_UPDATED.label, ("accounts", "any"), ACTIVE),
        MeasureDef("with_account", _("with an active account"), ("accounts", "with_account"), ACTIVE),
        MeasureDef(Measure.PAID, Measure.PAID.label, ("payments", "paid"), ("payments", "planned")),
        MeasureDef(
            "delivered",
            _("cash delivered at home"),
            ("home_deliveries", "delivered"),
            ("home_deliveries", "to_deliver"),
        ),
    )
}
