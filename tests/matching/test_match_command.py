"""`ansinh match`: the contract outside scripts rely on (columns, order, encoding, exit codes)."""

from __future__ import annotations

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.imports.builders import official_xlsx
from tests.matching.cases import HOME, write_list, write_population

CONTRACT = ["source_file", "source_row", "status", "citizen_id", "match_probability", "duplicate_group", "differences"]


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("match", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    except CommandError as exc:  # the console turns this into its exit code
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_population(tmp_path_factory.mktemp("pop") / "population.csv", background=500)


def test_a_run_writes_the_result_with_exit_0_in_the_contract_layout(population: Path, tmp_path: Path) -> None:
    import datetime as dt

    excel = official_xlsx(
        tmp_path / "btxh.xlsx",
        [["Nguyễn Thị Lan", dt.date(1940, 3, 5), "Nữ", "001140001268", HOME, "", "", 500000, None, None]],
    )
    text = write_list(tmp_path / "other.csv", [["Trần Văn Hòa", "12/07/1938", "Nam", "", HOME]])
    out = tmp_path / "result.csv"
    code, _, _ = run("--population", str(population), "--beneficiaries", str(excel), str(text), "--out", str(out))
    assert code == 0
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(StringIO(raw.decode("utf-8"))))
    assert rows[0][: len(CONTRACT)] == CONTRACT
    assert [r[:5] for r in rows[1:]] == [
        ["btxh.xlsx", "1", "verified", "001140001268", "1"],
        ["other.csv", "1", "verified", "001138002222", rows[2][4]],
    ]
    assert 0.95 <= float(rows[2][4]) <= 1


def test_an_unreadable_list_exits_4_with_one_line_and_writes_nothing(population: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    out = tmp_path / "result.csv"
    code, _, err = run("--population", str(population), "--beneficiaries", str(broken), "--out", str(out))
    assert code == 4
    assert len(err.strip().splitlines()) == 1 and "broken.xlsx" in err
    assert not out.exists()


def test_a_list_without_data_rows_exits_4(population: Path, tmp_path: Path) -> None:
    empty = write_list(tmp_path / "empty.csv", [])
    out = tmp_path / "result.csv"
    code, _, err = run("--population", str(population), "--beneficiaries", str(empty), "--out", str(out))
    assert code == 4 and err.strip()
    assert not out.exists()


def test_a_missing_population_exits_4(tmp_path: Path) -> None:
    listed = write_list(tmp_path / "a.csv", [["Trần Văn Hòa", "12/07/1938", "Nam", "", HOME]])
    out = tmp_path / "result.csv"
    code, _, _ = run("--population", str(tmp_path / "nope.parquet"), "--beneficiaries", str(listed), "--out", str(out))
    assert code == 4
    assert not out.exists()


def test_two_inputs_with_the_same_base_name_are_a_usage_error(population: Path, tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = write_list(tmp_path / "x" / "list.csv", [["Trần Văn Hòa", "12/07/1938", "Nam", "", HOME]])
    second = write_list(tmp_path / "y" / "list.csv", [["Trần Văn Hòa", "12/07/1938", "Nam", "", HOME]])
    code, _, _ = run(
        "--population", str(population), "--beneficiaries", str(first), str(second), "--out", str(tmp_path / "r.csv")
    )
    assert code == 2


def test_a_missing_argument_is_a_usage_error_on_the_console(tmp_path: Path) -> None:
    console = [sys.executable, "-m", "ansinh", "match", "--out", str(tmp_path / "r.csv")]
    assert subprocess.run(console, capture_output=True, check=False).returncode == 2


def test_a_rematch_with_previous_reports_which_rows_are_new_changed_or_unchanged(tmp_path: Path) -> None:
    old_population = write_population(tmp_path / "old.csv", background=300)
    listing = write_list(
        tmp_path / "list.csv",
        [
            ["Nguyễn Thị Lan", "05/03/1940", "Nữ", "001140001268", HOME],
            ["Trần Văn Hòa", "12/07/1938", "Nam", "001138002222", HOME],
        ],
    )
    first = tmp_path / "first.csv"
    assert run("--population", str(old_population), "--beneficiaries", str(listing), "--out", str(first))[0] == 0
    # A month later Trần Văn Hòa has died, and the list has grown by one row.
    newer = tmp_path / "new.csv"
    text = old_population.read_text(encoding="utf-8")
    hoa = '"Trần Văn Hòa","1938-07-12","M","90","90001","Thôn 1",'
    assert hoa in text
    newer.write_text(text.replace(hoa, hoa + '"2026-10-01"'), encoding="utf-8")
    grown = write_list(
        tmp_path / "list.csv",
        [
            ["Nguyễn Thị Lan", "05/03/1940", "Nữ", "001140001268", HOME],
            ["Trần Văn Hòa", "12/07/1938", "Nam", "001138002222", HOME],
            ["Vũ Thị Mai", "10/02/1945", "Nữ", "001145004444", HOME],
        ],
    )
    second = tmp_path / "second.csv"
    code, out, _ = run(
        "--population", str(newer), "--beneficiaries", str(grown), "--out", str(second), "--previous", str(first)
    )
    assert code == 0
    rows = list(csv.DictReader(second.open(encoding="utf-8")))
    assert list(rows[0])[: len(CONTRACT)] == CONTRACT
    assert [(r["status"], r["change"], r["previous_status"]) for r in rows] == [
        ("verified", "unchanged", "verified"),
        ("deceased", "changed", "verified"),
        ("verified", "new", ""),
    ]
    assert "new=1 changed=1 unchanged=1" in out


def test_an_unreadable_previous_result_exits_4(population: Path, tmp_path: Path) -> None:
    listing = write_list(tmp_path / "list.csv", [["Nguyễn Thị Lan", "05/03/1940", "Nữ", "001140001268", HOME]])
    (tmp_path / "old.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "result.csv"
    args = ["--beneficiaries", str(listing), "--out", str(out), "--previous", str(tmp_path / "old.csv")]
    code, _, err = run("--population", str(population), *args)
    assert code == 4
    assert "missing column" in err
    assert not out.exists()
