"""Masking of personal numbers (ID, account and phone numbers) for roles that must not read them whole.

A masked number keeps its first three and last two characters so that an officer can still tell two
records apart or match one against a paper list ("001*******68"); a number too short to keep any
hidden part meaningful is masked entirely.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MASK = "*"
_KEEP_START = 3
_KEEP_END = 2
# Keep both ends only when at least this many characters stay hidden.
_MIN_HIDDEN = 3

# Field names that hold a personal number; a name ending with "_" + one of them does too
# ("proxy_citizen_id", "new_account_number", "contact_phone").
PERSONAL_NUMBER_KEYS = frozenset(
    {
        "citizen_id",
        "old_id",
        "id_number",
        "account_number",
        "account",
        "phone",
        "phone_number",
        "msisdn",
    }
)


def mask_number(value: str) -> str:
    """Hide the middle of a personal number: "001234567868" becomes "001*******68"."""
    text = str(value).strip()
    if not text:
        return ""
    hidden = len(text) - _KEEP_START - _KEEP_END
    if hidden < _MIN_HIDDEN:
        return MASK * len(text)
    return text[:_KEEP_START] + MASK * hidden + text[-_KEEP_END:]


def is_personal_number_key(key: str) -> bool:
    """True for a field name that holds an ID, account or phone number."""
    name = key.lower()
    return name in PERSONAL_NUMBER_KEYS or any(name.endswith(f"_{known}") for known in PERSONAL_NUMBER_KEYS)


def mask_personal_numbers(data: Any) -> Any:
    """A copy of `data` (dicts, lists, scalars) with the value of every personal-number key masked."""
    if isinstance(data, Mapping):
        return {
            key: _mask_value(value) if is_personal_number_key(str(key)) else mask_personal_numbers(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_personal_numbers(item) for item in data]
    return data


def _mask_value(value: Any) -> Any:
    if value is None or value == "":
        return value
    if isinstance(value, Mapping | list | tuple):
        # A structured value under a personal-number key (e.g. several phones): mask every leaf.
        if isinstance(value, Mapping):
            return {key: _mask_value(item) for key, item in value.items()}
        return [_mask_value(item) for item in value]
    if isinstance(value, bool):
        return value
    return mask_number(str(value))
