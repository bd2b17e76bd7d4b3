from __future__ import annotations

import io

import openpyxl

from ansinh.payfiles.results import read_result_table


def test_csv_with_vietnamese_headers_and_words_is_read() -> None:
    data = (
        "Mã giao dịch;Trạng thái;Lý do;Số tiền\n"
        "AS1-1;Thành công;;500.000\n"
        "AS2-1;Thất bại;AC04 Tài khoản đã đóng;360000\n"
        "AS3-1;Đang xử lý;;\n"
    ).encode()
    result = read_result_table(data, "ket-qua.csv")
    assert result.errors == []
    assert [
        (e.end_to_end_id, e.status, e.reason_code, e.reason_text, e.amount, e.source_line) for e in result.entries
    ] == [
        ("AS1-1", "settled", "", "", 500_000, 2),
        ("AS2-1", "rejected", "AC04", "Tài khoản đã đóng", 360_000, 3),
        ("AS3-1", "pending", "", "", None, 4),
    ]


def test_csv_with_english_headers_iso_codes_and_a_byte_order_mark() -> None:
    data = "\ufeffEnd-to-end ID,Status,Reason\nAS1-1,ACSC,\nAS2-1,RJCT,closed account\n".encode()
    result = read_result_table(data, "results.csv")
    assert [(e.status, e.reason_text) for e in result.entries] == [("settled", ""), ("rejected", "closed account")]


def test_csv_saved_in_the_windows_vietnamese_code_page_is_read() -> None:
    data = "Ma giao dich,Trang thai,Ly do\nAS1-1,Thành công,\n".encode("cp1258")
    result = read_result_table(data, "kq.csv")
    assert [e.status for e in result.entries] == ["settled"]


def test_bad_rows_become_errors_with_line_and_column_and_good_rows_are_kept() -> None:
    data = (
        "Mã giao dịch,Trạng thái,Lý do,Số tiền\n"
        "AS1-1,Thành công,,500000\n"
        ",Thành công,,1\n"
        "AS3-1,maybe,,\n"
        "AS4-1,settled,,12.5\n"
        "\n"
    ).encode()
    result = read_result_table(data, "kq.csv")
    assert [e.end_to_end_id for e in result.entries] == ["AS1-1"]
    assert [(p.line, p.column) for p in result.problems] == [(3, "A"), (4, "B"), (5, "D")]
    assert result.errors[1] == "Line 4, column B (Trạng thái): “maybe” is not a recognised status."


def test_a_table_without_id_and_status_columns_is_refused() -> None:
    result = read_result_table(b"Name,Amount\nA,1\n", "x.csv")
    assert result.entries == [] and len(result.errors) == 1


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_result_with_title_rows_above_the_header_is_read() -> None:
    data = workbook(
        [
            ["KẾT QUẢ CHI TRẢ"],
            [],
            ["STT", "Mã tham chiếu", "Kết quả", "Nguyên nhân", "Số tiền"],
            [1, "AS1-1", "Thành công", None, 500000],
            [2, "AS2-1", "Từ chối", "AC01 Sai số tài khoản", 360000.0],
            [3, "AS3-1", "???", None, 1],
            [4, "AS4-1", "paid", None, 1.5],
        ]
    )
    result = read_result_table(data, "ket-qua.xlsx")
    assert [(e.end_to_end_id, e.status, e.reason_code, e.amount, e.source_line) for e in result.entries] == [
        ("AS1-1", "settled", "", 500_000, 4),
        ("AS2-1", "rejected", "AC01", 360_000, 5),
    ]
    assert [(p.line, p.column) for p in result.problems] == [(6, "C"), (7, "E")]


def test_a_numeric_id_in_excel_keeps_its_digits() -> None:
    result = read_result_table(workbook([["End-to-end ID", "Status"], [1234567, "settled"]]), "r.xlsx")
    assert result.entries[0].end_to_end_id == "1234567"


def test_a_broken_spreadsheet_gives_an_error_and_no_exception() -> None:
    result = read_result_table(b"PK\x03\x04 this is not a zip", "r.xlsx")
    assert result.errors and result.entries == []


def test_an_empty_file_gives_an_error() -> None:
    assert read_result_table(b"", "r.csv").errors
