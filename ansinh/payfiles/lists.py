"""The official Excel lists: the payment list for the paying office and the cash list for a payment
service organisation, one commune each.

The layout follows the administrative forms communes sign: the issuing agency on the left and the
national motto on the right, the title, a bordered table with a numbered column row, the total in figures
and in words (“Bằng chữ”), then signature blocks. The words on the sheet are Vietnamese whatever the user's
language, because the signed paper is a Vietnamese administrative document. A4, table header repeated on
every printed page, page numbers in the footer. The same input gives the same bytes. The sheet is
written by ansinh.payfiles.xlsx rather than xlsxwriter, which is too slow for a million rows (see there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ansinh.payfiles.words import vnd_in_words
from ansinh.payfiles.xlsx import Cell, Formula, Sheet, Style, column_letter, workbook_bytes

__all__ = ["ListRow", "cash_list_xlsx", "payment_list_xlsx", "vnd_in_words"]

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGN_HINT = "(Ký, ghi rõ họ tên)"
DATE_LINE = "……………, ngày …… tháng …… năm ………"

_STYLES = {
    "center": Style(align="center"),
    "center_bold": Style(align="center", bold=True),
    "motto": Style(align="center", bold=True, underline=True),
    "title": Style(align="center", bold=True, size=14, wrap=True),
    "subtitle": Style(align="center", italic=True),
    "head": Style(align="center", bold=True, border=True, wrap=True),
    "colnum": Style(align="center", italic=True, border=True, size=10),
    "cell": Style(border=True, wrap=True),
    "cell_center": Style(border=True, align="center"),
    "money": Style(border=True, money=True),
    "total_label": Style(border=True, bold=True, align="center"),
    "total": Style(border=True, bold=True, money=True),
    "words": Style(italic=True, wrap=True),
    "sign_title": Style(align="center", bold=True, wrap=True),
    "sign_hint": Style(align="center", italic=True),
    "date": Style(align="center", italic=True),
}


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of a list. `birth_year` is the year only (None when unknown); amount in đồng."""

    number: int
    full_name: str
    birth_year: int | None
    address: str
    category_label: str
    amount: int
    account_masked: str = ""
    proxy_name: str = ""  # who receives on the beneficiary's behalf, if anyone
    home_delivery: bool = False  # cash handed over at home (force majeure)
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    width: float
    kind: str  # "number", "text", "year", "amount", "blank"
    field: str = ""


class _Writer:
    """Places the header, table, totals and signatures on a sheet, top to bottom."""

    def __init__(self, sheet: Sheet, width: int) -> None:
        self.sheet = sheet
        self.width = width
        self.s = {name: sheet.style(style) for name, style in _STYLES.items()}

    def line(self, spans: Sequence[tuple[int, int, str, str]], height: float | None = None) -> int:
        """A row of merged spans (first column, last column, text, style name)."""
        cells: list[tuple[Cell, int] | None] = [None] * self.width
        for first, _last, text, style in spans:
            cells[first] = (text, self.s[style])
        row = self.sheet.add_row(cells, height)
        for first, last, _text, _style in spans:
            self.sheet.merge(row, first, last)
        return row

    def blank(self) -> None:
        self.sheet.add_row([])


