"""Official-layout beneficiary lists made in the tests: title rows, a two-row merged header, a
column-number row, a numbering column, a group heading, a subtotal and a signature block."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD/CMND",
    "Mã xã",
    "Xã/phường",
    "Thôn/tổ",
    "Mức trợ cấp",
    "Số tài khoản",
    "Ngân hàng",
]


def official_xlsx(path: Path, rows: list[list[object]], *, group: str = "I. Người cao tuổi") -> Path:
    """Write rows (without the STT column) under an official header; dates may be `dt.date` cells."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range(0, 0, 0, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    sheet.merge_range(1, 0, 1, 5, "Độc lập - Tự do - Hạnh phúc")
    sheet.merge_range(3, 0, 3, 10, "DANH SÁCH ĐỐI TƯỢNG HƯỞNG TRỢ CẤP XÃ HỘI HÀNG THÁNG")
    # Two-row header: most cells merged vertically, "Tài khoản" over account number and bank.
    for col, title in enumerate(HEADERS[:9]):
        sheet.merge_range(5, col, 6, col, title)
    sheet.merge_range(5, 9, 5, 10, "Tài khoản")
    sheet.write(6, 9, "Số tài khoản")
    sheet.write(6, 10, "Ngân hàng")
    for col in range(len(HEADERS)):
        sheet.write(7, col, f"({col + 1})")
    sheet.write(8, 0, group)
    row_index = 9
    for number, values in enumerate(rows, start=1):
        sheet.write(row_index, 0, number)
        for col, value in enumerate(values, start=1):
            if isinstance(value, dt.date):
                sheet.write_datetime(row_index, col, dt.datetime(value.year, value.month, value.day), date_format)
            elif value is not None:
                sheet.write(row_index, col, value)
        row_index += 1
    sheet.write(row_index, 1, "Cộng")
    sheet.write(row_index + 2, 6, "Hà Nội, ngày 10 tháng 01 năm 2024")
    sheet.write(row_index + 3, 1, "Người lập biểu")
    sheet.write(row_index + 3, 6, "TM. Ủy ban nhân dân")
    sheet.write(row_index + 4, 1, "(Ký, ghi rõ họ tên)")
    book.close()
    return path
