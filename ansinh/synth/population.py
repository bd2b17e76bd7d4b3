"""The population-registry snapshot: households of people in real communes, generated in vectorised chunks.

Each chunk is drawn from its own generator seeded by (seed, chunk number); the only state carried from chunk
to chunk is the counters that keep ID numbers and house numbers unique, so the output for a seed is fixed and
memory stays flat however many rows are asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ansinh.synth import names
from ansinh.synth.geography import BIRTH_PROVINCE_CODES, CMND_PREFIX, Commune, resolve_provinces

POPULATION_COLUMNS = (
    "citizen_id", "old_id", "full_name", "date_of_birth", "sex",
    "province_code", "commune_code", "address", "date_of_death",
)  # fmt: skip
POPULATION_SCHEMA = pa.schema([(column, pa.string()) for column in POPULATION_COLUMNS])
AS_OF = date(2026, 1, 1)
CHUNK_ROWS = 200_000

_HEAD, _SPOUSE, _CHILD, _PARENT = 0, 1, 2, 3
_HOUSEHOLD_SIZE_P = np.array([0.14, 0.22, 0.22, 0.24, 0.10, 0.05, 0.03])
_STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Hai Bà Trưng", "Quang Trung", "Lê Duẩn",
    "Nguyễn Du", "Phan Chu Trinh", "Hùng Vương", "Trần Phú", "Nguyễn Huệ", "Lê Lai", "Điện Biên Phủ",
    "Võ Thị Sáu", "Bà Triệu", "Ngô Quyền", "Phan Đình Phùng", "Lạc Long Quân", "Nguyễn Văn Cừ",
    "Tôn Đức Thắng", "Cách Mạng Tháng Tám", "Nguyễn Thị Minh Khai", "Lê Thánh Tông", "Hoàng Diệu",
)  # fmt: skip
_BIRTH_NUMBER = np.array([int(code) for code in BIRTH_PROVINCE_CODES], dtype=np.int64)
_CMND_PREFIXES = tuple(sorted(set(CMND_PREFIX.values())))
_CMND_OF_BIRTH = np.array([_CMND_PREFIXES.index(CMND_PREFIX[c]) for c in BIRTH_PROVINCE_CODES], dtype=np.int64)
_CMND_DIGITS_OF_PREFIX = np.array([len(p) for p in _CMND_PREFIXES], dtype=np.int64)
_CMND_MODULUS = np.array([10 ** (9 - len(p)) for p in _CMND_PREFIXES], dtype=np.int64)
_CMND_BASE = np.array([int(p) for p in _CMND_PREFIXES], dtype=np.int64) * _CMND_MODULUS
_SERIAL_MODULUS = 10**6
_BUCKETS_PER_PROVINCE = 6 * 100  # century-and-sex digit (0-5) x two-digit year


def _coprime_multipliers(rng: np.random.Generator, size: int) -> np.ndarray:
    """Multipliers ending in 1, 3, 7 or 9: coprime to any power of ten, so k -> (a*k + b) mod 10^d is a bijection."""
    return rng.integers(1, 10**5, size=size) * 10 + rng.choice(np.array([1, 3, 7, 9]), size=size)


def _scramble(counter: np.ndarray, a: np.ndarray, b: np.ndarray, digits: np.ndarray | int) -> np.ndarray:
    """A bijection of [0, 10^digits): affine, digits reversed, affine again, so consecutive counters look random."""
    modulus = np.asarray(10 ** np.asarray(digits, dtype=np.int64), dtype=np.int64)
    value = (a * counter + b) % modulus
    reversed_ = np.zeros_like(value)
    for _ in range(int(np.max(digits)) if np.size(digits) else 0):
        keep = modulus > 1  # numbers with fewer digits stop early
        reversed_ = np.where(keep, reversed_ * 10 + value % 10, reversed_)
        value = np.where(keep, value // 10, value)
        modulus = np.where(keep, modulus // 10, modulus)
    modulus = np.asarray(10 ** np.asarray(digits, dtype=np.int64), dtype=np.int64)
    return (b * 7 + a * reversed_ + 1) % modulus


def _rank_within(keys: np.ndarray) -> np.ndarray:
    """For each element, how many earlier elements share its key (0 for the first of each key)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    positions = np.arange(len(keys))
    starts = np.maximum.accumulate(np.where(first, positions, 0))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = positions - starts
    return rank


