"""The legacy Vietnamese 8-bit encodings VNI-Windows and TCVN3 (ABC), and telling them apart.

Both predate Unicode fonts and still turn up in lists kept for decades. Their bytes are usually seen
through Windows-1252, either because a CSV is read as such or because an Excel cell stored the characters
that a VNI or .Vn font draws as Vietnamese. So both converters work on text whose characters
U+00A0-U+00FF stand for the bytes A0-FF.

- VNI-Windows writes a letter as its base letter followed by a mark character ("Nguyeãn" = Nguyễn,
  "Hoøa" = Hòa); đ, ơ, ư and the toned i are single characters (ñ, ô, ö, í ì æ ó ò).
- TCVN3 gives each lower-case letter with its tone one byte (A1-FE); it has no upper-case toned letters
  (upper-case fonts draw the lower-case codes as capitals), so converted text may be in lower case.

Which one a text is in is decided by reading it each way and counting the words that are valid
Vietnamese syllables: the right reading gives nearly all valid syllables, a wrong one gives few.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Literal

Legacy = Literal["vni", "tcvn3"]

_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng
_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")


def _letter(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONES[tone])


def _upper(text: str) -> str:
    return text.upper()


def _vni_encoding_table() -> dict[str, str]:
    """Unicode letter → VNI-Windows characters, for lower and upper case."""
    table: dict[str, str] = {}
    for case in (str.lower, _upper):
        for tone in range(1, 6):
            for vowel in "aeouy":
                mark = "î" if vowel == "y" and tone == 5 else _VNI_TONE[tone]
                table[case(_letter(vowel, tone))] = case(vowel) + case(mark)
            table[case(_letter("ơ", tone))] = case("ô") + case(_VNI_TONE[tone])
            table[case(_letter("ư", tone))] = case("ö") + case(_VNI_TONE[tone])
            table[case(_letter("i", tone))] = case(_VNI_I[tone])
        for tone in range(6):
            for vowel, shaped in (("a", "â"), ("e", "ê"), ("o", "ô")):
                table[case(_letter(shaped, tone))] = case(vowel) + case(_VNI_CIRCUMFLEX[tone])
            table[case(_letter("ă", tone))] = case("a") + case(_VNI_BREVE[tone])
        table[case("ơ")] = case("ô")
        table[case("ư")] = case("ö")
        table[case("đ")] = case("ñ")
    return table


VNI_ENCODE = _vni_encoding_table()


def _vni_decoding_table() -> dict[str, str]:
    table = {vni: letter for letter, vni in VNI_ENCODE.items()}
    # Marks typed in the other case than their base letter ("Aù", "aÙ"): the base letter decides the case.
    for vni, letter in list(table.items()):
        if len(vni) == 2:
            for mark in (vni[1].lower(), vni[1].upper()):
                table.setdefault(vni[0] + mark, letter)
    return table


VNI_DECODE = _vni_decoding_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_DECODE, key=len, reverse=True)))

# TCVN3 (TCVN 5712:1993, VN3): byte → letter.
TCVN3_DECODE: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
_TCVN3_TRANSLATE = {code: letter for code, letter in TCVN3_DECODE.items()}
TCVN3_ENCODE: dict[str, str] = {letter: chr(code) for code, letter in TCVN3_DECODE.items()}
# No upper-case toned letters in TCVN3: they are written with the lower-case code.
for _code, _letter_ in TCVN3_DECODE.items():
    if _letter_.islower():
        TCVN3_ENCODE.setdefault(_letter_.upper(), chr(_code))

# Bytes 80-9F read as Latin-1 are C1 controls: in these files they are Windows-1252 punctuation.
_C1_TO_CP1252 = {b: bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0xA0)}


def vni_to_unicode(text: str) -> str:
    if text.isascii():
        return text
    return _VNI_PATTERN.sub(lambda m: VNI_DECODE[m.group(0)], text).translate(_C1_TO_CP1252)


def tcvn3_to_unicode(text: str) -> str:
    if text.isascii():
        return text
    return text.translate(_TCVN3_TRANSLATE).translate(_C1_TO_CP1252)


def unicode_to_vni(text: str) -> str:
    """Unicode → VNI-Windows characters (encode the result as cp1252 for the bytes)."""
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def unicode_to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 characters (encode as latin-1 for the bytes); upper-case toned letters lose case."""
    return "".join(TCVN3_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


CONVERTERS: dict[str, Callable[[str], str]] = {"vni": vni_to_unicode, "tcvn3": tcvn3_to_unicode}

# --- telling encodings apart -------------------------------------------------------------------------

# Letters that only Unicode Vietnamese has: a text holding them is not legacy text.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ôô ua uâ uê ui uô uơ ưa ưi ưu ươ uy yê ue uo "
    "oai oay oeo uây uôi ươi ươu uyê yêu iêu uya uyu uai uao uay ueo uơi"
).split()
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
    f"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    "(?:ng|nh|ch|[cmnpt])?"
)


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> tuple[float, int]:
    """Share of the words with non-ASCII letters that are valid Vietnamese syllables, and their number."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0, 0
    return sum(1 for w in words if _is_syllable(w)) / len(words), len(words)


def guess_legacy(texts: Iterable[str]) -> Legacy | None:
    """ "vni" or "tcvn3" when the texts read clearly better converted than as they are; else None."""
    sample = "\n".join(t for t in texts if t and not t.isascii())
    if not sample or _UNICODE_ONLY.search(sample):
        return None
    as_is, words = vietnamese_score(sample)
    if words < 3:
        return None
    best: Legacy | None = None
    best_score = as_is
    for name in ("vni", "tcvn3"):
        score, _ = vietnamese_score(CONVERTERS[name](sample))
        if score >= 0.8 and score > best_score + 0.2:
            best, best_score = name, score
    return best


def guess_byte_encoding(data: bytes) -> tuple[str, bool]:
    """For bytes that are not UTF-8: "cp1258", "vni" or "tcvn3", and whether the guess is confident."""
    latin = data.decode("latin-1")
    candidates = {
        "cp1258": unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
        "vni": vni_to_unicode(latin),
        "tcvn3": tcvn3_to_unicode(latin),
    }
    scored = sorted(((vietnamese_score(text), name) for name, text in candidates.items()), reverse=True)
    (best_score, words), best = scored[0]
    second = scored[1][0][0]
    confident = words >= 3 and best_score >= 0.8 and best_score - second >= 0.15
    return (best if confident else "cp1258"), confident


_SHAPING_MARKS = frozenset("\u0302\u0306\u031b")


def unicode_to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes as Windows writes them: shaped letters precomposed, tone marks combining."""
    out: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            if ch in _SHAPING_MARKS:
                out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
            else:
                tones.append(ch)
            continue
        out.extend(tones)
        tones.clear()
        out.append(ch)
    out.extend(tones)
    return "".join(out).encode("cp1258")
