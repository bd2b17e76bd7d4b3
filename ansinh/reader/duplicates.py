"""The same person twice in one file: a compact memory of the people read so far."""

from __future__ import annotations

import unicodedata
from array import array


def fast_fold(text: str) -> str:
    """A folded key for comparing names within a file: no diacritics, đ as d, lower case.

    Like `ansinh.lib.text.fold` for Vietnamese text already in storage form, but with C-level calls
    only (letters outside Vietnamese that have no ASCII base are dropped, which a key may do).
    """
    if text.isascii():
        return text.lower()
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii").lower()


class Duplicates:
    """Remembers each person seen so far in compact form, to flag the same person on a later row.

    Same person: the same usable ID with the same folded name or birth date; or, the IDs not
    contradicting, the same folded name, birth date and commune. Values are packed into one int per
    entry (24 bits of data row, enough for any sheet's million rows, and 40 bits of hashes) to keep
    500,000 rows in a few tens of megabytes.
    """

    _ROW = (1 << 24) - 1
    _H20 = (1 << 20) - 1
    _H40 = (1 << 40) - 1

    def __init__(self) -> None:
        self.by_id: dict[int, int] = {}
        self.by_person: dict[int, int] = {}
        self.sheet_rows = array("I")  # data row n is at index n - 1

    def seen(
        self, data_row: int, name: str, dob: tuple[int, int | None, int | None] | None, cid: str, commune: str
    ) -> int | None:
        earlier: int | None = None
        name_h, dob_h = hash(name) & self._H20, hash(dob) & self._H20
        if cid:
            key = hash(cid)
            packed = self.by_id.get(key)
            if packed is None:
                self.by_id[key] = ((name_h << 20 | dob_h) << 24) | data_row
            else:
                hashes = packed >> 24
                if (name and hashes >> 20 == name_h) or (dob and hashes & self._H20 == dob_h):
                    earlier = packed & self._ROW
        if earlier is None and name and dob:
            key = hash((name, dob, commune))
            cid_h = hash(cid) & self._H40 if cid else 0
            packed = self.by_person.get(key)
            if packed is None:
                self.by_person[key] = (cid_h << 24) | data_row
            else:
                other = packed >> 24
                if not (cid_h and other and other != cid_h):
                    earlier = packed & self._ROW
        return earlier
