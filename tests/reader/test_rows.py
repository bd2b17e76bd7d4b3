"""Which rows are data rows, and the row-level reading rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from ansinh.reader import DataRow, ListFile, PartialDate, read_list
from tests.reader.builders import simple_rows_xlsx

TODAY = dt.date(2025, 6, 1)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Xã"]


def read(tmp_path: Path, rows: list[list[object]], header: list[str] = HEADER) -> tuple[ListFile, list[DataRow]]:
    listing = read_list(simple_rows_xlsx(tmp_path / "ds.xlsx", header, rows), today=TODAY)
    return listing, list(listing.rows)


def codes(row: DataRow) -> list[str]:
    return [p.code for p in row.problems]


def test_names_that_start_like_total_words_are_people(tmp_path: Path) -> None:
    listing, rows = read(
        tmp_path,
        [[1, "Công Văn Bảy", None], [2, "Tống Thị Lan", None], [3, "Tô Thị Hoa", None], [None, "Cộng", None]],
    )
    assert [r.full_name for r in rows] == ["Công Văn Bảy", "Tống Thị Lan", "Tô Thị Hoa"]
    assert all(codes(r) == ["birth_date_missing"] for r in rows)
    assert listing.skipped["total"] == 1


def test_blank_rows_are_skipped_and_numbering_continues(tmp_path: Path) -> None:
    _, rows = read(tmp_path, [[1, "Nguyễn Văn An", "1940"], [], [], [2, "Trần Thị Bình", "1941"]])
    assert [(r.data_row, r.sheet_row) for r in rows] == [(1, 2), (2, 5)]


def test_a_hamlet_heading_becomes_the_group_of_the_rows_below(tmp_path: Path) -> None:
    listing, rows = read(
        tmp_path,
        [[None, "Thôn 1", None], [1, "Nguyễn Văn An", "1940"], [None, "Thôn Đông", None], [2, "Lê Văn Ba", "1941"]],
    )
    assert [r.group for r in rows] == ["Thôn 1", "Thôn Đông"]
    assert listing.skipped["heading"] == 2


def test_a_column_letter_row_under_the_header_is_skipped(tmp_path: Path) -> None:
    listing, rows = read(tmp_path, [["A", "B", "C", "D", "E"], [1, "Nguyễn Văn An", "1940"]])
    assert [r.full_name for r in rows] == ["Nguyễn Văn An"]
    assert listing.skipped["header"] == 1


def test_a_repeated_header_row_is_skipped(tmp_path: Path) -> None:
    listing, rows = read(tmp_path, [[1, "Nguyễn Văn An", "1940"], HEADER, [2, "Lê Văn Ba", "1941"]])  # type: ignore[list-item]
    assert [r.full_name for r in rows] == ["Nguyễn Văn An", "Lê Văn Ba"]
    assert listing.skipped["header"] == 1


def test_a_row_that_is_a_sentence_is_reported_not_read(tmp_path: Path) -> None:
    listing, rows = read(tmp_path, [[1, "Nguyễn Văn An", "1940"], [None, "Số liệu trên đã rà soát đủ: 1 người", None]])
    assert len(rows) == 1
    assert [p.code for p in listing.problems] == ["row_not_a_name"]
    assert listing.problems[0].sheet_row == 3


def test_a_row_with_neither_name_nor_id_is_reported_not_read(tmp_path: Path) -> None:
    listing, rows = read(tmp_path, [[1, "Nguyễn Văn An", "1940"], [None, None, "1950", None, "Xã Hòa Bình"]])
    assert len(rows) == 1
    assert [(p.code, p.level, p.data_row) for p in listing.problems] == [("row_ignored", "warning", None)]


def test_english_headers(tmp_path: Path) -> None:
    header = ["No.", "Full name", "DOB", "Sex", "ID number", "Commune code", "Amount", "Phone"]
    _, rows = read(
        tmp_path,
        [[1, "Nguyen Thi Lan", dt.date(1950, 3, 4), "F", "001150001268", "103", 500000, "+84912345678"]],
        header,
    )
    row = rows[0]
    assert row.values == {
        "row_number": "1",
        "full_name": "Nguyen Thi Lan",
        "date_of_birth": PartialDate(1950, 3, 4),
        "sex": "F",
        "citizen_id": "001150001268",
        "commune_code": "00103",
        "amount": 500000,
        "phone": "0912345678",
    }
    assert row.problems == []


def test_family_and_given_name_columns_are_joined(tmp_path: Path) -> None:
    _, rows = read(tmp_path, [[1, "Nguyễn Thị", "Lan", "1950"]], ["TT", "Họ và tên đệm", "Tên", "Năm sinh"])
    assert rows[0].full_name == "Nguyễn Thị Lan"


def test_an_id_contradicting_the_stated_sex_is_a_warning(tmp_path: Path) -> None:
    _, rows = read(tmp_path, [[1, "Nguyễn Văn An", "1990", "001190001268"]], ["TT", "Họ tên", "Năm sinh", "CCCD"])
    assert codes(rows[0]) == []  # no sex stated
    _, rows = read(
        tmp_path,
        [[1, "Nguyễn Văn An", "1990", "001190001268", "Nam"]],
        ["TT", "Họ tên", "Năm sinh", "CCCD", "Giới tính"],
    )
    assert codes(rows[0]) == ["id_sex"]


def test_a_birth_date_in_the_future_is_an_error(tmp_path: Path) -> None:
    _, rows = read(tmp_path, [[1, "Nguyễn Văn An", "01/01/2030"]])
    assert codes(rows[0]) == ["birth_date_implausible"]
    assert rows[0].date_of_birth is None


def test_an_unreadable_birth_date_is_an_error_naming_the_column(tmp_path: Path) -> None:
    _, rows = read(tmp_path, [[1, "Nguyễn Văn An", "khoảng 1940"]])
    problem = rows[0].problems[0]
    assert (problem.code, problem.level, problem.column_letter, problem.column_header) == (
        "birth_date_unreadable",
        "error",
        "C",
        "Ngày sinh",
    )


def test_namesakes_born_the_same_year_with_different_ids_are_not_duplicates(tmp_path: Path) -> None:
    _, rows = read(
        tmp_path,
        [
            [1, "Nguyễn Văn An", "1940", "001040001111", "Hòa Bình"],
            [2, "Nguyễn Văn An", "1940", "001040002222", "Hòa Bình"],
            [3, "NGUYEN VAN AN", "1940", None, "Hòa Bình"],
            [4, "Nguyễn Văn An", "1940", None, "Tây Hồ"],
        ],
    )
    assert [codes(r) for r in rows] == [[], [], ["duplicate_in_file"], []]
    assert rows[2].problems[0].params == {"data_row": 1, "sheet_row": 2}


def test_sex_marked_with_x_under_nam_or_nu(tmp_path: Path) -> None:
    path = tmp_path / "marks.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.merge_range("A1:A2", "Họ và tên")
    ws.merge_range("B1:B2", "Năm sinh")
    ws.merge_range("C1:D1", "Giới tính")
    ws.write_row("C2", ["Nam", "Nữ"])
    ws.write_row("A3", ["Nguyễn Thị Lan", "1950", "", "x"])
    ws.write_row("A4", ["Lê Văn Ba", "1951", "x", ""])
    wb.close()
    listing = read_list(path, today=TODAY)
    assert [c.field for c in listing.columns] == ["full_name", "date_of_birth", "sex_male_mark", "sex_female_mark"]
    assert [r.sex for r in listing.rows] == ["F", "M"]


def test_a_birth_date_under_both_nam_and_nu_leaves_the_sex_open(tmp_path: Path) -> None:
    path = tmp_path / "both.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.merge_range("A1:A2", "Họ và tên")
    ws.merge_range("B1:C1", "Ngày sinh")
    ws.write_row("B2", ["Nam", "Nữ"])
    ws.merge_range("D1:D2", "Giới tính")
    ws.write_row("A3", ["Nguyễn Thị Lan", "1950", "1950"])
    ws.write_row("A4", ["Lê Văn Ba", "", "1951", "Nam"])
    wb.close()
    rows = list(read_list(path, today=TODAY).rows)
    assert (rows[0].sex, codes(rows[0])) == (None, ["birth_date_both_sexes"])
    assert rows[1].sex == "M"
    assert codes(rows[1]) == ["sex_conflict"]


def test_a_cell_merged_down_over_several_people_gives_each_of_them_its_value(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row("A1", ["Họ và tên", "Năm sinh", "Thôn"])
    ws.write_row("A2", ["Nguyễn Văn An", "1940"])
    ws.write_row("A3", ["Lê Văn Ba", "1941"])
    ws.write_row("A4", ["Trần Thị Cúc", "1942"])
    ws.merge_range("C2:C4", "Thôn Đông")
    wb.close()
    rows = list(read_list(path, today=TODAY).rows)
    assert [r.values.get("address") for r in rows] == ["Thôn Đông"] * 3


def test_the_first_sheet_with_a_header_is_read_unless_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "sheets.xlsx"
    wb = openpyxl.Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "Hướng dẫn"
    notes.append(["Điền danh sách vào trang sau"])
    hidden = wb.create_sheet("Ẩn")
    hidden.append(["Họ và tên", "Năm sinh"])
    hidden.append(["Người Ẩn", "1930"])
    hidden.sheet_state = "hidden"
    for name, person in (("Thôn 1", "Nguyễn Văn An"), ("Thôn 2", "Lê Văn Ba")):
        sheet = wb.create_sheet(name)
        sheet.append(["Họ và tên", "Năm sinh"])
        sheet.append([person, "1940"])
    wb.save(path)
    assert read_list(path).sheet == "Thôn 1"
    named = read_list(path, sheet="Thôn 2")
    assert (named.sheet, next(named.rows).full_name) == ("Thôn 2", "Lê Văn Ba")


def test_an_old_xls_workbook_is_read(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    path = tmp_path / "old.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("DS")
    sheet.write(0, 0, "DANH SÁCH ĐỐI TƯỢNG")
    for c, text in enumerate(["STT", "Họ và tên", "Ngày sinh", "Số CCCD"]):
        sheet.write(2, c, text)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    sheet.write(3, 0, 1)
    sheet.write(3, 1, "Nguyễn Thị Lan")
    sheet.write(3, 2, dt.datetime(1950, 3, 4), date_style)
    sheet.write(3, 3, 1150001268)
    book.save(str(path))
    listing = read_list(path, today=TODAY)
    row = next(listing.rows)
    assert (listing.header_row, row.sheet_row) == (3, 4)
    assert (row.full_name, row.date_of_birth, row.citizen_id) == (
        "Nguyễn Thị Lan",
        PartialDate(1950, 3, 4),
        "001150001268",
    )


def test_texts_are_stored_nfc_with_single_spaces(tmp_path: Path) -> None:
    decomposed = "Nguye\u0302\u0303n  Thi\u0323 Lan "
    _, rows = read(tmp_path, [[1, decomposed, "1950", None, " Hòa   Bình"], [2, "Lê Văn Ba", "1951", None, "Tây Hồ"]])
    assert rows[0].full_name == "Nguyễn Thị Lan"
    assert rows[0].values["commune_name"] == "Hòa Bình"
    assert rows[0].raw["Họ và tên"] == "Nguyễn Thị Lan"
    assert rows[1].values["commune_name"] == "Tây Hồ"
