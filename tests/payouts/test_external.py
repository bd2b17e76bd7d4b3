"""Self-registered accounts arriving as a file: CSV or Excel, read by header names, each row a pending change."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ansinh.payouts.external import ExternalFileError, external_rows_read
from ansinh.payouts.models import AccountChangeRequest
from tests.conftest import Personas
from tests.payouts.conftest import People

CSV = (
    "Số CCCD;Ngân hàng;Số tài khoản;Chủ tài khoản;Mã tham chiếu\n"
    "001140001268;Vietcombank;0011001234567;NGUYEN THI LAN;vneid-001\n"
    "001050005555;Agribank;12*34;HOANG VAN NAM;vneid-002\n"
)


def test_a_csv_with_vietnamese_headers_is_read() -> None:
    rows = external_rows_read(io.BytesIO(CSV.encode("utf-8-sig")), "dang-ky.csv")
    assert rows[0] == {
        "citizen_id": "001140001268",
        "bank": "Vietcombank",
        "account_number": "0011001234567",
        "holder_name": "NGUYEN THI LAN",
        "reference": "vneid-001",
    }


def test_an_xlsx_with_numbers_stored_as_numbers_is_read() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số định danh", "Mã BIN", "STK", "Tên chủ tài khoản"])
    sheet.append([1140001268, 970436, 11001234567, "NGUYEN THI LAN"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    rows = external_rows_read(buffer, "x.xlsx")
    assert rows == [
        {
            "citizen_id": "1140001268",
            "bank_bin": "970436",
            "account_number": "11001234567",
            "holder_name": "NGUYEN THI LAN",
        }
    ]


def test_a_file_without_the_needed_columns_is_refused() -> None:
    with pytest.raises(ExternalFileError):
        external_rows_read(io.BytesIO(b"name,phone\nA,1\n"), "x.csv")


def test_a_file_that_is_not_a_list_is_refused() -> None:
    with pytest.raises(ExternalFileError):
        external_rows_read(io.BytesIO(b"\x00\x01binary"), "x.exe")


@pytest.mark.django_db
def test_the_upload_page_makes_pending_changes_and_reports_refused_rows(personas: Personas, people: People) -> None:
    client = Client()
    client.force_login(personas.province_hanoi)
    upload = SimpleUploadedFile("dang-ky.csv", CSV.encode("utf-8"), content_type="text/csv")
    page = client.post("/accounts/external/", {"file": upload}).content.decode()
    assert "account_number" in page
    request = AccountChangeRequest.objects.get()
    assert (request.source, request.source_ref, request.person_id) == ("external", "vneid-001", people.lan.pk)
    client.post("/accounts/external/", {"file": SimpleUploadedFile("again.csv", CSV.encode("utf-8"))})
    assert AccountChangeRequest.objects.count() == 1
