"""`read_list`: open a beneficiary list, find its header, and stream its data rows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ansinh.reader.headers import HeaderLayout, detect_header
from ansinh.reader.legacy import CONVERTERS, guess_legacy
from ansinh.reader.model import FIELDS, Cell, Column, DataRow, ListFile, Problem, column_letter
from ansinh.reader.problems import make_problem, unreadable
from ansinh.reader.rows import RowContext, RowReader
from ansinh.reader.sources import (
    _LEGACY_NAMES,
    SheetSource,
    csv_sheet,
    excel_sheet,
    is_excel,
    open_workbook,
    sheet_names,
)

SAMPLE_ROWS = 30  # non-blank rows searched for the header
HEAD_BYTES = 1 << 20  # bytes read to tell the format, the encoding and the delimiter
_SAMPLE_RAW_LIMIT = 2000  # raw rows read at most while looking for them
_MULTI_ALLOWED = frozenset({"address", "note", "row_number", "date_of_birth_male", "date_of_birth_female"})


@dataclass
class _Prepared:
    source: SheetSource
    sample: list[tuple[int, list[Cell]]]  # (1-based sheet row, cells) of non-blank rows
    consumed: int  # raw rows taken from source.rows
    layout: HeaderLayout


def _prepare(source: SheetSource) -> _Prepared | None:
    """Read the first rows of a sheet and find its header there."""
    sample: list[tuple[int, list[Cell]]] = []
    consumed = 0
    for cells in source.rows:
        consumed += 1
        if any(c != "" for c in cells):
            sample.append((source.row_base + consumed, cells))
            if len(sample) >= SAMPLE_ROWS:
                break
        if consumed >= _SAMPLE_RAW_LIMIT:
            break
    if source.typed:
        legacy = guess_legacy(c for _, cells in sample for c in cells if type(c) is str)
        if legacy:
            convert = CONVERTERS[legacy]
            source.convert = convert
            source.encoding = legacy
            source.notes.append(("legacy_encoding", {"encoding": _LEGACY_NAMES[legacy]}))
            sample = [(r, [convert(c) if type(c) is str else c for c in cells]) for r, cells in sample]
    spans: dict[int, list[tuple[int, int]]] = {}
    for position, (sheet_row, _) in enumerate(sample):
        for (r1, c1), (_r2, c2) in source.merges:
            if r1 + 1 == sheet_row and c2 > c1:
                spans.setdefault(position, []).append((c1 - source.col_offset, c2 - source.col_offset))
    layout = detect_header([cells for _, cells in sample], spans)
    if layout is None:
        return None
    return _Prepared(source, sample, consumed, layout)


def _columns(prepared: _Prepared, mapping: dict[int, str | None] | None) -> tuple[tuple[Column, ...], dict[int, str]]:
    layout, offset = prepared.layout, prepared.source.col_offset
    width = max(len(layout.texts), *(len(cells) for _, cells in prepared.sample))
    texts = layout.texts + [""] * (width - len(layout.texts))
    fields = layout.fields + [None] * (width - len(layout.fields))
    detected = {j + offset: f for j, f in enumerate(fields) if f}
    if mapping is not None:
        unknown = sorted({f for f in mapping.values() if f and f not in FIELDS})
        if unknown:
            raise ValueError(f"unknown field(s) in mapping: {', '.join(unknown)}")
        fields = [mapping.get(j + offset) for j in range(width)]
    columns: list[Column] = []
    seen: set[str] = set()
    for j in range(width):
        letter = column_letter(j + offset)
        key = texts[j] or letter
        if key in seen:
            key = f"{texts[j]} ({letter})"
        seen.add(key)
        columns.append(Column(j + offset, letter, texts[j], fields[j] or None, key))
    return tuple(columns), detected


def _merges_below(source: SheetSource, first_data_row: int) -> dict[int, list[tuple[int, int]]]:
    below: dict[int, list[tuple[int, int]]] = {}
    for (r1, c1), (r2, _c2) in source.merges:
        if r2 > r1 and r1 + 1 >= first_data_row:
            below.setdefault(r1 + 1, []).append((c1 - source.col_offset, r2 + 1))
    return below


def read_list(
    path: Path | str,
    *,
    sheet: str | None = None,
    mapping: dict[int, str | None] | None = None,
    today: dt.date | None = None,
) -> ListFile:
    """Open a list (.xlsx, .xls, .xlsm, .xlsb, .ods or .csv) and return its layout and a stream of data rows.

    Steps: pick the sheet (the one named, or the first visible one with a recognisable header); find the
    header row(s) in its first 30 non-blank rows; map the columns (or take `mapping`, column index →
    field, as the whole mapping); read up to the first data row so that a list without one fails here.
    Raises UnreadableFile with a one-line reason for a file that cannot be read as a list, and
    ValueError for a mapping that names an unknown field.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise unreadable("damaged_file", detail=exc.strerror or type(exc).__name__) from exc
    if not head:
        raise unreadable("empty_file")
    close: Callable[[], None] | None = None
    prepared: _Prepared | None = None
    if is_excel(path, head):
        workbook = open_workbook(path)
        names = sheet_names(workbook, sheet)
        for name in names:
            prepared = _prepare(excel_sheet(workbook, name))
            if prepared is not None:
                break
        workbook.close()  # the sheet's cells are already loaded; the rows stream from them
        where = ", ".join(f"“{n}”" for n in names) or path.name
    else:
        source, close = csv_sheet(path, head)
        prepared = _prepare(source)
        where = path.name
    if prepared is None:
        if close:
            close()
        raise unreadable("no_header", where=where)
    return _open(path.name, prepared, mapping, today or dt.date.today(), close)


