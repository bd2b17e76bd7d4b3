from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_synth_command_writes_snapshot_lists_and_truth_and_prints_one_summary_line(tmp_path: Path) -> None:
    rates = tmp_path / "rates.json"
    rates.write_text(json.dumps({"typo": 0.5}), encoding="utf-8")
    out = StringIO()
    call_command(
        "synth", "--province", "46", "--population-size", "8000", "--beneficiaries", "600",
        "--out", str(tmp_path / "out"), "--seed", "5", "--rates", str(rates), stdout=out,
    )  # fmt: skip
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("population=8000 list_rows=600 ")
    assert pq.read_table(tmp_path / "out" / "population.parquet").num_rows == 8000
    truth = pq.read_table(tmp_path / "out" / "truth.parquet")
    assert truth.num_rows == 600
    assert sum("typo" in m for m in truth["mistakes"].to_pylist()) > 200
    assert len(list((tmp_path / "out" / "lists").glob("*.xlsx"))) == 6


def test_synth_command_can_write_chosen_categories_as_csv(tmp_path: Path) -> None:
    call_command(
        "synth", "--province", "46", "--population-size", "5000", "--beneficiaries", "300", "--out", str(tmp_path),
        "--list-format", "csv", "--category", "meritorious", "--category", "social_pension", stdout=StringIO(),
    )  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "lists").iterdir()) == ["meritorious.csv", "social_pension.csv"]


def test_synth_command_rejects_an_unknown_rate_name(tmp_path: Path) -> None:
    rates = tmp_path / "rates.json"
    rates.write_text(json.dumps({"typos": 0.5}), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown rate"):
        call_command(
            "synth", "--province", "46", "--population-size", "100", "--beneficiaries", "10",
            "--out", str(tmp_path), "--rates", str(rates),
        )  # fmt: skip
    assert not (tmp_path / "population.parquet").exists()
