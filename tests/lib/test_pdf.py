from __future__ import annotations

import datetime as dt
import io

import pypdf

from ansinh.lib.pdf import OfficialDocument, vietnamese_date
from ansinh.lib.svgchart import Series, bar_chart


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _minutes() -> OfficialDocument:
    doc = OfficialDocument(
        agency_lines=["UBND XÃ BA VÌ", "CÔNG AN XÃ BA VÌ"], place="Ba Vì", date=dt.date(2026, 3, 5), number="Số: 7/BB"
    )
    doc.title("BIÊN BẢN", "Về việc từ chối nhận trợ cấp qua tài khoản")
    doc.paragraph("Bà Nguyễn Thị Hoà không đồng ý mở tài khoản.")
    doc.table(["STT", "Họ và tên"], [[1, "Trần Văn Đức"]], widths=[15, 80])
    doc.signatures([("CÔNG AN XÃ", "Lê Văn Cường"), ("NGƯỜI HƯỞNG", "Nguyễn Thị Hoà")])
    return doc


def test_the_document_carries_the_national_motto_place_date_and_vietnamese_text() -> None:
    text = _text(_minutes().output())
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Ba Vì, ngày 05 tháng 03 năm 2026" in text
    assert "Nguyễn Thị Hoà" in text
    assert "Trần Văn Đức" in text


def test_the_same_content_gives_the_same_bytes() -> None:
    assert _minutes().output() == _minutes().output()


def test_a_chart_embeds_with_its_vietnamese_labels() -> None:
    doc = OfficialDocument(place="Hà Nội", date=dt.date(2026, 1, 1))
    doc.svg(bar_chart(labels=["Xã Tản Viên"], series=[Series("Đã trả", [3])]), width=120)
    assert "Xã Tản Viên" in _text(doc.output())


def test_vietnamese_date_pads_day_and_month() -> None:
    assert vietnamese_date("Hải Phòng", dt.date(2024, 11, 8)) == "Hải Phòng, ngày 08 tháng 11 năm 2024"