def _open(
    file_name: str,
    prepared: _Prepared,
    mapping: dict[int, str | None] | None,
    today: dt.date,
    close: Callable[[], None] | None,
) -> ListFile:
    source, layout = prepared.source, prepared.layout
    columns, detected = _columns(prepared, mapping)
    header_row = prepared.sample[layout.position][0]
    first_data_row = prepared.sample[layout.position + layout.rows - 1][0] + 1
    problems: list[Problem] = []

    def file_problem(code: str, **params: object) -> Problem:
        return make_problem(code, file_name=file_name, sheet=source.name, params=params or None)

    notes_seen = len(source.notes)
    problems.extend(file_problem(code, **params) for code, params in source.notes)
    by_field: dict[str, list[Column]] = {}
    for column in columns:
        if column.field:
            by_field.setdefault(column.field, []).append(column)
    for field_name, cols in by_field.items():
        if len(cols) > 1 and field_name not in _MULTI_ALLOWED:
            listed = ", ".join(c.letter for c in cols)
            problems.append(file_problem("field_mapped_twice", field=field_name, columns=listed))
    if not by_field.keys() & {"full_name", "family_middle_name"}:
        problems.append(file_problem("no_name_column"))
    if not by_field.keys() & {"date_of_birth", "date_of_birth_male", "date_of_birth_female"}:
        problems.append(file_problem("no_birth_date_column"))

    name_header = ""
    name_col = next((c for c in columns if c.field in ("full_name", "family_middle_name")), None)
    if name_col is not None:
        j = name_col.index - source.col_offset
        for _, cells in prepared.sample[layout.position : layout.position + layout.rows]:
            if j < len(cells) and type(cells[j]) is str and cells[j]:
                name_header = cells[j]  # type: ignore[assignment]
                break
    ctx = RowContext(
        file_name=file_name,
        sheet=source.name,
        columns=columns,
        col_offset=source.col_offset,
        typed=source.typed,
        name_header=name_header,
        today=today,
        convert=source.convert,
        merges_below=_merges_below(source, first_data_row),
    )
    skipped: Counter[str] = Counter()
    reader = RowReader(ctx, problems, skipped)
    after_header = prepared.sample[layout.position + layout.rows :]
    raw: Iterator[tuple[int, list[Cell]]] = itertools.chain(
        after_header, enumerate(source.rows, start=source.row_base + prepared.consumed + 1)
    )
    if source.convert is not None:
        # The sample was converted already; only the rows still to come need it.
        ctx.convert = None
        rest = enumerate(source.rows, start=source.row_base + prepared.consumed + 1)
        convert = source.convert
        converted = ((r, [convert(c) if type(c) is str else c for c in cells]) for r, cells in rest)
        raw = itertools.chain(after_header, converted)
    list_file = ListFile(
        file_name=file_name,
        sheet=source.name,
        header_row=header_row,
        header_rows=layout.rows,
        first_data_sheet_row=first_data_row,
        columns=columns,
        detected_mapping=detected,
        encoding=source.encoding,
        delimiter=source.delimiter,
        problems=problems,
        rows=iter(()),
        skipped=skipped,
        _close=close,
    )

    def stream() -> Iterator[DataRow]:
        for row in reader.read(raw):
            list_file.data_rows = reader.data_rows
            yield row
        list_file.data_rows = reader.data_rows
        problems.extend(file_problem(code, **params) for code, params in source.notes[notes_seen:])
        list_file.close()

    rows = stream()
    first = next(rows, None)
    if first is None:
        list_file.close()
        raise unreadable("no_data_rows")
    list_file.rows = itertools.chain([first], rows)
    return list_file
