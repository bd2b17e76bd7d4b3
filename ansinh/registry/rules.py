"""The monthly amount a benefit should have under the dated allowance rules.

`AllowanceRules.load()` reads the whole (small) rule tables once, so an import can price 500,000 rows
without a query per row.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ansinh.registry.models import AllowanceLevel, Coefficient, Subgroup


@dataclass
class AllowanceRules:
    # category -> sorted [(valid_from, amount)]; subgroup code -> sorted [(valid_from, coefficient)]
    levels: dict[str, list[tuple[date, int]]] = field(default_factory=dict)
    coefficients: dict[str, list[tuple[date, Decimal]]] = field(default_factory=dict)
    subgroup_category: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> AllowanceRules:
        rules = cls()
        for level in AllowanceLevel.objects.order_by("valid_from"):
            rules.levels.setdefault(level.category, []).append((level.valid_from, level.amount))
        for coefficient in Coefficient.objects.select_related("subgroup").order_by("valid_from"):
            rules.coefficients.setdefault(coefficient.subgroup.code, []).append(
                (coefficient.valid_from, coefficient.value)
            )
        rules.subgroup_category = dict(Subgroup.objects.values_list("code", "category"))
        return rules

    @staticmethod
    def _at(series: list[tuple[date, object]], on: date) -> object | None:
        index = bisect.bisect_right([start for start, _ in series], on) - 1
        return series[index][1] if index >= 0 else None

    def coefficient(self, subgroup: str, on: date) -> Decimal | None:
        value = self._at(self.coefficients.get(subgroup, []), on)  # type: ignore[arg-type]
        return value if isinstance(value, Decimal) else None

    def monthly_amount(self, *, category: str, subgroup: str | None, on: date) -> int | None:
        """The rule's amount in VND, or None when the rules say nothing for this case (no check then)."""
        level = self._at(self.levels.get(category, []), on)  # type: ignore[arg-type]
        if not isinstance(level, int):
            return None
        if subgroup is None:
            # Categories priced per sub-group have no single amount without one.
            return None if category in set(self.subgroup_category.values()) else level
        coefficient = self.coefficient(subgroup, on)
        if coefficient is None:
            return None
        return int((Decimal(level) * coefficient).quantize(Decimal(1), rounding=ROUND_HALF_UP))
