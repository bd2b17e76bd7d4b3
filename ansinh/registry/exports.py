"""Exports of a filtered list of people, in the official layout the importer reads back.

Every text cell passes through `neutralise`, so a name such as "=HYPERLINK(...)" is written as text and
a spreadsheet cannot run it. ID and phone numbers are masked unless the user may see them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import xlsxwriter
from django.utils import timezone

from ansinh.lib.masking import mask_number
from ansinh.lib.spreadsheet import neutralise
from ansinh.registry.models import Person

HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD/CMND",
    "Mã xã",
    "Xã/phường",
    "Tỉnh/thành phố",
    "Thôn/tổ",
    "Số nhà",
    "Số điện thoại",
    "Loại đối tượng",
]
SEX = {"M": "Nam", "F": "Nữ"}


def _rows(people: Iterable[Person], *, unmasked: bool) -> Iterable[list[object]]:
    show = (lambda value: value) if unmasked else mask_number
    for number, person in enumerate(people, start=1):
        categories = ", ".join(sorted({b.get_category_display() for b in person.benefits.all()}))
        yield [
            number,
            person.full_name,
            person.birth_date_display,
            SEX.get(person.sex, ""),
            show(person.citizen_id or person.old_id),
            person.commune.code,
            person.commune.name,
            person.commune.province.name,
            person.hamlet,
            person.house_number,
            show(person.phone),
            categories,
        ]


def people_csv(people: Iterable[Person], *, unmasked: bool) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 CSV as UTF-8 only with a BOM
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in _rows(people, unmasked=unmasked):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def people_xlsx(people: Iterable[Person], *, unmasked: bool, title: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    cell = book.add_format({"border": 1})
    last = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    sheet.merge_range(1, 0, 1, 4, "Độc lập - Tự do - Hạnh phúc", bold)
    sheet.merge_range(3, 0, 3, last, title.upper(), bold)
    for col, header in enumerate(HEADERS):
        sheet.write_string(5, col, header, bold)
        sheet.write_string(6, col, f"({col + 1})", bold)
    row_index = 7
    for row in _rows(people, unmasked=unmasked):
        sheet.write_number(row_index, 0, int(row[0]), cell)  # type: ignore[call-overload]
        for col, value in enumerate(row[1:], start=1):
            sheet.write_string(row_index, col, str(neutralise(value)), cell)
        row_index += 1
    today = timezone.localdate()
    sheet.write_string(row_index + 1, last - 3, f"..., ngày {today.day:02d} tháng {today.month:02d} năm {today.year}")
    sheet.write_string(row_index + 2, 1, "Người lập biểu")
    sheet.write_string(row_index + 3, 1, "(Ký, ghi rõ họ tên)")
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, last, 14)
    book.close()
    return buffer.getvalue()
