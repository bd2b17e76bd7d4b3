"""The simple result file: a CSV or Excel table of end-to-end ID, status and reason (and, if given, amount).

Header names are recognised in Vietnamese or English, with or without diacritics; status words too
(“Thành công”, “Thất bại”, “settled”, ISO codes such as ACSC or RJCT). A reason that starts with an ISO
reason code (“AC04 Tài khoản đã đóng”) is split into code and text. A row that cannot be read becomes an
error naming its line and column, and the caller refuses the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from python_calamine import CalamineError, CalamineWorkbook

from ansinh.lib.text import fold
from ansinh.payfiles.model import ResultFile, Status, StatusEntry, gettext_noop

_ = gettext_noop

# Folded header text -> field. Folding removes diacritics, so "Trạng thái" and "trang thai" match alike.
HEADERS: dict[str, str] = {
    **dict.fromkeys(
        [
            "end-to-end id",
            "end to end id",
            "endtoendid",
            "end_to_end_id",
            "e2e id",
            "e2e",
            "ma giao dich",
            "ma tham chieu",
            "so tham chieu",
            "ma thanh toan",
            "ma chi tra",
            "reference",
            "payment reference",
        ],
        "end_to_end_id",
    ),
    **dict.fromkeys(["status", "trang thai", "ket qua", "tinh trang", "result", "txsts"], "status"),
    **dict.fromkeys(
        [
            "reason",
            "ly do",
            "nguyen nhan",
            "ly do that bai",
            "ly do tu choi",
            "ma loi",
            "mo ta loi",
            "error",
            "ghi chu",
        ],
        "reason",
    ),
    **dict.fromkeys(["amount", "so tien", "so tien (dong)", "so tien (vnd)", "so tien chi tra"], "amount"),
}

STATUS_WORDS: dict[str, Status] = {
    **dict.fromkeys(
        [
            "settled",
            "paid",
            "success",
            "successful",
            "ok",
            "done",
            "thanh cong",
            "da chi",
            "da chi tra",
            "da thanh toan",
            "da chuyen",
            "hoan thanh",
            "acsc",
            "accc",
        ],
        "settled",
    ),
    **dict.fromkeys(
        [
            "rejected",
            "failed",
            "failure",
            "error",
            "returned",
            "that bai",
            "loi",
            "tu choi",
            "bi tu choi",
            "khong thanh cong",
            "hoan tra",
            "tra lai",
            "rjct",
            "canc",
        ],
        "rejected",
    ),
    **dict.fromkeys(["accepted", "da tiep nhan", "chap nhan", "da chap nhan", "accp", "acsp", "acwc"], "accepted"),
    **dict.fromkeys(["pending", "processing", "cho xu ly", "dang xu ly", "cho", "rcvd", "pdng", "actc"], "pending"),
}

_REASON_CODE = re.compile(r"^([A-Z]{2}[0-9]{2}|NARR)\b[\s:.\-\u2013]*(.*)$", re.DOTALL)
_AMOUNT = re.compile(r"^[0-9]{1,3}([.,\s][0-9]{3})*$|^[0-9]+$")
_MISSING_ID = _("Line %(line)s, column %(column)s (%(header)s): the end-to-end ID is missing.")
_BAD_STATUS = _("Line %(line)s, column %(column)s (%(header)s): “%(value)s” is not a recognised status.")
_BAD_AMOUNT = _("Line %(line)s, column %(column)s (%(header)s): “%(value)s” is not a whole number of đồng.")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def column_letter(index: int) -> str:
    """A, B, ..., Z, AA, ... for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[Sequence[str]]:
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on a Vietnamese Windows saves CSV in the Windows code page.
            text = data.decode("cp1258", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t", "|"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _excel_rows(data: bytes, result: ResultFile) -> Iterator[Sequence[object]] | None:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return iter(sheet.iter_rows())
    except (CalamineError, ValueError, OSError) as error:
        result.problem(_("The spreadsheet cannot be opened: %(detail)s"), detail=str(error))
        return None


def read_result_table(data: bytes, filename: str) -> ResultFile:
    """Statuses from a CSV or Excel result table (first sheet; the header is the first row naming an ID
    column and a status column, within the first 20 rows)."""
    result = ResultFile(kind="table")
    if not data.strip():
        result.problem(_("The file is empty."))
        return result
    excel = filename.lower().endswith(_EXCEL_SUFFIXES) or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    rows = _excel_rows(data, result) if excel else _csv_rows(data)
    if rows is None:
        return result
    try:
        _read_rows(rows, result)
    except csv.Error as error:
        result.problem(_("The CSV file cannot be read: %(detail)s"), detail=str(error))
    return result


def _header(rows: Iterator[Sequence[object]], result: ResultFile) -> tuple[dict[str, int], list[str], int] | None:
    for line, row in enumerate(rows, start=1):
        texts = [_cell_text(value) for value in row]
        columns: dict[str, int] = {}
        for index, value in enumerate(texts):
            field = HEADERS.get(fold(value))
            if field and field not in columns:
                columns[field] = index
        if "end_to_end_id" in columns and "status" in columns:
            return columns, texts, line
        if line >= 20:
            break
    result.problem(
        _("No header row naming an end-to-end ID column and a status column was found in the first 20 rows.")
    )
    return None


def _split_reason(reason: str) -> tuple[str, str]:
    match = _REASON_CODE.match(reason)
    return (match.group(1), match.group(2).strip()) if match else ("", reason)


def _row_amount(raw: object) -> tuple[bool, int | None]:
    """(readable, whole đồng) from a cell: a number, or digits with thousands separators; empty is None."""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return (True, int(raw)) if float(raw).is_integer() and raw >= 0 else (False, None)
    text = _cell_text(raw)
    if not text:
        return True, None
    return (True, int(re.sub(r"[.,\s]", "", text))) if _AMOUNT.match(text) else (False, None)


def _read_rows(rows: Iterator[Sequence[object]], result: ResultFile) -> None:
    found = _header(rows, result)
    if found is None:
        return
    columns, headers, header_line = found
    id_at, status_at = columns["end_to_end_id"], columns["status"]
    reason_at, amount_at = columns.get("reason"), columns.get("amount")
    append = result.entries.append
    # A file has a handful of distinct status words; folding each of a million cells would dominate.
    statuses: dict[str, Status | None] = {}
    for line, row in enumerate(rows, start=header_line + 1):
        width = len(row)
        e2e = _cell_text(row[id_at]) if id_at < width else ""
        raw_status = _cell_text(row[status_at]) if status_at < width else ""
        if not e2e and not raw_status and not any(_cell_text(v) for v in row):
            continue  # blank line
        if not e2e:
            _bad(result, line, id_at, headers, _MISSING_ID)
            continue
        if raw_status not in statuses:
            statuses[raw_status] = STATUS_WORDS.get(fold(raw_status))
        status = statuses[raw_status]
        if status is None:
            _bad(result, line, status_at, headers, _BAD_STATUS, value=raw_status)
            continue
        reason_code, reason_text = (
            _split_reason(_cell_text(row[reason_at])) if reason_at is not None and reason_at < width else ("", "")
        )
        readable, amount = True, None
        if amount_at is not None and amount_at < width:
            readable, amount = _row_amount(row[amount_at])
            if not readable:
                _bad(result, line, amount_at, headers, _BAD_AMOUNT, value=_cell_text(row[amount_at]))
                continue
        append(StatusEntry(e2e, status, reason_code, reason_text, amount, line))


def _bad(result: ResultFile, line: int, index: int, headers: list[str], message: str, **params: object) -> None:
    result.problem(
        message,
        line=line,
        column=column_letter(index),
        header=headers[index] if index < len(headers) else "",
        **params,
    )
