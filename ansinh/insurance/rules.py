"""Dated rules of voluntary social insurance, free of Django so that they can be tested at their boundaries.

Months are handled as integer indexes (`year * 12 + month - 1`) so that periods, deadlines and the
report's month arithmetic are plain integer comparisons, in Python and in SQL alike.

Sources: Law on Social Insurance 2014 and 2024 (in force 1 July 2025), Decree 134/2015 and 159/2025;
the figures in ../shared/docs/domain.md. Values marked "unconfirmed" are configuration, not law.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")

CONTRIBUTION_RATE_PERCENT = 22
# The state supports at most this many months of a participant's contributions (whatever the rate).
SUPPORT_MONTHS_CAP = 120
INCOME_MAX_MULTIPLE = 20
SUPPORT_CHANGE = dt.date(2025, 7, 1)


class PaymentMode(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    YEARLY = "yearly"
    YEARS_AHEAD = "years_ahead"
    LUMP_SUM = "lump_sum"  # the missing years, paid at once when retiring


class SupportGroup(StrEnum):
    POOR = "poor"
    NEAR_POOR = "near_poor"
    ETHNIC_MINORITY = "ethnic_minority"
    OTHER = "other"


# Months a regular period covers; years ahead and lump sums cover what the payment says.
PERIOD_MONTHS: dict[PaymentMode, int | None] = {
    PaymentMode.MONTHLY: 1,
    PaymentMode.QUARTERLY: 3,
    PaymentMode.SEMIANNUAL: 6,
    PaymentMode.YEARLY: 12,
    PaymentMode.YEARS_AHEAD: None,
    PaymentMode.LUMP_SUM: None,
}

# How many months, counted from the first month of an unpaid period, the payment may still come:
# within the month, within 3 months, the first 4 months, the first 7 months. A participant still
# counts at the end of each of those months. Years ahead: like yearly (unconfirmed); a lump sum
# has no next period, so only its own month (unconfirmed).
GRACE_MONTHS: dict[PaymentMode, int] = {
    PaymentMode.MONTHLY: 1,
    PaymentMode.QUARTERLY: 3,
    PaymentMode.SEMIANNUAL: 4,
    PaymentMode.YEARLY: 7,
    PaymentMode.YEARS_AHEAD: 7,
    PaymentMode.LUMP_SUM: 1,
}

# (valid from, VND per person per month): the rural income poverty line of the multidimensional standard.
RURAL_POVERTY_LINE: Sequence[tuple[dt.date, int]] = (
    (dt.date(2016, 1, 1), 700_000),
    (dt.date(2022, 1, 1), 1_500_000),
)
# (valid from, VND): the base salary, replaced by the reference level from 1 July 2024.
REFERENCE_LEVEL: Sequence[tuple[dt.date, int]] = (
    (dt.date(2019, 7, 1), 1_490_000),
    (dt.date(2023, 7, 1), 1_800_000),
    (dt.date(2024, 7, 1), 2_340_000),
)
# (valid from, {group: percent of 22% of the rural poverty line}). Before 1 July 2025 ethnic
# minorities had no rate of their own and were supported as others.
SUPPORT_PERCENT: Sequence[tuple[dt.date, dict[SupportGroup, int]]] = (
    (
        dt.date(2018, 1, 1),
        {
            SupportGroup.POOR: 30,
            SupportGroup.NEAR_POOR: 25,
            SupportGroup.ETHNIC_MINORITY: 10,
            SupportGroup.OTHER: 10,
        },
    ),
    (
        SUPPORT_CHANGE,
        {
            SupportGroup.POOR: 50,
            SupportGroup.NEAR_POOR: 40,
            SupportGroup.ETHNIC_MINORITY: 30,
            SupportGroup.OTHER: 20,
        },
    ),
)


def _at(table: Sequence[tuple[dt.date, T]], day: dt.date) -> T:
    position = bisect_right([start for start, _ in table], day)
    if position == 0:
        raise LookupError(f"no rule in force on {day.isoformat()}")
    return table[position - 1][1]


# -- months --------------------------------------------------------------------------------------


def month_index(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1..12")
    return year * 12 + month - 1


def month_of_date(day: dt.date) -> int:
    return month_index(day.year, day.month)


def year_month(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def month_first_day(index: int) -> dt.date:
    year, month = year_month(index)
    return dt.date(year, month, 1)


def month_last_day(index: int) -> dt.date:
    year, month = year_month(index)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_label(index: int) -> str:
    year, month = year_month(index)
    return f"{month:02d}/{year}"


# -- amounts -------------------------------------------------------------------------------------


def rural_poverty_line(day: dt.date) -> int:
    return _at(RURAL_POVERTY_LINE, day)


def reference_level(day: dt.date) -> int:
    return _at(REFERENCE_LEVEL, day)


def income_bounds(day: dt.date) -> tuple[int, int]:
    """The lowest and highest monthly income a participant may choose on a day."""
    return rural_poverty_line(day), INCOME_MAX_MULTIPLE * reference_level(day)


def income_problem(income: int, day: dt.date) -> str | None:
    low, high = income_bounds(day)
    if income < low:
        return f"the chosen income {income:,} is below the rural poverty line {low:,}"
    if income > high:
        return f"the chosen income {income:,} is above {INCOME_MAX_MULTIPLE} times the reference level ({high:,})"
    return None


def support_percent(group: SupportGroup, day: dt.date) -> int:
    return _at(SUPPORT_PERCENT, day)[SupportGroup(group)]


def monthly_support(group: SupportGroup, day: dt.date) -> int:
    """State support for one month in force on `day`: a share of 22% of the rural poverty line, in VND."""
    return rural_poverty_line(day) * CONTRIBUTION_RATE_PERCENT * support_percent(group, day) // 10_000


def monthly_contribution(income: int) -> int:
    return income * CONTRIBUTION_RATE_PERCENT // 100


@dataclass(frozen=True)
class ContributionDue:
    from_month: int
    to_month: int
    gross: int  # 22% of the income for every month
    support: int  # what the state pays
    net: int  # what the participant pays
    supported_months: int
    deadline: dt.date


def period_end(mode: PaymentMode, from_month: int, months: int | None = None) -> int:
    length = PERIOD_MONTHS[PaymentMode(mode)] or months
    if not length or length < 1:
        raise ValueError(f"a {mode} payment needs its number of months")
    return from_month + length - 1


def deadline(mode: PaymentMode, from_month: int) -> dt.date:
    """The last day on which the contribution of a period starting in `from_month` may be paid."""
    return month_last_day(from_month + GRACE_MONTHS[PaymentMode(mode)] - 1)


def contribution_due(
    *,
    income: int,
    group: SupportGroup,
    mode: PaymentMode,
    from_month: int,
    months: int | None = None,
    supported_before: int = 0,
) -> ContributionDue:
    """What a period costs: support follows the rate of each covered month and stops at the 120-month cap."""
    to_month = period_end(mode, from_month, months)
    gross = support = supported = 0
    for month in range(from_month, to_month + 1):
        gross += monthly_contribution(income)
        if supported_before + supported < SUPPORT_MONTHS_CAP:
            support += monthly_support(group, month_first_day(month))
            supported += 1
    return ContributionDue(
        from_month=from_month,
        to_month=to_month,
        gross=gross,
        support=support,
        net=gross - support,
        supported_months=supported,
        deadline=deadline(mode, from_month),
    )


def counts_in(*, month: int, from_month: int, to_month: int, mode: PaymentMode) -> bool:
    """Whether one payment keeps its payer counted at the end of `month`: it covers the month, or the
    month is still within the deadline of the period that follows it."""
    return from_month <= month <= to_month + GRACE_MONTHS[PaymentMode(mode)]
