"""Reading a file of self-registered accounts (VNeID or a bank sends CSV or Excel) into rows for
`services.external_accounts_receive`: one header row, columns known by their usual Vietnamese or English names."""

from __future__ import annotations

import csv
import io
from typing import IO

from django.utils.translation import gettext_noop

from ansinh.lib.text import fold

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000

# Folded header text -> field.
HEADERS = {
    "citizen_id": (
        "citizen_id",
        "so cccd",
        "cccd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "id number",
        "so cccd/cmnd",
    ),
    "full_name": ("full_name", "ho va ten", "ho ten", "name", "full name"),
    "channel": ("channel", "kenh", "hinh thuc"),
    "bank_bin": ("bank_bin", "bin", "ma bin", "ma ngan hang"),
    "bank": ("bank", "ngan hang", "ten ngan hang", "bank name"),
    "account_number": ("account_number", "so tai khoan", "stk", "account number", "account"),
    "holder_name": ("holder_name", "chu tai khoan", "ten chu tai khoan", "ten tai khoan", "account holder", "holder"),
    "reference": ("reference", "ma tham chieu", "ma ho so", "ma giao dich", "ref"),
}
_FIELD_OF = {alias: name for name, aliases in HEADERS.items() for alias in aliases}


class ExternalFileError(ValueError):
    """The file cannot be read as a list of registrations; the message is an English msgid to translate where shown."""


def _field(header: object) -> str | None:
    return _FIELD_OF.get(fold(str(header or "")).strip(" :*"))


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID or account number that Excel stored as a number
    return "" if value is None else str(value).strip()


def _rows(table: list[list[object]]) -> list[dict[str, str]]:
    if not table:
        raise ExternalFileError(gettext_noop("The file is empty."))
    fields = [_field(h) for h in table[0]]
    if "citizen_id" not in fields or "account_number" not in fields:
        raise ExternalFileError(
            "The first row must name the columns, with at least the ID number and the account number."
        )
    rows = []
    for line in table[1:]:
        row = {name: _cell(value) for name, value in zip(fields, line, strict=False) if name}
        if any(row.values()):
            rows.append(row)
    if len(rows) > MAX_ROWS:
        raise ExternalFileError(gettext_noop("The file has too many rows; send at most 5,000 per file."))
    return rows


def external_rows_read(handle: IO[bytes], name: str) -> list[dict[str, str]]:
    """The registrations of an uploaded .csv, .xlsx, .xls or .ods file."""
    data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ExternalFileError(gettext_noop("The file is larger than 10 MB."))
    if data[:2] == b"PK" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            table = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
        except (CalamineError, ValueError) as error:
            raise ExternalFileError(gettext_noop("The spreadsheet cannot be opened.")) from error
        return _rows([list(r) for r in table])
    if not name.lower().endswith((".csv", ".txt")):
        raise ExternalFileError(gettext_noop("Send a CSV or Excel file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExternalFileError(gettext_noop("A CSV file must be in UTF-8.")) from error
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return _rows([list(r) for r in csv.reader(io.StringIO(text), dialect)])
