"""Fieldwork documents in Vietnamese: the printable worklist, the refusal minutes, the authorisation record,
and the classified lists per type as Excel.

Documents are official papers, so their words are Vietnamese whatever the interface language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.utils import timezone

from ansinh.fieldwork.models import Classification, Visit
from ansinh.fieldwork.selectors import WorklistGroup
from ansinh.geo.models import Commune
from ansinh.lib.pdf import OfficialDocument
from ansinh.registry.models import Person

SEX = {"M": "Nam", "F": "Nữ"}
CATEGORY = {
    "social_protection": "BTXH",
    "social_pension": "Hưu trí XH",
    "meritorious": "Người có công",
    "poor_household": "Hộ nghèo",
    "near_poor_household": "Hộ cận nghèo",
    "other": "Khác",
}
MISSING = {
    "citizen_id": "số định danh",
    "birth_date": "ngày sinh",
    "phone": "điện thoại",
    "house_number": "số nhà",
    "payout": "hình thức nhận",
}
CHANNEL = {
    "bank": "Tài khoản ngân hàng",
    "mobile_money": "Ví/tài khoản Mobile Money",
    "vneid": "Tài khoản liên kết VNeID",
    "cash_point": "Tiền mặt tại điểm chi trả",
    "cash_home": "Tiền mặt tại nhà",
}
CLASSIFICATION = {
    Classification.REGISTERED: "Loại 1: Đã có tài khoản, đã đăng ký nhận qua tài khoản",
    Classification.PERSUADED: "Loại 2: Có tài khoản, chưa đăng ký - đã vận động đăng ký",
    Classification.DECLINED: "Loại 2: Có tài khoản, chưa đăng ký - không đồng ý (có biên bản)",
    Classification.NO_ACCOUNT: "Loại 3: Chưa có tài khoản - mở tài khoản/chọn kênh nhận",
    Classification.FORCE_MAJEURE: "Loại 4: Trường hợp bất khả kháng - chi trả tiền mặt tại nhà",
}


def _agency(commune: Commune) -> list[str]:
    return [f"UBND {commune.name.upper()}", f"CÔNG AN {commune.name.upper()}"]


def _place(commune: Commune) -> str:
    return commune.short_name or commune.name


def worklist_pdf(*, commune: Commune, groups: Sequence[WorklistGroup]) -> bytes:
    """The printable worklist, A4 landscape: one table per hamlet, in house-number order."""
    doc = OfficialDocument(
        agency_lines=_agency(commune), place=_place(commune), date=timezone.localdate(), landscape=True
    )
    total = sum(len(g.entries) for g in groups)
    doc.title("DANH SÁCH ĐỐI TƯỢNG CẦN ĐẾN KHẢO SÁT", f"{commune.name} - {total} người")
    number = 0
    for group in groups:
        heading = f"{group.hamlet or 'Chưa rõ thôn/tổ dân phố'} ({len(group.entries)} người)"
        doc.heading(heading + (f" - Tổ: {group.team}" if group.team else ""))
        rows = []
        for entry in group.entries:
            number += 1
            person = entry.person
            rows.append(
                [
                    number,
                    person.house_number,
                    person.full_name,
                    person.birth_date_display,
                    SEX.get(person.sex, ""),
                    person.citizen_id or person.old_id,
                    ", ".join(CATEGORY.get(c, c) for c in entry.categories),
                    ", ".join(MISSING.get(m, m) for m in entry.missing),
                    "Đã phân loại" if entry.done else "",
                ]
            )
        _grid(doc, WORKLIST_HEADER, rows, WORKLIST_WIDTHS)
    doc.signatures([("NGƯỜI LẬP DANH SÁCH", ""), ("TRƯỞNG CÔNG AN", "")])
    return doc.output()


WORKLIST_HEADER = ("STT", "Số nhà", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh", "Chế độ", "Còn thiếu",
                   "Kết quả")  # fmt: skip
WORKLIST_WIDTHS = (10, 14, 56, 22, 17, 28, 26, 55, 24)
ROW_HEIGHT = 6.0


def _fit(widths: Any, size: float, text: str, width: float) -> str:
    """The text, cut with an ellipsis where it would overflow its cell (a list cell is one line).

    Measured from the font's glyph widths directly: fpdf2's get_string_width costs as much as the cell.
    """
    room = (width - 2) * 1000 / (size * 25.4 / 72)  # the cell's width in font units
    total = 0.0
    for index, char in enumerate(text):
        total += widths[ord(char)]
        if total > room:
            return text[: max(0, index - 1)] + "…"
    return text


def _grid(
    doc: OfficialDocument, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]
) -> None:
    """A one-line-per-row table drawn with plain text and rules, the header repeated on each page.

    fpdf2's table() measures and wraps every cell, and even cell() costs about a millisecond: minutes
    for a commune of 2,000 people. A worklist row fits one line, so text placed at fixed positions
    between ruled lines is enough.
    """
    from ansinh.lib.pdf import FONT

    pdf = doc.pdf
    bottom = pdf.h - pdf.b_margin
    left = pdf.l_margin
    edges = [left]
    for width in widths:
        edges.append(edges[-1] + width)

    def row(values: Sequence[object], glyphs: Any, size: float) -> None:
        top = pdf.get_y()
        for value, x, width in zip(values, edges, widths, strict=False):
            text = _fit(glyphs, size, "" if value is None else str(value), width)
            if text:
                pdf.text(x + 1, top + ROW_HEIGHT - 1.8, text)
        for x in edges:
            pdf.line(x, top, x, top + ROW_HEIGHT)
        pdf.line(edges[0], top + ROW_HEIGHT, edges[-1], top + ROW_HEIGHT)
        pdf.set_y(top + ROW_HEIGHT)

    def heading() -> Any:
        pdf.set_font(FONT, "B", 9)
        pdf.line(edges[0], pdf.get_y(), edges[-1], pdf.get_y())
        row(header, _glyph_widths(pdf), 9)
        pdf.set_font(FONT, "", 9)
        return _glyph_widths(pdf)

    glyphs = heading()
    for values in rows:
        if pdf.get_y() + ROW_HEIGHT > bottom:
            pdf.add_page()
            glyphs = heading()
        row(values, glyphs, 9)
    pdf.ln(3)


def _glyph_widths(pdf: Any) -> Any:
    return pdf.current_font.cw


def _person_lines(person: Person) -> list[tuple[str, str]]:
    return [
        ("Họ và tên", person.full_name),
        ("Ngày sinh", person.birth_date_display),
        ("Số định danh cá nhân", person.citizen_id or person.old_id),
        ("Nơi ở", ", ".join(p for p in (person.house_number, person.hamlet, person.commune.name) if p)),
    ]


def refusal_minutes_pdf(*, visit: Visit) -> bytes:
    """Biên bản: a beneficiary with an account declines to be paid through it, with the reason."""
    refusal = visit.refusal
    person = visit.person
    commune = visit.commune
    day = timezone.localtime(visit.finished_at)
    doc = OfficialDocument(agency_lines=_agency(commune), place=_place(commune), date=day.date())
    doc.title("BIÊN BẢN", "Về việc không đồng ý nhận trợ cấp xã hội qua tài khoản")
    doc.paragraph(
        f"Hôm nay, vào lúc {day:%H} giờ {day:%M} phút, ngày {day:%d} tháng {day:%m} năm {day:%Y}, "
        f"tại nơi ở của đối tượng, {commune.name}, chúng tôi gồm:"
    )
    doc.field_lines(
        [
            ("1. Đại diện Công an xã", refusal.police_officer),
            ("2. Công chức văn hóa - xã hội", refusal.culture_officer),
        ]
    )
    doc.paragraph("Và đối tượng hưởng chính sách:")
    doc.field_lines(_person_lines(person))
    doc.heading("Nội dung:")
    doc.paragraph(
        "Tổ công tác đã tuyên truyền, giải thích chủ trương chi trả chính sách an sinh xã hội không dùng tiền "
        "mặt qua tài khoản. Đối tượng có tài khoản nhưng không đồng ý đăng ký nhận trợ cấp qua tài khoản."
    )
    doc.field_lines([("Lý do", refusal.reason)])
    doc.paragraph(
        "Biên bản kết thúc vào cùng ngày, được đọc lại cho các bên cùng nghe, thống nhất ký tên. "
        "Biên bản được lập thành 02 bản có giá trị như nhau."
    )
    doc.signatures(
        [
            ("ĐỐI TƯỢNG", person.full_name),
            ("CÔNG CHỨC VH-XH", refusal.culture_officer),
            ("CÔNG AN XÃ", refusal.police_officer),
        ]
    )
    return doc.output()


def authorisation_pdf(*, visit: Visit, proxy: Any) -> bytes:
    """Biên bản ghi nhận ủy quyền: who receives on the beneficiary's behalf, and the letter that says so."""
    person = visit.person
    commune = visit.commune
    day = timezone.localtime(visit.finished_at)
    doc = OfficialDocument(agency_lines=_agency(commune), place=_place(commune), date=day.date())
    doc.title("BIÊN BẢN GHI NHẬN ỦY QUYỀN", "Nhận trợ cấp xã hội thay đối tượng")
    doc.heading("Người ủy quyền (đối tượng hưởng chính sách):")
    doc.field_lines(_person_lines(person))
    doc.heading("Người được ủy quyền:")
    letter = proxy.letter_date.strftime("%d/%m/%Y") if proxy.letter_date else ""
    doc.field_lines(
        [
            ("Họ và tên", proxy.full_name),
            ("Số định danh cá nhân", proxy.citizen_id),
            ("Điện thoại", proxy.phone),
            ("Quan hệ với đối tượng", proxy.relationship),
            ("Ngày giấy ủy quyền", letter),
            ("Nơi chứng thực", proxy.certifying_commune.name if proxy.certifying_commune else ""),
            ("Hình thức nhận", CHANNEL.get(visit.channel, "")),
        ]
    )
    doc.paragraph(
        "Người được ủy quyền có trách nhiệm nhận và chuyển đầy đủ tiền trợ cấp cho đối tượng; "
        "công chức văn hóa - xã hội xác nhận đưa người được ủy quyền vào danh sách chi trả."
    )
    doc.signatures(
        [("NGƯỜI ỦY QUYỀN", person.full_name), ("NGƯỜI ĐƯỢC ỦY QUYỀN", proxy.full_name), ("CÔNG CHỨC VH-XH", "")]
    )
    return doc.output()


