"""Text as it may appear in an XML 1.0 document that banks will read."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
# One search tells whether the slow path is needed: a forbidden character, a run of spaces, or a space
# other than U+0020. Most names and accounts need nothing, and a million of them pass through here.
_UNUSUAL = re.compile(_INVALID.pattern + r"|\s\s|[^\S ]")


def clean(value: str, limit: int) -> str:
    """NFC, no characters XML cannot carry, spaces collapsed, cut to the schema's length (in characters)."""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _UNUSUAL.search(value):
        value = _SPACES.sub(" ", _INVALID.sub("", value))
    return value.strip()[:limit]


def escape(value: str) -> str:
    """Escapes element text; attribute values here are constants, so quotes need no escaping."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def text(value: str, limit: int) -> str:
    """Cleaned and escaped, ready to go between tags."""
    return escape(clean(value, limit))
