"""Writes to the geography: load the package's units, reconcile current communes with an official list.

Both are set-wise (a few bulk statements, never a query per unit), run inside the caller's
transaction, and are safe to run twice: the second run finds every row as it should be.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction

from ansinh.geo.models import Commune, LegacyUnit, Province
from ansinh.geo.names import kind_from_name, name_key, split_prefix
from ansinh.geo.official import OfficialListError, OfficialRow
from ansinh.geo.package_data import PackageData, package_data_read
from ansinh.lib.text import fold, nfc

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)
BATCH = 500
WARD_TYPE_KINDS = {"Xã": Commune.Kind.COMMUNE, "Phường": Commune.Kind.WARD, "Đặc khu": Commune.Kind.SPECIAL_ZONE}
LEGACY_FIELDS = [
    "province_code",
    "province_name",
    "district_code",
    "district_name",
    "name",
    "name_folded",
    "latitude",
    "longitude",
    "new_commune",
    "is_split",
]


class GeographyError(Exception):
    """The data cannot be applied without breaking a rule (for example two communes with one code)."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    provinces: Counts = field(default_factory=Counts)
    communes: Counts = field(default_factory=Counts)
    legacy: Counts = field(default_factory=Counts)
    split: int = 0
    unlinked: int = 0  # pre-2025 units whose successor is missing (none with the package's data)

    def __str__(self) -> str:
        return (
            f"provinces: {self.provinces}; communes: {self.communes}; pre-2025 units: {self.legacy} "
            f"({self.split} split, {self.unlinked} without successor)"
        )


