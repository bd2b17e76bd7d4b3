"""Cell values: dates, amounts, ID numbers, sex and phones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.reader import PartialDate
from ansinh.reader.values import (
    cell_text,
    parse_amount,
    parse_citizen_id,
    parse_date,
    parse_decimal,
    parse_phone,
    parse_sex,
)

TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        (dt.date(1950, 3, 4), "1950-03-04"),
        (dt.datetime(1950, 3, 4, 0, 0), "1950-03-04"),
        ("04/03/1950", "1950-03-04"),
        ("4/3/1950", "1950-03-04"),
        ("04.03.1950", "1950-03-04"),
        ("04-03-1950", "1950-03-04"),
        ("1950-03-04", "1950-03-04"),
        ("1950-03-04 00:00:00", "1950-03-04"),
        ("1945", "1945"),
        (1945.0, "1945"),
        (1945, "1945"),
        ("03/1950", "1950-03"),
        ("3/1950", "1950-03"),
        ("1950-03", "1950-03"),
        ("ngày 4 tháng 3 năm 1950", "1950-03-04"),
    ],
)
def test_accepted_date_forms(cell: object, iso: str) -> None:
    date, findings = parse_date(cell, TODAY)  # type: ignore[arg-type]
    assert date is not None and date.iso == iso
    assert findings == ()


def test_a_year_only_date_is_never_first_of_january() -> None:
    date, _ = parse_date("1945", TODAY)
    assert date == PartialDate(1945)
    assert (date.month, date.day, date.precision, date.as_date()) == (None, None, "year", None)  # type: ignore[union-attr]


def test_a_month_and_year_date_has_month_precision() -> None:
    date, _ = parse_date("03/1950", TODAY)
    assert date is not None and date.precision == "month" and date.iso == "1950-03"


@pytest.mark.parametrize(("cell", "year"), [("4/3/45", 1945), ("5/3/24", 2024), ("1/1/25", 2025), ("1/12/25", 1925)])
def test_two_digit_years_are_the_most_recent_past_year_with_a_warning(cell: str, year: int) -> None:
    date, findings = parse_date(cell, TODAY)
    assert date is not None and date.year == year
    assert [code for code, _ in findings] == ["date_two_digit_year"]


def test_a_month_above_twelve_is_read_swapped_with_a_warning() -> None:
    date, findings = parse_date("05/13/1950", TODAY)
    assert date == PartialDate(1950, 5, 13)
    assert findings == (("date_day_month_swapped", {"value": "05/13/1950", "date": "1950-05-13"}),)


def test_a_date_that_could_be_either_way_is_read_day_first_without_a_warning() -> None:
    date, findings = parse_date("05/06/1950", TODAY)
    assert date == PartialDate(1950, 6, 5)
    assert findings == ()


@pytest.mark.parametrize("cell", ["31/02/1950", "13/13/1950", "abc", "00/00/0000", "1950/13", True])
def test_unreadable_dates(cell: object) -> None:
    date, findings = parse_date(cell, TODAY)  # type: ignore[arg-type]
    assert date is None
    assert [code for code, _ in findings] == ["unreadable"]


def test_a_general_formatted_date_serial_is_read_with_a_warning() -> None:
    date, findings = parse_date(18000.0, TODAY)
    assert date == PartialDate(1949, 4, 12)
    assert [code for code, _ in findings] == ["date_serial"]


def test_partial_date_checks_and_iso_round_trip() -> None:
    assert PartialDate.from_iso("1950-03") == PartialDate(1950, 3)
    with pytest.raises(ValueError, match="day is out of range"):
        PartialDate.checked(1950, 2, 30)
    with pytest.raises(ValueError, match="month"):
        PartialDate.checked(1950, 13)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (1500000.0, 1500000),
        (1500000, 1500000),
        ("1500000", 1500000),
        ("1.500.000", 1500000),
        ("1,500,000 đ", 1500000),
        ("1 500 000", 1500000),
        ("1\u00a0500\u00a0000 VNĐ", 1500000),
        ("1.500.000,00", 1500000),
        ("1,500,000.00", 1500000),
        ("500.000 đồng", 500000),
    ],
)
def test_amounts_are_integer_dong(cell: object, amount: int) -> None:
    assert parse_amount(cell) == (amount, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["abc", "1.5", "1,50", -5.0, 1500000.5, "một triệu", "1.5 triệu"])
def test_amounts_that_are_not_whole_dong_are_errors(cell: object) -> None:
    amount, found = parse_amount(cell)  # type: ignore[arg-type]
    assert amount is None and found is not None and found[0] == "amount_not_number"


def test_an_empty_amount_is_no_amount_and_no_problem() -> None:
    assert parse_amount("  ") == (None, None)


@pytest.mark.parametrize(
    ("cell", "typed", "expected", "code"),
    [
        ("001190001268", True, "001190001268", None),
        ("123456789", True, "123456789", None),
        ("0011 9000 1268", True, "001190001268", None),
        ("'001190001268", True, "001190001268", None),
        (1190001268.0, True, "001190001268", "id_zeros_restored"),
        (11190001268, True, "011190001268", "id_zeros_restored"),
        (12345678.0, True, "012345678", "id_zeros_restored"),
        ("1190001268", False, "001190001268", "id_zeros_restored"),
        ("1190001268", True, None, "id_wrong_length"),
        ("12345", True, None, "id_wrong_length"),
        ("0011900A1268", True, None, "id_not_digits"),
        (1.5, True, None, "id_not_digits"),
    ],
)
def test_id_numbers(cell: object, typed: bool, expected: str | None, code: str | None) -> None:
    cid, found = parse_citizen_id(cell, typed=typed)  # type: ignore[arg-type]
    assert cid == expected
    assert (found[0] if found else None) == code


@pytest.mark.parametrize(
    ("cell", "sex"),
    [("Nam", "M"), ("NỮ", "F"), ("nu", "F"), ("M", "M"), ("f", "F"), ("Male", "M"), ("Female", "F"), (" Nữ ", "F")],
)
def test_sex_words(cell: str, sex: str) -> None:
    assert parse_sex(cell) == (sex, None)


def test_an_unknown_sex_is_a_warning() -> None:
    assert parse_sex("khác") == (None, ("sex_unreadable", {"value": "khác"}))


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        (912345678.0, "0912345678"),
        ("0912345678 - 0987654321", "0912345678"),
        ("02431234567", "02431234567"),
    ],
)
def test_phones_are_normalised(cell: object, phone: str) -> None:
    assert parse_phone(cell) == (phone, None)  # type: ignore[arg-type]


def test_a_phone_that_is_not_vietnamese_is_a_warning() -> None:
    assert parse_phone("123") == (None, ("phone_unreadable", {}))


def test_coefficients_are_decimals() -> None:
    assert parse_decimal(1.5) == (Decimal("1.5"), None)
    assert parse_decimal("2,5") == (Decimal("2.5"), None)
    assert parse_decimal("cao")[1] is not None


def test_cell_text_is_nfc_with_single_spaces() -> None:
    assert cell_text("  Nguye\u0302\u0303n   Văn  An ") == "Nguyễn Văn An"
    assert cell_text(12.0) == "12"
    assert cell_text(dt.datetime(1950, 3, 4)) == "1950-03-04"
