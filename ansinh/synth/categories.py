"""Beneficiary categories: how likely a person of a given age is to be on each list, amounts and notes.

The propensities are relative, per year of age; they make the lists old as real ones are (social protection
is mostly people over 80, social pension people over 75, meritorious people old veterans and martyrs'
relatives) without pretending to be statistics.
"""

from __future__ import annotations

import random

import numpy as np

CATEGORIES = ("social_protection", "social_pension", "meritorious", "poor_household", "near_poor_household", "other")
SHARES = {
    "social_protection": 0.45,
    "social_pension": 0.12,
    "meritorious": 0.15,
    "poor_household": 0.13,
    "near_poor_household": 0.10,
    "other": 0.05,
}
MAX_AGE = 130
STANDARD_LEVEL = 500_000  # VND per month from 1 July 2024 (Decree 76/2024)
MERITORIOUS_STANDARD = 2_789_000  # VND from 1 July 2024 (Decree 77/2024)


def _band(ages: np.ndarray, bands: list[tuple[int, float]]) -> np.ndarray:
    """A value per age from (lowest age, value) bands in increasing order."""
    values = np.zeros(len(ages))
    for low, value in bands:
        values[ages >= low] = value
    return values


def propensity_table() -> np.ndarray:
    """Relative chance of being on each category's list, shape (categories, ages 0..MAX_AGE)."""
    ages = np.arange(MAX_AGE + 1)
    return np.vstack(
        [
            _band(ages, [(0, 0.3), (16, 0.15), (60, 0.5), (80, 12.0)]),
            _band(ages, [(70, 0.6), (75, 4.0), (80, 1.5)]),
            _band(ages, [(0, 0.0), (25, 0.02), (40, 0.3), (60, 1.5), (70, 3.0)]),
            _band(ages, [(0, 0.3), (18, 1.0), (60, 1.3)]),
            _band(ages, [(0, 0.3), (18, 1.0), (60, 1.3)]),
            _band(ages, [(0, 0.3), (18, 1.0)]),
        ]
    )


def amount_and_note(category: str, age: int, rng: random.Random) -> tuple[int, str]:
    """A monthly amount in VND and the sub-group written in the note column."""
    if category == "social_protection":
        if age >= 80:
            group, coefficient = rng.choices(
                [("NCT từ đủ 80 tuổi", 1.0), ("NCT từ đủ 80 tuổi hộ nghèo", 2.0), ("NCT cô đơn", 3.0)], [80, 17, 3]
            )[0]
        elif age >= 60:
            group, coefficient = rng.choices([("NCT hộ nghèo", 1.5), ("NKT nặng", 2.0)], [70, 30])[0]
        elif age >= 16:
            group, coefficient = rng.choices(
                [("NKT nặng", 1.5), ("NKT đặc biệt nặng", 2.0), ("Đơn thân nghèo", 1.0)], [55, 30, 15]
            )[0]
        else:
            group, coefficient = rng.choices(
                [("Trẻ mồ côi", 2.5 if age < 4 else 1.5), ("Trẻ khuyết tật", 2.5)], [50, 50]
            )[0]
        return int(STANDARD_LEVEL * coefficient), group
    if category == "social_pension":
        return STANDARD_LEVEL, ""
    if category == "meritorious":
        group, share = rng.choices(
            [("Thương binh", 1.0), ("Bệnh binh", 0.8), ("Thân nhân liệt sĩ", 0.6), ("Người HĐKC nhiễm CĐHH", 1.2),
             ("Người có công giúp đỡ CM", 0.5)],
            [30, 15, 30, 15, 10],
        )[0]  # fmt: skip
        return int(round(MERITORIOUS_STANDARD * share, -3)), group
    if category == "poor_household":
        return 400_000, ""
    if category == "near_poor_household":
        return 300_000, ""
    return STANDARD_LEVEL, ""
