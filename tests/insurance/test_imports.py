"""Importing participant and payment lists from Excel: staged, problems located, invalid rows kept."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from django.test import Client
from django.urls import reverse

from ansinh.insurance import rules
from ansinh.insurance.imports import batch_commit, batch_stage
from ansinh.insurance.models import ImportRow, Participant
from tests.conftest import World
from tests.insurance.conftest import Insurance


def _xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write(0, 0, "DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN")
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values):
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    number, column, dt.datetime.combine(value, dt.time()), book.add_format({"num_format": "dd/mm/yyyy"})
                )
            else:
                sheet.write(number, column, value)
    book.close()
    return buffer.getvalue()


PARTICIPANTS = [
    [
        "STT",
        "Họ và tên",
        "Số CCCD",
        "Giới tính",
        "Năm sinh",
        "Mã xã",
        "Mức thu nhập",
        "Phương thức đóng",
        "Nhóm hỗ trợ",
        "Ngày đăng ký",
    ],
    [1, "Phạm Thị Hoa", "031192000321", "Nữ", 1992, "11311", 2000000, "3 tháng", "Hộ cận nghèo", dt.date(2024, 9, 2)],
    [2, "Vũ Văn Nam", "031088000999", "Nam", 1988, "11311", "abc", "hằng tháng", "khác", "02/09/2024"],
    [3, "Đỗ Văn Sơn", "031070000111", "Nữ", 1970, "11311", 1500000, "hằng tháng", "khác", "02/09/2024"],
]


def test_participant_list_is_staged_with_problems_by_row_and_column(ins: Insurance, world: World) -> None:
    batch = batch_stage(user=ins.officer, kind="participants", file_name="ds.xlsx", data=_xlsx(PARTICIPANTS))
    rows = {row.row_number: row for row in batch.rows.all()}
    assert sorted(rows) == [4, 5, 6]  # as Excel numbers them: title, blank, header, then data
    assert rows[4].problems == []
    assert rows[5].problems == [{"column": "G", "field": "monthly_income", "message": "cannot read 'abc'"}]
    assert rows[5].values["full_name"] == "Vũ Văn Nam"  # the invalid row keeps every cell


def test_commit_creates_valid_rows_keeps_the_rest_and_is_safe_to_repeat(ins: Insurance) -> None:
    batch = batch_stage(user=ins.officer, kind="participants", file_name="ds.xlsx", data=_xlsx(PARTICIPANTS))
    assert batch_commit(user=ins.officer, batch=batch) == {"created": 1, "kept": 2}
    hoa = Participant.objects.get(citizen_id="031192000321")
    assert (hoa.payment_mode, hoa.support_group, hoa.sex) == ("quarterly", "near_poor", "F")
    son = ImportRow.objects.get(batch=batch, row_number=6)
    assert "contradicts the stated sex" in son.problems[0]["message"]  # the registry's ID check at commit
    assert batch_commit(user=ins.officer, batch=batch) == {"created": 0, "kept": 2}
    assert Participant.objects.filter(citizen_id="031192000321").count() == 1


def test_payment_list_is_imported_for_known_participants(ins: Insurance) -> None:
    data = _xlsx(
        [
            ["Số CCCD", "Từ tháng", "Ngày nộp", "Số biên lai"],
            [ins.lan.citizen_id, "10/2024", "05/10/2024", "BL-1"],
            ["031999000000", "10/2024", "05/10/2024", "BL-2"],
        ]
    )
    batch = batch_stage(user=ins.officer, kind="payments", file_name="thu.xlsx", data=data)
    assert batch_commit(user=ins.officer, batch=batch) == {"created": 1, "kept": 1}
    payment = ins.lan.payments.get()
    assert (payment.from_month, payment.to_month) == (rules.month_index(2024, 10), rules.month_index(2024, 12))


def test_upload_page_stages_and_shows_the_batch(ins: Insurance) -> None:
    client = Client()
    client.force_login(ins.agent_a)
    upload = io.BytesIO(_xlsx(PARTICIPANTS))
    upload.name = "ds.xlsx"
    response = client.post(reverse("insurance:import_upload"), {"kind": "participants", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "G5: cannot read" in page.content.decode()
