"""The reader's public types: partial dates, problems, columns, data rows and the list file itself.

Messages are English msgids with `%(name)s` placeholders, marked with `gettext_noop` so that Django's
makemessages collects them although this package never imports Django; a Django caller translates with
`gettext(problem.message) % problem.params`, anyone else reads `problem.text`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]
Precision = Literal["day", "month", "year"]
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta


def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction; the translation happens in the Django caller."""
    return message


# The canonical fields a column can be mapped to, in the order a mapping form shows them.
FIELD_LABELS: dict[str, str] = {
    "full_name": gettext_noop("Full name"),
    "family_middle_name": gettext_noop("Family and middle name"),
    "date_of_birth": gettext_noop("Date of birth"),
    "date_of_birth_male": gettext_noop("Date of birth (written under Male)"),
    "date_of_birth_female": gettext_noop("Date of birth (written under Female)"),
    "sex": gettext_noop("Sex"),
    "sex_male_mark": gettext_noop("Male (marked)"),
    "sex_female_mark": gettext_noop("Female (marked)"),
    "citizen_id": gettext_noop("ID number"),
    "commune_code": gettext_noop("Commune code"),
    "commune_name": gettext_noop("Commune"),
    "address": gettext_noop("Address"),
    "phone": gettext_noop("Phone"),
    "category": gettext_noop("Category"),
    "subgroup": gettext_noop("Sub-group"),
    "coefficient": gettext_noop("Coefficient"),
    "amount": gettext_noop("Monthly amount"),
    "start_date": gettext_noop("Start date"),
    "decision_number": gettext_noop("Decision number"),
    "decision_date": gettext_noop("Decision date"),
    "account_number": gettext_noop("Account number"),
    "bank": gettext_noop("Bank"),
    "household": gettext_noop("Household"),
    "note": gettext_noop("Note"),
    "row_number": gettext_noop("Row number"),
}
FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)

# Fields that exist only in the mapping: a row's values hold what they stand for instead.
# date_of_birth_male/female give date_of_birth and sex; sex_*_mark give sex; family_middle_name is
# joined in front of full_name.
VALUE_FIELDS: tuple[str, ...] = tuple(
    f
    for f in FIELDS
    if f not in {"date_of_birth_male", "date_of_birth_female", "sex_male_mark", "sex_female_mark", "family_middle_name"}
)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date that may be known only to the month or the year; never padded to 1 January."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def checked(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        """A partial date after checking that it can exist (ValueError otherwise).

        The plain constructor does not check, because the parsers build many dates they have checked.
        """
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        if day is not None and month is not None:
            dt.date(year, month, day)
        elif month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def iso(self) -> str:
        """ "YYYY", "YYYY-MM" or "YYYY-MM-DD", the form the matching engine and snapshots use."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> dt.date | None:
        """The full date, or None when only the month or year is known."""
        if self.day is None or self.month is None:
            return None
        return dt.date(self.year, self.month, self.day)

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        parts = [int(p) for p in text.split("-")]
        return cls.checked(*parts)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        return self.iso


