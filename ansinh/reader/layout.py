"""Rows under the header that are not data rows: headings, totals, the signature block, notes.

Only rows that lack a name with a birth date or ID beside it come here (the common data row never
does), so these checks cost little. Texts are compared folded, so "Tổng cộng", "TỔNG CỘNG" and
"Tong cong" are alike.
"""

from __future__ import annotations

import re

from ansinh.lib.text import fold

# A total or subtotal: "Cộng", "Tổng cộng", "Cộng thôn 1", "Tổng số: 120 người", "Tổng".
# "Cộng" and "Tổng" alone would also match the names Công and Tống, so a tail must show a total.
_TOTAL_TAIL = (
    r"(\s*[:.=]|\s*$|\s+(cong|so|thon|xom|ap|to|xa|phuong|nhom|muc|loai|dien|doi tuong|tien|kinh phi|trang"
    r"|[ivx]+\b|[a-h]\b|\d|cac|toan|danh sach|chung|lai))"
)
TOTAL = re.compile(rf"(tong cong|tong so|luy ke|total|subtotal|sub total)\b|(tong|cong){_TOTAL_TAIL}")
# The signature block and the lines around it.
SIGNATURE = re.compile(
    r"(nguoi lap( bieu| danh sach| bang)?|nguoi (duyet|kiem tra|ky)|t\.?m\.?\s|t/m\b|kt\.?\s|k/t\b|tl\.?\s|tuq\.?\s"
    r"|(pho )?chu tich|(ky|ky,|ky ten),? (ghi ro|va ghi ro|dong dau)|\(ky|ke toan|thu truong|(pho )?giam doc"
    r"|truong (phong|ban|thon|khu pho|ap)|can bo|cong chuc|xac nhan|uy ban nhan dan|ubnd|noi nhan|lanh dao|thu quy"
    r"|prepared by|approved by|signature)\b"
)
# "Hà Nội, ngày 15 tháng 3 năm 2024", "ngày ... tháng ... năm 2024".
PLACE_DATE = re.compile(r"\bngay\b[\s.…_/\d-]*\bthang\b[\s.…_/\d-]*\bnam\b[\s.…_\d]*$")
NOTE = re.compile(r"(ghi chu|chu y|luu y|note)\s*[:.]")
# Group headings: a roman numeral or a letter with a title, a hamlet, a category of people.
ROMAN = re.compile(r"(?=[ivxl]+\b)(x{0,3})(ix|iv|v?i{0,3})(\s*[.):\-]|\s+(?!van\b|thi\b)\w|$)")
LETTER_HEADING = re.compile(r"[a-h]\s*[.)]\s+\w")
NUMBERED_HEADING = re.compile(r"\d+(\.\d+)*\s*[.)]\s*\D")
PLACE_HEADING = re.compile(
    r"(thon|xom|ap|ban|buon|khom|khu pho|to dan pho|to dp|khu dan cu|kdc|phum|soc|lang|cum dan cu"
    r"|xa|phuong|thi tran|dac khu)\b|(to|doi|khu|cum|nhom)\s*(so\s*)?\d"
)
PEOPLE_HEADING = re.compile(
    r"(nguoi cao tuoi|nguoi khuyet tat|tre em|tre mo coi|ho ngheo|ho can ngheo|nguoi co cong|doi tuong"
    r"|nguoi don than|nguoi nhiem hiv|nhom|dien|loai|danh sach|cac doi tuong|nguoi tu du|nguoi thuoc ho)\b"
)
_HEADING_NUMBER = re.compile(r"(?=[ivxl])(x{0,3})(ix|iv|v?i{0,3})\s*[.)]?|[a-h]\s*[.)]?")
_NAME_BAD = re.compile(r"[\d:;=@#%()\[\]{}<>|/\\]")


def folded(text: str) -> str:
    return fold(text)


def is_total(text: str) -> bool:
    return TOTAL.match(folded(text)) is not None


def is_signature(text: str) -> bool:
    f = folded(text)
    if f.endswith("sinh"):  # "Ngày tháng năm sinh" from a repeated header
        return False
    return SIGNATURE.match(f) is not None or PLACE_DATE.search(f) is not None or NOTE.match(f) is not None


def is_heading_text(text: str) -> bool:
    f = folded(text)
    return bool(
        ROMAN.match(f) or LETTER_HEADING.match(f) or NUMBERED_HEADING.match(f) or PLACE_HEADING.match(f)
        or PEOPLE_HEADING.match(f)
    )  # fmt: skip


def is_heading_number(text: str) -> bool:
    """A numbering cell that numbers a group ("I", "II.", "A", "B.") rather than a person."""
    f = folded(text).strip()
    return bool(f) and _HEADING_NUMBER.fullmatch(f) is not None


def looks_like_name(text: str) -> bool:
    """A person's name: letters and spaces, at most eight words, no digits or punctuation of a note."""
    return bool(text) and not _NAME_BAD.search(text) and len(text.split()) <= 8 and any(c.isalpha() for c in text)
