"""Finding the header row(s) of a list and mapping header texts to canonical fields.

Header texts are compared folded (no diacritics, lower case) with punctuation turned into spaces, against
patterns in order: the first that matches the whole text decides, so specific patterns ("Họ tên chủ hộ",
"Ngày cấp CCCD") come before general ones ("Họ tên", "CCCD"). A pattern that maps to "" marks a column
known to be none of ours (so that it is not mistaken for one).

A two-row header is read by filling the top row across its merged cells and combining each column's
top and bottom texts: the bottom text alone if it is a header, else "bottom top" or "top bottom" ("Số" under
"Quyết định"), else the top; "Nam"/"Nữ" under "Ngày sinh" split the birth date by sex, and under
"Giới tính" they are marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ansinh.lib.text import fold, nfc
from ansinh.reader.model import Cell

_PUNCT = re.compile(r"[^\w\s#]+|_")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SPACE = re.compile(r"\s+")

_PLACE = r"(thon|to|xom|ap|ban|khu pho|to dan pho|dan pho|khom|buon|lang|so nha|khu|khu dan cu|duong|pho|ngo|hem|kiet)"
_UNIT = r"(xa|phuong|thi tran|dac khu)"
_RULES: list[tuple[str, str]] = [
    (
        r"(ngay|noi|nam) cap( .*)?|.*(nguoi nhan thay|uy quyen|giam ho|nguoi cham soc|nguoi dai dien|nguoi nhan ho).*"
        r"|que quan( .*)?|dan toc|ton giao|nghe nghiep|quan he( .*)?|tinh trang( .*)?|ly do( .*)?|ngay chet|ngay mat"
        r"|(tinh|thanh pho|huyen|quan|thi xa)( .*)?|ky nhan|chu ky|ky ten|ma doi tuong|ma so doi tuong",
        "",
    ),
    (r"tt|stt|so tt|so thu tu|thu tu|no|#|nr", "row_number"),
    (
        r"(ho ten |ho va ten |ten )?chu ho( .*)?|ma (so )?ho( gia dinh| ngheo)?|so ho khau|household( id| head)?",
        "household",
    ),
    (
        r"(so )?(tai khoan|tk)( ngan hang| nhan tro cap| ca nhan| the| atm)?|stk|account( number| no)?"
        r"|bank account( number| no)?",
        "account_number",
    ),
    (r"(ten )?ngan hang( .*)?|bank( name)?|noi mo (tai khoan|tk)", "bank"),
    (r"ho( va)? (ten |chu )?(dem|lot)|ho dem|ho lot|ho|family name|surname", "family_middle_name"),
    (
        r"(ho )?(va )?ten( doi tuong| nguoi huong( .*)?| nguoi cao tuoi| nguoi khuyet tat| tre em)?|ho ten( .*)?"
        r"|ho va ten( .*)?|ten doi tuong( .*)?|full name|name|beneficiary( name)?",
        "full_name",
    ),
    (
        r"((ngay|thang|nam)\s*)+sinh( .*)?|ngay sinh( .*)?|sinh ngay|ns|date of birth|dob|birth ?date|year of birth"
        r"|birthday|born",
        "date_of_birth",
    ),
    (r"gioi tinh|gioi|sex|gender|nam nu|nam hoac nu", "sex"),
    (
        r"(so )?(cccd|cmnd|cmt|can cuoc( cong dan)?|chung minh( nhan dan| thu)?|(ma )?(so )?dinh danh( ca nhan)?"
        r"|giay to tuy than)( .*)?|citizen id|id number|id no|national id|id",
        "citizen_id",
    ),
    (rf"ma ({_UNIT}( {_UNIT})*|dvhc|don vi hanh chinh|don vi)( .*)?|commune code|ward code", "commune_code"),
    (rf"(ten )?{_UNIT}( {_UNIT})*|(ten )?don vi hanh chinh|commune( name)?|ward", "commune_name"),
    (
        rf"dia chi( .*)?|noi (o|cu tru|thuong tru)( .*)?|cho o( .*)?|thuong tru|{_PLACE}( {_PLACE})*"
        r"|address|hamlet|street|village",
        "address",
    ),
    (r"(so )?(dien thoai|dt|sdt|dtdd)( .*)?|sdt|phone( number)?|mobile|tel", "phone"),
    (r"nhom( doi tuong)?( .*)?|dien( doi tuong| huong)?( .*)?|phan nhom|sub ?group", "subgroup"),
    (r"(loai |phan loai )?doi tuong( .*)?|loai( .*)?|category|phan loai", "category"),
    (r"he so( .*)?|coefficient", "coefficient"),
    (
        r"(muc|so tien|tien)( tro cap| huong| chi tra| hang thang)*( .*)?|so tien( .*)?|thanh tien|tong (so )?tien"
        r"|kinh phi( .*)?|tro cap hang thang|amount( .*)?|monthly amount",
        "amount",
    ),
    (
        r"(ngay|thoi diem|thoi gian|thang) (bat dau )?(duoc )?huong( .*)?|huong tu( .*)?|tu ngay|tu thang"
        r"|ngay bat dau( .*)?|start( date)?|thoi diem bat dau( .*)?",
        "start_date",
    ),
    (r"ngay (ky )?(quyet dinh|qd)( .*)?|decision date", "decision_date"),
    (r"(so )?(quyet dinh|qd)( so)?( .*)?|decision( number| no)?", "decision_number"),
    (r"ghi chu( .*)?|note|notes|remarks?|comments?", "note"),
]
_COMPILED = [(re.compile(pattern), target) for pattern, target in _RULES]
_SEX_WORDS = {"nam": "male", "nữ": "female", "nu": "female", "male": "male", "female": "female"}
_SEX_SPLIT = {"date_of_birth": "date_of_birth_{}", "sex": "sex_{}_mark"}


def header_key(text: str) -> str:
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def field_for(text: str) -> str | None:
    """The field a header text stands for; "" for a column known to be none; None when unrecognised."""
    if not text:
        return None
    key = header_key(text)
    for candidate in (key, header_key(_PARENS.sub(" ", text))):
        if not candidate:
            continue
        for pattern, target in _COMPILED:
            if pattern.fullmatch(candidate):
                return target
    return None


def _sex_word(text: str) -> str | None:
    return _SEX_WORDS.get(nfc(text).lower().rstrip(":."))


def resolve_column(top: str, bottom: str) -> str | None:
    """The field of a column headed by `top` (filled across merges) over `bottom`; None if none."""
    if top and bottom and top != bottom:
        top_field = field_for(top)
        sex = _sex_word(bottom)
        if sex and top_field in _SEX_SPLIT:
            return _SEX_SPLIT[top_field].format(sex)
        bottom_field = field_for(bottom)
        if bottom_field is not None:
            return bottom_field or None
        for combined in (f"{bottom} {top}", f"{top} {bottom}"):
            combined_field = field_for(combined)
            if combined_field is not None:
                return combined_field or None
        return top_field or None
    text = bottom or top
    sex = _sex_word(text) if text else None
    if sex:
        return f"sex_{sex}_mark"
    return field_for(text) or None


# --- rows of the header region -----------------------------------------------------------------------

_NUMBER_PART = r"\(?\s*(?:\d{1,2}|[A-Za-z])\s*\)?"
_COLUMN_NUMBER = re.compile(rf"{_NUMBER_PART}(?:\s*[=x*+\-/:]\s*{_NUMBER_PART})*")


def is_column_number_row(cells: list[Cell]) -> bool:
    """ "(1) (2) (3)", "1 2 3", "A B C" or "(5)=(3)x(4)" in every non-empty cell, at least two of them."""
    count = 0
    for cell in cells:
        if cell == "" or cell is None:
            continue
        kind = type(cell)
        if kind is float or kind is int:
            if not (float(cell).is_integer() and 0 <= float(cell) <= 99):  # type: ignore[arg-type]
                return False
        elif kind is str:
            text = cell.strip()  # type: ignore[union-attr]
            if text and not _COLUMN_NUMBER.fullmatch(text):
                return False
            if not text:
                continue
        else:
            return False
        count += 1
    return count >= 2


def text_of(cell: Cell) -> str:
    if type(cell) is str:
        return nfc(cell)
    if type(cell) is float and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _semantic(fields: list[str | None]) -> set[str]:
    out: set[str] = set()
    for f in fields:
        if not f:
            continue
        if f.startswith("date_of_birth_"):
            out |= {"date_of_birth", "sex"}
        elif f.startswith("sex_"):
            out.add("sex")
        elif f == "family_middle_name":
            out.add("full_name")
        else:
            out.add(f)
    return out


def _score(fields: list[str | None]) -> tuple[int, int] | None:
    semantic = _semantic(fields)
    if not semantic & {"full_name", "citizen_id"} or len(semantic) < 2:
        return None
    return len(semantic), sum(1 for f in fields if f)


@dataclass(frozen=True)
class HeaderLayout:
    position: int  # index of the (top) header row in the sample
    rows: int  # 1 or 2
    texts: list[str]  # header text per column (relative to the sample's first column)
    fields: list[str | None]


def _fill_across(top: list[str], bottom: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """The top header row with each merged cell's text repeated over the columns it covers."""
    filled = list(top)
    for first, last in spans:
        for j in range(first + 1, min(last, len(filled) - 1) + 1):
            if not filled[j]:
                filled[j] = filled[first]
    # Unmerged "centre across selection" headers: a sub-header under an empty top cell whose left
    # neighbour also has a sub-header belongs to the same group.
    for j in range(1, len(filled)):
        if not filled[j] and filled[j - 1] and bottom[j] and bottom[j - 1] and not top[j]:
            filled[j] = filled[j - 1]
    return filled


