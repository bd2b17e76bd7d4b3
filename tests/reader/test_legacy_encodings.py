"""VNI-Windows and TCVN3 (ABC): tables, conversion and telling them apart."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from ansinh.reader import read_list
from ansinh.reader.legacy import (
    guess_byte_encoding,
    guess_legacy,
    tcvn3_to_unicode,
    unicode_to_cp1258,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from tests.reader.builders import simple_rows_xlsx

# Every Vietnamese letter, lower and upper case.
_BASES = "aăâeêioôơuưy"
_TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
LOWER = [unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES] + ["đ"]
UPPER = [ch.upper() for ch in LOWER]
SAMPLE = "Nguyễn Thị Thủy, Trần Văn Bảy, Đặng Quốc Việt, Lê Thị Mười Hai, Phường Tây Hồ, Thừa Thiên Huế, ấp Mỹ Lợi"


def test_every_letter_round_trips_through_vni() -> None:
    assert len(set(LOWER + UPPER)) == 146  # 12 vowels x 6 tones + đ, in both cases
    assert [ch for ch in LOWER + UPPER if vni_to_unicode(unicode_to_vni(ch)) != ch] == []
    assert all(unicode_to_vni(ch).encode("cp1252") for ch in LOWER + UPPER)  # 8-bit, as VNI files are


def test_every_tcvn3_letter_round_trips() -> None:
    letters = [*LOWER, "Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"]
    assert [ch for ch in letters if tcvn3_to_unicode(unicode_to_tcvn3(ch)) != ch] == []
    assert all(len(unicode_to_tcvn3(ch).encode("latin-1")) == 1 for ch in letters)


def test_known_vni_spellings() -> None:
    assert vni_to_unicode("Nguyeãn Thò Hoøa") == "Nguyễn Thị Hòa"
    assert vni_to_unicode("Ñaø Naüng") == "Đà Nẵng"
    assert vni_to_unicode("Tröôøng") == "Trường"
    assert vni_to_unicode("NGUYEÃN VAÊN AN") == "NGUYỄN VĂN AN"


def test_known_tcvn3_spellings() -> None:
    assert tcvn3_to_unicode("Hä vµ tªn") == "Họ và tên"
    assert tcvn3_to_unicode("§µ N½ng") == "Đà Nẵng"
    assert tcvn3_to_unicode("Tr\xadêng") == "Trường"


def test_plain_ascii_is_left_alone() -> None:
    assert vni_to_unicode("Nguyen Van An") == "Nguyen Van An"
    assert tcvn3_to_unicode("Nguyen Van An") == "Nguyen Van An"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (unicode_to_vni(SAMPLE).encode("cp1252"), "vni"),
        (unicode_to_tcvn3(SAMPLE).encode("latin-1"), "tcvn3"),
        (unicode_to_cp1258(SAMPLE), "cp1258"),
    ],
)
def test_8_bit_encodings_are_told_apart(data: bytes, expected: str) -> None:
    assert guess_byte_encoding(data) == (expected, True)


def test_unicode_text_is_not_taken_for_legacy_text() -> None:
    assert guess_legacy([SAMPLE]) is None
    assert guess_legacy([unicode_to_vni(SAMPLE)]) == "vni"
    assert guess_legacy([unicode_to_tcvn3(SAMPLE)]) == "tcvn3"


def test_too_little_text_is_not_enough_to_decide() -> None:
    assert guess_legacy(["Hoøa"]) is None


def test_an_excel_list_typed_in_a_vni_font_is_converted(tmp_path: Path) -> None:
    header = [unicode_to_vni(h) for h in ["STT", "Họ và tên", "Ngày sinh", "Địa chỉ"]]
    rows = [
        [1, unicode_to_vni("Nguyễn Thị Thủy"), dt.date(1950, 3, 4), unicode_to_vni("Thôn Đông, xã Hòa Bình")],
        [2, unicode_to_vni("Trần Văn Bảy"), "1945", unicode_to_vni("Xóm Trường Lạc")],
    ]
    listing = read_list(simple_rows_xlsx(tmp_path / "vni.xlsx", header, rows), today=dt.date(2025, 1, 1))
    assert listing.encoding == "vni"
    assert [c.field for c in listing.columns] == ["row_number", "full_name", "date_of_birth", "address"]
    read = list(listing.rows)
    assert [r.full_name for r in read] == ["Nguyễn Thị Thủy", "Trần Văn Bảy"]
    assert read[1].values["address"] == "Xóm Trường Lạc"
    assert [p.code for p in listing.problems] == ["legacy_encoding"]
