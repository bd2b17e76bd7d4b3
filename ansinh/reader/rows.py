"""Turning the rows under the header into data rows: classification, parsing and row-level problems.

The common data row (a name with a birth date or an ID beside it) takes a fast path: per mapped column a
small dispatch on a precomputed kind, no regular expression unless a value needs one. Only the other
rows are classified (blank, repeated header, signature, total, heading, note).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ansinh.lib.citizen_id import check_citizen_id
from ansinh.lib.text import fold
from ansinh.reader import layout
from ansinh.reader.headers import is_column_number_row
from ansinh.reader.model import Cell, Column, DataRow, PartialDate, Problem
from ansinh.reader.problems import make_problem
from ansinh.reader.values import (
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
_JOINERS = {"address": ", ", "note": "; "}


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0xC0, 0x1F00):
        ch = chr(code)
        if unicodedata.category(ch) == "Mn":
            table[code] = None
        elif ch.isalpha():
            folded = fold(ch)
            if folded != ch:
                table[code] = folded
    for code in range(0x300, 0x370):
        table[code] = None
    return table


_FOLD = _fold_table()


def fast_fold(text: str) -> str:
    """`ansinh.lib.text.fold` for text that is already NFC with single spaces, through one C-level table."""
    return text.translate(_FOLD).lower()


class _Duplicates:
    """Remembers each person seen so far in compact form, to flag the same person on a later row.

    Same person: the same usable ID with the same folded name or birth date; or, the IDs not
    contradicting, the same folded name, birth date and commune. Values are packed into one int per
    entry (24 bits of data row and 40 bits of hashes) to keep 500,000 rows in a few tens of megabytes.
    """

    _ROW = (1 << 24) - 1
    _H20 = (1 << 20) - 1
    _H40 = (1 << 40) - 1

    def __init__(self) -> None:
        self.by_id: dict[int, int] = {}
        self.by_person: dict[int, int] = {}
        self.sheet_rows = array("I")  # data row n is at index n - 1

    def seen(self, data_row: int, sheet_row: int, name: str, dob: str, cid: str, commune: str) -> int | None:
        earlier: int | None = None
        name_h, dob_h = hash(name) & self._H20, hash(dob) & self._H20
        if cid:
            key = hash(cid)
            packed = self.by_id.get(key)
            if packed is None:
                self.by_id[key] = ((name_h << 20 | dob_h) << 24) | data_row
            else:
                hashes = packed >> 24
                if (name and hashes >> 20 == name_h) or (dob and hashes & self._H20 == dob_h):
                    earlier = packed & self._ROW
        if earlier is None and name and dob:
            key = hash((name, dob, commune))
            cid_h = hash(cid) & self._H40 if cid else 0
            packed = self.by_person.get(key)
            if packed is None:
                self.by_person[key] = (cid_h << 24) | data_row
            else:
                other = packed >> 24
                if not (cid_h and other and other != cid_h):
                    earlier = packed & self._ROW
        if earlier is not None:
            return earlier
        return None


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
        self.duplicates = _Duplicates()
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
        self.plan = [(j, rel[j], _KIND[rel[j].field or ""]) for js in by_field.values() for j in js if rel[j].field in _KIND]
        self.plan.sort(key=lambda item: item[0])
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
        self, code: str, sheet_row: int, data_row: int | None, j: int | None, params: dict[str, object] | None = None,
        level: str | None = None,
    ) -> Problem:  # fmt: skip
        return make_problem(
            code, file_name=self.ctx.file_name, sheet=self.ctx.sheet, params=params, sheet_row=sheet_row,
            data_row=data_row, column=self.columns_rel.get(j) if j is not None else None,
            level=level,  # type: ignore[arg-type]
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
        active: list[list[object]] = []
        for sheet_row, cells in rows:
            if len(cells) < width:
                cells = list(cells) + [""] * (width - len(cells))
            if convert is not None:
                cells = [convert(c) if type(c) is str else c for c in cells]  # type: ignore[arg-type]
            if fills or active:
                self._fill_merged(sheet_row, cells, active)
            name = cells[name_col] if name_col is not None else ""
            if type(name) is str and name[:1].isalpha() and name != name_header:  # type: ignore[union-attr]
                if id_col is not None and cells[id_col] != "":
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

    def _fill_merged(self, sheet_row: int, cells: list[Cell], active: list[list[object]]) -> None:
        """Cells of a vertically merged range in the data carry the range's value down."""
        for j, last in self.ctx.merges_below.get(sheet_row, ()):
            if j < len(cells) and cells[j] != "":
                active.append([j, last, cells[j]])
        for fill in list(active):
            j, last, value = fill
            if sheet_row > last:  # type: ignore[operator]
                active.remove(fill)
            elif cells[j] == "":  # type: ignore[index]
                cells[j] = value  # type: ignore[index, assignment]

    def _classify(self, sheet_row: int, cells: list[Cell]) -> str | None:
        """None for a data row; else the kind of row skipped (counted, with a warning where it may matter)."""
        texts = [(j, cell_text(c)) for j, c in enumerate(cells) if c != ""]
        texts = [(j, t) for j, t in texts if t]
        if not texts:
            self.skipped["blank"] += 1
            return "blank"
        name_col, id_col = self.name_col, self.id_col
        name = cell_text(cells[name_col]) if name_col is not None else ""
        has_id = id_col is not None and cells[id_col] != ""
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
        values: dict[str, object] = {}
        problems: list[Problem] = []
        add = problems.append
        for j, _column, kind in self.plan:
            cell = cells[j]
            if cell == "":
                continue
            field_name = _column.field or ""
            if kind == _TEXT:
                if field_name not in values:
                    text = cell_text(cell)
                    if text:
                        values[field_name] = text
            elif kind == _JOIN:
                text = cell_text(cell)
                if text:
                    previous = values.get(field_name)
                    values[field_name] = f"{previous}{_JOINERS[field_name]}{text}" if previous else text
            elif field_name in values:
                continue
            elif kind == _COMMUNE:
                values[field_name] = parse_commune_code(cell)
            elif kind == _AMOUNT:
                amount, found = parse_amount(cell)
                if found:
                    add(self._problem(found[0], sheet_row, data_row, j, found[1]))
                elif amount is not None:
                    values[field_name] = amount
            elif kind == _COEFFICIENT:
                number, found = parse_decimal(cell)
                if found:
                    add(self._problem(found[0], sheet_row, data_row, j, found[1]))
                elif number is not None:
                    values[field_name] = number
            elif kind == _PHONE:
                phone, found = parse_phone(cell)
                if found:
                    add(self._problem(found[0], sheet_row, data_row, j, found[1]))
                elif phone:
                    values[field_name] = phone
            elif kind == _DATE:
                date, findings = parse_date(cell, self.ctx.today)
                for code, params in findings:
                    add(self._problem("date_unreadable" if code == "unreadable" else code, sheet_row, data_row, j, params))
                if date is not None:
                    values[field_name] = date
            elif kind == _SEX:
                sex, found = parse_sex(cell)
                if found:
                    add(self._problem(found[0], sheet_row, data_row, j, found[1]))
                elif sex:
                    values[field_name] = sex
        self._name(values, cells, sheet_row, data_row, add)
        self._birth_and_sex(values, cells, sheet_row, data_row, add)
        self._citizen_id(values, cells, sheet_row, data_row, add)
        self._duplicate(values, sheet_row, data_row, add)
        return DataRow(data_row, sheet_row, values, problems, self.group, cells, self.ctx.columns, self.ctx.col_offset)

    def _name(self, values: dict[str, object], cells: list[Cell], sheet_row: int, data_row: int, add: Callable) -> None:
        family = [cell_text(cells[j]) for j in self.by_field.get("family_middle_name", ())]
        family_text = next((t for t in family if t), "")
        if family_text:
            given = values.get("full_name")
            values["full_name"] = f"{family_text} {given}" if given else family_text
        if "full_name" not in values:
            add(self._problem("missing_name", sheet_row, data_row, self.name_col))

    def _birth_and_sex(
        self, values: dict[str, object], cells: list[Cell], sheet_row: int, data_row: int, add: Callable
    ) -> None:
        source: int | None = None
        derived_sex: str | None = None
        for j in self.dob_cols:
            if cells[j] != "":
                source = j
                break
        if source is None and (self.male_cols or self.female_cols):
            male = next((j for j in self.male_cols if cells[j] != ""), None)
            female = next((j for j in self.female_cols if cells[j] != ""), None)
            if male is not None and female is not None:
                source = min(male, female)
                add(self._problem("birth_date_both_sexes", sheet_row, data_row, source))
            elif male is not None or female is not None:
                source = male if male is not None else female
                derived_sex = "M" if male is not None else "F"
        if source is None:
            first = self.any_dob_cols[0] if self.any_dob_cols else None
            add(self._problem("birth_date_missing", sheet_row, data_row, first))
        else:
            date, findings = parse_date(cells[source], self.ctx.today)
            for code, params in findings:
                add(self._problem("birth_date_unreadable" if code == "unreadable" else code, sheet_row, data_row, source, params))
            if date is not None:
                if birth_date_plausible(date, self.ctx.today):
                    values["date_of_birth"] = date
                else:
                    add(self._problem("birth_date_implausible", sheet_row, data_row, source, {"value": date.iso}))
        marks = [
            sex for field_name, sex in (("sex_male_mark", "M"), ("sex_female_mark", "F"))
            for j in self.by_field.get(field_name, ()) if is_mark(cells[j])
        ]  # fmt: skip
        if derived_sex is None and len(set(marks)) == 1:
            derived_sex = marks[0]
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
        if j is None or cells[j] == "":
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
            for problem in check_citizen_id(cid, sex=sex if isinstance(sex, str) else None, birth_year=year):
                if problem.code == "birth_year" and int(cid[3]) > 5:
                    add(self._problem("id_century", sheet_row, data_row, j, {"digit": cid[3]}))
                elif problem.code == "birth_year":
                    century = {0: 1900, 2: 2000, 4: 2100}[int(cid[3]) // 2 * 2]
                    params = {"id_year": century + int(cid[4:6]), "year": year}
                    add(self._problem("id_birth_year", sheet_row, data_row, j, params))
                else:
                    params = {"code": cid[:3]} if problem.code == "province" else {}
                    add(self._problem(_ID_CODES[problem.code], sheet_row, data_row, j, params))

    def _duplicate(self, values: dict[str, object], sheet_row: int, data_row: int, add: Callable) -> None:
        name = values.get("full_name")
        dob = values.get("date_of_birth")
        cid = values.get("citizen_id")
        if not name and not cid:
            return
        commune = values.get("commune_code") or values.get("commune_name") or ""
        earlier = self.duplicates.seen(
            data_row, sheet_row, fast_fold(name) if isinstance(name, str) else "",
            dob.iso if isinstance(dob, PartialDate) else "", cid if isinstance(cid, str) else "",
            fast_fold(commune) if isinstance(commune, str) else "",
        )  # fmt: skip
        if earlier is not None:
            params = {"data_row": earlier, "sheet_row": self.duplicates.sheet_rows[earlier - 1]}
            add(self._problem("duplicate_in_file", sheet_row, data_row, self.name_col, params))
