"""The Spark engine: the hand-made cases on a local Spark session give what DuckDB gives, row by row."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ansinh.matching import match_files
from ansinh.matching import spark as spark_engine
from tests.conftest import require_tool
from tests.matching.cases import EXPECTED_A, LIST_A, LIST_B, write_list, write_population
from tests.matching.test_match_command import run

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    reason = spark_engine.unavailable_reason()
    require_tool(reason is None, reason or "")
    # One thread, two shuffle partitions, no UI, loopback only: the JVM starts once for the module.
    session = spark_engine.session(threads=1)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("spark")
    population = write_population(folder / "population.csv")
    return population, [write_list(folder / "a.csv", LIST_A), write_list(folder / "b.csv", LIST_B)]


@pytest.fixture(scope="module")
def both(spark: SparkSession, inputs: tuple[Path, list[Path]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    population, lists = inputs
    duckdb_rows = match_files(population=population, beneficiaries=lists).to_pylist()
    spark_rows = match_files(population=population, beneficiaries=lists, engine="spark").to_pylist()
    assert len(duckdb_rows) == len(spark_rows) == len(LIST_A) + len(LIST_B)
    return list(zip(duckdb_rows, spark_rows, strict=True))


def test_importing_the_spark_module_does_not_start_or_import_pyspark() -> None:
    code = "import sys, ansinh.matching.spark; sys.exit('pyspark' in sys.modules or 'py4j' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_saved_model_translates_to_spark_sql_without_duckdb_quotes() -> None:
    translated = spark_engine.spark_settings(spark_engine.probabilistic.prepared_settings(100))
    conditions = [
        level["sql_condition"] for comparison in translated["comparisons"] for level in comparison["comparison_levels"]
    ]
    rules = [rule["blocking_rule"] for rule in translated["blocking_rules_to_generate_predictions"]]
    assert "`name_fold_l` = `name_fold_r`" in conditions
    assert any("jaro_winkler(name_key_l, name_key_r)" in condition for condition in conditions)
    assert not any('"' in text for text in [*conditions, *rules])
    assert translated["probability_two_random_records_match"] == 0.01


@pytest.mark.java
def test_the_spark_engine_gives_each_row_the_duckdb_status_person_differences_and_group(
    both: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    for on_duckdb, on_spark in both:
        keys = ("source_file", "source_row", "status", "citizen_id", "differences", "duplicate_group", "explanation")
        assert {k: on_spark[k] for k in keys} == {k: on_duckdb[k] for k in keys}
        assert on_spark["match_probability"] == pytest.approx(on_duckdb["match_probability"], abs=1e-6)


@pytest.mark.java
def test_the_spark_engine_gets_every_hand_made_status_right(
    both: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    got = [(r["status"], r["citizen_id"] or "", r["differences"]) for _, r in both if r["source_file"] == "a.csv"]
    assert got == EXPECTED_A


@pytest.mark.java
def test_the_command_with_engine_spark_writes_the_result(
    spark: SparkSession, inputs: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    population, lists = inputs
    out = tmp_path / "result.csv"
    code, stdout, _ = run(
        "--population", str(population), "--beneficiaries", str(lists[0]), "--out", str(out), "--engine", "spark"
    )  # fmt: skip
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("source_file,source_row,status,")
    assert "verified=" in stdout


def test_the_spark_engine_without_java_is_a_usage_error_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, inputs: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    # Spark's launcher takes $JAVA_HOME/bin/java when JAVA_HOME is set: an empty folder means no Java.
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    population, lists = inputs
    out = tmp_path / "result.csv"
    code, _, _ = run(
        "--population", str(population), "--beneficiaries", str(lists[0]), "--out", str(out), "--engine", "spark"
    )  # fmt: skip
    assert code == 2
    assert not out.exists()


def test_without_java_on_the_path_the_reason_names_java(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(spark_engine.shutil, "which", lambda name: None)
    reason = spark_engine.unavailable_reason()
    assert reason is not None
    assert "Java" in reason
    assert "\n" not in reason


def test_the_spark_engine_without_pyspark_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, inputs: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    monkeypatch.setattr(spark_engine, "find_spec", lambda name: None)
    population, lists = inputs
    out = tmp_path / "result.csv"
    code, _, _ = run(
        "--population", str(population), "--beneficiaries", str(lists[0]), "--out", str(out), "--engine", "spark"
    )  # fmt: skip
    assert code == 2
    assert not out.exists()
