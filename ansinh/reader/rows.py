"""Turning the rows under the header into data rows: classification, parsing and row-level problems.

The common data row (a name with a birth date or an ID beside it) takes a fast path: per mapped column a
small dispatch on a precomputed kind, no regular expression unless a value needs one. Only the other
rows are classified (blank, repeated header, signature, total, heading, note).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from unicodedata import is_normalized

from ansinh.lib.citizen_id import PROVINCE_CODES, check_citizen_id
from ansinh.reader import layout
from ansinh.reader.duplicates import Duplicates, fast_fold
from ansinh.reader.headers import is_column_number_row
from ansinh.reader.model import Cell, Column, DataRow, PartialDate, Problem
from ansinh.reader.problems import make_problem
from ansinh.reader.values import (
    Findings,
    birth_date_plausible,
    cell_text,
    is_mark,
    parse_amount,
    parse_citizen_id,
    parse_commune_code,
    parse_date,
    parse_decimal,
    parse_phone,
    parse_sex,
)

# What to do with a mapped column's cell in the generic loop.
_TEXT, _JOIN, _COMMUNE, _AMOUNT, _COEFFICIENT, _PHONE, _DATE, _SEX = range(8)
_KIND = {
    "full_name": _TEXT, "commune_name": _TEXT, "category": _TEXT, "subgroup": _TEXT, "decision_number": _TEXT,
    "bank": _TEXT, "household": _TEXT, "row_number": _TEXT, "account_number": _TEXT,
    "address": _JOIN, "note": _JOIN,
    "commune_code": _COMMUNE, "amount": _AMOUNT, "coefficient": _COEFFICIENT, "phone": _PHONE,
    "start_date": _DATE, "decision_date": _DATE, "sex": _SEX,
}  # fmt: skip
_ID_CODES = {"province": "id_province", "sex": "id_sex"}
_DATE_CODES = {"unreadable": "date_unreadable"}
_MEMO_KINDS = frozenset({_COMMUNE, _AMOUNT, _COEFFICIENT, _SEX, _DATE})
_MEMO_SIZE = 4096
_BIRTH_MEMO_SIZE = 1 << 16
_BIRTH_CODES = {"unreadable": "birth_date_unreadable"}


def _commune(cell: Cell) -> tuple[str, None]:
    return parse_commune_code(cell), None


# Lists repeat values down a column (commune, category, amount, birth dates): each is parsed once.
Parser = Callable[[Cell], tuple[object, object]]
Memo = dict[Cell, tuple[object, object]]
_PARSERS: dict[int, Parser] = {
    _COMMUNE: _commune, _AMOUNT: parse_amount, _COEFFICIENT: parse_decimal, _PHONE: parse_phone, _SEX: parse_sex,
}  # fmt: skip
_JOINERS = {"address": ", ", "note": "; "}


def _texts_are_clean(texts: Iterable[str]) -> bool:
    """Whether every text is already in storage form (NFC, single inner spaces, trimmed).

    One check of the joined texts instead of one per text: a substring of NFC text is NFC, and a space
    next to a separator or a doubled one shows an untrimmed or unclean text.
    """
    joined = "\x00".join(texts)
    return (
        "  " not in joined and " \x00" not in joined and "\x00 " not in joined and joined[:1] != " "
        and joined[-1:] != " " and joined.replace("\x00", "").isprintable() and is_normalized("NFC", joined)
    )  # fmt: skip


def _row_is_clean(cells: list[Cell]) -> bool:
    return _texts_are_clean([c for c in cells if type(c) is str])


_CENTURY_BASE = {19: 0, 20: 2, 21: 4}


def _id_agrees(cid: str, sex: object, year: int | None) -> bool:
    """The common case, checked without building anything: province known, sex and year as stated."""
    if cid[:3] not in PROVINCE_CODES:
        return False
    digit = ord(cid[3]) - 48
    if sex is not None and digit % 2 != (sex == "F"):
        return False
    if year is not None:
        return _CENTURY_BASE.get(year // 100) == digit - digit % 2 and int(cid[4:6]) == year % 100
    return digit <= 5


@dataclass
class RowContext:
    """What the row reader needs to know about the file and its layout."""

    file_name: str
    sheet: str | None
    columns: tuple[Column, ...]
    col_offset: int
    typed: bool
    name_header: str
    today: dt.date
    convert: Callable[[str], str] | None
    merges_below: dict[int, list[tuple[int, int]]]  # sheet row → (relative column, last sheet row) fills


class RowReader:
    def __init__(self, ctx: RowContext, problems: list[Problem], skipped: Counter[str]) -> None:
        self.ctx = ctx
        self.problems = problems
        self.skipped = skipped
        self.data_rows = 0
        self.duplicates = Duplicates()
        self.group: str | None = None
        self.in_footer = False
        rel = {c.index - ctx.col_offset: c for c in ctx.columns}
        self.width = max(rel, default=-1) + 1
        by_field: dict[str, list[int]] = {}
        for j, column in sorted(rel.items()):
            if column.field:
                by_field.setdefault(column.field, []).append(j)
        self.columns_rel = rel
        self.by_field = by_field
        plan = sorted((j, c.field, _KIND[c.field]) for j, c in rel.items() if c.field in _KIND)
        self.text_plan = [(j, f) for j, f, kind in plan if kind == _TEXT]
        self.plan: list[tuple[int, str, int, Memo | None, Parser]] = [
            (j, f, kind, {} if kind in _MEMO_KINDS else None, _PARSERS.get(kind, self._date_parser))
            for j, f, kind in plan
            if kind != _TEXT
        ]
        self.mark_cols = [
            (j, "M" if f == "sex_male_mark" else "F")
            for f in ("sex_male_mark", "sex_female_mark") for j in by_field.get(f, ())
        ]  # fmt: skip
        text_fields = [f for _, f in self.text_plan]
        self.text_fields = tuple(text_fields)
        self.text_unique = len(set(text_fields)) == len(text_fields) > 1
        self.text_getter = itemgetter(*[j for j, _ in self.text_plan]) if self.text_unique else None
        self.birth_memo: dict[Cell, tuple[PartialDate | None, Findings, bool]] = {}
        self.family_cols = by_field.get("family_middle_name", [])
        self._commune_keys: dict[str, str] = {}
        first = {f: js[0] for f, js in by_field.items()}
        self.name_col = first.get("full_name", first.get("family_middle_name"))
        self.id_col = first.get("citizen_id")
        self.dob_cols = by_field.get("date_of_birth", [])
        self.male_cols = by_field.get("date_of_birth_male", [])
        self.female_cols = by_field.get("date_of_birth_female", [])
        self.any_dob_cols = self.dob_cols + self.male_cols + self.female_cols
        self.numbering_col = first.get("row_number")

    # -- problems ---------------------------------------------------------------------------------------

    def _problem(
        self, code: str, sheet_row: int, data_row: int | None, j: int | None, params: dict[str, object] | None = None
    ) -> Problem:
        column = self.columns_rel.get(j) if j is not None else None
        return make_problem(
            code, file_name=self.ctx.file_name, sheet=self.ctx.sheet, params=params, sheet_row=sheet_row,
            data_row=data_row, column=column,
        )  # fmt: skip

    def _skip(self, kind: str, sheet_row: int, code: str | None = None, j: int | None = None, **params: object) -> None:
        self.skipped[kind] += 1
        if code:
            self.problems.append(self._problem(code, sheet_row, None, j, params or None))

    # -- the loop ---------------------------------------------------------------------------------------

    def read(self, rows: Iterator[tuple[int, list[Cell]]]) -> Iterator[DataRow]:
        ctx = self.ctx
        width, name_col, id_col, dob_cols = self.width, self.name_col, self.id_col, self.any_dob_cols
        name_header, convert, fills = ctx.name_header, ctx.convert, ctx.merges_below
        active: list[tuple[int, int, Cell]] = []
        for sheet_row, row in rows:
            cells = row if len(row) >= width else [*row, *([""] * (width - len(row)))]
            if convert is not None:
                cells = [convert(c) if isinstance(c, str) else c for c in cells]
            if fills or active:
                self._fill_merged(sheet_row, cells, active)
            name = cells[name_col] if name_col is not None else ""
            # A name starts with a letter and has more than one ("B" is a column-letter row).
            if type(name) is str and name[:1].isalpha() and name[1:2] and name != name_header:
                if id_col is not None and _looks_like_id(cells[id_col]):
                    yield self._data_row(sheet_row, cells)
                    continue
                for j in dob_cols:
                    if cells[j] != "":
                        break
                else:
                    j = -1
                if j >= 0:
                    yield self._data_row(sheet_row, cells)
                    continue
            kind = self._classify(sheet_row, cells)
            if kind is None:
                yield self._data_row(sheet_row, cells)

    def _fill_merged(self, sheet_row: int, cells: list[Cell], active: list[tuple[int, int, Cell]]) -> None:
        """Cells of a vertically merged range in the data carry the range's value down."""
        for j, last in self.ctx.merges_below.get(sheet_row, ()):
            if j < len(cells) and cells[j] != "":
                active.append((j, last, cells[j]))
        for fill in list(active):
            j, last, value = fill
            if sheet_row > last:
                active.remove(fill)
            elif cells[j] == "":
                cells[j] = value

    def _classify(self, sheet_row: int, cells: list[Cell]) -> str | None:  # noqa: PLR0911 - one return per kind
        """None for a data row; else the kind of row skipped (counted, with a warning where it may matter)."""
        texts = [(j, cell_text(c)) for j, c in enumerate(cells) if c != ""]
        texts = [(j, t) for j, t in texts if t]
        if not texts:
            self.skipped["blank"] += 1
            return "blank"
        name_col, id_col = self.name_col, self.id_col
        name = cell_text(cells[name_col]) if name_col is not None else ""
        has_id = id_col is not None and _looks_like_id(cells[id_col])
        has_dob = any(cells[j] != "" for j in self.any_dob_cols)
        if is_column_number_row(cells) or (name and name == self.ctx.name_header):
            self._skip("header", sheet_row)
            return "header"
        if not has_id:
            strings = [t for j, c in ((j, cells[j]) for j, _ in texts) if type(c) is str for t in [cell_text(c)]]
            if any(layout.is_signature(t) for t in strings[:3]):
                self.in_footer = True
                self._skip("signature", sheet_row)
                return "signature"
            if any(layout.is_total(t) for t in strings[:2]):
                self._skip("total", sheet_row)
                return "total"
            if not has_dob and self._is_heading(cells, name, texts):
                self.group = " ".join(t for _, t in texts[:3])
                self._skip("heading", sheet_row)
                return "heading"
            if self.in_footer:
                looks = name and layout.looks_like_name(name)
                self._skip("footer", sheet_row, "row_after_signature" if looks else None, name_col if looks else None)
                return "footer"
        if has_id or (name and layout.looks_like_name(name)):
            return None
        if name:
            self._skip("other", sheet_row, "row_not_a_name", name_col, value=name[:80])
        else:
            self._skip("other", sheet_row, "row_ignored")
        return "other"

    def _is_heading(self, cells: list[Cell], name: str, texts: list[tuple[int, str]]) -> bool:
        numbering = self.numbering_col
        if numbering is not None and cells[numbering] != "" and layout.is_heading_number(cell_text(cells[numbering])):
            return True
        candidates = [name] if name else []
        candidates.append(texts[0][1])
        return any(layout.is_heading_text(t) for t in candidates if t)

    # -- one data row -----------------------------------------------------------------------------------

    def _data_row(self, sheet_row: int, cells: list[Cell]) -> DataRow:
        self.data_rows += 1
        data_row = self.data_rows
        self.duplicates.sheet_rows.append(sheet_row)
        values = self._texts(cells)
        problems: list[Problem] = []
        add = problems.append
        self._parsed(values, cells, sheet_row, data_row, add)
        if self.family_cols:
            self._family_name(values, cells)
        if "full_name" not in values:
            add(self._problem("missing_name", sheet_row, data_row, self.name_col))
        self._birth_and_sex(values, cells, sheet_row, data_row, add)
        if self.id_col is not None and cells[self.id_col] != "":
            self._citizen_id(values, cells, sheet_row, data_row, add)
        self._duplicate(values, sheet_row, data_row, add)
        return DataRow(data_row, sheet_row, values, problems, self.group, cells, self.ctx.columns, self.ctx.col_offset)

    def _texts(self, cells: list[Cell]) -> dict[str, object]:
        """The plain text fields; of two columns with one field, the first non-empty one."""
        if self.text_getter is not None:
            values: dict[str, object] = {
                f: c if type(c) is str else cell_text(c)
                for f, c in zip(self.text_fields, self.text_getter(cells), strict=True)
                if c != ""
            }
            if _texts_are_clean(values.values()):  # type: ignore[arg-type]
                return values
            return {f: text for f, v in values.items() if (text := cell_text(v))}  # type: ignore[arg-type]
        values = {}
        clean = _row_is_clean(cells)
        for j, field_name in self.text_plan:
            cell = cells[j]
            if cell != "" and field_name not in values:
                text = cell if clean and type(cell) is str else cell_text(cell)
                if text:
                    values[field_name] = text
        return values

    def _parsed(
        self, values: dict[str, object], cells: list[Cell], sheet_row: int, data_row: int, add: Callable
    ) -> None:
        """Fields that need parsing (amounts, dates, phones...) and the joined ones (address, note)."""
        for j, field_name, kind, memo, parser in self.plan:
            cell = cells[j]
            if cell == "":
                continue
            if kind == _JOIN:
                text = cell_text(cell)
                if text:
                    previous = values.get(field_name)
                    values[field_name] = f"{previous}{_JOINERS[field_name]}{text}" if previous else text
                continue
            if field_name in values:
                continue
            # True == 1.0 as a key, so booleans never share a memo entry with numbers.
            result = memo.get(cell) if memo is not None and cell is not True and cell is not False else None
            if result is None:
                result = parser(cell)
                if memo is not None and len(memo) < _MEMO_SIZE and cell is not True and cell is not False:
                    memo[cell] = result
            value, found = result
            if kind == _DATE:
                for code, params in found:  # type: ignore[attr-defined]
                    add(self._problem(_DATE_CODES.get(code, code), sheet_row, data_row, j, params))
            elif found:
                add(self._problem(found[0], sheet_row, data_row, j, found[1]))  # type: ignore[index]
                continue
            if value is not None:
                values[field_name] = value

    def _date_parser(self, cell: Cell) -> tuple[object, object]:
        return parse_date(cell, self.ctx.today)

    def _family_name(self, values: dict[str, object], cells: list[Cell]) -> None:
        family = next((t for t in (cell_text(cells[j]) for j in self.family_cols) if t), "")
        if family:
            given = values.get("full_name")
            values["full_name"] = f"{family} {given}" if given else family

    def _birth_column(
        self, cells: list[Cell], sheet_row: int, data_row: int, add: Callable
    ) -> tuple[int | None, str | None]:
        """The column holding the birth date, and the sex its column stands for (split header)."""
        for j in self.dob_cols:
            if cells[j] != "":
                return j, None
        male = next((j for j in self.male_cols if cells[j] != ""), None)
        female = next((j for j in self.female_cols if cells[j] != ""), None)
        if male is not None and female is not None:
            source = min(male, female)
            add(self._problem("birth_date_both_sexes", sheet_row, data_row, source))
            return source, None
        if male is not None:
            return male, "M"
        if female is not None:
            return female, "F"
        return None, None

    def _birth_and_sex(
        self, values: dict[str, object], cells: list[Cell], sheet_row: int, data_row: int, add: Callable
    ) -> None:
        source, derived_sex = self._birth_column(cells, sheet_row, data_row, add)
        if source is None:
            first = self.any_dob_cols[0] if self.any_dob_cols else None
            add(self._problem("birth_date_missing", sheet_row, data_row, first))
        else:
            cell = cells[source]
            memo = self.birth_memo
            known = memo.get(cell) if type(cell) is not bool else None
            if known is None:
                date, findings = parse_date(cell, self.ctx.today)
                known = (date, findings, date is not None and birth_date_plausible(date, self.ctx.today))
                if len(memo) < _BIRTH_MEMO_SIZE and type(cell) is not bool:
                    memo[cell] = known
            date, findings, plausible = known
            for code, params in findings:
                add(self._problem(_BIRTH_CODES.get(code, code), sheet_row, data_row, source, params))
            if plausible:
                values["date_of_birth"] = date
            elif date is not None:
                add(self._problem("birth_date_implausible", sheet_row, data_row, source, {"value": date.iso}))
        if derived_sex is None and self.mark_cols:
            marks = {sex for j, sex in self.mark_cols if is_mark(cells[j])}
            if len(marks) == 1:
                derived_sex = marks.pop()
        if derived_sex:
            stated = values.get("sex")
            if stated is None:
                values["sex"] = derived_sex
            elif stated != derived_sex:
                add(self._problem("sex_conflict", sheet_row, data_row, self.by_field.get("sex", [None])[0]))

    def _citizen_id(
        self, values: dict[str, object], cells: list[Cell], sheet_row: int, data_row: int, add: Callable
    ) -> None:
        j = self.id_col
        if j is None:
            return
        cid, found = parse_citizen_id(cells[j], typed=self.ctx.typed)
        if found:
            add(self._problem(found[0], sheet_row, data_row, j, found[1]))
        if cid is None:
            return
        values["citizen_id"] = cid
        if len(cid) == 12:
            dob = values.get("date_of_birth")
            sex = values.get("sex")
            year = dob.year if isinstance(dob, PartialDate) else None
            if _id_agrees(cid, sex, year):
                return
            for problem in check_citizen_id(cid, sex=sex if isinstance(sex, str) else None, birth_year=year):
                if problem.code == "birth_year" and int(cid[3]) > 5:
                    add(self._problem("id_century", sheet_row, data_row, j, {"digit": cid[3]}))
                elif problem.code == "birth_year":
                    century = {0: 1900, 2: 2000, 4: 2100}[int(cid[3]) // 2 * 2]
                    params: dict[str, object] = {"id_year": century + int(cid[4:6]), "year": year}
                    add(self._problem("id_birth_year", sheet_row, data_row, j, params))
                else:
                    params = {"code": cid[:3]} if problem.code == "province" else {}
                    add(self._problem(_ID_CODES[problem.code], sheet_row, data_row, j, params))

    def _duplicate(self, values: dict[str, object], sheet_row: int, data_row: int, add: Callable) -> None:
        name = values.get("full_name")
        cid = values.get("citizen_id")
        if name is None and cid is None:
            return
        dob = values.get("date_of_birth")
        commune = values.get("commune_code") or values.get("commune_name") or ""
        commune_key = self._commune_keys.get(commune)  # type: ignore[call-overload]
        if commune_key is None:
            commune_key = fast_fold(commune) if isinstance(commune, str) else ""
            if len(self._commune_keys) < 10000:
                self._commune_keys[commune] = commune_key  # type: ignore[index]
        earlier = self.duplicates.seen(
            data_row, fast_fold(name) if isinstance(name, str) else "",
            (dob.year, dob.month, dob.day) if isinstance(dob, PartialDate) else None,
            cid if isinstance(cid, str) else "", commune_key,
        )  # fmt: skip
        if earlier is not None:
            params: dict[str, object] = {"data_row": earlier, "sheet_row": self.duplicates.sheet_rows[earlier - 1]}
            add(self._problem("duplicate_in_file", sheet_row, data_row, self.name_col, params))


def _looks_like_id(cell: Cell) -> bool:
    """A cell that holds an ID number (mostly digits), not text that a signature block spilled into the column."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return True
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 6 and digits * 10 >= len(text) * 6