def _apply(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when something changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _codes_assign(model: type[Commune], changes: dict[int, str]) -> None:
    """Give rows new codes without ever holding one code twice, so swaps work under a unique index."""
    if not changes:
        return
    # Codes are digits; "~<id>" cannot clash with one and is gone before the transaction ends.
    model.objects.bulk_update([model(pk=pk, code=f"~{pk}") for pk in changes], ["code"], batch_size=BATCH)
    model.objects.bulk_update([model(pk=pk, code=code) for pk, code in changes.items()], ["code"], batch_size=BATCH)


def _check_unique_codes(codes: Iterable[tuple[str, str]]) -> None:
    """`codes` holds (code, label) pairs; fail naming the units that would share a code."""
    holders: dict[str, list[str]] = defaultdict(list)
    for code, label in codes:
        holders[code].append(label)
    clashes = [f"{code}: {', '.join(labels)}" for code, labels in holders.items() if len(labels) > 1]
    if clashes:
        raise GeographyError("these communes would share a code: " + "; ".join(sorted(clashes)[:20]))


def _load_provinces(data: PackageData, report: LoadReport) -> dict[str, int]:
    existing = {p.code: p for p in Province.objects.all()}
    to_create, to_update = [], []
    for pp in data.provinces:
        values = {
            "name": pp.name,
            "short_name": pp.short_name,
            "name_folded": fold(pp.name),
            "latitude": pp.latitude,
            "longitude": pp.longitude,
        }
        obj = existing.get(pp.code)
        if obj is None:
            to_create.append(Province(code=pp.code, **values))
        elif _apply(obj, values):
            to_update.append(obj)
        else:
            report.provinces.unchanged += 1
    Province.objects.bulk_update(to_update, ["name", "short_name", "name_folded", "latitude", "longitude"])
    Province.objects.bulk_create(to_create)
    report.provinces.created, report.provinces.updated = len(to_create), len(to_update)
    return dict(Province.objects.values_list("code", "pk"))


def _load_communes(data: PackageData, province_ids: dict[str, int], report: LoadReport) -> dict[str, int]:
    existing = list(Commune.objects.all())
    by_key = {c.package_key: c for c in existing if c.package_key}
    # Rows made before the package was loaded (by hand, by tests) are adopted through their code.
    unkeyed = {c.code: c for c in existing if not c.package_key}
    to_create: list[Commune] = []
    to_update: list[Commune] = []
    code_changes: dict[int, str] = {}
    for pc in data.communes:
        obj = by_key.get(pc.key) or unkeyed.pop(pc.code, None)
        values: dict[str, Any] = {
            "package_key": pc.key,
            "province_id": province_ids[pc.province_code],
            "latitude": pc.latitude,
            "longitude": pc.longitude,
        }
        if obj is None or not obj.official:
            # The name's own prefix wins over wardType: four units carry a wardType that
            # contradicts their name (Phường Việt Hòa is typed Xã, Xã Phong Điền is typed Phường).
            kind = kind_from_name(pc.name) or WARD_TYPE_KINDS[pc.ward_type]
            values |= {"name": pc.name, "short_name": pc.short_name, "name_folded": fold(pc.name), "kind": kind}
        if obj is None:
            to_create.append(Commune(code=pc.code, **values))
            continue
        changed = _apply(obj, values)
        if not obj.official and obj.code != pc.code:
            code_changes[obj.pk] = pc.code
            changed = True
        if changed:
            to_update.append(obj)
        else:
            report.communes.unchanged += 1
    _check_unique_codes(
        [(code_changes.get(c.pk, c.code), f"{c.name} (#{c.pk})") for c in existing]
        + [(c.code, c.name) for c in to_create]
    )
    fields = ["package_key", "province", "latitude", "longitude", "name", "short_name", "name_folded", "kind"]
    Commune.objects.bulk_update(to_update, fields, batch_size=BATCH)
    _codes_assign(Commune, code_changes)
    Commune.objects.bulk_create(to_create, batch_size=BATCH)
    report.communes.created, report.communes.updated = len(to_create), len(to_update)
    return dict(Commune.objects.exclude(package_key="").values_list("package_key", "pk"))


def _load_legacy(data: PackageData, commune_ids: dict[str, int], report: LoadReport) -> None:
    def key(code: str, district_code: str) -> str:
        return code or f"district:{district_code}"

    existing = {key(u.code, u.district_code): u for u in LegacyUnit.objects.all()}
    to_create: dict[str, LegacyUnit] = {}
    to_update: list[LegacyUnit] = []
    wanted_candidates: dict[str, list[int]] = {}
    for pu in data.legacy:
        successor_ids = [commune_ids[k] for k in pu.successors if k in commune_ids]
        if len(successor_ids) != len(pu.successors) or not successor_ids:
            report.unlinked += 1
        values = {
            "province_code": pu.province_code,
            "province_name": pu.province_name,
            "district_code": pu.district_code,
            "district_name": pu.district_name,
            "name": pu.name,
            "name_folded": fold(pu.name),
            "latitude": pu.latitude,
            "longitude": pu.longitude,
            "new_commune_id": None if pu.is_split or not successor_ids else successor_ids[0],
            "is_split": pu.is_split,
        }
        unit_key = key(pu.code, pu.district_code)
        if pu.is_split:
            report.split += 1
            wanted_candidates[unit_key] = successor_ids
        obj = existing.get(unit_key)
        if obj is None:
            to_create[unit_key] = LegacyUnit(code=pu.code, **values)
        elif _apply(obj, values):
            to_update.append(obj)
        else:
            report.legacy.unchanged += 1
    LegacyUnit.objects.bulk_update(to_update, LEGACY_FIELDS, batch_size=BATCH)
    LegacyUnit.objects.bulk_create(to_create.values(), batch_size=BATCH)
    report.legacy.created, report.legacy.updated = len(to_create), len(to_update)

    unit_ids = {key(c, d): pk for pk, c, d in LegacyUnit.objects.values_list("pk", "code", "district_code")}
    wanted = {(unit_ids[k], commune_id) for k, ids in wanted_candidates.items() for commune_id in ids}
    through = LegacyUnit.candidates.through
    present = {(u, c): pk for pk, u, c in through.objects.values_list("pk", "legacyunit_id", "commune_id")}
    stale = [pk for pair, pk in present.items() if pair not in wanted]
    through.objects.filter(pk__in=stale).delete()
    through.objects.bulk_create(
        [through(legacyunit_id=u, commune_id=c) for u, c in sorted(wanted - present.keys())], batch_size=BATCH
    )
    if report.unlinked:
        logger.warning("%d pre-2025 units have no successor in the package data", report.unlinked)


def geography_load_package(*, data: PackageData | None = None) -> LoadReport:
    """Load provinces, current communes and pre-2025 units from the `vietnamadminunits` data.

    Steps: provinces by code; communes by their package key (codes and names confirmed by an
    official list are kept); pre-2025 units by code with their successor or, when split, their
    candidates. One transaction; a second run changes nothing.
    """
    data = data or package_data_read()
    report = LoadReport()
    with transaction.atomic():
        province_ids = _load_provinces(data, report)
        commune_ids = _load_communes(data, province_ids, report)
        _load_legacy(data, commune_ids, report)
    return report


Pairs = list[tuple[OfficialRow, Commune]]


@dataclass
class ReconcileReport:
    rows: int = 0
    matched: int = 0
    codes_changed: list[tuple[str, str, str]] = field(default_factory=list)  # (old code, new code, name)
    names_changed: int = 0
    matched_by_code: list[OfficialRow] = field(default_factory=list)  # the name differed: renamed
    unmatched_rows: list[OfficialRow] = field(default_factory=list)
    absent: list[Commune] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"official list: {self.rows} rows, {self.matched} communes matched ({len(self.codes_changed)} codes "
            f"changed, {self.names_changed} names updated, {len(self.matched_by_code)} matched by code only); "
            f"{len(self.unmatched_rows)} rows match no commune; {len(self.absent)} communes absent from the list"
        )


