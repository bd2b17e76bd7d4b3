"""Reads of the geography: commune search, lookup by code, and reading a code from an old list.

Provinces and communes are public facts, not area data, so these selectors take no user: scoping
applies to the people and payments that point at a commune (ansinh.access.scoping).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Value, When

from ansinh.geo.models import Commune, LegacyUnit, Province
from ansinh.geo.names import PREFIX_KINDS, name_key
from ansinh.lib.text import fold

MAX_LIMIT = 100
CODE_LENGTH = 5


def _code(code: str) -> str:
    """A code as stored: spreadsheets drop leading zeros, so 103 is 00103."""
    code = code.strip()
    return code.zfill(CODE_LENGTH) if code.isdigit() else code


def commune_search(*, query: str, province: Province | None = None, limit: int = 20) -> list[Commune]:
    """Communes whose name contains every word of `query`, ignoring case and diacritics.

    A query of digits searches codes instead. Exact names (with or without the type prefix) come
    first, then names with a word starting with the query, then the rest.
    """
    folded = fold(query)
    limit = max(1, min(limit, MAX_LIMIT))
    if not folded:
        return []
    communes = Commune.objects.select_related("province")
    if province is not None:
        communes = communes.filter(province=province)
    if folded.isdigit():
        return list(communes.filter(code__startswith=folded).order_by("code")[:limit])
    for word in folded.split():
        communes = communes.filter(name_folded__contains=word)
    exact = [folded, *(f"{prefix} {folded}" for prefix in PREFIX_KINDS)]
    rank = Case(
        When(name_folded__in=exact, then=Value(0)),
        When(Q(name_folded__startswith=folded) | Q(name_folded__contains=f" {folded}"), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(communes.annotate(rank=rank).order_by("rank", "name_folded", "province__code")[:limit])


def commune_by_code(code: str) -> Commune | None:
    """The CURRENT commune with this code. Codes were reused in 2025; a bare code is never read as old."""
    return Commune.objects.select_related("province").filter(code=_code(code)).first()


class Resolution(enum.StrEnum):
    CURRENT = "current"  # the code (and name, if given) is a current commune
    CONVERTED = "converted"  # the name is the pre-2025 unit's: it went whole into `commune`
    SPLIT = "split"  # the pre-2025 unit was divided: a person chooses among `candidates`
    UNKNOWN = "unknown"  # neither the current nor the pre-2025 unit with this code has that name


@dataclass(frozen=True)
class LegacyResolution:
    status: Resolution
    commune: Commune | None = None
    candidates: list[Commune] = field(default_factory=list)
    # The pre-2025 unit the name pointed at. For CURRENT, set (with candidates) only when the same
    # code and name belonged to a pre-2025 unit that was split.
    legacy: LegacyUnit | None = None

    @property
    def needs_person(self) -> bool:
        return self.status in (Resolution.SPLIT, Resolution.UNKNOWN)


def _candidates(unit: LegacyUnit) -> list[Commune]:
    return list(unit.candidates.select_related("province").order_by("code"))


def _from_legacy(unit: LegacyUnit) -> LegacyResolution:
    if unit.is_split:
        return LegacyResolution(Resolution.SPLIT, candidates=_candidates(unit), legacy=unit)
    if unit.new_commune_id is None:
        return LegacyResolution(Resolution.UNKNOWN, legacy=unit)
    return LegacyResolution(Resolution.CONVERTED, commune=unit.new_commune, legacy=unit)


def legacy_resolve(*, code: str, name: str | None = None) -> LegacyResolution:
    """Read a (code, commune name) pair from a list that may predate the 2025 reform.

    The code is read as current unless the name beside it is the pre-2025 unit's and not the
    current one's. Without a name, a code that no current commune carries can only be old.
    Names compare folded, with or without "Phường", "Xã", "Thị trấn" or "Đặc khu".
    """
    code = _code(code)
    if not code:
        return LegacyResolution(Resolution.UNKNOWN)
    current = commune_by_code(code)
    unit = LegacyUnit.objects.select_related("new_commune__province").filter(code=code).first()
    wanted = name_key(name) if name and name.strip() else None
    if current is not None and (wanted is None or name_key(current.name) == wanted):
        if unit is not None and unit.is_split and wanted is not None and name_key(unit.name) == wanted:
            # Same code and name before and after, but the old unit was divided: an old list's
            # person may now live in another candidate. Current is the reading; the rest is a hint.
            return LegacyResolution(Resolution.CURRENT, commune=current, candidates=_candidates(unit), legacy=unit)
        return LegacyResolution(Resolution.CURRENT, commune=current)
    if unit is not None and (wanted is None or name_key(unit.name) == wanted):
        return _from_legacy(unit)
    return LegacyResolution(Resolution.UNKNOWN)
