"""Read an official list of current communes (CSV: code, name, province) and check it row by row.

Nothing here writes; `ansinh.geo.services.communes_reconcile_official` applies a list that passed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ansinh.lib.text import nfc

COLUMNS = ("code", "name", "province")
CODE_LENGTH = 5
MAX_PROBLEMS = 20


class OfficialListError(Exception):
    """The list has problems; each names the file, the row and the column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more problems"] if more else [])))


@dataclass(frozen=True)
class OfficialRow:
    file: str
    row: int  # the spreadsheet row: the header is row 1
    code: str
    name: str
    province: str  # a province code or name, resolved by the service

    def where(self, column: str) -> str:
        return f"{self.file}, row {self.row}, column {column}"


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OfficialListError([f"{path}: cannot read the file ({exc.strerror})"]) from exc
    try:
        return raw.decode("utf-8-sig")  # Excel writes a byte-order mark; accept both
    except UnicodeDecodeError as exc:
        raise OfficialListError([f"{path}: not UTF-8 text (byte {exc.start}); save the list as CSV UTF-8"]) from exc


def official_list_read(path: Path) -> list[OfficialRow]:
    """The rows of the list, or OfficialListError with every problem found (nothing half-read)."""
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in a comma-decimal locale save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        found = ", ".join(header) or "nothing"
        raise OfficialListError([f"{path}, row 1: missing column(s) {', '.join(missing)} (found: {found})"])
    index = {column: header.index(column) for column in COLUMNS}

    rows: list[OfficialRow] = []
    problems: list[str] = []
    seen_codes: dict[str, int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        values = {column: (cells[i].strip() if i < len(cells) else "") for column, i in index.items()}
        row = OfficialRow(
            file=str(path), row=line, code=values["code"], name=nfc(values["name"]), province=values["province"]
        )
        row_problems = [f"{row.where(column)}: empty" for column in COLUMNS if not values[column]]
        code = values["code"]
        if code and not (code.isdigit() and len(code) <= CODE_LENGTH):
            row_problems.append(f"{row.where('code')}: {code!r} is not a commune code of up to {CODE_LENGTH} digits")
        elif code:
            # Spreadsheets drop leading zeros: 103 is 00103.
            code = code.zfill(CODE_LENGTH)
            if code in seen_codes:
                row_problems.append(f"{row.where('code')}: code {code} already given in row {seen_codes[code]}")
            seen_codes.setdefault(code, line)
        if row_problems:
            problems.extend(row_problems)
            continue
        rows.append(OfficialRow(file=row.file, row=line, code=code, name=row.name, province=row.province))
    if problems:
        raise OfficialListError(problems)
    if not rows:
        raise OfficialListError([f"{path}: no rows below the header"])
    return rows
