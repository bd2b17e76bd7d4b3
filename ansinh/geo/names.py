"""Names of administrative units: the type prefix, the kind it implies, and the comparison key.

Lists write the same unit as "Phường Ba Đình", "PHƯỜNG BA ĐÌNH", "phuong ba dinh" or "Ba Đình";
the comparison key removes case, diacritics and the type prefix so they all meet, and reads
"Phường 01" as "Phường 1". Abbreviations ("P. Ba Đình") are not expanded.
"""

from __future__ import annotations

import re

from ansinh.lib.text import fold, nfc

# Folded prefix -> kind of a current unit ("thi tran" only existed before 2025).
PREFIX_KINDS: dict[str, str | None] = {
    "phuong": "ward",
    "xa": "commune",
    "dac khu": "special_zone",
    "thi tran": None,
}
_FOLDED_PREFIX = re.compile(r"^(thi tran|dac khu|phuong|xa)\s+")
_PREFIX = re.compile(r"^(thị trấn|đặc khu|phường|xã)\s+", re.IGNORECASE)
_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def split_prefix(name: str) -> tuple[str, str]:
    """("Phường", "Ba Đình") for "Phường Ba Đình"; ("", name) when there is no type prefix."""
    clean = nfc(name)
    match = _PREFIX.match(clean)
    if not match:
        return "", clean
    return match.group(1), clean[match.end() :]


def kind_from_name(name: str) -> str | None:
    """The kind a current unit's name declares through its prefix, or None."""
    match = _FOLDED_PREFIX.match(fold(name))
    return PREFIX_KINDS[match.group(1)] if match else None


def name_key(name: str) -> str:
    """Folded, without type prefix, numbers without leading zeros: the form two names compare in."""
    return _LEADING_ZEROS.sub(r"\1", _FOLDED_PREFIX.sub("", fold(name)))
