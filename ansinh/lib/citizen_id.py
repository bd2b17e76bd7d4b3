"""Checks of Vietnamese personal ID numbers (CCCD, 12 digits) against a stated sex and birth year.

Format `PPP G YY NNNNNN`: PPP the pre-2025 birth-registration province, G century and sex
(0/1 1900s male/female, 2/3 2000s, 4/5 2100s), YY the last two digits of the birth year. There is no
checksum, so a contradiction with the stated sex or year is the only evidence of a wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 "
    "042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 "
    "086 087 089 091 092 093 094 095 096".split()
)
_CENTURY = {0: 1900, 2: 2000, 4: 2100}


@dataclass(frozen=True)
class IdProblem:
    code: str  # province, sex, birth_year
    message: str


def century_digit(*, sex: str, birth_year: int) -> int:
    """The G digit for a sex ("M"/"F") and a birth year."""
    base = {1900: 0, 2000: 2, 2100: 4}[birth_year // 100 * 100]
    return base + (1 if sex == "F" else 0)


def check_citizen_id(citizen_id: str, *, sex: str | None = None, birth_year: int | None = None) -> list[IdProblem]:
    """Problems of a well-formed 12-digit ID against what the list states; empty when all agree."""
    problems: list[IdProblem] = []
    if citizen_id[:3] not in PROVINCE_CODES:
        problems.append(IdProblem("province", f"province code {citizen_id[:3]} is not a valid one"))
    digit = int(citizen_id[3])
    if digit > 5:
        problems.append(IdProblem("birth_year", f"century digit {digit} is not valid"))
        return problems
    if sex in ("M", "F") and ("F" if digit % 2 else "M") != sex:
        problems.append(IdProblem("sex", "the ID's sex digit contradicts the stated sex"))
    if birth_year is not None:
        year = _CENTURY[digit - digit % 2] + int(citizen_id[4:6])
        if year != birth_year:
            problems.append(IdProblem("birth_year", f"the ID says born in {year}, the list says {birth_year}"))
    return problems
