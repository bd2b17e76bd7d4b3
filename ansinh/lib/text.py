"""Vietnamese text: NFC storage form and the folded form used for search and comparison.

Folding removes diacritics (Đ/đ become d), lower-cases, and collapses spaces, so that
"nguyen thi lan", "NGUYỄN THỊ LAN" and "Nguyễn  Thị Lan" fold alike; old and new tone-mark
placement ("Hoà"/"Hòa", "Thuý"/"Thúy") fold alike because the mark itself is removed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_D = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """The storage form: Unicode NFC with spaces collapsed and trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


# Lists repeat the same names, communes and words thousands of times: an import folds each once.
@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """The comparison form: no diacritics, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


# Vietnamese alphabetical order: letters with a shape mark (ă â đ ê ô ơ ư) are letters of their own that
# sort after their base; tone marks only break ties. Each letter maps to a sortable character.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: chr(0x41 + index) for index, letter in enumerate(_ALPHABET)}
_RANK_LETTER = {rank: letter for letter, rank in _LETTER_RANK.items()}
# A base letter followed by a combining breve (U+0306), circumflex (U+0302) or horn (U+031B), in NFD.
_SHAPED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}  # huyền hỏi ngã sắc nặng


@lru_cache(maxsize=1 << 15)
def _letters(word: str) -> tuple[str, str]:
    """Primary key (letters) and secondary key (tones) of one lower-case word."""
    primary: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tones.append(_TONES[ch])
        elif unicodedata.category(ch) == "Mn":
            shaped = _SHAPED.get((_RANK_LETTER.get(primary[-1], ""), ch)) if primary else None
            if shaped:
                primary[-1] = _LETTER_RANK[shaped]
        else:
            primary.append(_LETTER_RANK.get(ch, ch))
    return "".join(primary), "".join(tones) or "0"


def vietnamese_sort_key(full_name: str) -> str:
    """A key that sorts people the Vietnamese way: by given name (the last word), then the rest.

    Stored beside the name so that the database sorts by it without a collation of its own.
    """
    words = nfc(full_name).lower().split(" ")
    if words == [""]:
        return ""
    keys = [_letters(word) for word in [words[-1], *words[:-1]]]
    return " ".join(primary for primary, _ in keys) + "|" + " ".join(tone for _, tone in keys)
