"""List rows: what a beneficiary list shows for a person, with the mistakes drawn, and the truth beside it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ansinh.synth.categories import amount_and_note
from ansinh.synth.geography import Commune
from ansinh.synth.mistakes import (
    Rates,
    drop_middle_name,
    has_old_tone_variant,
    old_tone_placement,
    strip_diacritics,
    typo,
    wrong_digit,
)

_BANKS = (("Agribank", 13), ("Vietcombank", 13), ("VietinBank", 12), ("BIDV", 14), ("NHCSXH", 14), ("MB", 12))


@dataclass(slots=True)
class ListRow:
    """One data row of a list: what the file shows, and the truth about it."""

    category: str
    full_name: str
    birth: date | int | str  # a date cell, a year number, or text
    sex: str  # "Nam" or "Nữ", as lists write it
    id_value: str | int | None  # an int is an ID typed as a number
    province_code: str
    commune_code: str
    commune_name: str
    hamlet: str
    amount: int | str
    account: str
    bank: str
    note: str
    blank_before: bool
    person_key: str
    citizen_id: str | None  # the person's registry ID; None when not in the registry
    in_registry: bool
    died: bool
    moved: bool
    mistakes: tuple[str, ...]
    date_format: str  # date_cell, text or year
    true_full_name: str
    true_date_of_birth: str
    true_sex: str
    true_commune_code: str
    true_address: str
    true_old_id: str | None


@dataclass(slots=True)
class BeneficiaryLists:
    """Rows per category, in file order (by province, commune and hamlet)."""

    rows: dict[str, list[ListRow]]
    province_names: tuple[str, ...]
    as_of: date
    seed: int

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


@dataclass(frozen=True, slots=True)
class Chances:
    """Per-row probabilities raised so that the share of all rows meets each rate."""

    dropped_middle: float
    old_tone: float
    swap: float
    household: float
    old_id: float
    wrong_digit: float
    as_number: float


def _chance(rate: float, eligible_share: float) -> float:
    return min(1.0, rate / eligible_share) if eligible_share > 0 else 0.0


def chances_for(records: list[dict[str, object]], rates: Rates) -> Chances:
    """Per-row probabilities for these people, so that each rate holds over all their rows."""
    count = max(len(records), 1)
    middle = sum(1 for p in records if len(str(p["full_name"]).split(" ")) >= 3) / count
    born = [str(p["date_of_birth"] or "") for p in records]
    early = sum(1 for b in born if b[:4] < "1960") / count
    swappable = sum(1 for b in born if len(b) == 10 and int(b[8:]) <= 12 and b[8:] != b[5:7]) / count
    swappable *= 1 - rates.year_only * early
    shown = 1 - rates.missing_id
    mates = sum(1 for p in records if p["household_mate"]) / count
    old = sum(1 for p in records if p["old_id"]) / count
    return Chances(
        dropped_middle=_chance(rates.dropped_middle_name, middle),
        old_tone=rates.old_tone_placement,
        swap=_chance(rates.day_month_swapped, swappable),
        household=_chance(rates.household_member_id, shown * mates),
        old_id=_chance(rates.old_id, (shown - rates.household_member_id) * old),
        wrong_digit=_chance(rates.wrong_digit, shown),
        as_number=_chance(rates.id_as_number, shown),
    )


def render_row(
    person: dict[str, object],
    *,
    rates: Rates,
    category: str,
    age: int,
    person_key: str,
    home: Commune | None,
    listed: Commune | None,
    chances: Chances,
    rng: random.Random,
) -> ListRow:
    """One list row for a person: the values as the list shows them, with mistakes drawn, and the truth."""
    mistakes: list[str] = []
    true_name = str(person["full_name"] or "")
    name = true_name
    strip = rng.random() < rates.missing_diacritics
    if rng.random() < chances.dropped_middle and (shorter := drop_middle_name(name, rng)):
        name = shorter
        mistakes.append("dropped_middle_name")
    if rng.random() < rates.typo:
        name = typo(name, rng, survive_stripping=strip)
        mistakes.append("typo")
    if not strip and has_old_tone_variant(name) and rng.random() < chances.old_tone:
        name = old_tone_placement(name)
        mistakes.append("old_tone_placement")
    if strip:
        name = strip_diacritics(name)
        mistakes.append("missing_diacritics")
    if rng.random() < rates.upper_case:
        name = name.upper()
        mistakes.append("upper_case")

    true_birth = str(person["date_of_birth"] or "")
    birth, date_format = _birth(true_birth, rates, chances, rng, mistakes)
    id_value = _id(person, rates, chances, rng, mistakes)

    hamlet = _hamlet(str(person["address"] or ""))
    if listed is not home and listed is not None:
        hamlet = rng.choice(listed.hamlets)
        mistakes.append("moved")
    amount_value, note = amount_and_note(category, age, rng)
    amount: int | str = amount_value
    if rng.random() < rates.amount_as_text:
        amount = f"{amount_value:,}".replace(",", ".")
        mistakes.append("amount_as_text")
    bank, account = "", ""
    if rng.random() < (0.6 if category == "meritorious" else 0.25):
        bank, digits = rng.choice(_BANKS)
        account = f"{rng.randrange(10 ** (digits - 1), 10**digits)}"
    in_registry = bool(person["in_registry"])
    return ListRow(
        category=category,
        full_name=name,
        birth=birth,
        sex="Nữ" if person["sex"] == "F" else "Nam",
        id_value=id_value,
        province_code=listed.province_code if listed else str(person["province_code"] or ""),
        commune_code=listed.code if listed else str(person["commune_code"] or ""),
        commune_name=listed.name if listed else "",
        hamlet=hamlet,
        amount=amount,
        account=account,
        bank=bank,
        note=note,
        blank_before=rng.random() < rates.blank_row,
        person_key=person_key,
        citizen_id=str(person["citizen_id"]) if in_registry else None,
        in_registry=in_registry,
        died=bool(person["died"]),
        moved="moved" in mistakes,
        mistakes=tuple(mistakes),
        date_format=date_format,
        true_full_name=true_name,
        true_date_of_birth=true_birth,
        true_sex=str(person["sex"] or ""),
        true_commune_code=str(person["commune_code"] or ""),
        true_address=str(person["address"] or ""),
        true_old_id=str(person["old_id"]) if person["old_id"] else None,
    )


def _birth(
    true_birth: str, rates: Rates, chances: Chances, rng: random.Random, mistakes: list[str]
) -> tuple[date | int | str, str]:
    if len(true_birth) != 10:  # the registry itself holds only a year or a month
        return true_birth, "text"
    born = date.fromisoformat(true_birth)
    if born.year < 1960 and rng.random() < rates.year_only:
        mistakes.append("year_only")
        return born.year, "year"
    if born.day <= 12 and born.day != born.month and rng.random() < chances.swap:
        born = date(born.year, born.day, born.month)
        mistakes.append("day_month_swapped")
    if rng.random() < rates.excel_date_cells:
        return born, "date_cell"
    return born.strftime("%d/%m/%Y"), "text"


def _id(
    person: dict[str, object], rates: Rates, chances: Chances, rng: random.Random, mistakes: list[str]
) -> str | int | None:
    if rng.random() < rates.missing_id:
        mistakes.append("missing_id")
        return None
    number = str(person["citizen_id"] or "")
    if person["household_mate"] and rng.random() < chances.household:
        number = str(person["household_mate"])
        mistakes.append("household_member_id")
    elif person["old_id"] and rng.random() < chances.old_id:
        number = str(person["old_id"])
        mistakes.append("old_id")
    if not number:
        return None
    if rng.random() < chances.wrong_digit:
        number = wrong_digit(number, rng)
        mistakes.append("wrong_digit")
    if rng.random() < chances.as_number:
        mistakes.append("id_as_number")
        return int(number)
    return number


def _hamlet(address: str) -> str:
    """The hamlet or residential group of a generated address ("Số 12, Thôn 3, Xã X, Tỉnh Y")."""
    parts = address.split(", ")
    return parts[1] if len(parts) >= 4 else ""
