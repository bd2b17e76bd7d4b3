"""Banks' own bulk-transfer files (CSV or Excel), described as data in templates/*.json.

A template names, for each column, its header text, the field it is filled from and how the value is
written; plus the file's encoding, delimiter, whether it is CSV or xlsx, and the rows written above and
below the table (which may quote the debtor, the count, the total and the execution date). Adding a bank
means adding a JSON file, not code. The same input always gives the same bytes.

Sources: sequence, end_to_end_id, amount, creditor_name, creditor_account, creditor_bank_bin,
creditor_bank_name, remittance, debtor_name, debtor_account, debtor_bank_bin, execution_date.
Formats: text, ascii (diacritics removed), upper_ascii, int, amount (digits only), amount_dots
(1.200.000), date (dd/mm/yyyy). Placeholders in header and footer rows: {debtor_name},
{debtor_account}, {debtor_bank_bin}, {count}, {total}, {total_dots}, {execution_date}; a cell that is exactly {count}
or {total} is written as a number in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from ansinh.payfiles.model import Debtor, Transfer
from ansinh.payfiles.xlsx import Cell, Sheet, Style, workbook_bytes

SOURCES = frozenset(
    {
        "sequence",
        "end_to_end_id",
        "amount",
        "creditor_name",
        "creditor_account",
        "creditor_bank_bin",
        "creditor_bank_name",
        "remittance",
        "debtor_name",
        "debtor_account",
        "debtor_bank_bin",
        "execution_date",
    }
)
_D = str.maketrans({"đ": "d", "Đ": "D"})


def ascii_text(value: str) -> str:
    """Vietnamese without diacritics (“Nguyễn Văn Đức” → “Nguyen Van Duc”), for banks' ASCII-only fields."""
    decomposed = unicodedata.normalize("NFD", value.translate(_D))
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(kept.encode("ascii", "ignore").decode().split())


def _grouped(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


FORMATS: dict[str, Callable[[Any], str | int]] = {
    "text": lambda v: " ".join(str(v).split()),
    "ascii": lambda v: ascii_text(str(v)),
    "upper_ascii": lambda v: ascii_text(str(v)).upper(),
    "int": int,
    "amount": lambda v: str(int(v)),
    "amount_dots": lambda v: _grouped(int(v)),
    "date": lambda v: v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v),
}


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    """One column of a bank file."""

    header: str
    source: str
    format: str = "text"
    max_length: int = 0  # 0: no limit
    number: bool = False  # in xlsx, write as a number cell (amounts); text keeps leading zeros of accounts


@dataclass(frozen=True, slots=True)
class BankTemplate:
    """A bank's bulk-transfer file layout."""

    key: str
    name: str
    description: str
    file_format: str  # "csv" or "xlsx"
    columns: tuple[TemplateColumn, ...]
    bank_bins: tuple[str, ...] = ()  # banks that take this layout; empty: any
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    line_terminator: str = "\r\n"
    sheet_name: str = "Sheet1"
    header_rows: tuple[tuple[str, ...], ...] = ()
    footer_rows: tuple[tuple[str, ...], ...] = ()

    @property
    def extension(self) -> str:
        return self.file_format


def template_from_dict(data: dict[str, Any], origin: str) -> BankTemplate:
    try:
        columns = tuple(
            TemplateColumn(
                header=str(c["header"]),
                source=str(c["source"]),
                format=str(c.get("format", "text")),
                max_length=int(c.get("max_length", 0)),
                number=bool(c.get("number", False)),
            )
            for c in data["columns"]
        )
        template = BankTemplate(
            key=str(data["key"]),
            name=str(data["name"]),
            description=str(data["description"]),
            file_format=str(data["format"]),
            columns=columns,
            bank_bins=tuple(str(b) for b in data.get("bank_bins", ())),
            encoding=str(data.get("encoding", "utf-8-sig")),
            delimiter=str(data.get("delimiter", ",")),
            line_terminator=str(data.get("line_terminator", "\r\n")),
            sheet_name=str(data.get("sheet_name", "Sheet1")),
            header_rows=tuple(tuple(str(v) for v in row) for row in data.get("header_rows", ())),
            footer_rows=tuple(tuple(str(v) for v in row) for row in data.get("footer_rows", ())),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"bank template {origin} is incomplete: {error}") from error
    if template.file_format not in ("csv", "xlsx"):
        raise ValueError(f"bank template {origin}: format must be csv or xlsx")
    for column in columns:
        if column.source not in SOURCES:
            raise ValueError(f"bank template {origin}: unknown source {column.source!r}")
        if column.format not in FORMATS:
            raise ValueError(f"bank template {origin}: unknown format {column.format!r}")
    "".encode(template.encoding)  # an unknown encoding fails here, at load, not at export
    return template


