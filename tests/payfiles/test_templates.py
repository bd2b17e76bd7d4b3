from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from ansinh.payfiles.model import Debtor, Transfer
from ansinh.payfiles.templates import ascii_text, load_templates, template_from_dict, write_bank_file

DEBTOR = Debtor("Phòng Văn hóa - Xã hội xã Tân Lập", "3600205001234", "970405")
TRANSFERS = [
    Transfer("AS000001-1", 500_000, "Nguyễn Văn Đức", "0012345678", "970436", "Trợ cấp tháng 01/2026", "Vietcombank"),
    Transfer("AS000002-1", 1_250_000, "Lê Thị Ánh", "007700", "970405", "Trợ cấp tháng 01/2026", "Agribank"),
]


def test_at_least_two_templates_ship_and_say_they_are_illustrative() -> None:
    templates = load_templates()
    assert len(templates) >= 2
    assert {t.file_format for t in templates.values()} == {"csv", "xlsx"}
    for template in templates.values():
        assert "illustrative" in template.description.lower()


def test_generic_csv_writes_one_row_per_transfer_in_the_template_columns() -> None:
    template = load_templates()["generic_vn_csv"]
    data = write_bank_file(template, DEBTOR, TRANSFERS)
    assert data == write_bank_file(template, DEBTOR, TRANSFERS)
    table = list(csv.reader(io.StringIO(data.decode(template.encoding)), delimiter=template.delimiter))
    assert table[0] == [c.header for c in template.columns]
    by_header = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert [r["So tai khoan thu huong"] for r in by_header] == [t.creditor_account for t in TRANSFERS]
    assert [int(r["So tien"]) for r in by_header] == [t.amount for t in TRANSFERS]
    assert [r["Ten nguoi thu huong"] for r in by_header] == ["NGUYEN VAN DUC", "LE THI ANH"]


def test_agribank_like_xlsx_opens_keeps_leading_zeros_and_totals() -> None:
    template = load_templates()["agribank_like_xlsx"]
    data = write_bank_file(template, DEBTOR, TRANSFERS, execution_date=date(2026, 1, 6))
    assert data == write_bank_file(template, DEBTOR, TRANSFERS, execution_date=date(2026, 1, 6))
    found = [r for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) if any(r)]
    header = next(r for r in found if r[0] == "STT")
    body = [r for r in found if isinstance(r[0], int)]
    assert [r[header.index("Số tài khoản người hưởng")] for r in body] == ["0012345678", "007700"]
    assert [r[header.index("Số tiền (VND)")] for r in body] == [500_000, 1_250_000]
    total = next(r for r in found if r[1] == "Tổng cộng")
    assert total[header.index("Số tiền (VND)")] == 1_750_000
    assert any("06/01/2026" in str(v) for r in found for v in r)


def test_ascii_text_drops_diacritics_and_keeps_letters() -> None:
    assert ascii_text("Đặng Thị Ngọc Ánh") == "Dang Thi Ngoc Anh"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "pdf"}, "csv or xlsx"),
        ({"columns": [{"header": "X", "source": "salary"}]}, "unknown source"),
        ({"columns": [{"header": "X", "source": "amount", "format": "roman"}]}, "unknown format"),
        ({"encoding": "klingon"}, "klingon"),
    ],
)
def test_a_broken_template_is_refused_when_loaded(change: dict[str, object], message: str) -> None:
    data: dict[str, object] = {
        "key": "k",
        "name": "n",
        "description": "d",
        "format": "csv",
        "columns": [{"header": "A", "source": "amount"}],
    }
    with pytest.raises((ValueError, LookupError), match=message):
        template_from_dict({**data, **change}, "test.json")
