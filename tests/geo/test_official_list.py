"""Reading the official CSV: every problem names the file, the row and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansinh.geo.official import OfficialListError, official_list_read


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_rows_with_or_without_byte_order_mark(tmp_path: Path) -> None:
    for text in (
        "code,name,province\n00004,Phường Ba Đình,01\n",
        "\ufeffCode, Name ,Province\r\n4,Phường Ba Đình,Hà Nội\r\n",
    ):
        [row] = official_list_read(write(tmp_path, text))
        assert (row.row, row.code, row.name) == (2, "00004", "Phường Ba Đình")


def test_reads_semicolon_separated_lists_and_ignores_other_columns(tmp_path: Path) -> None:
    rows = official_list_read(
        write(tmp_path, "stt;province;name;code\n1;01;Phường Ba Đình;00004\n\n2;01;Phường Ngọc Hà;00008\n")
    )
    assert [(r.row, r.code) for r in rows] == [(2, "00004"), (4, "00008")]


def test_bad_rows_are_all_named_by_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "code,name,province\n00004,Phường Ba Đình,01\n12a45,Phường X,01\n00004,,01\n")
    with pytest.raises(OfficialListError) as caught:
        official_list_read(path)
    assert caught.value.problems == [
        f"{path}, row 3, column code: '12a45' is not a commune code of up to 5 digits",
        f"{path}, row 4, column name: empty",
        f"{path}, row 4, column code: code 00004 already given in row 2",
    ]


def test_missing_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(OfficialListError, match=r"row 1: missing column\(s\) province"):
        official_list_read(write(tmp_path, "code,name\n00004,Phường Ba Đình\n"))


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OfficialListError, match="not UTF-8"):
        official_list_read(write(tmp_path, "code,name,province\n00004,Phường Ba Đình,01\n", encoding="utf-16"))