def load_templates() -> dict[str, BankTemplate]:
    """Every template shipped in ansinh/payfiles/templates/, by key (ValueError on a broken one)."""
    found: dict[str, BankTemplate] = {}
    folder = resources.files("ansinh.payfiles") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        template = template_from_dict(json.loads(entry.read_text(encoding="utf-8")), entry.name)
        if template.key in found:
            raise ValueError(f"bank template key {template.key!r} is used twice")
        found[template.key] = template
    return found


def _values(debtor: Debtor, transfers: Sequence[Transfer], execution_date: date | None) -> dict[str, str]:
    total = sum(t.amount for t in transfers)
    return {
        "debtor_name": debtor.name,
        "debtor_account": debtor.account,
        "debtor_bank_bin": debtor.bank_bin,
        "count": str(len(transfers)),
        "total": str(total),
        "total_dots": _grouped(total),
        "execution_date": execution_date.strftime("%d/%m/%Y") if execution_date else "",
    }


def _fill(row: tuple[str, ...], values: dict[str, str]) -> list[str]:
    return [cell.format_map(values) for cell in row]


def _rows(
    template: BankTemplate, debtor: Debtor, transfers: Sequence[Transfer], execution_date: date | None
) -> list[list[str | int]]:
    fixed = {
        "debtor_name": debtor.name,
        "debtor_account": debtor.account,
        "debtor_bank_bin": debtor.bank_bin,
        "execution_date": execution_date or "",
    }
    plan = [(c.source, FORMATS[c.format], c.max_length) for c in template.columns]
    out: list[list[str | int]] = []
    for sequence, transfer in enumerate(transfers, start=1):
        row: list[str | int] = []
        for source, fmt, limit in plan:
            if source == "sequence":
                raw: Any = sequence
            elif source in fixed:
                raw = fixed[source]
            else:
                raw = getattr(transfer, source)
            value = fmt(raw)
            if limit and isinstance(value, str):
                value = value[:limit]
            row.append(value)
        out.append(row)
    return out


def write_bank_file(
    template: BankTemplate, debtor: Debtor, transfers: Sequence[Transfer], *, execution_date: date | None = None
) -> bytes:
    """The bank's bulk-transfer file for one debtor account; raises UnicodeEncodeError when a value
    cannot be written in the template's encoding (use an ascii format for such columns)."""
    values = _values(debtor, transfers, execution_date)
    rows = _rows(template, debtor, transfers, execution_date)
    headers = [c.header for c in template.columns]
    if template.file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=template.delimiter, lineterminator=template.line_terminator)
        for row in template.header_rows:
            writer.writerow(_fill(row, values))
        writer.writerow(headers)
        writer.writerows(rows)
        for row in template.footer_rows:
            writer.writerow(_fill(row, values))
        return buffer.getvalue().encode(template.encoding)
    return _xlsx(template, headers, rows, values, execution_date)


def _xlsx(
    template: BankTemplate,
    headers: list[str],
    rows: list[list[str | int]],
    values: dict[str, str],
    execution_date: date | None,
) -> bytes:
    sheet = Sheet(template.sheet_name[:31], font="Arial", print_setup=False)
    plain = sheet.style(Style(size=11))
    bold = sheet.style(Style(size=11, bold=True, border=True, align="center", wrap=True))
    cell = sheet.style(Style(size=11, border=True))
    money = sheet.style(Style(size=11, border=True, money=True))
    numbers = {"{count}": int(values["count"]), "{total}": int(values["total"])}

    def filled(row: tuple[str, ...]) -> list[tuple[Cell, int] | None]:
        return [(numbers[v] if v in numbers else v.format_map(values), plain) if v else None for v in row]

    for fixed in template.header_rows:
        sheet.add_row(filled(fixed))
    sheet.add_row([(h, bold) for h in headers])
    kinds = [money if c.number else cell for c in template.columns]
    number_columns = [c.number for c in template.columns]
    for row in rows:
        sheet.add_row(
            [
                (int(v) if is_number else v, style)
                for v, style, is_number in zip(row, kinds, number_columns, strict=True)
            ]
        )
    for fixed in template.footer_rows:
        sheet.add_row(filled(fixed))
    for index, column in enumerate(template.columns):
        sheet.widths[index] = max(8.0, min(40.0, len(column.header) + 4.0))
    created = (
        None if execution_date is None else datetime(execution_date.year, execution_date.month, execution_date.day)
    )
    return workbook_bytes(sheet, title=template.name, created=created)