def classified_xlsx(*, commune: Commune, visits: Sequence[Visit]) -> bytes:
    """One sheet per classification type, the commune's people each on their latest classification."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "border": 1})
    cell = book.add_format({"border": 1})
    header = ["STT", "Họ và tên", "Ngày sinh", "Số định danh", "Thôn/tổ", "Số nhà", "Phân loại", "Hình thức nhận",
              "Người nhận thay", "Ngày khảo sát", "Cán bộ khảo sát"]  # fmt: skip
    sheets = (
        ("Loai 1", (Classification.REGISTERED,)),
        ("Loai 2", (Classification.PERSUADED, Classification.DECLINED)),
        ("Loai 3", (Classification.NO_ACCOUNT,)),
        ("Loai 4", (Classification.FORCE_MAJEURE,)),
    )
    for name, kinds in sheets:
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, f"{commune.name} - {CLASSIFICATION[kinds[0]].split(':')[0]}", bold)
        sheet.write_row(2, 0, header, bold)
        widths = (5, 28, 12, 15, 22, 8, 50, 26, 10, 13, 18)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        chosen = [v for v in visits if v.classification in kinds]
        for number, visit in enumerate(chosen, start=1):
            person = visit.person
            sheet.write_row(
                2 + number,
                0,
                [
                    number,
                    person.full_name,
                    person.birth_date_display,
                    person.citizen_id or person.old_id,
                    person.hamlet,
                    person.house_number,
                    CLASSIFICATION[Classification(visit.classification)],
                    CHANNEL.get(visit.channel, ""),
                    "Có" if visit.proxy_id else "",
                    timezone.localtime(visit.finished_at).strftime("%d/%m/%Y"),
                    visit.officer.get_full_name() or visit.officer.get_username(),
                ],
                cell,
            )
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