def _is_sub_header(cells: list[Cell], texts: list[str]) -> bool:
    if is_column_number_row(cells):
        return False
    if any(type(c) is not str for c in cells if c != ""):
        return False
    return all(len(t.split()) <= 6 for t in texts)


def detect_header(sample: list[list[Cell]], spans_by_position: dict[int, list[tuple[int, int]]]) -> HeaderLayout | None:
    """The best header among the sample rows, alone or as the top of a two-row header.

    `spans_by_position` gives, for a sample position, the horizontal merges of that row as relative
    (first, last) column pairs. A pair of rows is taken only when it maps strictly more than either row.
    """
    width = max((len(r) for r in sample), default=0)
    texts = [[text_of(c) for c in row] + [""] * (width - len(row)) for row in sample]
    singles: list[tuple[tuple[int, int] | None, list[str | None]]] = []
    for t in texts:
        fields = [resolve_column(x, "") for x in t]
        singles.append((_score(fields), fields))
    best: HeaderLayout | None = None
    best_score: tuple[int, int] | None = None
    for i, t in enumerate(texts):
        single_score, single_fields = singles[i]
        if single_score is not None and (best_score is None or single_score > best_score):
            best, best_score = HeaderLayout(i, 1, t, single_fields), single_score
        if i + 1 >= len(texts) or not _is_sub_header(sample[i + 1], texts[i + 1]):
            continue
        bottom = texts[i + 1]
        top = _fill_across(t, bottom, spans_by_position.get(i, []))
        fields = [resolve_column(a, b) for a, b in zip(top, bottom, strict=True)]
        pair_score = _score(fields)
        if pair_score is None:
            continue
        others = [s for s in (single_score, singles[i + 1][0]) if s is not None]
        if others and pair_score <= max(others):
            continue
        if best_score is None or pair_score > best_score:
            combined = [a if not b or a == b else (f"{a} / {b}" if a else b) for a, b in zip(top, bottom, strict=True)]
            best, best_score = HeaderLayout(i, 2, combined, fields), pair_score
    return best
