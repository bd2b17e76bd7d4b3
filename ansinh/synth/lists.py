"""Beneficiary lists drawn from a population stream, with the mistakes real lists carry, and their ground truth.

One pass over the population: every batch offers its people to two weighted reservoirs (living and dead,
weights by age and category, Efraimidis-Spirakis keys), so exactly the wanted number is kept however large the
registry. Household mates are found within a batch by shared address (the generator never splits a household
across batches). People "not in the registry" are drawn afterwards from the same generator with another seed,
keeping only those whose ID numbers the registry does not hold.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.synth.categories import CATEGORIES, MAX_AGE, SHARES, amount_and_note, propensity_table
from ansinh.synth.geography import Commune, all_communes, resolve_provinces
from ansinh.synth.mistakes import (
    Rates,
    drop_middle_name,
    has_old_tone_variant,
    old_tone_placement,
    strip_diacritics,
    typo,
    wrong_digit,
)
from ansinh.synth.population import AS_OF, POPULATION_COLUMNS, PopulationGenerator

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


def ages(date_of_birth: pa.Array | pa.ChunkedArray, as_of: date) -> np.ndarray:
    """Whole years at `as_of` from YYYY-MM-DD, YYYY-MM or YYYY strings (missing ones count as very old)."""
    filled = pc.fill_null(date_of_birth, "1900")
    year = pc.cast(pc.utf8_slice_codeunits(filled, 0, 4), pa.int64()).to_numpy()
    month_day = pc.utf8_slice_codeunits(filled, 5, 10)
    before_birthday = pc.greater(month_day, as_of.strftime("%m-%d")).to_numpy(zero_copy_only=False)
    return np.clip(as_of.year - year - before_birthday.astype(np.int64), 0, MAX_AGE)


def _household_mates(address: pa.ChunkedArray, ids: pa.ChunkedArray, rng: np.random.Generator) -> pa.Array:
    """For each row the ID of another row with the same address (a household member), or null if none."""
    rows = len(address)
    order = pc.sort_indices(address).to_numpy()
    ordered = address.take(pa.array(order))
    first = np.ones(rows, dtype=bool)
    if rows > 1:
        same = pc.equal(ordered.slice(1), ordered.slice(0, rows - 1))
        first[1:] = ~pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    positions = np.arange(rows)
    start = np.maximum.accumulate(np.where(first, positions, 0))
    group = np.cumsum(first) - 1
    size = np.bincount(group)[group]
    offset = (rng.random(rows) * np.maximum(size - 1, 1)).astype(np.int64)
    mate_sorted = start + (positions - start + 1 + offset) % size
    mate = np.empty(rows, dtype=np.int64)
    mate[order] = order[mate_sorted]
    alone = np.empty(rows, dtype=bool)
    alone[order] = size < 2
    return pc.if_else(pa.array(alone), pa.scalar(None, pa.string()), ids.take(pa.array(mate)))


class _Reservoir:
    """Keeps the `capacity` rows with the largest keys seen so far."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.table: pa.Table | None = None
        self.keys = np.empty(0)

    def offer(self, table: pa.Table, keys: np.ndarray) -> None:
        if self.capacity == 0:
            return
        threshold = -np.inf if len(self.keys) < self.capacity else float(self.keys.min())
        chosen = np.flatnonzero(keys > threshold)
        if not len(chosen):
            return
        new = table.take(pa.array(chosen))
        merged = new if self.table is None else pa.concat_tables([self.table, new])
        merged_keys = np.concatenate([self.keys, keys[chosen]])
        if len(merged_keys) > self.capacity:
            keep = np.sort(np.argpartition(-merged_keys, self.capacity - 1)[: self.capacity])
            merged, merged_keys = merged.take(pa.array(keep)), merged_keys[keep]
        self.table, self.keys = merged.combine_chunks(), merged_keys

    def top(self, count: int) -> pa.Table | None:
        if self.table is None:
            return None
        keep = np.sort(np.argsort(-self.keys, kind="stable")[:count])
        return self.table.take(pa.array(keep))


@dataclass(frozen=True, slots=True)
class _Chances:
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


