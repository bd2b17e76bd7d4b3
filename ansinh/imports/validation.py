"""The rules of a row that need the database: commune, category and the allowance rule.

The reader (plain Python) has already parsed the row and found what is wrong with reading it; this
adds what only the registry knows, and turns the row into what a batch stores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from ansinh.geo.models import Commune
from ansinh.geo.selectors import Resolution, commune_search, legacy_resolve
from ansinh.lib.text import fold
from ansinh.reader import DataRow, PartialDate, Problem
from ansinh.registry.models import Category, Subgroup
from ansinh.registry.rules import AllowanceRules

# Folded words a list may use for a category, beside the slugs themselves.
CATEGORY_WORDS = {
    "bao tro xa hoi": Category.SOCIAL_PROTECTION,
    "btxh": Category.SOCIAL_PROTECTION,
    "tro cap xa hoi": Category.SOCIAL_PROTECTION,
    "huu tri xa hoi": Category.SOCIAL_PENSION,
    "tro cap huu tri xa hoi": Category.SOCIAL_PENSION,
    "nguoi co cong": Category.MERITORIOUS,
    "ncc": Category.MERITORIOUS,
    "ho ngheo": Category.POOR_HOUSEHOLD,
    "ho can ngheo": Category.NEAR_POOR_HOUSEHOLD,
    "khac": Category.OTHER,
    **{fold(c.value): c for c in Category},
    **{fold(c.value.replace("_", " ")): c for c in Category},
}


def problem(level: str, kind: str, message: str, *, column: str = "", field: str = "", **params: Any) -> dict[str, Any]:
    """A problem as a batch stores it; `message` is the English msgid, rendered with `params` when shown."""
    return {"level": level, "code": kind, "column": column, "field": field, "message": message, "params": params}


def from_reader(found: Problem) -> dict[str, Any]:
    return {
        "level": found.level,
        "code": found.code,
        "column": found.column,
        "field": found.field or "",
        "message": found.message,
        "params": {k: v if isinstance(v, str | int | float) or v is None else str(v) for k, v in found.params.items()},
    }


@dataclass
class StagedRow:
    data_row: int
    sheet_row: int
    values: dict[str, Any]
    raw: dict[str, str]
    problems: list[dict[str, Any]]
    commune_id: int | None

    @property
    def valid(self) -> bool:
        return not any(p["level"] == "error" for p in self.problems)


def _json(value: object) -> object:
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | str | float) or value is None:
        return value
    return str(value)


@dataclass
class RowValidator:
    category: str
    default_commune: Commune | None
    columns: dict[str, str]  # field -> "Header (C)" for naming columns in problems
    rules: AllowanceRules = field(default_factory=AllowanceRules.load)
    today: dt.date = field(default_factory=dt.date.today)
    _communes: dict[tuple[str, str], tuple[int | None, dict[str, Any] | None]] = field(default_factory=dict)
    _subgroups: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code, vi, en in Subgroup.objects.values_list("code", "label_vi", "label_en"):
            for text in (code, vi, en):
                self._subgroups[fold(text)] = code

    def stage(self, row: DataRow) -> StagedRow:
        problems = [from_reader(p) for p in row.problems]
        values = {key: _json(value) for key, value in row.values.items()}
        citizen_id = values.pop("citizen_id", None)
        if isinstance(citizen_id, str) and len(citizen_id) == 9:
            values["old_id"] = citizen_id
        elif isinstance(citizen_id, str):
            values["citizen_id"] = citizen_id
        commune_id = self._commune(values, problems)
        self._category(values, problems)
        self._subgroup(values)
        self._amount_rule(values, problems)
        return StagedRow(row.data_row, row.sheet_row, values, row.raw, problems, commune_id)

    def _column(self, name: str) -> str:
        return self.columns.get(name, "")

    def _commune(self, values: dict[str, Any], problems: list[dict[str, Any]]) -> int | None:
        code = str(values.get("commune_code") or "").strip()
        name = str(values.get("commune_name") or "").strip()
        if not code and not name:
            if self.default_commune is None:
                problems.append(
                    problem(
                        "error",
                        "commune_missing",
                        gettext_noop("The commune is missing and no default commune was given."),
                        column=self._column("commune_code") or self._column("commune_name"),
                        field="commune_code",
                    )
                )
                return None
            return self.default_commune.pk
        key = (code, fold(name))
        if key not in self._communes:
            self._communes[key] = self._resolve(code, name)
        commune_id, found = self._communes[key]
        if found is not None:
            problems.append({**found, "column": self._column("commune_code") or self._column("commune_name")})
        return commune_id

    def _resolve(self, code: str, name: str) -> tuple[int | None, dict[str, Any] | None]:
        if not code:
            province = self.default_commune.province if self.default_commune else None
            matches = [
                c
                for c in commune_search(query=name, province=province, limit=5)
                if fold(c.short_name) == fold(name) or fold(c.name) == fold(name)
            ]
            if len(matches) == 1:
                return matches[0].pk, None
            return None, problem(
                "error",
                "commune_unknown",
                gettext_noop("Commune %(name)s is unknown or ambiguous without a code."),
                field="commune_name",
                name=name,
            )
        found = legacy_resolve(code=code, name=name or None)
        if found.status == Resolution.CURRENT and found.commune is not None:
            return found.commune.pk, None
        if found.status == Resolution.CONVERTED and found.commune is not None:
            return found.commune.pk, problem(
                "warning",
                "commune_converted",
                gettext_noop("Pre-2025 commune %(old)s (%(code)s) converted to %(new)s (%(new_code)s)."),
                field="commune_code",
                old=name,
                code=code,
                new=found.commune.name,
                new_code=found.commune.code,
            )
        if found.status == Resolution.SPLIT:
            return None, problem(
                "error",
                "commune_split",
                gettext_noop(
                    "Pre-2025 commune %(old)s (%(code)s) was split; choose its new commune among %(candidates)s."
                ),
                field="commune_code",
                old=name or code,
                code=code,
                candidates=", ".join(f"{c.name} ({c.code})" for c in found.candidates),
            )
        return None, problem(
            "error",
            "commune_unknown",
            gettext_noop("Commune code %(code)s is unknown."),
            field="commune_code",
            code=code,
        )

    def _category(self, values: dict[str, Any], problems: list[dict[str, Any]]) -> None:
        text = values.get("category")
        if not text:
            values["category"] = self.category
            return
        category = CATEGORY_WORDS.get(fold(str(text)))
        if category is None:
            problems.append(
                problem(
                    "error",
                    "category_unknown",
                    gettext_noop("Category %(text)s is unknown."),
                    column=self._column("category"),
                    field="category",
                    text=str(text),
                )
            )
            return
        values["category"] = category.value

    def _subgroup(self, values: dict[str, Any]) -> None:
        text = values.get("subgroup")
        if text:
            code = self._subgroups.get(fold(str(text)))
            if code:
                values["subgroup_code"] = code

    def _amount_rule(self, values: dict[str, Any], problems: list[dict[str, Any]]) -> None:
        amount = values.get("amount")
        if not isinstance(amount, int) or not values.get("category"):
            return
        start = values.get("start_date")
        on = PartialDate.from_iso(start).as_date() if isinstance(start, str) and len(start) == 10 else None
        expected = self.rules.monthly_amount(
            category=values["category"], subgroup=values.get("subgroup_code"), on=on or self.today
        )
        if expected is not None and expected != amount:
            problems.append(
                problem(
                    "warning",
                    "amount_rule",
                    gettext_noop("The amount %(amount)s differs from the rule's %(expected)s."),
                    column=self._column("amount"),
                    field="amount",
                    amount=amount,
                    expected=expected,
                )
            )
