"""The reader streams its rows, and stands on its own without Django."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter

from ansinh.lib.text import fold
from ansinh.reader import read_list
from ansinh.reader.duplicates import fast_fold

ROWS = 3000


def many_rows_xlsx(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["DANH SÁCH ĐỐI TƯỢNG"])
    ws.write_row(2, 0, ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mức trợ cấp"])
    for i in range(ROWS):
        sex = "Nam" if i % 2 else "Nữ"
        ws.write_number(3 + i, 0, i + 1)
        ws.write_string(3 + i, 1, f"Nguyễn Thị Số {i}")
        ws.write_datetime(3 + i, 2, dt.datetime(1930 + i % 40, 1 + i % 12, 1 + i % 28), date_format)
        ws.write_string(3 + i, 3, sex)
        ws.write_string(3 + i, 4, f"001{1 if sex == 'Nữ' else 0}{(30 + i % 40):02d}{i:06d}")
        ws.write_number(3 + i, 5, 500000)
    ws.write_row(3 + ROWS, 1, ["Tổng cộng"])
    wb.close()
    return path


def test_rows_are_an_iterator_consumed_as_read(tmp_path: Path) -> None:
    listing = read_list(many_rows_xlsx(tmp_path / "many.xlsx"))
    assert isinstance(listing.rows, Iterator)
    first = next(listing.rows)
    assert (first.data_row, first.sheet_row) == (1, 4)
    assert listing.data_rows == 1  # nothing read ahead beyond the first data row
    rest = sum(1 for _ in listing.rows)
    assert rest == ROWS - 1
    assert listing.data_rows == ROWS
    assert listing.skipped["total"] == 1


def test_a_clean_list_reads_without_problems(tmp_path: Path) -> None:
    listing = read_list(many_rows_xlsx(tmp_path / "many.xlsx"))
    problems = [p for row in listing.rows for p in row.problems]
    assert problems == []
    assert listing.problems == []


def test_the_reader_imports_no_django() -> None:
    code = (
        "import sys, ansinh.reader, ansinh.reader.api; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_duplicate_key_folds_like_the_registry() -> None:
    for name in ["Nguyễn Thị Thủy", "ĐẶNG QUỐC VIỆT", "Lê Thị Mười Hai", "Trần Văn Bảy", "Hoà", "Hòa", "Nguyen Van An"]:
        assert fast_fold(name) == fold(name)