class ListBuilder:
    """Feed population batches with `add`, then `finish` for the lists."""

    def __init__(
        self,
        *,
        beneficiaries: int,
        seed: int,
        rates: Rates | None = None,
        categories: Sequence[str] = CATEGORIES,
        as_of: date = AS_OF,
    ) -> None:
        unknown = sorted(set(categories) - set(CATEGORIES))
        if unknown or not categories:
            raise ValueError(f"unknown or no categories: {unknown}; known: {', '.join(CATEGORIES)}")
        if beneficiaries < 0:
            raise ValueError("beneficiaries must be >= 0")
        self.categories = tuple(c for c in CATEGORIES if c in categories)
        self.rates = rates or Rates()
        self.seed = seed
        self.as_of = as_of
        self.rows_wanted = beneficiaries
        self._duplicates = round(beneficiaries * self.rates.two_lists) if len(self.categories) > 1 else 0
        people = beneficiaries - self._duplicates
        self._dead_wanted = round(people * self.rates.died)
        self._absent_wanted = round(people * self.rates.not_in_registry)
        self._alive_wanted = people - self._dead_wanted - self._absent_wanted
        self._alive = _Reservoir(self._alive_wanted + self._dead_wanted)  # room to stand in for missing deaths
        self._dead = _Reservoir(self._dead_wanted)
        table = propensity_table()
        self._propensity = table[[CATEGORIES.index(c) for c in self.categories]]
        self._shares = np.array([SHARES[c] for c in self.categories])
        self._shares /= self._shares.sum()
        self._per_category: np.ndarray | None = None
        self._weight: np.ndarray | None = None
        self._registry_ids: list[np.ndarray] = []
        self._registry_old_ids: list[np.ndarray] = []
        self._provinces: set[str] = set()
        self._batches = 0

    def _calibrate(self, age: np.ndarray) -> None:
        """Scale each category's propensity by its mean in the population so each gets its share of rows."""
        counts = np.bincount(age, minlength=MAX_AGE + 1)
        mean = (self._propensity * counts).sum(axis=1) / max(int(counts.sum()), 1)
        scale = np.divide(self._shares, mean, out=np.zeros_like(mean), where=mean > 0)
        self._per_category = self._propensity * scale[:, None]
        self._weight = self._per_category.sum(axis=0)

    def _keys(self, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        assert self._weight is not None
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = np.log(rng.random(len(age))) / self._weight[age]
        return np.where(self._weight[age] > 0, keys, -np.inf)

    def add(self, batch: pa.RecordBatch | pa.Table) -> None:
        """Offer one batch of registry rows."""
        table = (pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch).select(
            list(POPULATION_COLUMNS)
        )
        if not len(table):
            return
        rng = np.random.default_rng([self.seed, 2, self._batches])
        self._batches += 1
        age = ages(table["date_of_birth"], self.as_of)
        if self._weight is None:
            self._calibrate(age)
        keys = self._keys(age, rng)
        dead = table["date_of_death"].is_valid().to_numpy(zero_copy_only=False)
        table = table.append_column("household_mate", _household_mates(table["address"], table["citizen_id"], rng))
        self._alive.offer(table, np.where(dead, -np.inf, keys))
        self._dead.offer(table, np.where(dead, keys, -np.inf))
        self._registry_ids.append(_numbers(table["citizen_id"], 12))
        self._registry_old_ids.append(_numbers(table["old_id"], 9))
        self._provinces.update(p for p in pc.unique(table["province_code"]).to_pylist() if p)

    def finish(self) -> BeneficiaryLists:
        """The lists: choose the people, give them categories, moves and duplicates, and write their rows."""
        dead = self._dead.top(self._dead_wanted)
        dead_count = 0 if dead is None else len(dead)
        alive_wanted = self._alive_wanted + self._dead_wanted - dead_count
        alive = self._alive.top(alive_wanted)
        if alive_wanted and (alive is None or len(alive) < alive_wanted):
            raise ValueError(
                f"the population is too small for {self.rows_wanted} beneficiaries: "
                "use a larger population or fewer beneficiaries"
            )
        parts = [_flagged(alive, True, False), _flagged(dead, True, True), _flagged(self._absent_people(), False, False)]
        people = pa.concat_tables([p for p in parts if p is not None and len(p)]) if any(
            p is not None and len(p) for p in parts
        ) else None
        rng = np.random.default_rng([self.seed, 3])
        if people is None:
            return BeneficiaryLists({c: [] for c in self.categories}, self._province_names(), self.as_of, self.seed)
        people = people.take(pa.array(rng.permutation(len(people))))
        return self._render(people, rng)

    def _absent_people(self) -> pa.Table | None:
        """People who look like the others but whose ID numbers the registry does not hold."""
        if not self._absent_wanted or not self._provinces or self._weight is None:
            return None
        registry = np.unique(np.concatenate(self._registry_ids))
        registry_old = np.unique(np.concatenate(self._registry_old_ids))
        generator = PopulationGenerator(
            resolve_provinces(sorted(self._provinces)), seed=self.seed + 7_919, as_of=self.as_of
        )
        rng = np.random.default_rng([self.seed, 4])
        pool = _Reservoir(self._absent_wanted)
        for _ in range(20):
            table = pa.Table.from_batches([generator.chunk(max(2_000, 30 * self._absent_wanted))])
            age = ages(table["date_of_birth"], self.as_of)
            keys = self._keys(age, rng)
            living = table["date_of_death"].is_null().to_numpy(zero_copy_only=False)
            fresh = ~_contains(registry, _numbers(table["citizen_id"], 12, keep_length=True))
            old = _numbers(table["old_id"], 9, keep_length=True)
            fresh &= (old < 0) | ~_contains(registry_old, old)
            table = table.append_column("household_mate", pa.nulls(len(table), pa.string()))
            pool.offer(table, np.where(living & fresh, keys, -np.inf))
            if len(pool.keys) >= self._absent_wanted:
                break
        return pool.top(self._absent_wanted)

    def _province_names(self) -> tuple[str, ...]:
        names = {c.province_code: c.province_name for c in all_communes()}
        return tuple(names.get(code, code) for code in sorted(self._provinces))

    def _render(self, people: pa.Table, rng: np.random.Generator) -> BeneficiaryLists:
        assert self._per_category is not None
        count = len(people)
        age = ages(people["date_of_birth"], self.as_of)
        probabilities = self._per_category[:, age].T.copy()
        empty = probabilities.sum(axis=1) == 0
        probabilities[empty] = self._shares
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        first = _draw(probabilities, rng)

        others = probabilities.copy()
        others[np.arange(count), first] = 0.0
        can_repeat = np.flatnonzero(others.sum(axis=1) > 0)
        repeated = np.sort(rng.choice(can_repeat, size=min(self._duplicates, len(can_repeat)), replace=False))
        others = others[repeated] / others[repeated].sum(axis=1, keepdims=True)
        second = dict(zip(repeated.tolist(), _draw(others, rng).tolist(), strict=True))

        communes = {c.code: c for c in all_communes()}
        by_province: dict[str, list[Commune]] = defaultdict(list)
        for commune in communes.values():
            by_province[commune.province_code].append(commune)
        records = people.to_pylist()
        in_registry = people["in_registry"].to_numpy(zero_copy_only=False)
        moves = (rng.random(count) < self.rates.moved) & in_registry

        chances = self._chances(records, age)
        text_rng = random.Random(f"ansinh-synth:{self.seed}:rows")
        rows: dict[str, list[tuple[tuple[str, str, str, float], ListRow]]] = {c: [] for c in self.categories}
        for index, person in enumerate(records):
            home = communes.get(person["commune_code"] or "")
            listed = home
            if moves[index] and home is not None and len(by_province[home.province_code]) > 1:
                while listed is home:
                    listed = text_rng.choice(by_province[home.province_code])
            person_key = f"P{index + 1:07d}"
            for category_index in (first[index], second.get(index)):
                if category_index is None:
                    continue
                category = self.categories[int(category_index)]
                row = self._row(person, category, int(age[index]), person_key, home, listed, chances, text_rng)
                order = (row.province_code, row.commune_code, row.hamlet, text_rng.random())
                rows[category].append((order, row))
        ordered = {c: [row for _, row in sorted(items, key=lambda item: item[0])] for c, items in rows.items()}
        return BeneficiaryLists(ordered, self._province_names(), self.as_of, self.seed)

    def _chances(self, records: list[dict[str, object]], age: np.ndarray) -> _Chances:
        rates = self.rates
        count = max(len(records), 1)
        middle = sum(1 for p in records if len(str(p["full_name"]).split(" ")) >= 3) / count
        born = [str(p["date_of_birth"] or "") for p in records]
        early = sum(1 for b in born if b[:4] < "1960") / count
        swappable = sum(1 for b in born if len(b) == 10 and int(b[8:]) <= 12 and b[8:] != b[5:7]) / count
        swappable *= 1 - rates.year_only * early
        shown = 1 - rates.missing_id
        mates = sum(1 for p in records if p["household_mate"]) / count
        old = sum(1 for p in records if p["old_id"]) / count
        return _Chances(
            dropped_middle=_chance(rates.dropped_middle_name, middle),
            old_tone=rates.old_tone_placement,
            swap=_chance(rates.day_month_swapped, swappable),
            household=_chance(rates.household_member_id, shown * mates),
            old_id=_chance(rates.old_id, (shown - rates.household_member_id) * old),
            wrong_digit=_chance(rates.wrong_digit, shown),
            as_number=_chance(rates.id_as_number, shown),
        )

    def _row(
        self,
        person: dict[str, object],
        category: str,
        age: int,
        person_key: str,
        home: Commune | None,
        listed: Commune | None,
        chances: _Chances,
        rng: random.Random,
    ) -> ListRow:
        rates = self.rates
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
        birth, date_format = self._birth(true_birth, chances, rng, mistakes)
        id_value = self._id(person, chances, rng, mistakes)

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
            account = str(rng.randrange(1, 10)) + "".join(rng.choice("0123456789") for _ in range(digits - 1))
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
        self, true_birth: str, chances: _Chances, rng: random.Random, mistakes: list[str]
    ) -> tuple[date | int | str, str]:
        if len(true_birth) != 10:  # the registry itself holds only a year or a month
            return true_birth, "text"
        born = date.fromisoformat(true_birth)
        if born.year < 1960 and rng.random() < self.rates.year_only:
            mistakes.append("year_only")
            return born.year, "year"
        if born.day <= 12 and born.day != born.month and rng.random() < chances.swap:
            born = date(born.year, born.day, born.month)
            mistakes.append("day_month_swapped")
        if rng.random() < self.rates.excel_date_cells:
            return born, "date_cell"
        return born.strftime("%d/%m/%Y"), "text"

    def _id(self, person: dict[str, object], chances: _Chances, rng: random.Random, mistakes: list[str]) -> str | int | None:
        if rng.random() < self.rates.missing_id:
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


