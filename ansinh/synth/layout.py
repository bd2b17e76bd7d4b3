"""Lists written the way offices send them: title rows, a two-row header with merged cells, a column-number
row, a numbering column, a heading and a subtotal per commune, a grand total and a signature block.

Excel through XlsxWriter in constant-memory mode (rows streamed to disk as written) with a fixed creation
date, so the same rows give the same bytes. The ground truth is built while writing, so its sheet and
data-row numbers are the ones the file really has.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ansinh.synth.rows import BeneficiaryLists, ListRow

Layout = Literal["standard", "sex_split"]
ListFormat = Literal["xlsx", "csv"]
SHEET_NAME = "Danh sách"
TITLES = {
    "social_protection": "DANH SÁCH ĐỐI TƯỢNG HƯỞNG TRỢ CẤP XÃ HỘI HÀNG THÁNG",
    "social_pension": "DANH SÁCH NGƯỜI HƯỞNG TRỢ CẤP HƯU TRÍ XÃ HỘI HÀNG THÁNG",
    "meritorious": "DANH SÁCH NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG HƯỞNG TRỢ CẤP ƯU ĐÃI HÀNG THÁNG",
    "poor_household": "DANH SÁCH THÀNH VIÊN HỘ NGHÈO ĐƯỢC HỖ TRỢ HÀNG THÁNG",
    "near_poor_household": "DANH SÁCH THÀNH VIÊN HỘ CẬN NGHÈO ĐƯỢC HỖ TRỢ HÀNG THÁNG",
    "other": "DANH SÁCH ĐỐI TƯỢNG KHÁC HƯỞNG TRỢ CẤP HÀNG THÁNG",
}
# (header text, group header over it or None); columns in a group share a merged cell in the first header row.
_RESIDENCE, _ACCOUNT, _BIRTH = "Nơi cư trú", "Tài khoản nhận trợ cấp", "Ngày sinh"
COLUMNS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "standard": (
        ("STT", None), ("Họ và tên", None), ("Ngày sinh", None), ("Giới tính", None), ("Số CCCD/CMND", None),
        ("Mã xã", _RESIDENCE), ("Xã/phường", _RESIDENCE), ("Thôn/tổ", _RESIDENCE),
        ("Mức trợ cấp (đồng/tháng)", None), ("Số tài khoản", _ACCOUNT), ("Ngân hàng", _ACCOUNT), ("Ghi chú", None),
    ),
    "sex_split": (
        ("STT", None), ("Họ và tên", None), ("Nam", _BIRTH), ("Nữ", _BIRTH), ("Số CCCD/CMND", None),
        ("Mã xã", _RESIDENCE), ("Xã/phường", _RESIDENCE), ("Thôn/tổ", _RESIDENCE),
        ("Mức trợ cấp (đồng/tháng)", None), ("Số tài khoản", _ACCOUNT), ("Ngân hàng", _ACCOUNT), ("Ghi chú", None),
    ),
}  # fmt: skip
_WIDTHS = (6, 26, 12, 10, 15, 8, 22, 16, 13, 16, 12, 22)
_AMOUNT_COLUMN = 8
_CREATED = datetime(2025, 12, 20, 8, 0, 0)
TRUTH_SCHEMA = pa.schema(
    [
        ("file", pa.string()), ("sheet", pa.string()), ("sheet_row", pa.int64()), ("data_row", pa.int64()),
        ("category", pa.string()), ("person_key", pa.string()), ("citizen_id", pa.string()),
        ("in_registry", pa.bool_()), ("died", pa.bool_()), ("moved", pa.bool_()), ("mistakes", pa.string()),
        ("date_format", pa.string()), ("listed_full_name", pa.string()), ("true_full_name", pa.string()),
        ("true_date_of_birth", pa.string()), ("true_sex", pa.string()), ("true_commune_code", pa.string()),
        ("listed_commune_code", pa.string()), ("listed_id", pa.string()), ("listed_birth", pa.string()),
    ]
)  # fmt: skip


def _roman(number: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text += numeral
            number -= value
    return text


# One line of the sheet: kind decides the formatting; cells are (column, value) pairs.
@dataclass(slots=True)
class _Line:
    kind: str  # title, blank, heading, data, subtotal, total, signature
    cells: list[tuple[int, Any]]
    merges: list[tuple[int, int]]  # (first column, last column) merged on this line
    row: ListRow | None = None


def _signer(rng: random.Random) -> str:
    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"])
    if rng.random() < 0.5:
        return f"{family} Văn {rng.choice(['Hùng', 'Minh', 'Quang', 'Thắng', 'Sơn', 'Tuấn'])}"
    return f"{family} Thị {rng.choice(['Lan', 'Hương', 'Mai', 'Hạnh', 'Thu', 'Hoa'])}"


def _lines(category: str, rows: Sequence[ListRow], lists: BeneficiaryLists, layout: Layout) -> Iterator[_Line]:
    """Every line of one list, top to bottom (the header is written separately)."""
    rng = random.Random(f"ansinh-synth:{lists.seed}:{category}:sheet")
    number = 0
    group = 0
    index = 0
    total = 0
    while index < len(rows):
        commune = rows[index].commune_code
        group += 1
        subtotal = 0
        yield _Line("heading", [(0, _roman(group)), (1, (rows[index].commune_name or commune).upper())], [])
        while index < len(rows) and rows[index].commune_code == commune:
            row = rows[index]
            if row.blank_before:
                yield _Line("blank", [], [])
            number += 1
            amount = row.amount if isinstance(row.amount, int) else int(row.amount.replace(".", ""))
            subtotal += amount
            yield _Line("data", _data_cells(number, row, layout), [], row)
            index += 1
        total += subtotal
        yield _Line("subtotal", [(1, "Cộng"), (_AMOUNT_COLUMN, subtotal)], [])
    yield _Line("total", [(1, "Tổng cộng"), (_AMOUNT_COLUMN, total)], [])
    yield _Line("blank", [], [])
    place = "........"
    if len(lists.province_names) == 1:
        place = lists.province_names[0].removeprefix("Thành phố ").removeprefix("Tỉnh ")
    signed = lists.as_of.replace(day=1)
    yield _Line(
        "signature", [(7, f"{place}, ngày {signed.day:02d} tháng {signed.month:02d} năm {signed.year}")], [(7, 11)]
    )
    yield _Line("signature", [(1, "NGƯỜI LẬP BIỂU"), (4, "TRƯỞNG PHÒNG VĂN HÓA - XÃ HỘI"), (7, "TM. ỦY BAN NHÂN DÂN")],
                [(1, 2), (4, 6), (7, 11)])  # fmt: skip
    yield _Line("signature", [(7, "CHỦ TỊCH")], [(7, 11)])
    yield _Line("signature", [(1, "(Ký, ghi rõ họ tên)"), (4, "(Ký, ghi rõ họ tên)"), (7, "(Ký tên, đóng dấu)")],
                [(1, 2), (4, 6), (7, 11)])  # fmt: skip
    for _ in range(3):
        yield _Line("blank", [], [])
    yield _Line("signature", [(1, _signer(rng)), (4, _signer(rng)), (7, _signer(rng))], [(1, 2), (4, 6), (7, 11)])


def _data_cells(number: int, row: ListRow, layout: Layout) -> list[tuple[int, Any]]:
    if layout == "sex_split":
        born = [(2, row.birth)] if row.sex == "Nam" else [(3, row.birth)]
    else:
        born = [(2, row.birth), (3, row.sex)]
    return [
        (0, number), (1, row.full_name), *born, (4, row.id_value), (5, row.commune_code), (6, row.commune_name),
        (7, row.hamlet), (8, row.amount), (9, row.account), (10, row.bank), (11, row.note),
    ]  # fmt: skip


def _title_lines(category: str, lists: BeneficiaryLists) -> list[_Line]:
    province = lists.province_names[0].upper() if len(lists.province_names) == 1 else "CÁC TỈNH, THÀNH PHỐ"
    decided = lists.as_of.replace(day=1)
    decision = 1000 + 37 * len(category)
    last = len(COLUMNS["standard"]) - 1
    return [
        _Line("title", [(0, "ỦY BAN NHÂN DÂN"), (6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")], [(0, 3), (6, last)]),
        _Line("title", [(0, province), (6, "Độc lập - Tự do - Hạnh phúc")], [(0, 3), (6, last)]),
        _Line("blank", [], []),
        _Line("title", [(0, TITLES[category])], [(0, last)]),
        _Line("title", [(0, f"(Kèm theo Quyết định số {decision}/QĐ-UBND ngày {decided:%d/%m/%Y})")], [(0, last)]),
        _Line("title", [(0, f"Kỳ chi trả: tháng {lists.as_of.month:02d} năm {lists.as_of.year}")], [(0, last)]),
        _Line("blank", [], []),
    ]


def _truth_record(file: str, sheet_row: int, data_row: int, row: ListRow) -> dict[str, Any]:
    return {
        "file": file, "sheet": SHEET_NAME, "sheet_row": sheet_row, "data_row": data_row, "category": row.category,
        "person_key": row.person_key, "citizen_id": row.citizen_id, "in_registry": row.in_registry,
        "died": row.died, "moved": row.moved, "mistakes": ";".join(row.mistakes), "date_format": row.date_format,
        "listed_full_name": row.full_name, "true_full_name": row.true_full_name,
        "true_date_of_birth": row.true_date_of_birth, "true_sex": row.true_sex,
        "true_commune_code": row.true_commune_code, "listed_commune_code": row.commune_code,
        "listed_id": None if row.id_value is None else str(row.id_value),
        "listed_birth": row.birth.isoformat() if isinstance(row.birth, date) else str(row.birth),
    }  # fmt: skip


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        border = {"border": 1, "font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
        self.title = workbook.add_format({"bold": True, "align": "center", "font_name": "Times New Roman"})
        self.header = workbook.add_format({**border, "bold": True, "align": "center", "text_wrap": True})
        self.number = workbook.add_format({**border, "italic": True, "align": "center"})
        self.cell = workbook.add_format(border)
        self.date = workbook.add_format({**border, "num_format": "dd/mm/yyyy", "align": "center"})
        self.amount = workbook.add_format({**border, "num_format": "#,##0"})
        self.heading = workbook.add_format({**border, "bold": True})
        self.signature = workbook.add_format({"bold": True, "align": "center", "font_name": "Times New Roman"})


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any, *, fmt: Any, formats: _Formats) -> None:
    kind = type(value)
    if kind is str:
        if value:
            sheet.write_string(row, column, value, fmt)
        else:
            sheet.write_blank(row, column, None, fmt)
    elif kind is int:
        sheet.write_number(row, column, value, formats.amount if column == _AMOUNT_COLUMN else fmt)
    elif value is None:
        sheet.write_blank(row, column, None, fmt)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), formats.date)
    else:
        sheet.write_string(row, column, str(value), fmt)


def _write_header(sheet: Worksheet, top: int, layout: Layout, formats: _Formats) -> None:
    """The two header rows and the column-number row.

    Constant-memory mode writes a row out as soon as a later one is touched, so XlsxWriter's merge_range
    cannot merge down two rows; the cells are written row by row and the vertical merges registered directly
    (a test reads the merged ranges back, so a change in XlsxWriter would show).
    """
    columns = COLUMNS[layout]
    groups: dict[str, list[int]] = {}
    for index, (_, group) in enumerate(columns):
        if group:
            groups.setdefault(group, []).append(index)
    for index, (text, group) in enumerate(columns):
        if group is None:
            sheet.write_string(top, index, text, formats.header)
        elif groups[group][0] == index:
            sheet.merge_range(top, index, top, groups[group][-1], group, formats.header)
    for index, (text, group) in enumerate(columns):
        if group is None:
            sheet.write_blank(top + 1, index, None, formats.header)
            sheet.merge.append([top, index, top + 1, index])
        else:
            sheet.write_string(top + 1, index, text, formats.header)
    for index in range(len(columns)):
        sheet.write_string(top + 2, index, f"({index + 1})", formats.number)


def write_xlsx(path: Path, category: str, lists: BeneficiaryLists, layout: Layout = "standard") -> list[dict[str, Any]]:
    """One category's list as an official-layout workbook; returns its ground-truth records."""
    rows = lists.rows[category]
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"title": TITLES[category], "author": "ansinh synth", "created": _CREATED})
    sheet = workbook.add_worksheet(SHEET_NAME)
    formats = _Formats(workbook)
    for column, width in enumerate(_WIDTHS):
        sheet.set_column(column, column, width)
    line_format = {"title": formats.title, "heading": formats.heading, "data": formats.cell,
                   "subtotal": formats.heading, "total": formats.heading, "signature": formats.signature}  # fmt: skip
    sheet_row = 0
    for line in _title_lines(category, lists):
        _write_line(sheet, sheet_row, line, line_format, formats)
        sheet_row += 1
    _write_header(sheet, sheet_row, layout, formats)
    sheet_row += 3
    truth: list[dict[str, Any]] = []
    for line in _lines(category, rows, lists, layout):
        _write_line(sheet, sheet_row, line, line_format, formats)
        if line.row is not None:
            truth.append(_truth_record(path.name, sheet_row + 1, len(truth) + 1, line.row))
        sheet_row += 1
    workbook.close()
    return truth


