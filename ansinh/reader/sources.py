"""Opening a file as sheets of raw rows: Excel through calamine, CSV through the csv module.

A sheet is a stream of rows (lists of cells) with the 0-based sheet row of its first row, the column
offset of its first cell, its merged ranges and, for CSV, the encoding and delimiter that were detected.
"""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ansinh.reader.legacy import CONVERTERS, guess_byte_encoding, guess_legacy
from ansinh.reader.model import Cell
from ansinh.reader.problems import unreadable

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAMPLE_BYTES = 1 << 20
_SAMPLE_LINES = 60
_LEGACY_NAMES = {"vni": "VNI-Windows", "tcvn3": "TCVN3 (ABC)"}

Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class SheetSource:
    name: str | None
    rows: Iterator[list[Cell]]
    row_base: int  # 0-based sheet row of the first row in `rows`
    col_offset: int  # 0-based sheet column of each row's first cell
    merges: list[Merge]
    typed: bool  # cells carry types (Excel); CSV cells are all text
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # file-level problem codes
    convert: Callable[[str], str] | None = None  # legacy text converter for Excel cells


def is_excel(path: Path, head: bytes) -> bool:
    if head.startswith((_ZIP, _OLE)):
        return True
    if path.suffix.lower() in EXCEL_SUFFIXES:
        raise unreadable("damaged_file", detail=f"{path.suffix} without a workbook inside")
    return False


# --- Excel -------------------------------------------------------------------------------------------


def open_workbook(path: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise unreadable("damaged_file", detail=_first_line(exc)) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def sheet_names(workbook: CalamineWorkbook, wanted: str | None) -> list[str]:
    """The sheet asked for, or every visible worksheet in workbook order."""
    if wanted is not None:
        if wanted not in workbook.sheet_names:
            raise unreadable("sheet_not_found", sheet=wanted)
        return [wanted]
    names = [m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    return names or list(workbook.sheet_names)


def excel_sheet(workbook: CalamineWorkbook, name: str) -> SheetSource:
    try:
        sheet = workbook.get_sheet_by_name(name)
        merges = list(sheet.merged_cell_ranges or [])
        start = sheet.start
        rows = sheet.iter_rows()
    except (CalamineError, OSError, ValueError) as exc:
        raise unreadable("damaged_file", detail=_first_line(exc)) from exc
    if start is None:
        return SheetSource(name, iter(()), 0, 0, merges, typed=True)
    # calamine yields rows from the sheet's first row but cells from its first used column; check the
    # row base on the first non-blank row rather than trusting either, so row numbers are right.
    buffered: list[list[Cell]] = []
    for row in rows:
        buffered.append(row)
        if any(c != "" for c in row) or len(buffered) > start[0]:
            break
    first = len(buffered) - 1
    base = 0 if first == start[0] else (start[0] if first == 0 else 0)
    return SheetSource(name, itertools.chain(buffered, rows), base, start[1], merges, typed=True)


# --- CSV ---------------------------------------------------------------------------------------------


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _detect_encoding(head: bytes) -> tuple[str, str, list[tuple[str, dict[str, object]]]]:
    """(Python codec to open with, encoding name to report, file-level notes)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig", []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16", []
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, utf16, []
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", "utf-8", []
    except UnicodeDecodeError:
        pass
    guess, confident = guess_byte_encoding(head)
    if guess in CONVERTERS:
        return "latin-1", guess, [("legacy_encoding", {"encoding": _LEGACY_NAMES[guess]})]
    return "cp1258", "cp1258", [] if confident else [("encoding_uncertain", {})]


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter (comma, semicolon or tab) that splits most sample lines into the same number of fields."""
    if lines and len(lines[0].strip()) == 5 and lines[0].lower().startswith("sep="):
        return lines[0][4]  # Excel's own hint line, "sep=;"
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t"):
        counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = multi.count(mode) * 1000 + mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_sheet(path: Path, head: bytes) -> tuple[SheetSource, Callable[[], None]]:
    if not head.strip(b"\x00\t\r\n \xef\xbb\xbf\xff\xfe"):
        raise unreadable("empty_file")
    codec, encoding, notes = _detect_encoding(head)
    stream = path.open(encoding=codec, errors="replace", newline="")
    convert = CONVERTERS.get(encoding)
    sample_text = head.decode(codec, errors="replace") if codec != "utf-16" else head.decode("utf-16", "replace")
    if convert is None and codec.startswith("utf"):
        legacy = guess_legacy(sample_text.splitlines()[:_SAMPLE_LINES])
        if legacy:  # a Unicode file holding VNI or TCVN3 characters, typed with a legacy font
            convert = CONVERTERS[legacy]
            encoding = f"{codec}+{legacy}"
            notes.append(("legacy_encoding", {"encoding": _LEGACY_NAMES[legacy]}))
    delimiter = _sniff_delimiter(sample_text.splitlines()[:_SAMPLE_LINES])
    source = SheetSource(None, iter(()), 0, 0, [], typed=False, encoding=encoding, delimiter=delimiter, notes=notes)
    source.rows = _csv_rows(stream, delimiter, convert, source)
    return source, stream.close


def _csv_rows(
    stream: Iterator[str], delimiter: str, convert: Callable[[str], str] | None, source: SheetSource
) -> Iterator[list[Cell]]:
    def lines() -> Iterator[str]:
        replaced = False
        for line in stream:
            if not replaced and "\ufffd" in line:
                replaced = True
                source.notes.append(("encoding_replaced", {"encoding": source.encoding}))
            yield convert(line) if convert else line

    yield from csv.reader(lines(), delimiter=delimiter)
