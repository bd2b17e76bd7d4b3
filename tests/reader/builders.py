"""Lists written the way communes write them, built in the tests themselves (synthetic people only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

OFFICIAL_TITLE = [
    "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "DANH SÁCH ĐỐI TƯỢNG HƯỞNG TRỢ CẤP XÃ HỘI HÀNG THÁNG",
]


def official_xlsx(path: Path) -> Path:
    """An official-layout list: titles, a two-row merged header, a column-number row, groups, totals, signatures.

    Header (rows 7-8): TT | Họ và tên | Ngày sinh (Nam | Nữ) | Số CCCD/CMND | Mã xã | Địa chỉ | Loại đối tượng
    | Hệ số | Tài khoản (Số tài khoản | Ngân hàng) | Ghi chú | Dân tộc | Mức trợ cấp. Row 9 numbers the columns.
    Data rows are on sheet rows 11, 12, 13 (group I), 16, 17, 18, 19 (group II).
    """
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Danh sách")
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write("A1", OFFICIAL_TITLE[0])
    ws.merge_range("E1:J1", OFFICIAL_TITLE[1])
    ws.merge_range("E2:J2", OFFICIAL_TITLE[2])
    ws.merge_range("A4:N4", OFFICIAL_TITLE[3])
    ws.merge_range("A5:N5", "(Kèm theo Quyết định số 123/QĐ-UBND ngày 01/7/2024 của UBND xã)")
    for col, text in zip(
        "ABEFGHIL",
        ["TT", "Họ và tên", "Số CCCD/CMND", "Mã xã", "Địa chỉ", "Loại đối tượng", "Hệ số", "Ghi chú"],
        strict=True,
    ):
        ws.merge_range(f"{col}7:{col}8", text)
    ws.merge_range("C7:D7", "Ngày sinh")
    ws.write("C8", "Nam")
    ws.write("D8", "Nữ")
    ws.merge_range("J7:K7", "Tài khoản")
    ws.write("J8", "Số tài khoản")
    ws.write("K8", "Ngân hàng")
    ws.merge_range("M7:M8", "Dân tộc")
    ws.merge_range("N7:N8", "Mức trợ cấp")
    for i in range(14):
        ws.write(8, i, f"({i + 1})")
    ws.write("A10", "I")
    ws.write("B10", "Người cao tuổi")
    # row 11: date cell under Nam, ID typed as a number (lost two zeros), formula amount
    ws.write("A11", 1)
    ws.write("B11", "Nguyễn Văn An")
    ws.write_datetime("C11", dt.datetime(1940, 3, 4), date_format)
    ws.write_number("E11", 1040001234)
    ws.write_string("F11", "00103")
    ws.write("G11", "Thôn 1")
    ws.write("H11", "Bảo trợ xã hội")
    ws.write_number("I11", 1.5)
    ws.write_string("J11", "0123456789")
    ws.write("K11", "Agribank")
    ws.write("M11", "Kinh")
    ws.write_formula("N11", "=I11*500000", None, 750000)
    # row 12: year-only under Nữ, commune code typed as a number
    ws.write("A12", 2)
    ws.write("B12", "Trần Thị Bình")
    ws.write_string("D12", "1945")
    ws.write_string("E12", "001145005678")
    ws.write_number("F12", 103)
    ws.write("N12", "1.000.000")
    # row 13: month 13 (day and month swapped), an ID of the wrong length
    ws.write("A13", 3)
    ws.write("B13", "Lê Văn Cường")
    ws.write_string("C13", "05/13/1950")
    ws.write_string("E13", "12345")
    ws.write("N13", "1,500,000 đ")
    ws.write("B14", "Cộng")
    ws.write_formula("N14", "=SUM(N11:N13)", None, 3250000)
    ws.write("A15", "II")
    ws.write("B15", "Người khuyết tật")
    # row 16: two-digit year; the ID says born 2045 (century digit 3 = 2000s female)
    ws.write("A16", 4)
    ws.write("B16", "Phạm Thị Dung")
    ws.write_string("D16", "4/3/45")
    ws.write_string("E16", "001345001111")
    ws.write("N16", "1 500 000")
    # row 17: no birth date, amount not a number
    ws.write("A17", 5)
    ws.write("B17", "Hoàng Văn Em")
    ws.write("N17", "một triệu")
    # row 18: the person of row 11 again, in lower case
    ws.write("A18", 6)
    ws.write("B18", "nguyễn văn an")
    ws.write_datetime("C18", dt.datetime(1940, 3, 4), date_format)
    ws.write_number("E18", 1040001234)
    # row 19: an ID and no name
    ws.write("A19", 7)
    ws.write_string("E19", "001145009999")
    ws.write("B20", "Tổng cộng")
    ws.write("N20", 6000000)
    ws.write("B22", "Người lập biểu")
    ws.write("H22", "Hòa Bình, ngày 15 tháng 7 năm 2024")
    ws.write("H23", "TM. ỦY BAN NHÂN DÂN")
    ws.write("H24", "CHỦ TỊCH")
    ws.write("B25", "(Ký, ghi rõ họ tên)")
    ws.write("H25", "(Ký tên, đóng dấu)")
    ws.write("B28", "Đỗ Văn Lập")
    ws.write("H28", "Vũ Văn Chủ")
    wb.close()
    return path


def simple_rows_xlsx(path: Path, header: list[str], rows: list[list[object]], *, sheet: str = "Sheet1") -> Path:
    """A sheet with one header row at the top and the given rows (dates written as date cells)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
            elif value is not None:
                ws.write(r, c, value)
    wb.close()
    return path


CSV_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Xã/phường", "Địa chỉ", "Mức trợ cấp"]
CSV_ROWS = [
    ["1", "Nguyễn Thị Thủy", "04/03/1950", "Nữ", "001150001234", "Phường Hòa Bình", "Thôn Đông", "500.000"],
    ["2", "Trần Văn Bảy", "1945", "Nam", "001045005678", "Xã Tây Hồ", "Xóm Trường Lạc", "1.000.000"],
    ["3", "Lê Thị Mười Hai", "12/1960", "Nữ", "", "Xã Mỹ Lợi", "Ấp Thượng", "750.000"],
]


def csv_text(delimiter: str = ",", *, title: bool = True) -> str:
    lines = []
    if title:
        lines.append(delimiter.join(["DANH SÁCH ĐỐI TƯỢNG HƯỞNG TRỢ CẤP XÃ HỘI"] + [""] * (len(CSV_HEADER) - 1)))
    lines.append(delimiter.join(CSV_HEADER))
    lines.extend(delimiter.join(row) for row in CSV_ROWS)
    return "\r\n".join(lines) + "\r\n"
