from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from python_calamine import CalamineWorkbook

from ansinh.payfiles.lists import ListRow, cash_list_xlsx, payment_list_xlsx, vnd_in_words

AGENCY = ["UBND TỈNH NGHỆ AN", "UBND XÃ TÂN LẬP"]
SIGNATURES = ["Người lập biểu", "Kế toán", "Chủ tịch UBND xã"]


def rows(count: int) -> list[ListRow]:
    return [
        ListRow(
            number=i + 1,
            full_name=f"Nguyễn Thị Số {i}",
            birth_year=None if i % 5 == 0 else 1935 + i,
            address="Thôn Đông",
            category_label="Bảo trợ xã hội",
            amount=500_000 + 30_000 * i,
        )
        for i in range(count)
    ]


def payment_list(items: list[ListRow], **kwargs: object) -> bytes:
    return payment_list_xlsx(
        agency_lines=AGENCY,
        title="Danh sách chi trả trợ cấp xã hội",
        commune_name="Xã Tân Lập",
        period_label="Tháng 01 năm 2026",
        rows=items,
        signatures=SIGNATURES,
        **kwargs,  # type: ignore[arg-type]
    )


def values(data: bytes) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_payment_list_opens_and_carries_the_rows_the_total_and_the_total_in_words() -> None:
    items = rows(12)
    found = values(payment_list(items))
    texts = [str(v) for row in found for v in row if v is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "Độc lập - Tự do - Hạnh phúc" in texts
    assert "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI" in texts
    header = next(row for row in found if row[0] == "STT")
    assert list(header) == [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Địa chỉ (thôn, tổ dân phố)",
        "Loại đối tượng",
        "Số tiền (đồng)",
        "Ký nhận hoặc điểm chỉ",
    ]
    data_rows = [row for row in found if isinstance(row[0], int)]
    assert [row[1] for row in data_rows] == [r.full_name for r in items]
    assert [row[2] for row in data_rows] == [r.birth_year for r in items]
    total_row = next(row for row in found if row[0] == "Tổng cộng")
    total = sum(r.amount for r in items)
    assert total_row[5] == total
    assert f"Bằng chữ: {vnd_in_words(total)}." in texts
    for label in SIGNATURES:
        assert label in texts


def test_the_total_is_a_sum_formula_over_the_amount_column() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(payment_list(rows(3)))).active
    formulas = [
        c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert formulas == ["=SUM(F9:F11)"]


def test_the_list_is_set_up_for_a4_with_the_table_header_on_every_page() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(payment_list(rows(3)))).active
    assert sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in sheet.oddFooter.center.text


def test_masked_accounts_add_a_column_only_when_present() -> None:
    items = [ListRow(1, "Lê Văn A", 1940, "Thôn Tây", "Người cao tuổi", 500_000, account_masked="970436 ••••1234")]
    header = next(row for row in values(payment_list(items)) if row[0] == "STT")
    assert "Số tài khoản" in header


def test_the_same_list_gives_the_same_bytes_and_calamine_reads_it_too() -> None:
    first = payment_list(rows(5), created=datetime(2026, 1, 6, 8, 0))
    assert first == payment_list(rows(5), created=datetime(2026, 1, 6, 8, 0))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(first)).get_sheet_by_index(0).to_python()
    assert any(row and row[0] == "Tổng cộng" for row in sheet)


def test_an_empty_list_still_has_a_zero_total() -> None:
    found = values(payment_list([]))
    assert next(row for row in found if row[0] == "Tổng cộng")[5] == 0
    assert any(row[0] == "Bằng chữ: Không đồng." for row in found)


def test_cash_list_has_receiver_and_payer_signature_columns_and_marks_home_delivery() -> None:
    items = [
        ListRow(
            1, "Lê Văn B", 1930, "Thôn Tây", "Người cao tuổi", 1_000_000, proxy_name="Lê Thị C", home_delivery=True
        ),
        ListRow(2, "Hà Thị D", None, "Thôn Bắc", "Khuyết tật", 750_000),
    ]
    data = cash_list_xlsx(
        agency_lines=["UBND XÃ TÂN LẬP"],
        title="Danh sách chi trả bằng tiền mặt",
        organisation_name="Bưu điện tỉnh",
        commune_name="Xã Tân Lập",
        period_label="Tháng 01 năm 2026",
        rows=items,
        signatures=["Người lập", "Đại diện tổ chức chi trả", "Chủ tịch UBND xã"],
    )
    found = values(data)
    header = next(row for row in found if row[0] == "STT")
    assert "Người nhận ký hoặc điểm chỉ" in header and "Người chi trả ký" in header and "Ngày nhận" in header
    first = next(row for row in found if row[0] == 1)
    assert first[header.index("Người nhận thay (nếu có)")] == "Lê Thị C"
    assert first[header.index("Ghi chú")] == "Chi tại nhà"
    assert next(row for row in found if row[0] == "Tổng cộng")[header.index("Số tiền (đồng)")] == 1_750_000
    texts = [v for row in found for v in row if isinstance(v, str)]
    assert "Tổ chức dịch vụ chi trả: Bưu điện tỉnh" in texts
    assert "Bằng chữ: Một triệu bảy trăm năm mươi nghìn đồng." in texts
