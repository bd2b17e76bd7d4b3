from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ansinh.synth import generate_lists, generate_population, write_lists
from ansinh.synth.layout import TITLES
from tests.synth.support import Run

CATEGORY_FILES = [f"{c}.xlsx" for c in TITLES]


def _sheet(path: Path) -> tuple[list[list[object]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


def test_one_workbook_per_category(run: Run) -> None:
    assert sorted(p.name for p in (run.out / "lists").iterdir()) == sorted(CATEGORY_FILES)


def test_workbook_has_title_rows_a_merged_two_row_header_a_number_row_and_a_signature_block(run: Run) -> None:
    rows, merges = _sheet(run.out / "lists" / "social_protection.xlsx")
    texts = [" ".join(str(c) for c in row if c != "") for row in rows]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts[0]
    assert "Độc lập - Tự do - Hạnh phúc" in texts[1]
    assert texts[3] == "DANH SÁCH ĐỐI TƯỢNG HƯỞNG TRỢ CẤP XÃ HỘI HÀNG THÁNG"
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    assert rows[header][:5] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND"]
    assert rows[header][5] == "Nơi cư trú" and rows[header + 1][5:8] == ["Mã xã", "Xã/phường", "Thôn/tổ"]
    assert rows[header + 1][9:11] == ["Số tài khoản", "Ngân hàng"]
    assert rows[header + 2] == [f"({i})" for i in range(1, 13)]
    assert ((header, 0), (header + 1, 0)) in merges  # STT spans both header rows
    assert ((header, 5), (header, 7)) in merges  # "Nơi cư trú" over three columns
    assert ((header, 9), (header, 10)) in merges
    tail = texts[-12:]
    assert any("NGƯỜI LẬP BIỂU" in t and "TM. ỦY BAN NHÂN DÂN" in t for t in tail)
    assert any("(Ký, ghi rõ họ tên)" in t for t in tail)
    assert any(t.startswith("Tổng cộng") for t in tail)


def test_truth_numbers_only_data_rows_and_points_at_them(run: Run) -> None:
    for name in CATEGORY_FILES:
        rows, _ = _sheet(run.out / "lists" / name)
        truth = [t for t in run.truth.to_pylist() if t["file"] == name]
        assert [t["data_row"] for t in truth] == list(range(1, len(truth) + 1))
        for record in truth:
            row = rows[record["sheet_row"] - 1]
            assert row[0] == record["data_row"]  # the STT column counts data rows too
            assert row[1] == record["listed_full_name"]
        data_sheet_rows = {t["sheet_row"] for t in truth}
        headings = [r for i, r in enumerate(rows, 1) if i not in data_sheet_rows and r[1] in {"Cộng", "Tổng cộng"}]
        assert headings  # subtotals exist and are not data rows


def test_dates_and_ids_are_written_as_real_lists_write_them(run: Run) -> None:
    rows, _ = _sheet(run.out / "lists" / "social_protection.xlsx")
    truth = [t for t in run.truth.to_pylist() if t["file"] == "social_protection.xlsx"]
    kinds = {"date_cell": dt.date, "text": str, "year": float}
    for record in truth:
        row = rows[record["sheet_row"] - 1]
        assert isinstance(row[2], kinds[record["date_format"]])
        if "id_as_number" in record["mistakes"]:
            assert isinstance(row[4], float)
            lengths = {8, 9} if "old_id" in record["mistakes"] else {10, 11}  # every province code starts with 0
            assert "wrong_digit" in record["mistakes"] or len(str(int(row[4]))) in lengths
        elif "missing_id" in record["mistakes"]:
            assert row[4] == ""
        elif "old_id" in record["mistakes"]:
            assert len(row[4]) == 9
        else:
            assert isinstance(row[4], str) and len(row[4]) == 12


def test_same_rows_give_byte_identical_workbooks(tmp_path: Path) -> None:
    def write(folder: str) -> dict[str, bytes]:
        lists = generate_lists(generate_population(provinces=["46"], size=5_000, seed=9), beneficiaries=400, seed=9)
        write_lists(tmp_path / folder, lists)
        return {p.name: p.read_bytes() for p in (tmp_path / folder).iterdir()}

    first, second = write("a"), write("b")
    assert first == second and len(first) == 6


def test_csv_lists_have_the_same_lines_as_text(tmp_path: Path) -> None:
    lists = generate_lists(generate_population(provinces=["46"], size=5_000, seed=9), beneficiaries=400, seed=9)
    truth = write_lists(tmp_path, lists, list_format="csv").to_pylist()
    with (tmp_path / "other.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert "DANH SÁCH ĐỐI TƯỢNG KHÁC HƯỞNG TRỢ CẤP HÀNG THÁNG" in lines[3]
    for record in (t for t in truth if t["file"] == "other.csv"):
        line = lines[record["sheet_row"] - 1]
        assert line[0] == str(record["data_row"]) and line[1] == record["listed_full_name"]


@pytest.mark.parametrize("sex", ["Nam", "Nữ"])
def test_sex_split_layout_puts_the_birth_date_under_nam_or_nu(tmp_path: Path, sex: str) -> None:
    lists = generate_lists(generate_population(provinces=["46"], size=5_000, seed=9), beneficiaries=400, seed=9)
    truth = write_lists(tmp_path, lists, layout="sex_split").to_pylist()
    rows, merges = _sheet(tmp_path / "social_pension.xlsx")
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    assert rows[header][2] == "Ngày sinh" and rows[header + 1][2:4] == ["Nam", "Nữ"]
    assert ((header, 2), (header, 3)) in merges
    column, other = (2, 3) if sex == "Nam" else (3, 2)
    for record in (t for t in truth if t["file"] == "social_pension.xlsx"):
        if (record["true_sex"] == "M") == (sex == "Nam"):
            row = rows[record["sheet_row"] - 1]
            assert row[column] != "" and row[other] == ""
