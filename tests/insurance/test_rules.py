"""The dated rules of voluntary social insurance at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.insurance import rules
from ansinh.insurance.rules import PaymentMode, SupportGroup

M = rules.month_index


def test_income_must_be_between_the_rural_poverty_line_and_twenty_reference_levels() -> None:
    day = dt.date(2024, 7, 1)
    assert rules.income_bounds(day) == (1_500_000, 46_800_000)
    assert rules.income_problem(1_500_000, day) is None
    assert rules.income_problem(1_499_999, day) is not None
    assert rules.income_problem(46_800_000, day) is None
    assert rules.income_problem(46_800_001, day) is not None


def test_the_ceiling_follows_the_base_salary_before_the_reference_level() -> None:
    assert rules.income_bounds(dt.date(2024, 6, 30))[1] == 36_000_000
    assert rules.income_bounds(dt.date(2024, 7, 1))[1] == 46_800_000


def test_lowest_contribution_is_330000_vnd() -> None:
    assert rules.monthly_contribution(1_500_000) == 330_000


@pytest.mark.parametrize(
    ("group", "before", "after"),
    [
        (SupportGroup.POOR, 99_000, 165_000),
        (SupportGroup.NEAR_POOR, 82_500, 132_000),
        (SupportGroup.ETHNIC_MINORITY, 33_000, 99_000),
        (SupportGroup.OTHER, 33_000, 66_000),
    ],
)
def test_support_rates_change_on_1_july_2025(group: SupportGroup, before: int, after: int) -> None:
    assert rules.monthly_support(group, dt.date(2025, 6, 30)) == before
    assert rules.monthly_support(group, dt.date(2025, 7, 1)) == after


def test_ethnic_minorities_were_supported_as_others_before_july_2025() -> None:
    day = dt.date(2025, 6, 1)
    assert rules.support_percent(SupportGroup.ETHNIC_MINORITY, day) == rules.support_percent(SupportGroup.OTHER, day)
    assert rules.support_percent(SupportGroup.ETHNIC_MINORITY, rules.SUPPORT_CHANGE) == 30


def test_a_period_across_1_july_2025_is_supported_at_each_months_rate() -> None:
    due = rules.contribution_due(
        income=1_500_000, group=SupportGroup.POOR, mode=PaymentMode.SEMIANNUAL, from_month=M(2025, 4)
    )
    assert (due.from_month, due.to_month) == (M(2025, 4), M(2025, 9))
    assert due.gross == 6 * 330_000
    assert due.support == 3 * 99_000 + 3 * 165_000
    assert due.net == due.gross - due.support


def test_support_stops_at_the_120th_month() -> None:
    due = rules.contribution_due(
        income=2_000_000,
        group=SupportGroup.NEAR_POOR,
        mode=PaymentMode.YEARLY,
        from_month=M(2026, 1),
        supported_before=115,
    )
    assert due.supported_months == 5
    assert due.support == 5 * 132_000
    exhausted = rules.contribution_due(
        income=2_000_000, group=SupportGroup.POOR, mode=PaymentMode.MONTHLY, from_month=M(2026, 1), supported_before=120
    )
    assert (exhausted.support, exhausted.net) == (0, 440_000)


@pytest.mark.parametrize(
    ("mode", "last_day"),
    [
        (PaymentMode.MONTHLY, dt.date(2024, 1, 31)),
        (PaymentMode.QUARTERLY, dt.date(2024, 3, 31)),
        (PaymentMode.SEMIANNUAL, dt.date(2024, 4, 30)),
        (PaymentMode.YEARLY, dt.date(2024, 7, 31)),
    ],
)
def test_deadline_of_each_mode(mode: PaymentMode, last_day: dt.date) -> None:
    assert rules.deadline(mode, M(2024, 1)) == last_day


@pytest.mark.parametrize(
    ("mode", "last_counted"),
    [
        (PaymentMode.MONTHLY, M(2024, 1)),
        (PaymentMode.QUARTERLY, M(2024, 3)),
        (PaymentMode.SEMIANNUAL, M(2024, 4)),
        (PaymentMode.YEARLY, M(2024, 7)),
    ],
)
def test_a_payer_counts_until_the_next_deadline_passes_and_not_a_month_longer(
    mode: PaymentMode, last_counted: int
) -> None:
    length = rules.PERIOD_MONTHS[mode] or 1
    paid = {"from_month": M(2024, 1) - length, "to_month": M(2023, 12), "mode": mode}
    assert rules.counts_in(month=last_counted, **paid)
    assert not rules.counts_in(month=last_counted + 1, **paid)
    assert not rules.counts_in(month=paid["from_month"] - 1, **paid)


def test_years_ahead_and_lump_sum_need_their_number_of_months() -> None:
    with pytest.raises(ValueError):
        rules.period_end(PaymentMode.YEARS_AHEAD, M(2024, 1))
    assert rules.period_end(PaymentMode.YEARS_AHEAD, M(2024, 1), 36) == M(2026, 12)


def test_month_index_round_trips_and_refuses_month_13() -> None:
    assert rules.year_month(M(2024, 12)) == (2024, 12)
    assert rules.month_last_day(M(2024, 2)) == dt.date(2024, 2, 29)
    with pytest.raises(ValueError):
        M(2024, 13)


def test_no_rule_before_the_first_dated_value() -> None:
    with pytest.raises(LookupError):
        rules.rural_poverty_line(dt.date(2015, 12, 31))
