"""Each status pinned by a hand-made case, matched with the committed model (no training in tests)."""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa
import pytest

from ansinh.matching import RESULT_COLUMNS, match_files
from tests.matching.cases import EXPECTED_A, LIST_A, LIST_B, write_list, write_population


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    folder = tmp_path_factory.mktemp("match")
    population = write_population(folder / "population.csv")
    lists = [write_list(folder / "a.csv", LIST_A), write_list(folder / "b.csv", LIST_B)]
    table: pa.Table = match_files(population=population, beneficiaries=lists)
    return table.to_pylist()


def row(result: list[dict[str, object]], number: int, file: str = "a.csv") -> dict[str, object]:
    return next(r for r in result if r["source_file"] == file and r["source_row"] == number)


def test_importing_the_engine_does_not_import_django() -> None:
    code = "import sys, ansinh.matching; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_result_starts_with_the_contract_columns_and_keeps_input_order(result: list[dict[str, object]]) -> None:
    assert list(result[0])[: len(RESULT_COLUMNS)] == list(RESULT_COLUMNS)
    assert [(r["source_file"], r["source_row"]) for r in result] == [
        *(("a.csv", n) for n in range(1, len(LIST_A) + 1)),
        *(("b.csv", n) for n in range(1, len(LIST_B) + 1)),
    ]


@pytest.mark.parametrize("number", range(1, len(EXPECTED_A) + 1))
def test_each_hand_made_row_gets_its_status_person_and_differences(
    result: list[dict[str, object]], number: int
) -> None:
    got = row(result, number)
    assert (got["status"], got["citizen_id"] or "", got["differences"]) == EXPECTED_A[number - 1], got["explanation"]


def test_namesakes_born_the_same_year_with_a_year_only_date_and_no_id_are_ambiguous_never_linked(
    result: list[dict[str, object]],
) -> None:
    namesakes = row(result, 8)
    assert namesakes["status"] == "ambiguous"
    assert namesakes["citizen_id"] is None
    assert 0 < float(str(namesakes["match_probability"])) < 1


def test_an_exact_stage_link_has_probability_one_and_not_found_or_invalid_zero(
    result: list[dict[str, object]],
) -> None:
    assert row(result, 1)["match_probability"] == 1.0
    assert row(result, 9)["match_probability"] == 0.0
    assert row(result, 10)["match_probability"] == 0.0


def test_a_dead_person_is_deceased_even_when_every_field_agrees(result: list[dict[str, object]]) -> None:
    dead = row(result, 7)
    assert dead["status"] == "deceased"
    assert dead["registry_date_of_death"] == "2025-10-01"


def test_the_same_person_on_two_lists_shares_a_duplicate_group(result: list[dict[str, object]]) -> None:
    first, second = row(result, 1), row(result, 1, "b.csv")
    assert first["duplicate_group"] and first["duplicate_group"] == second["duplicate_group"]
    assert second["status"] == "verified"  # a year-only date and missing diacritics still agree
    assert row(result, 2)["duplicate_group"] is None


def test_a_probabilistic_link_explains_each_field_with_its_weight(result: list[dict[str, object]]) -> None:
    explanation = str(row(result, 5)["explanation"])
    assert "day and month of birth swapped" in explanation
    assert "ID number: the same ID number (+" in explanation


def test_an_unlisted_person_on_two_lists_shares_a_group_but_year_only_namesakes_do_not(
    result: list[dict[str, object]],
) -> None:
    first, second = row(result, 9), row(result, 2, "b.csv")
    assert (first["status"], second["status"]) == ("not_found", "not_found")
    assert first["duplicate_group"] and first["duplicate_group"] == second["duplicate_group"]
    namesakes = row(result, 8), row(result, 3, "b.csv")
    assert [r["status"] for r in namesakes] == ["ambiguous", "ambiguous"]
    assert namesakes[0]["duplicate_group"] is None and namesakes[1]["duplicate_group"] is None
