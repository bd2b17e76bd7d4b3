"""Current provinces and communes, and the pre-2025 provinces they absorbed, from `vietnamadminunits` data.

Read straight from the package's SQLite file and converter JSON (no Django, no network). A current commune's
birth-registration provinces are the pre-2025 provinces of the old units merged into it, weighted by how many
old units each contributed; that count is also the commune's relative population (an approximation: the
2025 reform aimed at communes of similar size, so the number of merged units is a fair proxy for people).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

# The pre-2025 provinces (3-digit birth-registration codes, domain.md) and the prefix of the 9-digit identity
# card (CMND) each issued, from a public table. Some provinces had three-digit prefixes (Bình Dương 280,
# Bình Phước 285, Đắk Nông 245, Bắc Kạn 095); they are folded into the two-digit one they start with so
# that every prefix has ten million numbers (a city of 8.5 million needs more than a million). Provinces
# sharing a prefix share one counter, so numbers stay unique. Approximate: nothing checks them.
CMND_PREFIX: dict[str, str] = {
    "001": "01", "002": "07", "004": "08", "006": "09", "008": "07", "010": "06", "011": "04", "012": "04",
    "014": "05", "015": "06", "017": "11", "019": "09", "020": "08", "022": "10", "024": "12", "025": "13",
    "026": "13", "027": "12", "030": "14", "031": "03", "033": "14", "034": "15", "035": "16", "036": "16",
    "037": "16", "038": "17", "040": "18", "042": "18", "044": "19", "045": "19", "046": "19", "048": "20",
    "049": "20", "051": "21", "052": "21", "054": "22", "056": "22", "058": "26", "060": "26", "062": "23",
    "064": "23", "066": "24", "067": "24", "068": "25", "070": "28", "072": "29", "074": "28", "075": "27",
    "077": "27", "079": "02", "080": "30", "082": "31", "083": "32", "084": "33", "086": "33", "087": "34",
    "089": "35", "091": "37", "092": "36", "093": "36", "094": "36", "095": "38", "096": "38",
}  # fmt: skip
BIRTH_PROVINCE_CODES: tuple[str, ...] = tuple(CMND_PREFIX)

# Hamlet words by region: "Bản" in the north-west highlands, "Ấp" and "Khu phố" in the south.
_HIGHLAND = {"04", "11", "12", "14", "15"}
_SOUTH = {"75", "79", "80", "82", "86", "91", "92", "96"}
_PLACE_WORDS = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lập", "Tân Phú", "An Bình", "Phú Lợi", "Hòa Bình",
    "Thịnh Vượng", "Đồng Tâm", "Quyết Tiến", "Hưng Long", "Bình Minh", "Phú Mỹ", "Tân Thành", "Long Hòa", "Yên Thế",
    "Chùa", "Đình", "Mới", "Cầu", "Bến", "Giữa", "Đoài", "Tiền Phong", "Thanh Bình", "Vĩnh Hưng", "Phú Hòa",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Commune:
    """A current (2025) commune, ward or special zone."""

    code: str
    name: str
    province_code: str
    province_name: str
    urban: bool
    weight: float
    birth_codes: tuple[str, ...]
    birth_weights: tuple[float, ...]

    @property
    def southern(self) -> bool:
        """Đà Nẵng southwards, where Huỳnh and Võ outnumber Hoàng and Vũ."""
        return self.province_code >= "48"

    @property
    def hamlets(self) -> tuple[str, ...]:
        """Its hamlets or residential groups: a pure function of the code, so any caller gets the same ones."""
        return _hamlets(self.code, self.province_code, self.urban)


@cache
def _hamlets(code: str, province_code: str, urban: bool) -> tuple[str, ...]:
    salt = zlib.crc32(code.encode())
    count = 4 + salt % 17
    if urban:
        word = "Khu phố" if province_code in _SOUTH else "Tổ dân phố"
        return tuple(f"{word} {i}" for i in range(1, count + 1))
    word = "Bản" if province_code in _HIGHLAND else "Ấp" if province_code in _SOUTH else "Thôn"
    if salt % 5 < 2:  # two communes in five name their hamlets instead of numbering them
        start = salt % len(_PLACE_WORDS)
        names = [_PLACE_WORDS[(start + 7 * i) % len(_PLACE_WORDS)] for i in range(count)]
        return tuple(dict.fromkeys(f"{word} {n}" for n in names))
    return tuple(f"{word} {i}" for i in range(1, count + 1))


@cache
def all_communes() -> tuple[Commune, ...]:
    """Every current commune, in code order."""
    data = resources.files("vietnamadminunits") / "data"
    with resources.as_file(data / "dataset.db") as db_path:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            current = connection.execute(
                "SELECT provinceCode, province, provinceKey, wardCode, ward, wardKey, wardType FROM admin_units"
            ).fetchall()
            legacy = dict(connection.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy"))
        finally:
            connection.close()
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))

    # Old units per (new province key, new ward key), as old province codes with a share each.
    contributions: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            for old in olds:
                contributions[province_key, ward_key]["0" + legacy[old.split("_", 1)[0]]] += 1.0
    for province_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            for target in targets:
                share = 1.0 / len(targets)
                contributions[province_key, target["newWardKey"]]["0" + legacy[old.split("_", 1)[0]]] += share

    communes = []
    for province_code, province, province_key, code, name, ward_key, ward_type in current:
        origin = contributions.get((province_key, ward_key)) or {"0" + province_code: 1.0}
        codes = tuple(sorted(origin))
        communes.append(
            Commune(
                code=code,
                name=name,
                province_code=province_code,
                province_name=province,
                urban=ward_type == "Phường",
                weight=float(sum(origin.values())),
                birth_codes=codes,
                birth_weights=tuple(origin[c] for c in codes),
            )
        )
    return tuple(sorted(communes, key=lambda c: c.code))


def province_names() -> dict[str, str]:
    """Current province code to name."""
    return {c.province_code: c.province_name for c in all_communes()}


def resolve_provinces(codes: list[str] | tuple[str, ...]) -> tuple[Commune, ...]:
    """The communes of the given provinces.

    A current code (2 digits, "01" ... "96") means the whole current province. A code that is only a pre-2025
    province (such as "26", Vĩnh Phúc, now part of Phú Thọ "25") means the current communes formed from it.
    """
    communes = all_communes()
    current = {c.province_code for c in communes}
    chosen: dict[str, Commune] = {}
    for raw in codes:
        code = raw.strip().zfill(2)
        if code in current:
            picked = [c for c in communes if c.province_code == code]
        elif "0" + code in CMND_PREFIX:
            picked = [c for c in communes if "0" + code in c.birth_codes]
        else:
            raise ValueError(f"unknown province code {raw!r}")
        chosen.update((c.code, c) for c in picked)
    if not chosen:
        raise ValueError("no province given")
    return tuple(sorted(chosen.values(), key=lambda c: c.code))
