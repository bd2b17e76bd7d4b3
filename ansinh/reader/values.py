"""Parsing of cell values: dates (full, month-and-year, year-only), amounts in VND, ID numbers, sex, phones.

Each parser takes a cell as calamine or the CSV reader gives it (str, float, int, date, datetime...) and
returns the value and, when something was assumed or cannot be read, a problem code with its parameters
(the codes and messages live in `ansinh.reader.problems`). Parsers are called for every data row, so
they dispatch on the cell's type first and use precompiled patterns.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from unicodedata import is_normalized

from ansinh.lib.text import nfc
from ansinh.reader.model import Cell, PartialDate

Found = tuple[str, dict[str, object]] | None  # a problem code and its parameters

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MIN_YEAR = 1850


def clean_text(text: str) -> str:
    """`nfc`, with a shortcut for the usual cell that is already clean (all checks in C)."""
    if (
        text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
        and is_normalized("NFC", text)
    ):  # fmt: skip
        return text
    return nfc(text)


def cell_text(value: Cell) -> str:
    """A cell as text: NFC for strings, integers without ".0", ISO for dates."""
    kind = type(value)
    if kind is str:
        return clean_text(value) if value else ""  # type: ignore[arg-type]
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[union-attr]
    if kind is dt.datetime:
        if value.hour or value.minute or value.second:  # type: ignore[union-attr]
            return value.isoformat(sep=" ")  # type: ignore[union-attr, call-arg]
        return value.date().isoformat()  # type: ignore[union-attr]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    return str(value)


# --- dates -------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_YMD = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})")
_MY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YM = re.compile(r"(\d{4})[/.\-](\d{1,2})")
_Y = re.compile(r"\d{4}")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_WORDS = re.compile(r"(?:ngày|ngay)\s*(\d{1,2})\s*(?:tháng|thang)\s*(\d{1,2})\s*(?:năm|nam)\s*(\d{4})", re.IGNORECASE)


Findings = tuple[tuple[str, dict[str, object]], ...]
_NONE: Findings = ()


def _full(value: str, year: int, month: int, day: int) -> tuple[PartialDate | None, Findings]:
    """A day-precision date, or the day and month swapped when the month cannot be a month."""
    try:
        return PartialDate(year, month, day), _NONE
    except ValueError:
        pass
    if month > 12 and day <= 12:
        try:
            swapped = PartialDate(year, day, month)
        except ValueError:
            return None, (("unreadable", {"value": value}),)
        return swapped, (("date_day_month_swapped", {"value": value, "date": swapped.iso}),)
    return None, (("unreadable", {"value": value}),)


def _two_digit_year(short: int, month: int, day: int, today: dt.date) -> int:
    """The most recent year ending in `short` that does not put the date in the future."""
    year = today.year // 100 * 100 + short
    try:
        future = dt.date(year, month, day) > today
    except ValueError:
        future = year > today.year
    return year - 100 if future else year


def parse_date(value: Cell, today: dt.date | None = None) -> tuple[PartialDate | None, Findings]:
    """A cell as a partial date, with what was assumed to read it.

    Accepted: Excel date cells, d/m/yyyy (also with "." or "-"), d/m/yy (the most recent past year, a
    warning), yyyy-mm-dd, yyyy, mm/yyyy, yyyy-mm, "ngày d tháng m năm yyyy", and a bare number that is a
    year or, with a warning, an Excel serial day. A month above 12 with a day up to 12 is read swapped,
    with a warning. The code "unreadable" means nothing could be read; the caller chooses its level.
    """
    kind = type(value)
    if kind is dt.datetime or kind is dt.date:
        return PartialDate(value.year, value.month, value.day), _NONE  # type: ignore[union-attr]
    if kind is float or kind is int:
        number = float(value)  # type: ignore[arg-type]
        if number.is_integer() and _MIN_YEAR <= number <= 2200:
            return PartialDate(int(number)), _NONE
        if number.is_integer() and 0 < number < 80000:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
            return PartialDate.from_date(day), (("date_serial", {"value": cell_text(value), "date": day.isoformat()}),)
        return None, (("unreadable", {"value": cell_text(value)}),)
    if kind is not str:
        return None, (("unreadable", {"value": cell_text(value)}),)
    text = value.strip()  # type: ignore[union-attr]
    if not text:
        return None, _NONE
    if ":" in text:
        text = _TIME_SUFFIX.sub("", text)
    m = _DMY.fullmatch(text)
    if m:
        day, month, year_text = int(m[1]), int(m[2]), m[3]
        if len(year_text) == 4:
            return _full(text, int(year_text), month, day)
        swapped = month > 12 and day <= 12
        if swapped:
            day, month = month, day
        try:
            year = _two_digit_year(int(year_text), month, day, today or dt.date.today())
            date = PartialDate(year, month, day)
        except ValueError:
            return None, (("unreadable", {"value": text}),)
        found: Findings = (("date_two_digit_year", {"value": text, "year": year}),)
        if swapped:
            found += (("date_day_month_swapped", {"value": text, "date": date.iso}),)
        return date, found
    m = _YMD.fullmatch(text)
    if m:
        return _full(text, int(m[1]), int(m[2]), int(m[3]))
    if _Y.fullmatch(text):
        return PartialDate(int(text)), _NONE
    m = _MY.fullmatch(text) or _YM.fullmatch(text)
    if m:
        month, year = (int(m[1]), int(m[2])) if len(m[1]) <= 2 else (int(m[2]), int(m[1]))
        if 1 <= month <= 12:
            return PartialDate(year, month), _NONE
        return None, (("unreadable", {"value": text}),)
    m = _WORDS.search(text)
    if m:
        return _full(text, int(m[3]), int(m[2]), int(m[1]))
    return None, (("unreadable", {"value": text}),)


def birth_date_plausible(date: PartialDate, today: dt.date) -> bool:
    if date.year < _MIN_YEAR or date.year > today.year:
        return False
    full = date.as_date()
    return full is None or full <= today


# --- amounts -----------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(?i)\s*(?:vnđ|vnd|việt nam đồng|đồng|dong|đ|d|₫)\.?\s*$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"(\d{1,3}(?:([.,])\d{3})*|\d+)([.,])(\d{1,2})")


def parse_amount(value: Cell) -> tuple[int | None, Found]:
    """An amount as integer VND: numbers, or text with ".", "," or space separators and a currency word."""
    kind = type(value)
    if kind is float or kind is int:
        number = float(value)  # type: ignore[arg-type]
        if number.is_integer() and number >= 0:
            return int(number), None
        return None, ("amount_not_number", {"value": cell_text(value)})
    if kind is not str:
        return None, ("amount_not_number", {"value": cell_text(value)})
    text = value.strip()  # type: ignore[union-attr]
    if not text:
        return None, None
    compact = _SPACES.sub("", _CURRENCY.sub("", text))
    if compact.isdigit() and compact.isascii():
        return int(compact), None
    if _GROUPED.fullmatch(compact):
        return int(compact.replace(".", "").replace(",", "")), None
    m = _DECIMAL.fullmatch(compact)
    if m and m[3] != m[2] and int(m[4]) == 0:
        return int(m[1].replace(".", "").replace(",", "")), None
    return None, ("amount_not_number", {"value": text})


def parse_decimal(value: Cell) -> tuple[Decimal | None, Found]:
    """A coefficient such as 1.5 or "1,5"."""
    kind = type(value)
    if kind is float or kind is int:
        return Decimal(repr(float(value))).normalize(), None  # type: ignore[arg-type]
    text = cell_text(value).replace(",", ".")
    if not text:
        return None, None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, ("coefficient_unreadable", {"value": text})
    if not number.is_finite():
        return None, ("coefficient_unreadable", {"value": text})
    return number.normalize(), None


# --- ID numbers --------------------------------------------------------------------------------------

_ID_STRIP = re.compile(r"[\s\u00a0'\"`]+")


def parse_citizen_id(value: Cell, *, typed: bool) -> tuple[str | None, Found]:
    """A 12-digit ID or a 9-digit old ID; None (with a warning) when it is neither.

    `typed` says whether a cell type is known (Excel). A number cell, or any digits-only cell when the
    format has no types (CSV), has lost its leading zeros if it has 10 or 11 digits (12 restored) or 8
    (9 restored), with a warning.
    """
    kind = type(value)
    numeric = kind is float or kind is int
    if numeric:
        number = float(value)  # type: ignore[arg-type]
        if not number.is_integer() or number < 0:
            return None, ("id_not_digits", {})
        digits = str(int(number))
    else:
        digits = _ID_STRIP.sub("", cell_text(value))
        if not digits:
            return None, None
        if not (digits.isdigit() and digits.isascii()):
            return None, ("id_not_digits", {})
    length = len(digits)
    if length in (12, 9):
        return digits, None
    if numeric or not typed:
        if length in (10, 11):
            return digits.zfill(12), ("id_zeros_restored", {"count": 12 - length, "length": 12})
        if length == 8:
            return digits.zfill(9), ("id_zeros_restored", {"count": 1, "length": 9})
    return None, ("id_wrong_length", {"length": length})


# --- sex, phone ----------------------------------------------------------------------------------------

_SEX = {
    "nam": "M", "m": "M", "male": "M", "trai": "M", "nam giới": "M", "nam gioi": "M", "man": "M",
    "nữ": "F", "nu": "F", "f": "F", "female": "F", "gái": "F", "gai": "F", "nữ giới": "F", "nu gioi": "F",
    "woman": "F", "nư": "F",
}  # fmt: skip


def parse_sex(value: Cell) -> tuple[str | None, Found]:
    text = cell_text(value)
    if not text:
        return None, None
    sex = _SEX.get(text.lower().rstrip("."))
    if sex is None:
        return None, ("sex_unreadable", {"value": text})
    return sex, None


def is_mark(value: Cell) -> bool:
    """A cell that marks a column ("x", "X", "1", "✓", anything written)."""
    if type(value) is str:
        return bool(value.strip())  # type: ignore[union-attr]
    return value is not None and value != "" and value != 0


_PHONE_NOISE = re.compile(r"[\s\u00a0.\-()/]+")
_PHONE = re.compile(r"0\d{9,10}")


def parse_phone(value: Cell) -> tuple[str | None, Found]:
    """A Vietnamese phone number as 0xxxxxxxxx; +84 and 84 become 0, a number cell gets its zero back."""
    kind = type(value)
    if kind is float or kind is int:
        text = cell_text(value)
        if len(text) in (9, 10) and not text.startswith("0") and not text.startswith("84"):
            text = "0" + text
    else:
        text = cell_text(value)
        if not text:
            return None, None
        text = re.split(r"[,;]| - |\s-\s|/\s", text)[0]
    digits = _PHONE_NOISE.sub("", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if _PHONE.fullmatch(digits):
        return digits, None
    return None, ("phone_unreadable", {})


_COMMUNE_DIGITS = re.compile(r"\d{1,5}")


def parse_commune_code(value: Cell) -> str:
    """A commune code as text; a code that lost its leading zeros as a number gets them back (5 digits)."""
    text = cell_text(value)
    if _COMMUNE_DIGITS.fullmatch(text):
        return text.zfill(5)
    return text