class PopulationGenerator:
    """Generates registry rows chunk by chunk; unique ID and house numbers across chunks."""

    def __init__(self, communes: Sequence[Commune], *, seed: int, as_of: date = AS_OF) -> None:
        if not communes:
            raise ValueError("no commune to populate")
        self.communes = tuple(communes)
        self.seed = seed
        self.as_of = as_of
        self._chunk = 0
        setup = np.random.default_rng([seed, 0])

        weights = np.array([c.weight * (1.6 if c.urban else 1.0) for c in self.communes])
        self._commune_p = weights / weights.sum()
        self._southern = np.array([c.southern for c in self.communes])
        self._urban = np.array([c.urban for c in self.communes])
        self._commune_code = pa.array([c.code for c in self.communes])
        self._province_code = pa.array([c.province_code for c in self.communes])
        self._commune_name = pa.array([c.name for c in self.communes])
        self._province_name = pa.array([c.province_name for c in self.communes])

        hamlets = [c.hamlets for c in self.communes]
        self._hamlet_count = np.array([len(h) for h in hamlets], dtype=np.int64)
        self._hamlet_offset = np.concatenate([[0], np.cumsum(self._hamlet_count)[:-1]])
        self._hamlet_name = pa.array([name for h in hamlets for name in h])
        self._houses = np.zeros(int(self._hamlet_count.sum()), dtype=np.int64)

        width = max(len(c.birth_codes) for c in self.communes)
        self._birth_index = np.zeros((len(self.communes), width), dtype=np.int64)
        self._birth_cumulative = np.full((len(self.communes), width), 2.0)
        for i, commune in enumerate(self.communes):
            shares = np.array(commune.birth_weights) / sum(commune.birth_weights)
            self._birth_index[i, : len(shares)] = [BIRTH_PROVINCE_CODES.index(c) for c in commune.birth_codes]
            self._birth_cumulative[i, : len(shares)] = np.cumsum(shares)
            self._birth_cumulative[i, len(shares) - 1] = 2.0  # guards against rounding at the top

        buckets = len(BIRTH_PROVINCE_CODES) * _BUCKETS_PER_PROVINCE
        self._serials = np.zeros(buckets, dtype=np.int64)
        self._serial_a = _coprime_multipliers(setup, buckets)
        self._serial_b = setup.integers(0, _SERIAL_MODULUS, size=buckets)
        self._cmnds = np.zeros(len(_CMND_PREFIXES), dtype=np.int64)
        self._cmnd_a = _coprime_multipliers(setup, len(_CMND_PREFIXES))
        self._cmnd_b = setup.integers(0, 10**6, size=len(_CMND_PREFIXES))

    def chunk(self, rows: int) -> pa.RecordBatch:
        """The next `rows` people, whole households (the last one may be cut short)."""
        rng = np.random.default_rng([self.seed, 1, self._chunk])
        self._chunk += 1
        sizes = self._household_sizes(rng, rows)
        households = len(sizes)

        commune = rng.choice(len(self.communes), size=households, p=self._commune_p)
        hamlet = self._hamlet_offset[commune] + (rng.random(households) * self._hamlet_count[commune]).astype(np.int64)
        head_age, couple, head_male = self._heads(rng, sizes)
        household_family = names.family_names(rng, self._southern[commune])

        member_of = np.repeat(np.arange(households), sizes)
        rank = np.arange(rows) - (np.cumsum(sizes) - sizes)[member_of]
        age, male, role = self._members(rng, rank, head_age[member_of], couple[member_of], head_male[member_of])
        own_family = names.family_names(rng, self._southern[commune[member_of]])
        # Children take the father's family name; a wife keeps her own.
        shares_name = male | (role == _CHILD) | ((role == _HEAD) & ~couple[member_of])
        family = np.where(shares_name, household_family[member_of], own_family)

        as_of = np.datetime64(self.as_of, "D")
        birth = as_of - (age * 365.25 + rng.random(rows) * 365.0).astype(np.int64)
        year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
        female = ~male
        full_name = names.full_names(rng, family, female, year)

        member_commune = commune[member_of]
        local = self._local_birth_province(rng, member_commune)
        migrant = rng.random(rows) < np.where(age < 6, 0.03, 0.12)
        birth_province = np.where(migrant, rng.integers(0, len(BIRTH_PROVINCE_CODES), size=rows), local)
        citizen_id = self._citizen_ids(birth_province, year, female)
        old_id = self._old_ids(rng, local, year, age)

        house = self._house_numbers(hamlet)
        street = pa.array(_STREETS).take(pa.array(rng.integers(0, len(_STREETS), size=households)))
        number = pc.binary_join_element_wise("Số", pc.cast(pa.array(house), pa.string()), " ")
        number = pc.if_else(pa.array(self._urban[commune]), pc.binary_join_element_wise(number, street, " "), number)
        address = pc.binary_join_element_wise(
            number,
            self._hamlet_name.take(pa.array(hamlet)),
            self._commune_name.take(pa.array(commune)),
            self._province_name.take(pa.array(commune)),
            ", ",
        ).take(pa.array(member_of))

        hazard = np.select([age >= 90, age >= 80, age >= 70, age >= 60], [0.12, 0.06, 0.03, 0.015], 0.0)
        dead = rng.random(rows) < hazard
        death = np.maximum(as_of - rng.integers(1, 1000, size=rows), birth + 1)

        columns = {
            "citizen_id": citizen_id,
            "old_id": old_id,
            "full_name": full_name,
            "date_of_birth": _date_strings(birth),
            "sex": pc.if_else(pa.array(male), "M", "F"),
            "province_code": self._province_code.take(pa.array(member_commune)),
            "commune_code": self._commune_code.take(pa.array(member_commune)),
            "address": address,
            "date_of_death": _date_strings(death, mask=~dead),
        }
        return pa.RecordBatch.from_arrays([columns[c] for c in POPULATION_COLUMNS], schema=POPULATION_SCHEMA)

    @staticmethod
    def _household_sizes(rng: np.random.Generator, rows: int) -> np.ndarray:
        drawn: list[np.ndarray] = []
        total = 0
        while total < rows:
            more = rng.choice(len(_HOUSEHOLD_SIZE_P), size=(rows - total) // 3 + 64, p=_HOUSEHOLD_SIZE_P) + 1
            drawn.append(more)
            total += int(more.sum())
        sizes = np.concatenate(drawn)
        cumulative = np.cumsum(sizes)
        last = int(np.searchsorted(cumulative, rows))
        sizes = sizes[: last + 1].copy()
        sizes[last] -= int(cumulative[last]) - rows
        return sizes

    @staticmethod
    def _heads(rng: np.random.Generator, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Head of household: age by household size (old people often live alone or as a couple), sex."""
        count = len(sizes)
        u = rng.random(count)
        elderly = 60 + np.floor(42 * rng.beta(1.2, 3.0, count))
        young = rng.integers(20, 40, count).astype(np.float64)
        middle = rng.integers(35, 60, count).astype(np.float64)
        family = np.clip(np.round(rng.normal(44, 11, count)), 22, 78)
        single, pair = sizes == 1, sizes == 2
        head_age = np.select(
            [single & (u < 0.4), single & (u < 0.72), single, pair & (u < 0.45), pair & (u < 0.72), pair, u < 0.12],
            [elderly, young, middle, elderly, young, middle, elderly],
            family,
        ).astype(np.int64)
        # Widowhood: past 75 a head lives with a spouse less often, and more often she is a woman.
        couple = (sizes >= 2) & (rng.random(count) < np.where(head_age >= 75, 0.5, 0.85))
        head_male = np.where(
            couple,
            rng.random(count) < 0.8,
            np.where(head_age >= 60, rng.random(count) < 0.25, rng.random(count) < 0.5),
        )
        return head_age, couple, head_male

    @staticmethod
    def _members(
        rng: np.random.Generator, rank: np.ndarray, head_age: np.ndarray, couple: np.ndarray, head_male: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = len(rank)
        role = np.full(rows, _CHILD)
        role[rank == 0] = _HEAD
        role[(rank == 1) & couple] = _SPOUSE
        role[(role == _CHILD) & (head_age < 55) & (rng.random(rows) < 0.12)] = _PARENT
        spouse_age = head_age + np.where(head_male, -3, 3) + np.round(rng.normal(0, 3, rows)).astype(np.int64)
        child_age = head_age - rng.integers(20, 39, rows)
        child_age = np.where(
            child_age < 0, (rng.random(rows) * np.maximum(head_age - 17, 1)).astype(np.int64), child_age
        )
        parent_age = np.minimum(head_age + rng.integers(20, 33, rows), 102)
        age = np.select(
            [role == _HEAD, role == _SPOUSE, role == _CHILD],
            [head_age, np.maximum(spouse_age, 18), child_age],
            parent_age,
        )
        male = np.select(
            [role == _HEAD, role == _SPOUSE, role == _CHILD],
            [head_male, ~head_male, rng.random(rows) < 0.51],
            rng.random(rows) < 0.4,
        )
        return np.clip(age, 0, 104).astype(np.int64), male.astype(bool), role

    def _local_birth_province(self, rng: np.random.Generator, commune: np.ndarray) -> np.ndarray:
        u = rng.random(len(commune))
        slot = (u[:, None] >= self._birth_cumulative[commune]).sum(axis=1)
        return self._birth_index[commune, slot]

    def _citizen_ids(self, birth_province: np.ndarray, year: np.ndarray, female: np.ndarray) -> pa.Array:
        """PPP G YY NNNNNN (domain.md), the last six digits a per-bucket permutation of a counter: unique."""
        century_sex = (year >= 2000).astype(np.int64) * 2 + female
        two_digit_year = year % 100
        bucket = birth_province * _BUCKETS_PER_PROVINCE + century_sex * 100 + two_digit_year
        counter = self._serials[bucket] + _rank_within(bucket)
        if len(counter) and int(counter.max()) >= _SERIAL_MODULUS:
            raise ValueError("more than a million people share a birth province, sex and year")
        self._serials += np.bincount(bucket, minlength=len(self._serials))
        serial = _scramble(counter, self._serial_a[bucket], self._serial_b[bucket], 6)
        number = ((_BIRTH_NUMBER[birth_province] * 10 + century_sex) * 100 + two_digit_year) * _SERIAL_MODULUS + serial
        return pc.utf8_lpad(pc.cast(pa.array(number), pa.string()), 12, padding="0")

    def _old_ids(self, rng: np.random.Generator, province: np.ndarray, year: np.ndarray, age: np.ndarray) -> pa.Array:
        """9-digit identity cards for people old enough to have had one before 2016 (most of them did)."""
        has = (year <= self.as_of.year - 24) & (rng.random(len(year)) < np.where(age >= 60, 0.92, 0.85))
        prefix = _CMND_OF_BIRTH[province[has]]
        counter = self._cmnds[prefix] + _rank_within(prefix)
        modulus = _CMND_MODULUS[prefix]
        if len(counter) and bool((counter >= modulus).any()):
            raise ValueError("identity-card numbers exhausted for a province")
        self._cmnds += np.bincount(prefix, minlength=len(self._cmnds))
        number = np.zeros(len(year), dtype=np.int64)
        digits = 9 - _CMND_DIGITS_OF_PREFIX[prefix]
        number[has] = _CMND_BASE[prefix] + _scramble(counter, self._cmnd_a[prefix], self._cmnd_b[prefix], digits)
        text = pc.utf8_lpad(pc.cast(pa.array(number), pa.string()), 9, padding="0")
        return pc.if_else(pa.array(has), text, pa.scalar(None, pa.string()))

    def _house_numbers(self, hamlet: np.ndarray) -> np.ndarray:
        counter = self._houses[hamlet] + _rank_within(hamlet)
        self._houses += np.bincount(hamlet, minlength=len(self._houses))
        return 1 + counter + counter // 4  # gaps, as real numbering has


def _date_strings(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pc.cast(pa.array(days, mask=mask).cast(pa.date32()), pa.string())


def generate_population(
    *,
    provinces: Sequence[str],
    size: int,
    seed: int,
    chunk_rows: int = CHUNK_ROWS,
    as_of: date = AS_OF,
) -> Iterator[pa.RecordBatch]:
    """Registry rows for the given provinces (current or pre-2025 codes), `chunk_rows` at a time."""
    if size < 0 or chunk_rows < 1:
        raise ValueError("size must be >= 0 and chunk_rows >= 1")
    generator = PopulationGenerator(resolve_provinces(list(provinces)), seed=seed, as_of=as_of)
    remaining = size
    while remaining > 0:
        rows = min(chunk_rows, remaining)
        remaining -= rows
        yield generator.chunk(rows)


def stream_to_parquet(path: Path, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Write each batch as a Parquet row group, then pass it on (to build lists in the same pass)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, POPULATION_SCHEMA, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch, row_group_size=max(len(batch), 1))
            yield batch


def write_population(path: Path, batches: Iterable[pa.RecordBatch]) -> int:
    """Write batches (from `generate_population` or elsewhere) to a Parquet file; returns the number of rows."""
    return sum(len(batch) for batch in stream_to_parquet(path, batches))