def _header(w: _Writer, agency_lines: Sequence[str], title: str, subtitle_lines: Sequence[str]) -> None:
    width = w.width
    left_last = max(1, width // 2 - 1)
    right_first = left_last + 1
    for index in range(max(len(agency_lines), len(MOTTO))):
        spans: list[tuple[int, int, str, str]] = []
        agency = agency_lines[index] if index < len(agency_lines) else ""
        if agency:
            # The last agency line is the issuing unit itself: bold and underlined, as on official forms.
            spans.append((0, left_last, agency, "motto" if index == len(agency_lines) - 1 else "center"))
        if index < len(MOTTO):
            spans.append((right_first, width - 1, MOTTO[index], "center_bold" if index == 0 else "motto"))
        w.line(spans)
    w.blank()
    w.line([(0, width - 1, title.upper(), "title")], height=36)
    for text in subtitle_lines:
        if text:
            w.line([(0, width - 1, text, "subtitle")])
    w.blank()


def _table(w: _Writer, columns: Sequence[_Column], rows: Sequence[ListRow]) -> int:
    """Writes the table and its total rows; returns the total."""
    sheet, s = w.sheet, w.s
    for index, column in enumerate(columns):
        sheet.widths[index] = column.width
    header_row = sheet.add_row([(c.header, s["head"]) for c in columns], height=45)
    sheet.add_row([(f"({i + 1})", s["colnum"]) for i in range(len(columns))])
    sheet.repeat_rows = (header_row, header_row + 1)
    amount_index = next(i for i, c in enumerate(columns) if c.kind == "amount")
    first_data = sheet.row_count
    total = 0
    number_style, cell_style, money_style = s["cell_center"], s["cell"], s["money"]
    plan = [(c.kind, c.field) for c in columns]
    add_row = sheet.add_row
    for item in rows:
        cells: list[tuple[Cell, int] | None] = []
        for kind, field in plan:
            if kind == "text":
                cells.append((getattr(item, field), cell_style))
            elif kind == "amount":
                cells.append((item.amount, money_style))
            elif kind == "number":
                cells.append((item.number, number_style))
            elif kind == "year":
                cells.append((item.birth_year, number_style))
            else:
                cells.append((None, cell_style))
        add_row(cells)
        total += item.amount
    last_data = sheet.row_count - 1
    letter = column_letter(amount_index)
    # The total is a formula, so a hand correction on the sheet updates it; its value is stored as well.
    figure = Formula(f"SUM({letter}{first_data + 1}:{letter}{last_data + 1})" if rows else "0", total)
    cells = [("Tổng cộng", s["total_label"])] + [(None, s["total_label"])] * (amount_index - 1)
    cells += [(figure, s["total"])] + [(None, s["cell"])] * (len(columns) - amount_index - 1)
    total_row = sheet.add_row(cells, height=22)
    sheet.merge(total_row, 0, amount_index - 1)
    w.line([(0, len(columns) - 1, f"Bằng chữ: {vnd_in_words(total)}.", "words")], height=32)
    w.blank()
    return total


def _signatures(w: _Writer, signatures: Sequence[str]) -> None:
    if not signatures:
        return
    blocks = len(signatures)
    edges = [round(i * w.width / blocks) for i in range(blocks + 1)]
    spans = [(edges[i], max(edges[i], edges[i + 1] - 1)) for i in range(blocks)]
    w.line([(spans[-1][0], spans[-1][1], DATE_LINE, "date")])
    w.line([(a, b, label, "sign_title") for (a, b), label in zip(spans, signatures, strict=True)], height=32)
    w.line([(a, b, SIGN_HINT, "sign_hint") for a, b in spans])


def _workbook(
    *,
    sheet_name: str,
    agency_lines: Sequence[str],
    title: str,
    subtitle_lines: Sequence[str],
    columns: Sequence[_Column],
    rows: Sequence[ListRow],
    signatures: Sequence[str],
    landscape: bool,
    created: datetime | None,
) -> bytes:
    sheet = Sheet(sheet_name[:31], landscape=landscape, footer="&CTrang &P/&N")
    writer = _Writer(sheet, len(columns))
    _header(writer, agency_lines, title, subtitle_lines)
    _table(writer, columns, rows)
    _signatures(writer, signatures)
    return workbook_bytes(sheet, title=title, created=created)


def payment_list_xlsx(
    *,
    agency_lines: Sequence[str],
    title: str,
    commune_name: str,
    period_label: str,
    rows: Sequence[ListRow],
    signatures: Sequence[str],
    created: datetime | None = None,
) -> bytes:
    """The payment list of one commune for the paying office (danh sách chi trả), with a column for the
    beneficiary's signature or thumbprint; a masked account column appears when any row has one."""
    columns = [
        _Column("STT", 6, "number"),
        _Column("Họ và tên", 26, "text", "full_name"),
        _Column("Năm sinh", 9, "year"),
        _Column("Địa chỉ (thôn, tổ dân phố)", 24, "text", "address"),
        _Column("Loại đối tượng", 20, "text", "category_label"),
    ]
    if any(row.account_masked for row in rows):
        columns.append(_Column("Số tài khoản", 16, "text", "account_masked"))
    columns += [_Column("Số tiền (đồng)", 14, "amount"), _Column("Ký nhận hoặc điểm chỉ", 18, "blank")]
    return _workbook(
        sheet_name="Danh sách chi trả",
        agency_lines=agency_lines,
        title=title,
        subtitle_lines=[f"{commune_name} - {period_label}"],
        columns=columns,
        rows=rows,
        signatures=signatures,
        landscape=len(columns) > 7,
        created=created,
    )


def cash_list_xlsx(
    *,
    agency_lines: Sequence[str],
    title: str,
    organisation_name: str,
    commune_name: str,
    period_label: str,
    rows: Sequence[ListRow],
    signatures: Sequence[str],
    created: datetime | None = None,
) -> bytes:
    """The cash list for one payment service organisation in one commune: who receives (the beneficiary or
    a proxy), where (at a point or at home), and the signatures of the receiver and of the person who
    paid, with the date it was handed over."""
    rows = [
        ListRow(
            r.number,
            r.full_name,
            r.birth_year,
            r.address,
            r.category_label,
            r.amount,
            r.account_masked,
            r.proxy_name,
            r.home_delivery,
            note="Chi tại nhà" if r.home_delivery and not r.note else r.note,
        )
        for r in rows
    ]
    columns = [
        _Column("STT", 6, "number"),
        _Column("Họ và tên", 24, "text", "full_name"),
        _Column("Năm sinh", 8, "year"),
        _Column("Địa chỉ (thôn, tổ dân phố)", 22, "text", "address"),
        _Column("Loại đối tượng", 16, "text", "category_label"),
        _Column("Số tiền (đồng)", 13, "amount"),
        _Column("Người nhận thay (nếu có)", 18, "text", "proxy_name"),
        _Column("Ngày nhận", 11, "blank"),
        _Column("Người nhận ký hoặc điểm chỉ", 16, "blank"),
        _Column("Người chi trả ký", 14, "blank"),
        _Column("Ghi chú", 14, "text", "note"),
    ]
    return _workbook(
        sheet_name="Danh sách chi tiền mặt",
        agency_lines=agency_lines,
        title=title,
        subtitle_lines=[f"Tổ chức dịch vụ chi trả: {organisation_name}", f"{commune_name} - {period_label}"],
        columns=columns,
        rows=rows,
        signatures=signatures,
        landscape=True,
        created=created,
    )
