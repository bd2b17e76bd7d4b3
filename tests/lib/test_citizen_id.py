from __future__ import annotations

from ansinh.lib.citizen_id import century_digit, check_citizen_id


def test_an_id_that_agrees_has_no_problem() -> None:
    assert check_citizen_id("001190001268", sex="F", birth_year=1990) == []
    assert check_citizen_id("079303004567", sex="F", birth_year=2003) == []


def test_sex_digit_contradiction() -> None:
    assert [p.code for p in check_citizen_id("001190001268", sex="M", birth_year=1990)] == ["sex"]


def test_birth_year_contradiction_across_the_century() -> None:
    problems = check_citizen_id("001009001268", sex="M", birth_year=2009)
    assert [p.code for p in problems] == ["birth_year"] and "1909" in problems[0].message


def test_unknown_province_code() -> None:
    assert [p.code for p in check_citizen_id("003190001268", sex="F", birth_year=1990)] == ["province"]


def test_century_digit() -> None:
    assert century_digit(sex="M", birth_year=1945) == 0
    assert century_digit(sex="F", birth_year=2001) == 3
