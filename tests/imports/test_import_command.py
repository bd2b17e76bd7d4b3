"""`ansinh import`: the contract outside scripts rely on (summary line, report columns, exit codes)."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ansinh.imports.models import ImportBatch, ImportRow, ProposedChange
from ansinh.payouts.models import AccountChangeRequest
from ansinh.registry.models import Benefit, Person
from tests.conftest import World
from tests.imports.builders import official_xlsx

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    """Run the command as the console does, returning (exit code, stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    except CommandError as exc:  # the console turns this into its exit code
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def summary(stdout: str) -> dict[str, int]:
    last = stdout.strip().splitlines()[-1]
    return {key: int(value) for key, value in (part.split("=") for part in last.split())}


@pytest.fixture
def good_list(tmp_path: Path, world: World) -> Path:
    return official_xlsx(
        tmp_path / "btxh.xlsx",
        [
            [
                "Nguyễn Thị Lan",
                dt.date(1940, 3, 5),
                "Nữ",
                "001140001268",
                "00004",
                "Phường Ba Đình",
                "Tổ 3",
                500000,
                "0011001234567",
                "Vietcombank",
            ],
            ["Tran Van Hoa", "1938", "Nam", "", "00004", "", "Tổ 4", "500.000", None, None],
            ["Lê Văn Tám", "12/05/1944", "Nam", 1044001234, "00103", "", "", "1,000,000 đ", None, None],
        ],
    )


def test_a_clean_list_is_committed_with_exit_0_and_the_summary_last(good_list: Path, world: World) -> None:
    code, out, _ = run(str(good_list), "--category", "social_protection")
    assert code == 0
    assert summary(out) == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "invalid": 0, "warnings": 1}
    lan = Person.objects.get(citizen_id="001140001268")
    assert (lan.full_name, lan.birth_year, lan.birth_month, lan.birth_day, lan.sex) == (
        "Nguyễn Thị Lan",
        1940,
        3,
        5,
        "F",
    )
    hoa = Person.objects.get(full_name="Tran Van Hoa")
    assert (hoa.birth_year, hoa.birth_month, hoa.birth_day) == (1938, None, None)  # year only, never 1 January
    assert Benefit.objects.filter(category="social_protection").count() == 3
    assert Person.objects.get(full_name="Lê Văn Tám").commune == world.tay_ho


def test_the_second_import_of_the_same_file_is_all_unchanged(good_list: Path) -> None:
    run(str(good_list), "--category", "social_protection")
    code, out, _ = run(str(good_list), "--category", "social_protection")
    assert code == 0
    assert summary(out)["unchanged"] == 3 and summary(out)["new"] == 0
    assert Person.objects.count() == 3 and Benefit.objects.count() == 3


