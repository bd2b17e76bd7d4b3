"""Read the administrative units shipped with the `vietnamadminunits` package (MIT), without Django.

The package's own converter geocodes addresses online for split communes, and importing it pulls
in its parser; this module reads its data files directly instead: `dataset.db` (the current and
the pre-2025 units) and `converter_2025.json` (which old commune went where).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "vietnamadminunits"


class PackageDataError(Exception):
    """The package's data files are missing or not in the shape this reader knows."""


@dataclass(frozen=True)
class PackageProvince:
    code: str
    name: str
    short_name: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class PackageCommune:
    key: str  # "<province key>_<ward key>", stable across code corrections
    code: str
    name: str
    short_name: str
    ward_type: str  # "Xã", "Phường" or "Đặc khu"
    province_code: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class PackageLegacyUnit:
    province_code: str
    province_name: str
    district_code: str
    district_name: str
    code: str  # empty for the island districts that had no communes
    name: str
    latitude: float | None
    longitude: float | None
    successors: tuple[str, ...]  # keys of the current communes it went into
    is_split: bool  # divided among several current communes


@dataclass(frozen=True)
class PackageData:
    provinces: list[PackageProvince]
    communes: list[PackageCommune]
    legacy: list[PackageLegacyUnit]


def package_data_dir() -> Path:
    """The installed package's data folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise PackageDataError(f"the {PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(db: Path, sql: str) -> Iterator[sqlite3.Row]:
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        yield from connection.execute(sql)


def _successors(converter: dict[str, dict[str, object]]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Old commune key -> the one new commune key, and old key -> candidate keys for split ones."""
    whole: dict[str, str] = {}
    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():  # type: ignore[attr-defined]
            for old_key in old_keys:
                whole[old_key] = f"{province_key}_{ward_key}"
    split: dict[str, tuple[str, ...]] = {}
    for province_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, candidates in olds.items():  # type: ignore[attr-defined]
            split[old_key] = tuple(f"{province_key}_{c['newWardKey']}" for c in candidates)
    return whole, split


def package_data_read(data_dir: Path | None = None) -> PackageData:
    """The 34 provinces, their communes and the pre-2025 units with their successors."""
    data_dir = data_dir or package_data_dir()
    db, converter_path = data_dir / "dataset.db", data_dir / "converter_2025.json"
    for path in (db, converter_path):
        if not path.is_file():
            raise PackageDataError(f"missing data file {path}")
    try:
        with converter_path.open(encoding="utf-8") as handle:
            whole, split = _successors(json.load(handle))
        current = list(
            _rows(
                db,
                "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey,"
                " ward, wardShort, wardType, wardCode, wardLat, wardLon, wardKey FROM admin_units",
            )
        )
        old = list(
            _rows(
                db,
                "SELECT province, provinceCode, provinceKey, district, districtCode, districtKey, districtLat,"
                " districtLon, ward, wardCode, wardKey, wardLat, wardLon FROM admin_units_legacy",
            )
        )
    except (KeyError, ValueError, sqlite3.Error) as exc:
        raise PackageDataError(f"unexpected data in {data_dir}: {exc}") from exc

    provinces: dict[str, PackageProvince] = {}
    communes: list[PackageCommune] = []
    for row in current:
        provinces.setdefault(
            row["provinceCode"],
            PackageProvince(
                code=row["provinceCode"],
                name=row["province"],
                short_name=row["provinceShort"],
                latitude=row["provinceLat"],
                longitude=row["provinceLon"],
            ),
        )
        communes.append(
            PackageCommune(
                key=f"{row['provinceKey']}_{row['wardKey']}",
                code=row["wardCode"],
                name=row["ward"],
                short_name=row["wardShort"],
                ward_type=row["wardType"],
                province_code=row["provinceCode"],
                latitude=row["wardLat"],
                longitude=row["wardLon"],
            )
        )

    legacy: list[PackageLegacyUnit] = []
    for row in old:
        old_key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if old_key in split:
            successors, is_split = split[old_key], True
        elif old_key in whole:
            successors, is_split = (whole[old_key],), False
        else:
            successors, is_split = (), False
        has_ward = bool(row["wardCode"])
        legacy.append(
            PackageLegacyUnit(
                province_code=row["provinceCode"],
                province_name=row["province"],
                district_code=row["districtCode"],
                district_name=row["district"],
                code=row["wardCode"] or "",
                # An island district without communes stands for itself.
                name=row["ward"] if has_ward else row["district"],
                latitude=row["wardLat"] if has_ward else row["districtLat"],
                longitude=row["wardLon"] if has_ward else row["districtLon"],
                successors=successors,
                is_split=is_split,
            )
        )
    return PackageData(provinces=sorted(provinces.values(), key=lambda p: p.code), communes=communes, legacy=legacy)
