"""The mistakes real beneficiary lists carry, their rates, and the text edits that make them.

Rates are shares of list rows unless the name says otherwise (`year_only` is a share of the people born
before 1960). Where a mistake can only happen to some rows (a day/month swap needs a day of 12 or less, an old
ID needs a person who had one), the generator raises the chance among those rows so that the share of all
rows still meets the rate, capped at every eligible row.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Rates:
    """Mistake rates; the defaults are the issue's floors ("no kinder than")."""

    missing_diacritics: float = 0.30
    upper_case: float = 0.15
    typo: float = 0.05
    dropped_middle_name: float = 0.04
    old_tone_placement: float = 0.30  # of names that have an old form ("Hoà" for "Hòa"): the same name, not a mistake
    year_only: float = 0.15  # of people born before 1960
    day_month_swapped: float = 0.05
    old_id: float = 0.10
    missing_id: float = 0.10
    wrong_digit: float = 0.03
    household_member_id: float = 0.01
    moved: float = 0.03
    died: float = 0.02
    two_lists: float = 0.02
    not_in_registry: float = 0.02
    excel_date_cells: float = 0.50  # of full dates; the others are text dd/mm/yyyy
    id_as_number: float = 0.05
    amount_as_text: float = 0.05
    blank_row: float = 0.002

    @classmethod
    def from_mapping(cls, values: dict[str, object]) -> Rates:
        """Defaults overridden by `values`; an unknown name or a rate outside 0..1 is an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown rate(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        parsed: dict[str, float] = {}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"rate {name} must be a number from 0 to 1, not {value!r}")
            parsed[name] = float(value)
        return replace(cls(), **parsed)

    @classmethod
    def from_json_file(cls, path: Path) -> Rates:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object of rate names to numbers")
        return cls.from_mapping(data)

    @classmethod
    def none(cls) -> Rates:
        """Clean lists: every mistake off (dates stay half as Excel date cells)."""
        return cls(**{f.name: 0.0 for f in fields(cls)} | {"excel_date_cells": 0.5})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_TONE_RE = re.compile(f"[{_TONES}]")
# Vowel pairs where the old style puts the tone on the second vowel: hòa -> hoà, thúy -> thuý, khỏe -> khoẻ.
_OLD_STYLE = re.compile(rf"(?i)(o)([{_TONES}])(a|e)\b|(u)([{_TONES}])(y)\b")


def strip_diacritics(text: str) -> str:
    """Vietnamese without any mark, case kept: "Nguyễn Thị Đào" -> "Nguyen Thi Dao"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def old_tone_placement(text: str) -> str:
    """Move the tone mark to the old-style vowel ("Hòa" -> "Hoà", "Thúy" -> "Thuý"); other words unchanged."""
    decomposed = unicodedata.normalize("NFD", text)

    def move(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1) + match.group(3) + match.group(2)
        return match.group(4) + match.group(6) + match.group(5)

    return unicodedata.normalize("NFC", _OLD_STYLE.sub(move, decomposed))


def has_old_tone_variant(text: str) -> bool:
    return old_tone_placement(text) != text


def drop_middle_name(name: str, rng: random.Random) -> str | None:
    """The name without one of its middle words, or None when it has no middle word."""
    words = name.split(" ")
    if len(words) < 3:
        return None
    del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


_NEIGHBOURS = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "g": "fh", "h": "gj", "i": "uo", "k": "jl", "l": "k",
    "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb",
    "x": "zc", "y": "tu",
}  # fmt: skip


def typo(name: str, rng: random.Random, *, survive_stripping: bool = False) -> str:
    """One slip of the keyboard in one word of the name; always returns a different text.

    Kinds: a tone mark changed ("Hương" -> "Hường"), i/y swapped, a letter dropped, doubled, swapped with its
    neighbour or replaced by a neighbouring key. With survive_stripping=True the slip must still show once the
    diacritics are removed (so no tone change).
    """
    for _ in range(20):
        candidate = _one_typo(name, rng, allow_tone=not survive_stripping)
        if candidate != name and (not survive_stripping or strip_diacritics(candidate) != strip_diacritics(name)):
            return candidate
    return name + name[-1]  # a doubled last letter always differs


def _one_typo(name: str, rng: random.Random, *, allow_tone: bool) -> str:
    words = name.split(" ")
    index = rng.randrange(len(words))
    word = words[index]
    kind = rng.choices(("tone", "iy", "drop", "double", "swap", "key"), weights=(30, 12, 18, 12, 14, 14))[0]
    if kind == "tone" and allow_tone:
        decomposed = unicodedata.normalize("NFD", word)
        bare = _TONE_RE.sub("", decomposed)
        vowels = [i for i, ch in enumerate(bare) if ch.lower() in "aeiouy"]
        if vowels:
            at = rng.choice(vowels) + 1
            while at < len(bare) and unicodedata.category(bare[at]) == "Mn":
                at += 1
            mark = rng.choice([*_TONES, ""])
            word = unicodedata.normalize("NFC", bare[:at] + mark + bare[at:])
    elif kind == "iy":
        if "y" in word:
            word = word.replace("y", "i", 1)
        elif word.endswith("i"):
            word = word[:-1] + "y"
    elif len(word) > 2:
        at = rng.randrange(1, len(word))
        if kind == "drop":
            word = word[:at] + word[at + 1 :]
        elif kind == "double":
            word = word[:at] + word[at] + word[at:]
        elif kind == "swap" and at < len(word) - 1:
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        else:
            base = strip_diacritics(word[at]).lower()
            if base in _NEIGHBOURS:
                word = word[:at] + rng.choice(_NEIGHBOURS[base]) + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def wrong_digit(number: str, rng: random.Random) -> str:
    """One digit replaced by another."""
    at = rng.randrange(len(number))
    digit = rng.choice([d for d in "0123456789" if d != number[at]])
    return number[:at] + digit + number[at + 1 :]