@dataclass(slots=True)
class Problem:
    """One finding while reading: where it is, how bad, and what it says.

    `sheet_row` is the row number as the spreadsheet shows it (1-based); None for a finding about the whole
    file. `data_row` is the 1-based number among data rows, None for a row that is not a data row.
    """

    level: Level
    code: str
    message: str
    params: dict[str, object]
    file_name: str
    sheet: str | None
    sheet_row: int | None = None
    data_row: int | None = None
    column_letter: str | None = None
    column_header: str | None = None
    field: str | None = None

    @property
    def text(self) -> str:
        """The English message with its parameters filled in."""
        return self.message % self.params if self.params else self.message

    def render(self, translate: Callable[[str], str]) -> str:
        """The message translated by `translate` (for example Django's gettext), parameters filled in."""
        message = translate(self.message)
        return message % self.params if self.params else message

    @property
    def column(self) -> str:
        """ "Ngày sinh (D)": the header text and the column letter, as a report shows them."""
        if self.column_letter is None:
            return ""
        return f"{self.column_header} ({self.column_letter})" if self.column_header else self.column_letter


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the list: its 0-based sheet index (A = 0), letter, header text and mapped field."""

    index: int
    letter: str
    header_text: str
    field: str | None
    key: str  # the header text made unique across the file: the key of `DataRow.raw`


def _raw_text(value: Cell) -> str:
    from ansinh.reader.values import cell_text  # values imports this module

    return cell_text(value)


@dataclass(slots=True)
class DataRow:
    """A row under the header that holds a name or an ID number.

    `values` maps canonical fields to parsed values (str; int for amount; Decimal for coefficient;
    PartialDate for dates; "M"/"F" for sex; a 12- or 9-digit str for citizen_id); a field that is empty
    or could not be read is absent. `raw` gives every cell's text, unknown columns included.
    """

    data_row: int
    sheet_row: int
    values: dict[str, object]
    problems: list[Problem]
    group: str | None
    _cells: list[Cell]
    _columns: tuple[Column, ...]
    _offset: int

    @property
    def raw(self) -> dict[str, str]:
        """Each column's cell as text (NFC), keyed by `Column.key`; cells past the last column by letter."""
        cells = self._cells
        out: dict[str, str] = {}
        for column in self._columns:
            i = column.index - self._offset
            out[column.key] = _raw_text(cells[i]) if i < len(cells) else ""
        for i in range(len(self._columns), len(cells)):
            text = _raw_text(cells[i])
            if text:
                out[column_letter(i + self._offset)] = text
        return out

    @property
    def is_valid(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def has_warnings(self) -> bool:
        return any(p.level == "warning" for p in self.problems)

    @property
    def full_name(self) -> str | None:
        value = self.values.get("full_name")
        return value if isinstance(value, str) else None

    @property
    def date_of_birth(self) -> PartialDate | None:
        value = self.values.get("date_of_birth")
        return value if isinstance(value, PartialDate) else None

    @property
    def sex(self) -> str | None:
        value = self.values.get("sex")
        return value if isinstance(value, str) else None

    @property
    def citizen_id(self) -> str | None:
        value = self.values.get("citizen_id")
        return value if isinstance(value, str) else None

    @property
    def amount(self) -> int | None:
        value = self.values.get("amount")
        return value if isinstance(value, int) else None


@dataclass(eq=False)
class ListFile:
    """A beneficiary list opened for reading: its layout, and its data rows as a single-pass iterator.

    `problems` holds the file-level findings and those about rows that are not data rows (ignored rows);
    it grows while `rows` is consumed and is complete once the iterator is exhausted, as are `skipped`
    (counts of non-data rows by kind: blank, heading, total, signature, header, other) and `data_rows`.
    """

    file_name: str
    sheet: str | None
    header_row: int
    header_rows: int
    first_data_sheet_row: int
    columns: tuple[Column, ...]
    detected_mapping: dict[int, str]
    encoding: str | None
    delimiter: str | None
    problems: list[Problem]
    rows: Iterator[DataRow]
    skipped: Counter[str] = field(default_factory=Counter)
    data_rows: int = 0
    _close: Callable[[], None] | None = None

    @property
    def mapping(self) -> dict[int, str]:
        """The mapping in force (column index → field): the detected one or the caller's override."""
        return {c.index: c.field for c in self.columns if c.field}

    @property
    def unknown_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.field is None and c.header_text)

    def __iter__(self) -> Iterator[DataRow]:
        return self.rows

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> ListFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class UnreadableFile(Exception):
    """The file cannot be read as a list: empty, damaged, no recognisable header, or no data rows."""

    def __init__(self, code: str, message: str, params: dict[str, object] | None = None) -> None:
        self.code = code
        self.message = message
        self.params = params or {}
        super().__init__(self.text)

    @property
    def text(self) -> str:
        return self.message % self.params if self.params else self.message

    def render(self, translate: Callable[[str], str]) -> str:
        message = translate(self.message)
        return message % self.params if self.params else message


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