def _write_line(sheet: Worksheet, row: int, line: _Line, line_format: dict[str, Any], formats: _Formats) -> None:
    fmt = line_format.get(line.kind)
    if line.kind == "data":  # the bulk of the file: every column given, in order, no merges
        for column, value in line.cells:
            _write_cell(sheet, row, column, value, fmt=fmt, formats=formats)
        return
    merged = {first: last for first, last in line.merges}
    bordered = line.kind in {"data", "heading", "subtotal", "total"}
    cells = dict(line.cells)
    if bordered:  # a table row: every column gets its border, empty or not
        cells = {column: cells.get(column) for column in range(len(_WIDTHS))}
    for column, value in sorted(cells.items()):
        if column in merged:
            sheet.merge_range(row, column, row, merged[column], value, fmt)
        else:
            _write_cell(sheet, row, column, value, fmt=fmt, formats=formats)


def write_csv(path: Path, category: str, lists: BeneficiaryLists, layout: Layout = "standard") -> list[dict[str, Any]]:
    """The same lines as the workbook, as UTF-8 CSV with a BOM (what Excel writes); dates as dd/mm/yyyy text."""
    width = len(_WIDTHS)
    truth: list[dict[str, Any]] = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        sheet_row = 0

        def emit(cells: dict[int, Any]) -> None:
            nonlocal sheet_row
            writer.writerow([_csv_value(cells.get(column)) for column in range(width)])
            sheet_row += 1

        for line in _title_lines(category, lists):
            emit(dict(line.cells))
        columns = COLUMNS[layout]
        first: dict[int, Any] = {}
        second: dict[int, Any] = {}
        seen: set[str] = set()
        for index, (text, group) in enumerate(columns):
            if group is None:
                first[index] = text
            else:
                if group not in seen:
                    first[index] = group
                    seen.add(group)
                second[index] = text
        emit(first)
        emit(second)
        emit({index: f"({index + 1})" for index in range(width)})
        for line in _lines(category, lists.rows[category], lists, layout):
            if line.row is not None:
                truth.append(_truth_record(path.name, sheet_row + 1, len(truth) + 1, line.row))
            emit(dict(line.cells))
    return truth


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_lists(
    out_dir: Path,
    lists: BeneficiaryLists,
    *,
    list_format: ListFormat = "xlsx",
    layout: Layout = "standard",
) -> pa.Table:
    """Write one file per category into out_dir; returns the ground truth of every data row, file by file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = write_xlsx if list_format == "xlsx" else write_csv
    records: list[dict[str, Any]] = []
    for category in lists.rows:
        records.extend(writer(out_dir / f"{category}.{list_format}", category, lists, layout))
    return pa.Table.from_pylist(records, schema=TRUTH_SCHEMA)


def write_truth(path: Path, truth: pa.Table) -> None:
    """The ground truth as Parquet (a `.csv` path writes CSV instead)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(truth, path)
    else:
        pq.write_table(truth, path, compression="zstd")
