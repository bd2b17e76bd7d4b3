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


def cell_text(value: Cell) -> str:  # noqa: PLR0911 - one return per cell type
    """A cell as text: NFC with single spaces for strings, integers without ".0", ISO for dates."""
    if isinstance(value, str):
        # The usual cell is already clean: check that with C-level calls only before normalising.
        if (
            value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "
            and is_normalized("NFC", value)
        ):  # fmt: skip
            return value
        return nfc(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.hour or value.minute or value.second:
            return value.isoformat(sep=" ")
        return value.date().isoformat()
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


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _full(value: str, year: int, month: int, day: int) -> tuple[PartialDate | None, Findings]:
    """A day-precision date, or the day and month swapped when the month cannot be a month."""
    if _valid(year, month, day):
        return PartialDate(year, month, day), _NONE
    if month > 12 and day <= 12 and _valid(year, day, month):
        swapped = PartialDate(year, day, month)
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


def _from_number(value: float) -> tuple[PartialDate | None, Findings]:
    if value.is_integer() and _MIN_YEAR <= value <= 2200:
        return PartialDate(int(value)), _NONE
    if value.is_integer() and 0 < value < 80000:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return PartialDate.from_date(day), (("date_serial", {"value": cell_text(value), "date": day.isoformat()}),)
    return None, (("unreadable", {"value": cell_text(value)}),)


def _from_short_year(
    text: str, day: int, month: int, short: int, today: dt.date
) -> tuple[PartialDate | None, Findings]:
    """d/m/yy: the most recent past year, with a warning; a month above 12 swapped with the day."""
    swapped = month > 12 and day <= 12
    if swapped:
        day, month = month, day
    year = _two_digit_year(short, month, day, today)
    if not _valid(year, month, day):
        return None, (("unreadable", {"value": text}),)
    date = PartialDate(year, month, day)
    found: Findings = (("date_two_digit_year", {"value": text, "year": year}),)
    if swapped:
        found += (("date_day_month_swapped", {"value": text, "date": date.iso}),)
    return date, found


def parse_date(value: Cell, today: dt.date | None = None) -> tuple[PartialDate | None, Findings]:  # noqa: PLR0911
    """A cell as a partial date, with what was assumed to read it.

    Accepted: Excel date cells, d/m/yyyy (also with "." or "-"), d/m/yy (the most recent past year, a
    warning), yyyy-mm-dd, yyyy, mm/yyyy, yyyy-mm, "ngày d tháng m năm yyyy", and a bare number that is a
    year or, with a warning, an Excel serial day. A month above 12 with a day up to 12 is read swapped,
    with a warning. The code "unreadable" means nothing could be read; the caller chooses its level.
    """
    if isinstance(value, dt.date):  # datetime too
        return PartialDate(value.year, value.month, value.day), _NONE
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(float(value))
    if not isinstance(value, str):
        return None, (("unreadable", {"value": cell_text(value)}),)
    text = value.strip()
    if not text:
        return None, _NONE
    if ":" in text:
        text = _TIME_SUFFIX.sub("", text)
    m = _DMY.fullmatch(text)
    if m:
        if len(m[3]) == 4:
            return _full(text, int(m[3]), int(m[2]), int(m[1]))
        return _from_short_year(text, int(m[1]), int(m[2]), int(m[3]), today or dt.date.today())
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
    if _MIN_YEAR <= date.year < today.year:
        return True
    if date.year < _MIN_YEAR or date.year > today.year:
        return False
    full = date.as_date()
    return full is None or full <= today


# --- amounts -----------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(?i)\s*(?:vnđ|vnd|việt nam đồng|đồng|dong|đ|d|₫)\.?\s*$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"(\d{1,3}(?:([.,])\d{3})*|\d+)([.,])(\d{1,2})")


def _number(value: Cell) -> float | None:
    """The cell's number when it is a number cell (not a boolean)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def parse_amount(value: Cell) -> tuple[int | None, Found]:  # noqa: PLR0911 - one return per written form
    """An amount as integer VND: numbers, or text with ".", "," or space separators and a currency word."""
    number = _number(value)
    if number is not None:
        if number.is_integer() and number >= 0:
            return int(number), None
        return None, ("amount_not_number", {"value": cell_text(value)})
    if not isinstance(value, str):
        return None, ("amount_not_number", {"value": cell_text(value)})
    text = value.strip()
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


_DECIMALS: dict[float, Decimal] = {}


def parse_decimal(value: Cell) -> tuple[Decimal | None, Found]:
    """A coefficient such as 1.5 or "1,5"."""
    number = _number(value)
    if number is not None:
        cached = _DECIMALS.get(number)
        if cached is None:
            cached = Decimal(repr(number)).normalize()
            if len(_DECIMALS) < 1000:  # coefficients repeat; a bounded cache spares the conversion
                _DECIMALS[number] = cached
        return cached, None
    text = cell_text(value).replace(",", ".")
    if not text:
        return None, None
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        return None, ("coefficient_unreadable", {"value": text})
    if not parsed.is_finite():
        return None, ("coefficient_unreadable", {"value": text})
    return parsed.normalize(), None


# --- ID numbers --------------------------------------------------------------------------------------

_ID_STRIP = re.compile(r"[\s\u00a0'\"`]+")


def _restore_zeros(digits: str) -> tuple[str | None, Found]:
    length = len(digits)
    if length in (10, 11):
        return digits.zfill(12), ("id_zeros_restored", {"count": 12 - length, "length": 12})
    if length == 8:
        return digits.zfill(9), ("id_zeros_restored", {"count": 1, "length": 9})
    return None, ("id_wrong_length", {"length": length})


def parse_citizen_id(value: Cell, *, typed: bool) -> tuple[str | None, Found]:  # noqa: PLR0911
    """A 12-digit ID or a 9-digit old ID; None (with a warning) when it is neither.

    `typed` says whether a cell type is known (Excel). A number cell, or any digits-only cell when the
    format has no types (CSV), has lost its leading zeros if it has 10 or 11 digits (12 restored) or 8
    (9 restored), with a warning.
    """
    if isinstance(value, str) and len(value) == 12 and value.isdigit() and value.isascii():
        return value, None
    number = _number(value)
    if number is not None:
        if not number.is_integer() or number < 0:
            return None, ("id_not_digits", {})
        digits = str(int(number))
    else:
        digits = _ID_STRIP.sub("", cell_text(value))
        if not digits:
            return None, None
        if not (digits.isdigit() and digits.isascii()):
            return None, ("id_not_digits", {})
    if len(digits) in (12, 9):
        return digits, None
    if number is not None or not typed:
        return _restore_zeros(digits)
    return None, ("id_wrong_length", {"length": len(digits)})


# --- sex, phone ----------------------------------------------------------------------------------------

_SEX = {
    "nam": "M", "m": "M", "male": "M", "trai": "M", "nam giới": "M", "nam gioi": "M", "man": "M",
    "nữ": "F", "nu": "F", "f": "F", "female": "F", "gái": "F", "gai": "F", "nữ giới": "F", "nu gioi": "F",
    "woman": "F",
}  # fmt: skip
_SEX.update({key.capitalize(): sex for key, sex in list(_SEX.items())})
_SEX.update({key.upper(): sex for key, sex in list(_SEX.items())})


def parse_sex(value: Cell) -> tuple[str | None, Found]:
    sex = _SEX.get(value) if isinstance(value, str) else None
    if sex is not None:
        return sex, None
    text = cell_text(value)
    if not text:
        return None, None
    sex = _SEX.get(text.lower().rstrip("."))
    if sex is None:
        return None, ("sex_unreadable", {"value": text})
    return sex, None


def is_mark(value: Cell) -> bool:
    """A cell that marks a column ("x", "X", "1", "✓", anything written)."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value not in {"", 0}


_PHONE_NOISE = re.compile(r"[\s\u00a0.\-()/]+")
_PHONE = re.compile(r"0\d{9,10}")
_PHONE_SPLIT = re.compile(r"[,;]| - |\s-\s|/\s")


def parse_phone(value: Cell) -> tuple[str | None, Found]:
    """A Vietnamese phone number as 0xxxxxxxxx; +84 and 84 become 0, a number cell gets its zero back."""
    if isinstance(value, str) and len(value) == 10 and value[0] == "0" and value.isdigit() and value.isascii():
        return value, None
    text = cell_text(value)
    if _number(value) is not None:
        if len(text) in (9, 10) and not text.startswith(("0", "84")):
            text = "0" + text
    elif not text:
        return None, None
    else:
        text = _PHONE_SPLIT.split(text)[0]  # the first of several numbers
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
    if isinstance(value, str) and len(value) == 5 and value.isdigit():
        return value
    text = cell_text(value)
    if _COMMUNE_DIGITS.fullmatch(text):
        return text.zfill(5)
    return text