def test_the_report_names_sheet_row_data_row_level_and_column(good_list: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    run(str(good_list), "--category", "social_protection", "--report", str(report))
    with report.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert list(lines[0].keys()) == ["sheet_row", "data_row", "level", "column", "message"]
    restored = [line for line in lines if line["data_row"] == "3"]
    assert restored and restored[0]["level"] == "warning" and restored[0]["column"] == "Số CCCD/CMND (E)"
    assert restored[0]["sheet_row"] == "12"  # three data rows start at sheet row 10


def test_the_report_defaults_beside_the_file(good_list: Path) -> None:
    run(str(good_list), "--category", "social_protection")
    assert good_list.with_name("btxh.xlsx.report.csv").exists()


def test_invalid_rows_stay_in_the_batch_and_the_rest_is_committed_with_exit_3(tmp_path: Path, world: World) -> None:
    path = official_xlsx(
        tmp_path / "mixed.xlsx",
        [
            ["Nguyễn Văn An", "01/02/1950", "Nam", "", "00004", "", "", 500000, None, None],
            ["Phạm Thị Bình", "", "Nữ", "", "00004", "", "", 500000, None, None],  # no birth date
            ["Đỗ Văn Cường", "1951", "Nam", "", "99999", "", "", 500000, None, None],  # unknown commune
            ["Vũ Thị Dung", "1952", "Nữ", "", "00004", "", "", "năm trăm", None, None],  # amount not a number
        ],
    )
    code, out, _ = run(str(path), "--category", "social_protection")
    assert code == 3
    assert summary(out) == {"rows": 4, "new": 1, "changed": 0, "unchanged": 0, "invalid": 3, "warnings": 0}
    batch = ImportBatch.objects.get()
    assert batch.rows.count() == 4
    assert sorted(batch.rows.filter(outcome=ImportRow.Outcome.INVALID).values_list("data_row", flat=True)) == [2, 3, 4]
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Nguyễn Văn An"]


def test_commune_missing_without_a_default_is_invalid_but_a_default_fills_it(tmp_path: Path, world: World) -> None:
    path = official_xlsx(
        tmp_path / "nocommune.xlsx", [["Nguyễn Văn An", "1950", "Nam", "", "", "", "", 500000, None, None]]
    )
    assert run(str(path), "--category", "social_protection")[0] == 3
    code, out, _ = run(str(path), "--category", "social_protection", "--commune", world.le_chan.code)
    assert code == 0 and summary(out)["new"] == 1
    assert Person.objects.get().commune == world.le_chan


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04truncated-zip-file"])
def test_an_empty_or_truncated_file_exits_4_and_writes_nothing(tmp_path: Path, world: World, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    code, out, err = run(str(path), "--category", "social_protection")
    assert code == 4
    assert err.strip() and len(err.strip().splitlines()) == 1
    assert out == ""
    assert ImportBatch.objects.count() == 0 and Person.objects.count() == 0


def test_a_list_with_only_a_header_exits_4(tmp_path: Path, world: World) -> None:
    path = official_xlsx(tmp_path / "header-only.xlsx", [])
    assert run(str(path), "--category", "social_protection")[0] == 4
    assert ImportBatch.objects.count() == 0


def test_a_usage_error_exits_2(good_list: Path) -> None:
    assert run(str(good_list), "--category", "social_protection", "--commune", "99999")[0] == 2
    for arguments in (["--category", "pensioners", str(good_list)], [str(good_list)]):
        console = subprocess.run(
            [sys.executable, "-m", "ansinh", "import", *arguments], capture_output=True, timeout=60
        )
        assert console.returncode == 2, console.stderr


def test_a_changed_row_is_proposed_never_applied(good_list: Path, tmp_path: Path, world: World) -> None:
    run(str(good_list), "--category", "social_protection")
    changed = official_xlsx(
        tmp_path / "btxh-feb.xlsx",
        [
            ["Nguyễn Thị Lan", dt.date(1940, 3, 5), "Nữ", "001140001268", "00004", "", "Tổ 5", 750000, None, None],
        ],
    )
    code, out, _ = run(str(changed), "--category", "social_protection")
    assert code == 0
    assert summary(out)["changed"] == 1
    lan = Person.objects.get(citizen_id="001140001268")
    assert lan.hamlet == "Tổ 3"
    proposals = set(ProposedChange.objects.values_list("field", "current_value", "proposed_value"))
    assert proposals == {("hamlet", "Tổ 3", "Tổ 5"), ("monthly_amount", "500000", "750000")}
    run(str(changed), "--category", "social_protection")
    assert ProposedChange.objects.count() == 2  # a re-import does not propose the same change twice


def test_an_accepted_correction_is_not_undone_by_an_older_list(good_list: Path, world: World) -> None:
    run(str(good_list), "--category", "social_protection")
    lan = Person.objects.get(citizen_id="001140001268")
    ProposedChange.objects.create(
        person=lan, field="hamlet", current_value="Tổ 3", proposed_value="Tổ 9", status=ProposedChange.Status.ACCEPTED
    )
    Person.objects.filter(pk=lan.pk).update(hamlet="Tổ 9")
    _, out, _ = run(str(good_list), "--category", "social_protection")
    assert summary(out)["changed"] == 0
    assert not ProposedChange.objects.filter(status=ProposedChange.Status.PENDING).exists()


def test_a_household_members_id_is_a_conflict_not_a_match(good_list: Path, tmp_path: Path, world: World) -> None:
    run(str(good_list), "--category", "social_protection")
    other = official_xlsx(
        tmp_path / "other.xlsx",
        [
            ["Phạm Văn Minh", "1961", "Nam", "001140001268", "00004", "", "", 500000, None, None],
        ],
    )
    _, out, _ = run(str(other), "--category", "social_protection")
    assert summary(out)["new"] == 1 and summary(out)["warnings"] == 1
    assert Person.objects.filter(citizen_id="001140001268").count() == 2


def test_the_same_person_twice_in_one_file_counts_as_unchanged_with_a_warning(tmp_path: Path, world: World) -> None:
    path = official_xlsx(
        tmp_path / "twice.xlsx",
        [
            ["Nguyễn Văn An", "01/02/1950", "Nam", "001050001111", "00004", "", "", 500000, None, None],
            ["Nguyễn Văn An", "01/02/1950", "Nam", "001050001111", "00004", "", "", 500000, None, None],
        ],
    )
    _, out, _ = run(str(path), "--category", "social_protection")
    assert summary(out) == {"rows": 2, "new": 1, "changed": 0, "unchanged": 1, "invalid": 0, "warnings": 1}
    assert Person.objects.count() == 1


def test_account_columns_become_pending_requests_not_active_accounts(good_list: Path) -> None:
    run(str(good_list), "--category", "social_protection")
    request = AccountChangeRequest.objects.get()
    assert (request.account_number, request.bank_text, request.status) == ("0011001234567", "Vietcombank", "pending")
    run(str(good_list), "--category", "social_protection")
    assert AccountChangeRequest.objects.count() == 1


def test_people_missing_from_a_new_list_are_reported_not_deleted(good_list: Path, tmp_path: Path, world: World) -> None:
    from ansinh.imports.selectors import missing_from_list

    run(str(good_list), "--category", "social_protection")
    shorter = official_xlsx(
        tmp_path / "btxh-march.xlsx",
        [
            [
                "Nguyễn Thị Lan",
                dt.date(1940, 3, 5),
                "Nữ",
                "001140001268",
                "00004",
                "Phường Ba Đình",
                "Tổ 3",
                500000,
                "0011001234567",
                "Vietcombank",
            ],
        ],
    )
    code, out, _ = run(str(shorter), "--category", "social_protection")
    assert code == 0
    assert "missing: 1 people" in out  # Tran Van Hoa, of the same commune; Lê Văn Tám lives elsewhere
    assert summary(out)["unchanged"] == 1
    batch = ImportBatch.objects.latest("created_at")
    assert [p.full_name for p in missing_from_list(batch=batch)] == ["Tran Van Hoa"]
    assert Person.objects.count() == 3
