"""An official-layout Excel list: titles, a two-row merged header, column numbers, groups, totals, signatures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ansinh.reader import DataRow, ListFile, PartialDate, read_list
from tests.reader.builders import official_xlsx

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def listing(tmp_path: Path) -> ListFile:
    return read_list(official_xlsx(tmp_path / "ds_bao_tro.xlsx"), today=TODAY)


@pytest.fixture
def rows(listing: ListFile) -> list[DataRow]:
    return list(listing.rows)


def codes(row: DataRow) -> list[str]:
    return [p.code for p in row.problems]


def test_header_is_found_under_the_title_rows_and_spans_two_rows(listing: ListFile) -> None:
    assert listing.sheet == "Danh sách"
    assert listing.header_row == 7
    assert listing.header_rows == 2
    assert listing.first_data_sheet_row == 9


def test_merged_header_cells_are_combined_with_the_row_below(listing: ListFile) -> None:
    by_letter = {c.letter: c for c in listing.columns}
    assert by_letter["C"].header_text == "Ngày sinh / Nam"
    assert by_letter["C"].field == "date_of_birth_male"
    assert by_letter["D"].field == "date_of_birth_female"
    assert by_letter["J"].field == "account_number"
    assert by_letter["K"].field == "bank"
    assert by_letter["K"].header_text == "Tài khoản / Ngân hàng"
    assert by_letter["B"].field == "full_name"
    assert by_letter["A"].field == "row_number"
    assert by_letter["N"].field == "amount"


def test_unknown_columns_are_kept_with_their_header(listing: ListFile, rows: list[DataRow]) -> None:
    assert [c.header_text for c in listing.unknown_columns] == ["Dân tộc"]
    assert rows[0].raw["Dân tộc"] == "Kinh"


def test_data_rows_are_numbered_among_data_rows_with_their_sheet_rows(rows: list[DataRow]) -> None:
    assert [(r.data_row, r.sheet_row) for r in rows] == [(1, 11), (2, 12), (3, 13), (4, 16), (5, 17), (6, 18), (7, 19)]


def test_column_numbers_groups_totals_and_signature_block_are_not_data(listing: ListFile, rows: list[DataRow]) -> None:
    assert listing.data_rows == 7
    assert listing.skipped["header"] == 1  # the (1) (2) (3) row
    assert listing.skipped["heading"] == 2
    assert listing.skipped["total"] == 2
    assert listing.skipped["signature"] >= 4
    assert "Người lập biểu" not in [r.full_name for r in rows]


def test_a_name_under_the_signature_block_is_reported_not_read(listing: ListFile, rows: list[DataRow]) -> None:
    assert "Đỗ Văn Lập" not in [r.full_name for r in rows]
    after = [p for p in listing.problems if p.code == "row_after_signature"]
    assert [p.sheet_row for p in after] == [28]


def test_rows_carry_their_group_heading(rows: list[DataRow]) -> None:
    assert rows[0].group == "I Người cao tuổi"
    assert rows[3].group == "II Người khuyết tật"


def test_birth_date_under_nam_or_nu_gives_date_and_sex(rows: list[DataRow]) -> None:
    assert rows[0].date_of_birth == PartialDate(1940, 3, 4)
    assert rows[0].sex == "M"
    assert rows[1].date_of_birth == PartialDate(1945)
    assert rows[1].date_of_birth.precision == "year"  # type: ignore[union-attr]
    assert rows[1].sex == "F"


def test_id_typed_as_a_number_gets_its_zeros_back_with_a_warning(rows: list[DataRow]) -> None:
    assert rows[0].citizen_id == "001040001234"
    problem = next(p for p in rows[0].problems if p.code == "id_zeros_restored")
    assert problem.level == "warning"
    assert (problem.column_letter, problem.column_header) == ("E", "Số CCCD/CMND")
    assert (problem.file_name, problem.sheet, problem.sheet_row, problem.data_row) == (
        "ds_bao_tro.xlsx",
        "Danh sách",
        11,
        1,
    )
    assert problem.column == "Số CCCD/CMND (E)"


def test_formula_cells_give_their_cached_value(rows: list[DataRow]) -> None:
    assert rows[0].amount == 750000


def test_amounts_written_with_separators_are_integer_dong(rows: list[DataRow]) -> None:
    assert [r.amount for r in rows[:4]] == [750000, 1000000, 1500000, 1500000]


def test_commune_code_typed_as_a_number_keeps_five_digits(rows: list[DataRow]) -> None:
    assert rows[1].values["commune_code"] == "00103"


def test_coefficient_is_a_decimal(rows: list[DataRow]) -> None:
    assert rows[0].values["coefficient"] == Decimal("1.5")


def test_impossible_month_is_read_swapped_with_a_warning(rows: list[DataRow]) -> None:
    assert rows[2].date_of_birth == PartialDate(1950, 5, 13)
    assert "date_day_month_swapped" in codes(rows[2])


def test_wrong_length_id_is_kept_raw_but_not_used(rows: list[DataRow]) -> None:
    assert rows[2].citizen_id is None
    assert rows[2].raw["Số CCCD/CMND"] == "12345"
    assert "id_wrong_length" in codes(rows[2])
    assert rows[2].is_valid


def test_two_digit_year_is_read_as_the_most_recent_past_year(rows: list[DataRow]) -> None:
    assert rows[3].date_of_birth == PartialDate(1945, 3, 4)
    assert "date_two_digit_year" in codes(rows[3])


def test_an_id_contradicting_the_birth_year_is_a_warning(rows: list[DataRow]) -> None:
    problem = next(p for p in rows[3].problems if p.code == "id_birth_year")
    assert problem.level == "warning"
    assert problem.params == {"id_year": 2045, "year": 1945}


def test_missing_birth_date_and_unreadable_amount_are_errors(rows: list[DataRow]) -> None:
    row = rows[4]
    assert set(codes(row)) == {"birth_date_missing", "amount_not_number"}
    assert not row.is_valid
    amount = next(p for p in row.problems if p.code == "amount_not_number")
    assert (amount.level, amount.column_letter) == ("error", "N")
    assert "một triệu" in amount.text


def test_the_same_person_twice_is_a_warning_on_the_later_row(rows: list[DataRow]) -> None:
    problem = next(p for p in rows[5].problems if p.code == "duplicate_in_file")
    assert problem.level == "warning"
    assert problem.params == {"data_row": 1, "sheet_row": 11}
    assert "duplicate_in_file" not in codes(rows[0])


def test_a_row_with_an_id_and_no_name_is_a_data_row_with_an_error(rows: list[DataRow]) -> None:
    row = rows[6]
    assert row.citizen_id == "001145009999"
    assert "missing_name" in codes(row)
    assert not row.is_valid


def test_raw_holds_every_cell_as_text(rows: list[DataRow]) -> None:
    raw = rows[0].raw
    assert raw["Họ và tên"] == "Nguyễn Văn An"
    assert raw["Ngày sinh / Nam"] == "1940-03-04"
    assert raw["Số CCCD/CMND"] == "1040001234"
    assert raw["Ghi chú"] == ""


def test_a_mapping_override_replaces_the_detected_mapping(tmp_path: Path) -> None:
    path = official_xlsx(tmp_path / "ds.xlsx")
    detected = read_list(path, today=TODAY)
    mapping = dict(detected.mapping)
    mapping[12] = "note"  # "Dân tộc" (M) read as a note
    del mapping[13]  # the amount column left unread
    listing = read_list(path, mapping=mapping, today=TODAY)
    first = next(listing.rows)
    assert first.values["note"] == "Kinh"
    assert "amount" not in first.values
    assert listing.detected_mapping[13] == "amount"


def test_a_mapping_naming_an_unknown_field_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="favourite_colour"):
        read_list(official_xlsx(tmp_path / "ds.xlsx"), mapping={1: "favourite_colour"})