def _province_key(text: str) -> str:
    folded = fold(text)
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _provinces_resolve(rows: list[OfficialRow]) -> dict[int, Province]:
    """Row number -> province; OfficialListError naming every row whose province is unknown."""
    lookup: dict[str, Province] = {}
    for province in Province.objects.all():
        lookup[f"code:{province.code}"] = province
        lookup[f"name:{_province_key(province.name)}"] = province
        lookup[f"name:{_province_key(province.short_name)}"] = province
    resolved: dict[int, Province] = {}
    problems = []
    for row in rows:
        value = row.province
        found = lookup.get(f"code:{value.zfill(2)}" if value.isdigit() else f"name:{_province_key(value)}")
        if found is None:
            problems.append(f"{row.where('province')}: no province {value!r} (give its code, e.g. 01, or its name)")
        else:
            resolved[row.row] = found
    if problems:
        raise OfficialListError(problems)
    return resolved


def _pair(rows: list[OfficialRow], communes: list[Commune]) -> tuple[Pairs, list[OfficialRow]]:
    """Pair rows and communes of one province and name key; ties break on exact name, then code."""
    pairs: Pairs = []
    left_rows, left = list(rows), list(communes)
    tests = (
        lambda r, c: c.name == r.name,
        lambda r, c: c.name_folded == fold(r.name),
        lambda r, c: c.code == r.code,
    )
    for same in tests:
        for row in list(left_rows):
            hits = [c for c in left if same(row, c)]
            if len(hits) == 1:
                pairs.append((row, hits[0]))
                left_rows.remove(row)
                left.remove(hits[0])
    if len(left_rows) == 1 and len(left) == 1:  # one spelling variant left on each side (Hoà / Hòa)
        pairs.append((left_rows[0], left[0]))
        left_rows = []
    return pairs, left_rows


