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
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.synth.categories import CATEGORIES, MAX_AGE, SHARES, propensity_table
from ansinh.synth.geography import Commune, all_communes, resolve_provinces
from ansinh.synth.mistakes import Rates
from ansinh.synth.population import AS_OF, POPULATION_COLUMNS, PopulationGenerator
from ansinh.synth.rows import BeneficiaryLists, ListRow, chances_for, render_row


def ages(date_of_birth: pa.Array | pa.ChunkedArray, as_of: date) -> np.ndarray:
    """Whole years at `as_of` from YYYY-MM-DD, YYYY-MM or YYYY strings (a missing one reads as 1900)."""
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
        keys[table["date_of_birth"].is_null().to_numpy(zero_copy_only=False)] = -np.inf  # age unknown: not drawn
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
        parts = [
            _flagged(alive, True, False),
            _flagged(dead, True, True),
            _flagged(self._absent_people(), False, False),
        ]
        people = (
            pa.concat_tables([p for p in parts if p is not None and len(p)])
            if any(p is not None and len(p) for p in parts)
            else None
        )
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

        chances = chances_for(records, self.rates)
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
                row = render_row(
                    person,
                    rates=self.rates,
                    category=category,
                    age=int(age[index]),
                    person_key=person_key,
                    home=home,
                    listed=listed,
                    chances=chances,
                    rng=text_rng,
                )
                order = (row.province_code, row.commune_code, row.hamlet, text_rng.random())
                rows[category].append((order, row))
        ordered = {c: [row for _, row in sorted(items, key=lambda item: item[0])] for c, items in rows.items()}
        return BeneficiaryLists(ordered, self._province_names(), self.as_of, self.seed)


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
