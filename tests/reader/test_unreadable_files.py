"""Files that cannot be read as a list fail at once with a one-line reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ansinh.reader import UnreadableFile, read_list
from tests.reader.builders import official_xlsx, simple_rows_xlsx


def reason(path: Path, **kwargs: object) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_list(path, **kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    return caught.value


def test_a_truncated_xlsx_is_unreadable(tmp_path: Path) -> None:
    whole = official_xlsx(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert reason(cut).code == "damaged_file"


def test_an_empty_file_is_unreadable(tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv"):
        path = tmp_path / name
        path.write_bytes(b"")
        error = reason(path)
        assert error.code == "empty_file"
        assert error.text == "The file is empty."


def test_a_csv_of_blank_lines_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    assert reason(path).code == "empty_file"


def test_a_text_file_named_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_text("Họ và tên,Ngày sinh\n", encoding="utf-8")
    assert reason(path).code == "damaged_file"


def test_a_sheet_without_a_recognisable_header_is_unreadable(tmp_path: Path) -> None:
    path = simple_rows_xlsx(tmp_path / "x.xlsx", ["Mặt hàng", "Số lượng"], [["Gạo", 10]])
    error = reason(path)
    assert error.code == "no_header"
    assert "Sheet1" in error.text


def test_a_header_without_data_rows_is_unreadable(tmp_path: Path) -> None:
    path = simple_rows_xlsx(tmp_path / "x.xlsx", ["STT", "Họ và tên", "Ngày sinh"], [["Tổng cộng", None, None]])
    assert reason(path).code == "no_data_rows"


def test_a_named_sheet_that_does_not_exist_is_unreadable(tmp_path: Path) -> None:
    path = official_xlsx(tmp_path / "ds.xlsx")
    error = reason(path, sheet="Sheet9")
    assert error.code == "sheet_not_found"
    assert "Sheet9" in error.text


def test_the_reason_can_be_translated(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    error = reason(path)
    assert error.render({"The file is empty.": "Tệp trống."}.get) == "Tệp trống."  # type: ignore[arg-type]


def test_a_readable_file_still_reads_after_these_checks(tmp_path: Path) -> None:
    path = official_xlsx(tmp_path / "ds.xlsx")
    assert read_list(path, today=dt.date(2025, 1, 1)).data_rows >= 1