def _match(rows: list[OfficialRow], communes: list[Commune], report: ReconcileReport) -> Pairs:
    """Pairs by province and name, then by code within the province; the rest goes to the report."""
    provinces = _provinces_resolve(rows)
    by_name: dict[tuple[int, str], list[Commune]] = defaultdict(list)
    for commune in communes:
        by_name[(commune.province_id, name_key(commune.name))].append(commune)
    rows_by_name: dict[tuple[int, str], list[OfficialRow]] = defaultdict(list)
    for row in rows:
        rows_by_name[(provinces[row.row].pk, name_key(row.name))].append(row)

    pairs: Pairs = []
    unmatched: list[OfficialRow] = []
    for group_key, group_rows in rows_by_name.items():
        found, left = _pair(group_rows, by_name.get(group_key, []))
        pairs += found
        unmatched += left
    matched_ids = {commune.pk for _, commune in pairs}
    by_code = {(c.province_id, c.code): c for c in communes}
    for row in sorted(unmatched, key=lambda r: r.row):
        holder = by_code.get((provinces[row.row].pk, row.code))
        if holder is not None and holder.pk not in matched_ids:
            pairs.append((row, holder))
            matched_ids.add(holder.pk)
            report.matched_by_code.append(row)
        else:
            report.unmatched_rows.append(row)
    report.absent = [c for c in communes if c.pk not in matched_ids]
    report.matched = len(pairs)
    return pairs


def _check_code_clashes(pairs: Pairs, communes: list[Commune]) -> None:
    """A listed code still held by a commune the list does not match cannot be given: name the row."""
    row_of = {c.pk: row for row, c in pairs}
    keeper = {c.code: c for c in communes if c.pk not in row_of}
    problems = [
        f"{row.where('code')}: code {row.code} belongs to {keeper[row.code].name} "
        f"({keeper[row.code].province.name}), which no row of the list matches, so it keeps its code"
        for row, _ in sorted(pairs, key=lambda pair: pair[0].row)
        if row.code in keeper
    ]
    if problems:
        raise OfficialListError(problems)


def communes_reconcile_official(*, rows: list[OfficialRow]) -> ReconcileReport:
    """Give the current communes the codes and names of an official list (Decision 19/2025/QĐ-TTg).

    A commune is matched by province and folded name (with or without its type prefix); failing
    that, by its code within the province (a renamed unit). A matched commune takes the list's
    code and name and keeps its internal id, so nothing pointing at it moves; codes are swapped
    through temporary ones. Unmatched rows and communes missing from the list are reported, never
    deleted. Raises OfficialListError, naming the row, when the list cannot be applied whole.
    """
    report = ReconcileReport(rows=len(rows))
    communes = list(Commune.objects.select_related("province"))
    pairs = _match(rows, communes, report)
    _check_code_clashes(pairs, communes)

    to_update: list[Commune] = []
    newly_official: list[int] = []
    code_changes: dict[int, str] = {}
    for row, commune in pairs:
        prefix, short = split_prefix(row.name)
        if not prefix:  # the list gave the bare name: keep the unit's own type
            prefix = split_prefix(commune.name)[0]
        name = nfc(f"{prefix} {short}")
        values = {
            "name": name,
            "short_name": short,
            "name_folded": fold(name),
            "kind": kind_from_name(name) or commune.kind,
        }
        if _apply(commune, values):
            report.names_changed += 1
            to_update.append(commune)
        if not commune.official:
            newly_official.append(commune.pk)
        if commune.code != row.code:
            report.codes_changed.append((commune.code, row.code, name))
            code_changes[commune.pk] = row.code
    with transaction.atomic():
        Commune.objects.bulk_update(to_update, ["name", "short_name", "name_folded", "kind"], batch_size=BATCH)
        # A plain UPDATE per batch: the first list confirms nearly every commune at once.
        for start in range(0, len(newly_official), BATCH):
            Commune.objects.filter(pk__in=newly_official[start : start + BATCH]).update(official=True)
        _codes_assign(Commune, code_changes)
    logger.info("%s", report)
    return report
