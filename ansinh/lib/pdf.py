"""Official-style PDF documents (minutes, records, lists, reports) in Vietnamese, on fpdf2.

The administrative style of Decree 30/2020: the issuing agency on the left and the national motto on the
right, then place and date, the title, the body, and signature blocks side by side. The font is DejaVu
Serif from matplotlib's wheel: it covers Vietnamese and needs no system font package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

NATIONAL_NAME = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "DejaVuSerif"


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"


def vietnamese_date(place: str, day: dt.date) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


class OfficialDocument:
    """Build a document top to bottom, then call `output()` for the bytes.

    >>> doc = OfficialDocument(agency_lines=["UBND XÃ A", "CÔNG AN XÃ A"], place="Xã A", date=dt.date(2026, 1, 5))
    >>> doc.title("BIÊN BẢN", "Về việc ...")
    >>> doc.paragraph("Hôm nay, ...")
    >>> doc.signatures([("NGƯỜI LẬP", "Nguyễn Văn A")])
    >>> pdf_bytes = doc.output()
    """

    def __init__(
        self,
        *,
        agency_lines: Sequence[str] = (),
        place: str = "",
        date: dt.date | None = None,
        number: str = "",
        landscape: bool = False,
        motto: bool = True,
    ) -> None:
        self.pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.pdf.set_margins(20, 15, 15)
        self.pdf.set_auto_page_break(auto=True, margin=15)
        fonts = font_dir()
        self.pdf.add_font(FONT, "", str(fonts / "DejaVuSerif.ttf"))
        self.pdf.add_font(FONT, "B", str(fonts / "DejaVuSerif-Bold.ttf"))
        self.pdf.add_font(FONT, "I", str(fonts / "DejaVuSerif-Italic.ttf"))
        self.pdf.add_font(FONT, "BI", str(fonts / "DejaVuSerif-BoldItalic.ttf"))
        # Charts (ansinh.lib.svgchart) name this family first in their text.
        self.pdf.add_font("DejaVuSans", "", str(fonts / "DejaVuSans.ttf"))
        self.pdf.add_font("DejaVuSans", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        # Fixed metadata so that the same content gives the same bytes.
        self.pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        self.pdf.set_producer("ansinh")
        self.pdf.add_page()
        self._header(agency_lines, place, date, number, motto)

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    def _header(self, agency_lines: Sequence[str], place: str, date: dt.date | None, number: str, motto: bool) -> None:
        pdf = self.pdf
        left = self.width * 0.42
        right = self.width - left
        top = pdf.get_y()
        pdf.set_font(FONT, "", 10)
        for i, line in enumerate(agency_lines):
            pdf.set_font(FONT, "B" if i == len(agency_lines) - 1 else "", 10)
            pdf.set_xy(pdf.l_margin, top + i * 5)
            pdf.cell(left, 5, line, align="C")
        if number:
            pdf.set_font(FONT, "", 10)
            pdf.set_xy(pdf.l_margin, top + len(agency_lines) * 5 + 1)
            pdf.cell(left, 5, number, align="C")
        if motto:
            pdf.set_xy(pdf.l_margin + left, top)
            pdf.set_font(FONT, "B", 10)
            pdf.cell(right, 5, NATIONAL_NAME, align="C")
            pdf.set_xy(pdf.l_margin + left, top + 5)
            pdf.set_font(FONT, "B", 11)
            pdf.cell(right, 5, NATIONAL_MOTTO, align="C")
            # The motto is underlined by a short rule, as in the official template.
            mid = pdf.l_margin + left + right / 2
            pdf.line(mid - 28, top + 10.5, mid + 28, top + 10.5)
        rows = max(len(agency_lines) + (1 if number else 0), 2 if motto else 0)
        pdf.set_y(top + rows * 5 + 3)
        if place and date:
            pdf.set_font(FONT, "I", 11)
            pdf.set_x(pdf.l_margin + left)
            pdf.cell(right, 6, vietnamese_date(place, date), align="C")
        pdf.set_y(pdf.get_y() + 10)

    def title(self, text: str, subtitle: str = "") -> None:
        self.pdf.set_font(FONT, "B", 14)
        self.pdf.multi_cell(0, 7, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.pdf.set_font(FONT, "B", 12)
            self.pdf.multi_cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(4)

    def heading(self, text: str) -> None:
        self.pdf.set_font(FONT, "B", 12)
        self.pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def paragraph(self, text: str, *, italic: bool = False, size: float = 12) -> None:
        self.pdf.set_font(FONT, "I" if italic else "", size)
        self.pdf.multi_cell(0, 6, text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def field_lines(self, pairs: Sequence[tuple[str, str]]) -> None:
        """'Label: value' lines, with a dotted line where the value is still to be written by hand."""
        for label, value in pairs:
            self.pdf.set_font(FONT, "", 12)
            self.pdf.multi_cell(0, 6, f"{label}: {value or '.' * 60}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size: float = 10,
    ) -> None:
        self.pdf.set_font(FONT, "", size)
        col_widths = tuple(widths) if widths else None
        text_align = tuple(align) if align else "LEFT"
        with self.pdf.table(
            col_widths=col_widths,
            text_align=text_align,
            line_height=size * 0.5,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headers:
                heading.cell(str(text))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell("" if value is None else str(value))
        self.pdf.ln(3)

    def svg(self, svg_text: str, *, width: float | None = None) -> None:
        """Embed a chart drawn by ansinh.lib.svgchart: the page and the PDF share one renderer."""
        import io

        self.pdf.image(io.BytesIO(svg_text.encode("utf-8")), w=width or self.width)
        self.pdf.ln(3)

    def signatures(self, blocks: Sequence[tuple[str, str]], *, note: str = "(Ký, ghi rõ họ tên)") -> None:
        """Signature blocks side by side: (role in capitals, name printed under the space to sign)."""
        if not blocks:
            return
        pdf = self.pdf
        pdf.ln(6)
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        width = self.width / len(blocks)
        top = pdf.get_y()
        for i, (role, name) in enumerate(blocks):
            x = pdf.l_margin + i * width
            pdf.set_xy(x, top)
            pdf.set_font(FONT, "B", 11)
            pdf.multi_cell(width, 5.5, role, align="C")
            pdf.set_x(x)
            pdf.set_font(FONT, "I", 10)
            pdf.multi_cell(width, 5, note, align="C")
            pdf.set_xy(x, top + 38)
            pdf.set_font(FONT, "B", 11)
            pdf.multi_cell(width, 5.5, name, align="C")
        pdf.set_y(top + 50)

    def page_break(self) -> None:
        self.pdf.add_page()

    def output(self) -> bytes:
        return bytes(self.pdf.output())
