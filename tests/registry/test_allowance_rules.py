from __future__ import annotations

from datetime import date

import pytest

from ansinh.registry.models import AllowanceLevel
from ansinh.registry.rules import AllowanceRules

pytestmark = pytest.mark.django_db


def test_social_protection_is_level_times_coefficient_on_the_date() -> None:
    rules = AllowanceRules.load()
    assert (
        rules.monthly_amount(category="social_protection", subgroup="elderly_80_poor", on=date(2024, 7, 1)) == 1_000_000
    )
    assert (
        rules.monthly_amount(category="social_protection", subgroup="elderly_80_poor", on=date(2024, 6, 30)) == 720_000
    )
    assert (
        rules.monthly_amount(category="social_protection", subgroup="elderly_60_80_poor", on=date(2025, 1, 1))
        == 750_000
    )


def test_social_pension_starts_on_1_july_2025() -> None:
    rules = AllowanceRules.load()
    assert rules.monthly_amount(category="social_pension", subgroup="social_pension_75", on=date(2025, 6, 30)) is None
    assert rules.monthly_amount(category="social_pension", subgroup="social_pension_75", on=date(2025, 7, 1)) == 500_000


def test_a_category_without_rules_gives_no_amount_until_one_is_entered_as_data() -> None:
    assert AllowanceRules.load().monthly_amount(category="meritorious", subgroup=None, on=date(2025, 1, 1)) is None
    AllowanceLevel.objects.create(category="meritorious", valid_from=date(2024, 7, 1), amount=2_789_000)
    assert AllowanceRules.load().monthly_amount(category="meritorious", subgroup=None, on=date(2025, 1, 1)) == 2_789_000


def test_without_a_subgroup_social_protection_has_no_single_amount() -> None:
    assert (
        AllowanceRules.load().monthly_amount(category="social_protection", subgroup=None, on=date(2025, 1, 1)) is None
    )
