"""CSV lists in the encodings and delimiters offices use."""

from __future__ import annotations

import codecs
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from ansinh.reader import ListFile, PartialDate, read_list
from ansinh.reader.legacy import unicode_to_cp1258, unicode_to_tcvn3, unicode_to_vni
from tests.reader.builders import CSV_ROWS, csv_text

TODAY = dt.date(2025, 6, 1)
NAMES = [row[1] for row in CSV_ROWS]


def write(tmp_path: Path, data: bytes, name: str = "ds.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def names(listing: ListFile) -> list[str | None]:
    return [row.full_name for row in listing.rows]


@pytest.mark.parametrize(
    ("label", "encode", "expected"),
    [
        ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        ("utf-16 with BOM", lambda t: t.encode("utf-16"), "utf-16"),
        ("utf-16-le without BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
        ("windows-1258", unicode_to_cp1258, "cp1258"),
    ],
)
def test_unicode_and_windows_1258_files_read_as_nfc(tmp_path: Path, label: str, encode: object, expected: str) -> None:
    listing = read_list(write(tmp_path, encode(csv_text())), today=TODAY)  # type: ignore[operator]
    assert listing.encoding == expected, label
    read = names(listing)
    assert read == NAMES
    assert all(unicodedata.is_normalized("NFC", n or "") for n in read)
    assert not [p for p in listing.problems if p.code.startswith("encoding")]


def test_windows_1258_uses_combining_tone_marks_that_become_nfc(tmp_path: Path) -> None:
    data = unicode_to_cp1258(csv_text())
    assert b"Thu\xd2y" in data  # "Thủy": u, then the hook tone mark as a byte of its own
    listing = read_list(write(tmp_path, data), today=TODAY)
    first = next(listing.rows)
    assert first.full_name == "Nguyễn Thị Thủy"
    assert first.values["address"] == "Thôn Đông"


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str, name: str) -> None:
    listing = read_list(write(tmp_path, csv_text(delimiter).encode("utf-8")), today=TODAY)
    assert listing.delimiter == delimiter, name
    rows = list(listing.rows)
    assert [r.full_name for r in rows] == NAMES
    assert rows[0].amount == 500000


def test_excel_sep_hint_line_decides_the_delimiter(tmp_path: Path) -> None:
    text = "sep=;\r\n" + csv_text(";", title=False).replace("Xã Tây Hồ", "Xã Tây Hồ, Hà Nội")
    listing = read_list(write(tmp_path, text.encode("utf-8")), today=TODAY)
    assert listing.delimiter == ";"
    assert [r.values["commune_name"] for r in listing.rows][1] == "Xã Tây Hồ, Hà Nội"


def test_csv_rows_are_numbered_like_spreadsheet_rows(tmp_path: Path) -> None:
    listing = read_list(write(tmp_path, csv_text().encode("utf-8")), today=TODAY)
    assert listing.sheet is None
    assert listing.header_row == 2
    rows = list(listing.rows)
    assert [(r.data_row, r.sheet_row) for r in rows] == [(1, 3), (2, 4), (3, 5)]
    assert rows[1].date_of_birth == PartialDate(1945)
    assert rows[2].date_of_birth == PartialDate(1960, 12)


def test_vni_text_is_converted_with_a_warning(tmp_path: Path) -> None:
    data = unicode_to_vni(csv_text()).encode("cp1252")
    listing = read_list(write(tmp_path, data), today=TODAY)
    assert listing.encoding == "vni"
    rows = list(listing.rows)
    assert [r.full_name for r in rows] == NAMES
    assert rows[1].values["address"] == "Xóm Trường Lạc"
    assert [p.code for p in listing.problems] == ["legacy_encoding"]
    assert "VNI" in listing.problems[0].text


def test_tcvn3_text_is_converted_with_a_warning(tmp_path: Path) -> None:
    data = unicode_to_tcvn3(csv_text()).encode("latin-1")
    listing = read_list(write(tmp_path, data), today=TODAY)
    assert listing.encoding == "tcvn3"
    # TCVN3 has no upper-case toned letters: "Ấp" comes back as "ấp"
    assert [r.values["address"] for r in listing.rows] == ["Thôn Đông", "Xóm Trường Lạc", "ấp Thượng"]
    assert [p.code for p in listing.problems] == ["legacy_encoding"]


def test_vni_characters_in_a_utf8_file_are_converted(tmp_path: Path) -> None:
    listing = read_list(write(tmp_path, unicode_to_vni(csv_text()).encode("utf-8")), today=TODAY)
    assert listing.encoding == "utf-8+vni"
    assert names(listing) == NAMES


def test_an_unrecognisable_8_bit_file_is_read_as_windows_1258_with_a_warning(tmp_path: Path) -> None:
    text = "Họ và tên,Ngày sinh\r\nMüller Zoë,1950\r\nGarçon Élise,1951\r\n"
    data = text.replace("Họ và tên", "Ho va ten").encode("latin-1")
    listing = read_list(write(tmp_path, data), today=TODAY)
    assert listing.encoding == "cp1258"
    assert "encoding_uncertain" in [p.code for p in listing.problems]


def test_csv_ids_of_ten_digits_are_restored_because_csv_has_no_types(tmp_path: Path) -> None:
    text = "Họ và tên,Ngày sinh,Số CCCD\r\nNguyễn Văn An,1940,1040001234\r\n"
    row = next(read_list(write(tmp_path, text.encode("utf-8")), today=TODAY).rows)
    assert row.citizen_id == "001040001234"
    assert [p.code for p in row.problems] == ["id_zeros_restored"]


def test_ragged_csv_rows_are_padded(tmp_path: Path) -> None:
    text = "Họ và tên,Ngày sinh,Ghi chú\r\nNguyễn Văn An,1940\r\nTrần Thị Bình,1941,ốm,thêm\r\n"
    rows = list(read_list(write(tmp_path, text.encode("utf-8")), today=TODAY).rows)
    assert [r.full_name for r in rows] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert rows[1].raw["D"] == "thêm"


def test_bytes_that_are_not_utf8_past_the_sample_are_replaced_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ansinh.reader.api.HEAD_BYTES", 64)
    text = "Họ và tên,Ngày sinh\r\n" + "Nguyễn Văn An,1940\r\n" * 5
    path = write(tmp_path, text.encode("utf-8") + unicode_to_cp1258("Trần Thị Bình,1941\r\n"))
    listing = read_list(path, today=TODAY)
    assert listing.encoding == "utf-8"
    rows = list(listing.rows)
    assert len(rows) == 6
    assert [p.code for p in listing.problems] == ["encoding_replaced"]


def test_problems_render_in_another_language(tmp_path: Path) -> None:
    text = "Họ và tên,Ngày sinh\r\nNguyễn Văn An,\r\n"
    row = next(read_list(write(tmp_path, text.encode("utf-8")), today=TODAY).rows)
    problem = row.problems[0]
    assert problem.text == "The birth date is missing."
    assert problem.render({"The birth date is missing.": "Thiếu ngày sinh."}.__getitem__) == "Thiếu ngày sinh."
    assert (problem.sheet, problem.sheet_row, problem.data_row, problem.column) == (None, 2, 1, "Ngày sinh (B)")