def _draw(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One column index per row, drawn with that row's probabilities."""
    cumulative = np.cumsum(probabilities, axis=1)
    chosen = (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1)
    return np.minimum(chosen, probabilities.shape[1] - 1)


def _numbers(column: pa.ChunkedArray, length: int, *, keep_length: bool = False) -> np.ndarray:
    """ID numbers as integers: only well-formed ones, or every row with -1 for the others (keep_length)."""
    valid = pc.fill_null(pc.match_substring_regex(column, f"^[0-9]{{{length}}}$"), False)
    if keep_length:
        text = pc.if_else(valid, column, pa.scalar("-1"))
        return pc.cast(text, pa.int64()).to_numpy()
    return pc.cast(column.filter(valid), pa.int64()).to_numpy()


def _contains(sorted_unique: np.ndarray, values: np.ndarray) -> np.ndarray:
    if not len(sorted_unique):
        return np.zeros(len(values), dtype=bool)
    at = np.clip(np.searchsorted(sorted_unique, values), 0, len(sorted_unique) - 1)
    return sorted_unique[at] == values


def _flagged(table: pa.Table | None, in_registry: bool, died: bool) -> pa.Table | None:
    if table is None:
        return None
    count = len(table)
    table = table.append_column("in_registry", pa.array(np.full(count, in_registry)))
    return table.append_column("died", pa.array(np.full(count, died)))


def _hamlet(address: str) -> str:
    """The hamlet or residential group of a generated address ("Số 12, Thôn 3, Xã X, Tỉnh Y")."""
    parts = address.split(", ")
    return parts[1] if len(parts) >= 4 else ""


def generate_lists(
    population: Iterable[pa.RecordBatch],
    *,
    beneficiaries: int,
    seed: int,
    rates: Rates | None = None,
    categories: Sequence[str] = CATEGORIES,
    as_of: date = AS_OF,
) -> BeneficiaryLists:
    """Lists of `beneficiaries` rows in all drawn from the population batches (consumed once)."""
    builder = ListBuilder(beneficiaries=beneficiaries, seed=seed, rates=rates, categories=categories, as_of=as_of)
    for batch in population:
        builder.add(batch)
    return builder.finish()
