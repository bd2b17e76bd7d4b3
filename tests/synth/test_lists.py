from __future__ import annotations

import math
from collections import Counter

import pytest

from ansinh.synth import Rates, generate_lists, generate_population
from ansinh.synth.geography import all_communes
from tests.synth.support import Run

ROWS = 6_000


def _share(run: Run, mistake: str) -> float:
    return sum(1 for m in run.truth["mistakes"].to_pylist() if mistake in m.split(";")) / run.truth.num_rows


def _tolerance(rate: float, rows: int) -> float:
    return 4 * math.sqrt(rate * (1 - rate) / rows) + 0.004


@pytest.mark.parametrize(
    ("mistake", "rate"),
    [
        ("missing_diacritics", 0.30), ("upper_case", 0.15), ("typo", 0.05), ("dropped_middle_name", 0.04),
        ("day_month_swapped", 0.05), ("old_id", 0.10), ("missing_id", 0.10), ("wrong_digit", 0.03),
        ("household_member_id", 0.01), ("moved", 0.03), ("id_as_number", 0.05), ("amount_as_text", 0.05),
    ],
)  # fmt: skip
def test_each_mistake_is_applied_at_its_default_rate(run: Run, mistake: str, rate: float) -> None:
    assert run.truth.num_rows == ROWS
    assert _share(run, mistake) == pytest.approx(rate, abs=_tolerance(rate, ROWS))


def test_year_only_dates_are_15_percent_of_people_born_before_1960(run: Run) -> None:
    rows = [r for r in run.truth.to_pylist() if r["true_date_of_birth"] < "1960"]
    share = sum(1 for r in rows if "year_only" in r["mistakes"]) / len(rows)
    assert len(rows) > 1_000
    assert share == pytest.approx(0.15, abs=_tolerance(0.15, len(rows)))
    assert not any("year_only" in r["mistakes"] for r in run.truth.to_pylist() if r["true_date_of_birth"] >= "1960")


def test_half_the_full_dates_are_excel_date_cells(run: Run) -> None:
    formats = Counter(run.truth["date_format"].to_pylist())
    full = formats["date_cell"] + formats["text"]
    assert formats["date_cell"] / full == pytest.approx(0.5, abs=_tolerance(0.5, full))


def test_died_rows_have_a_date_of_death_in_the_registry_and_others_do_not(run: Run) -> None:
    deaths = dict(
        zip(run.population["citizen_id"].to_pylist(), run.population["date_of_death"].to_pylist(), strict=True)
    )
    rows = run.truth.to_pylist()
    died = [r for r in rows if r["died"]]
    assert len(died) / ROWS == pytest.approx(0.02, abs=_tolerance(0.02, ROWS))
    assert all(deaths[r["citizen_id"]] for r in died)
    assert not any(deaths[r["citizen_id"]] for r in rows if r["in_registry"] and not r["died"])


def test_people_not_in_the_registry_have_no_registry_id_and_their_listed_id_is_unknown(run: Run) -> None:
    registry = set(run.population["citizen_id"].to_pylist())
    absent = [r for r in run.truth.to_pylist() if not r["in_registry"]]
    assert len(absent) / ROWS == pytest.approx(0.02, abs=_tolerance(0.02, ROWS))
    assert all(r["citizen_id"] is None for r in absent)
    assert all(r["citizen_id"] in registry for r in run.truth.to_pylist() if r["in_registry"])


def test_a_person_on_two_lists_shares_one_key_across_two_categories(run: Run) -> None:
    by_key: dict[str, list[dict[str, object]]] = {}
    for row in run.truth.to_pylist():
        by_key.setdefault(str(row["person_key"]), []).append(row)
    repeated = [rows for rows in by_key.values() if len(rows) > 1]
    assert len(repeated) / ROWS == pytest.approx(0.02, abs=_tolerance(0.02, ROWS))
    assert all(len(rows) == 2 and rows[0]["category"] != rows[1]["category"] for rows in repeated)
    assert all(rows[0]["citizen_id"] == rows[1]["citizen_id"] for rows in repeated)


def test_a_moved_person_is_listed_in_another_commune_of_the_same_province(run: Run) -> None:
    province = {c.code: c.province_code for c in all_communes()}
    moved = [r for r in run.truth.to_pylist() if r["moved"]]
    assert moved
    for row in moved:
        assert row["listed_commune_code"] != row["true_commune_code"]
        assert province[row["listed_commune_code"]] == province[row["true_commune_code"]]
    assert all(r["listed_commune_code"] == r["true_commune_code"] for r in run.truth.to_pylist() if not r["moved"])


def test_social_protection_and_pension_lists_are_old(run: Run) -> None:
    def median_birth_year(category: str) -> int:
        years = sorted(int(r["true_date_of_birth"][:4]) for r in run.truth.to_pylist() if r["category"] == category)
        return years[len(years) // 2]

    assert median_birth_year("social_pension") <= 1951  # 75 and over in 2026
    assert median_birth_year("meritorious") <= 1960
    assert median_birth_year("social_protection") <= 1966
    assert Counter(run.truth["category"].to_pylist()).most_common(1)[0][0] == "social_protection"


def test_same_seed_gives_the_same_lists_and_another_seed_other_lists() -> None:
    def names(seed: int) -> list[str]:
        lists = generate_lists(
            generate_population(provinces=["46"], size=6_000, seed=seed), beneficiaries=500, seed=seed
        )
        return [row.full_name for rows in lists.rows.values() for row in rows]

    assert names(1) == names(1)
    assert names(1) != names(2)


def test_mistakes_can_be_turned_off() -> None:
    lists = generate_lists(
        generate_population(provinces=["46"], size=6_000, seed=3), beneficiaries=500, seed=3, rates=Rates.none()
    )
    rows = [row for rows in lists.rows.values() for row in rows]
    assert all(row.mistakes == () for row in rows)
    assert all(row.full_name == row.true_full_name and row.id_value == row.citizen_id for row in rows)


def test_rates_reject_unknown_names_and_values_outside_zero_to_one() -> None:
    assert Rates.from_mapping({"typo": 0.2}).typo == 0.2
    with pytest.raises(ValueError, match="unknown rate"):
        Rates.from_mapping({"typos": 0.2})
    with pytest.raises(ValueError, match="from 0 to 1"):
        Rates.from_mapping({"typo": 2})


def test_a_population_too_small_for_the_lists_is_an_error() -> None:
    with pytest.raises(ValueError, match="too small"):
        generate_lists(generate_population(provinces=["46"], size=300, seed=1), beneficiaries=1_000, seed=1)


def test_an_old_or_household_members_id_on_a_list_is_the_one_the_registry_holds(run: Run) -> None:
    people = {r["citizen_id"]: r for r in run.population.select(["citizen_id", "old_id", "address"]).to_pylist()}
    old_rows = household_rows = 0
    for row in run.truth.to_pylist():
        if "wrong_digit" in row["mistakes"] or "id_as_number" in row["mistakes"] or not row["in_registry"]:
            continue
        person = people[row["citizen_id"]]
        if "old_id" in row["mistakes"]:
            old_rows += 1
            assert row["listed_id"] == person["old_id"]
        elif "household_member_id" in row["mistakes"]:
            household_rows += 1
            mate = people[row["listed_id"]]
            assert mate["citizen_id"] != row["citizen_id"] and mate["address"] == person["address"]
        elif "missing_id" not in row["mistakes"]:
            assert row["listed_id"] == row["citizen_id"]
    assert old_rows > 300 and household_rows > 20
