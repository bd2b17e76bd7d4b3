from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pytest

from ansinh.synth import POPULATION_COLUMNS, generate_population, write_population
from ansinh.synth.geography import resolve_provinces
from tests.synth.support import Run, id_agrees


def _table(**kwargs: object) -> pa.Table:
    return pa.Table.from_batches(list(generate_population(**kwargs)))  # type: ignore[arg-type]


def test_snapshot_has_exactly_the_columns_the_matching_engine_reads(run: Run) -> None:
    assert tuple(run.population.column_names) == POPULATION_COLUMNS
    assert tuple(POPULATION_COLUMNS) == (
        "citizen_id", "old_id", "full_name", "date_of_birth", "sex",
        "province_code", "commune_code", "address", "date_of_death",
    )  # fmt: skip


def test_same_seed_gives_byte_identical_parquet_and_another_seed_differs(tmp_path: Path) -> None:
    def write(name: str, seed: int) -> bytes:
        path = tmp_path / name
        write_population(path, generate_population(provinces=["46"], size=9_000, seed=seed, chunk_rows=4_000))
        return path.read_bytes()

    assert write("a.parquet", 3) == write("b.parquet", 3)
    assert write("c.parquet", 4) != write("a.parquet", 3)


def test_every_citizen_id_agrees_with_sex_birth_year_and_a_valid_province(run: Run) -> None:
    rows = run.population.select(["citizen_id", "date_of_birth", "sex"]).to_pylist()
    wrong = [r for r in rows if not id_agrees(r["citizen_id"], r["date_of_birth"], r["sex"])]
    assert wrong == []


def test_citizen_and_old_ids_are_unique_across_chunks(run: Run) -> None:
    ids = run.population["citizen_id"].to_pylist()
    old = [i for i in run.population["old_id"].to_pylist() if i]
    assert len(set(ids)) == len(ids) == 60_000
    assert len(set(old)) == len(old)


def test_old_ids_are_nine_digits_held_only_by_people_born_before_2002(run: Run) -> None:
    rows = run.population.select(["old_id", "date_of_birth"]).to_pylist()
    holders = [r for r in rows if r["old_id"]]
    assert all(len(r["old_id"]) == 9 and r["old_id"].isdigit() for r in holders)
    assert all(r["date_of_birth"] < "2003" for r in holders)
    older = [r for r in rows if r["date_of_birth"] < "1970"]
    assert sum(1 for r in older if r["old_id"]) / len(older) > 0.8


def test_most_births_are_registered_in_the_provinces_the_commune_was_formed_from(run: Run) -> None:
    origins = {code for c in resolve_provinces(["31"]) for code in c.birth_codes}
    assert origins == {"030", "031"}  # Hải Dương and Hải Phòng became today's Hải Phòng
    prefixes = Counter(i[:3] for i in run.population["citizen_id"].to_pylist())
    assert (prefixes["030"] + prefixes["031"]) / 60_000 > 0.8


def test_deaths_are_a_few_percent_of_the_elderly_and_none_of_the_young(run: Run) -> None:
    rows = run.population.select(["date_of_birth", "date_of_death"]).to_pylist()
    elderly = [r for r in rows if r["date_of_birth"] < "1966"]
    young = [r for r in rows if r["date_of_birth"] >= "1966-01-02"]
    share = sum(1 for r in elderly if r["date_of_death"]) / len(elderly)
    assert 0.01 < share < 0.08
    assert not any(r["date_of_death"] for r in young)
    assert all(r["date_of_death"] > r["date_of_birth"] for r in rows if r["date_of_death"])


def test_family_names_follow_vietnamese_frequencies(run: Run) -> None:
    families = Counter(name.split(" ")[0] for name in run.population["full_name"].to_pylist())
    share = {name: count / 60_000 for name, count in families.items()}
    assert 0.34 < share["Nguyễn"] < 0.43
    assert 0.08 < share["Trần"] < 0.14
    assert [name for name, _ in families.most_common(3)] == ["Nguyễn", "Trần", "Lê"]


def test_households_share_an_address_and_children_the_fathers_family_name(run: Run) -> None:
    rows = run.population.select(["full_name", "sex", "address", "date_of_birth"]).to_pylist()
    by_address: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_address.setdefault(row["address"], []).append(row)
    shared = sum(len(people) for people in by_address.values() if len(people) > 1)
    assert shared / len(rows) > 0.7
    # In a household with a man, most children (born 18+ years after him) carry a man's family name.
    agree = total = 0
    for people in by_address.values():
        men = [p for p in people if p["sex"] == "M" and p["date_of_birth"] < "1990"]
        if len(people) < 3 or not men:
            continue
        father = men[0]
        for child in people:
            if child["date_of_birth"][:4] > str(int(father["date_of_birth"][:4]) + 18):
                total += 1
                agree += child["full_name"].split(" ")[0] in {m["full_name"].split(" ")[0] for m in men}
    assert total > 100 and agree / total > 0.8


def test_a_pre_2025_province_code_selects_the_communes_formed_from_it() -> None:
    vinh_phuc = resolve_provinces(["26"])
    assert vinh_phuc and {c.province_code for c in vinh_phuc} == {"25"}  # now part of Phú Thọ
    assert len(vinh_phuc) < len(resolve_provinces(["25"]))
    table = _table(provinces=["26"], size=2_000, seed=1)
    assert set(table["commune_code"].to_pylist()) <= {c.code for c in vinh_phuc}


def test_an_unknown_province_code_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown province code"):
        _table(provinces=["99"], size=10, seed=1)


def test_the_synth_package_does_not_import_django() -> None:
    code = "import sys, ansinh.synth; sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
