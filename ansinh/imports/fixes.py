"""A value fixed by hand in a staged row, read with the reader's own rules, and what it settles.

The reader parses a whole file; a fix gives one field of one row. These helpers read that field as the
reader would (names in NFC, dates, amounts, commune codes), report the reader's problems for it, say
which of the row's earlier problems the new value settles, and redo the ID checks that depend on the
birth year. `services.batch_row_fix` puts them together with the row validator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ansinh.imports.validation import problem
from ansinh.lib.citizen_id import check_citizen_id
from ansinh.lib.text import nfc
from ansinh.reader import CATALOGUE, parse_amount, parse_date
from ansinh.reader.values import birth_date_plausible, parse_commune_code

# The fields a person may fix in an invalid row, and the reader's problems a new value settles.
FIXABLE = ("full_name", "date_of_birth", "commune_code", "amount")
_SETTLED = {
    "full_name": {"missing_name"},
    "date_of_birth": {"birth_date_missing", "birth_date_unreadable", "birth_date_implausible", "birth_date_both_sexes"},
    "commune_code": set(),
    "amount": {"amount_not_number"},
}
_BIRTH_FIELDS = {"date_of_birth", "date_of_birth_male", "date_of_birth_female"}
_DATE_WARNINGS = {"date_two_digit_year", "date_day_month_swapped", "date_serial"}
# Problems the validator adds (commune, category, allowance rule) and the ID checks that depend on the
# birth year: worked out again on every fix.
_VALIDATOR_CODES = {
    "commune_missing",
    "commune_unknown",
    "commune_converted",
    "commune_split",
    "category_unknown",
    "amount_rule",
}
_ID_CHECKS = {"id_province", "id_sex", "id_birth_year", "id_century"}


def settled(found: dict[str, Any], fixed: set[str]) -> bool:
    """Whether fixing `fixed` settles the earlier problem `found` (it is found again if it still holds)."""
    code = found["code"]
    if code in _VALIDATOR_CODES:
        return True
    if "date_of_birth" in fixed and (
        code in _ID_CHECKS or (code in _DATE_WARNINGS and found["field"] in _BIRTH_FIELDS)
    ):
        return True
    return any(code in _SETTLED[name] for name in fixed)


def _reader_problem(kind: str, column: str, field: str, /, **params: Any) -> dict[str, Any]:
    level, message = CATALOGUE[kind]
    return problem(level, kind, message, column=column, field=field, **params)


def parse_fix(name: str, text: str, column: str, today: dt.date) -> tuple[Any, list[dict[str, Any]]]:
    """A fixed value read with the reader's own rules: (value or None, problems)."""
    text = " ".join(text.split())
    if name == "full_name":
        return (nfc(text), []) if text else (None, [_reader_problem("missing_name", column, name)])
    if name == "commune_code":
        return (parse_commune_code(text) or None), []
    if name == "amount":
        amount, found = parse_amount(text)
        return amount, [_reader_problem(found[0], column, name, **found[1])] if found else []
    if not text:
        return None, [_reader_problem("birth_date_missing", column, name)]
    date, findings = parse_date(text, today)
    problems = [
        _reader_problem("birth_date_unreadable" if code == "unreadable" else code, column, name, **params)
        for code, params in findings
    ]
    if date is not None and not birth_date_plausible(date, today):
        return None, [*problems, _reader_problem("birth_date_implausible", column, name, value=date.iso)]
    return (date.iso if date is not None else None), problems


def id_problems(values: dict[str, Any], column: str) -> list[dict[str, Any]]:
    """The reader's ID checks against the (fixed) birth year and the stated sex."""
    cid = values.get("citizen_id")
    if not isinstance(cid, str) or len(cid) != 12 or not cid.isdigit():
        return []
    birth = values.get("date_of_birth")
    year = int(birth[:4]) if isinstance(birth, str) and birth[:4].isdigit() else None
    sex = values.get("sex") if values.get("sex") in ("M", "F") else None
    found = []
    for check in check_citizen_id(cid, sex=sex, birth_year=year):
        if check.code == "birth_year" and int(cid[3]) > 5:
            found.append(_reader_problem("id_century", column, "citizen_id", digit=cid[3]))
        elif check.code == "birth_year":
            century = {0: 1900, 2: 2000, 4: 2100}[int(cid[3]) // 2 * 2]
            found.append(
                _reader_problem("id_birth_year", column, "citizen_id", id_year=century + int(cid[4:6]), year=year)
            )
        elif check.code == "province":
            found.append(_reader_problem("id_province", column, "citizen_id", code=cid[:3]))
        else:
            found.append(_reader_problem("id_sex", column, "citizen_id"))
    return found
