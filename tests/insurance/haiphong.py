"""Participants and payments constructed so that the counting code must give Hai Phong's October 2024 report.

Cohorts by the month ends at which they count (October 2023, December 2023, September 2024, October
2024), each made of several payment patterns: monthly, quarterly, six-monthly, yearly and years-ahead
payers, lapses, gaps filled later, stops, and people who never count. Only payments are written; the
figures are left to the report.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ansinh.access.models import Organisation
from ansinh.geo.models import Commune
from ansinh.insurance import rules
from ansinh.insurance.coverage import coverage_rebuild
from ansinh.insurance.models import Participant
from ansinh.lib.text import fold

M = rules.month_index
Period = tuple[int, int]


def monthly(first: int, last: int) -> list[Period]:
    return [(m, m) for m in range(first, last + 1)]


def every(months: int, first: int, last: int) -> list[Period]:
    return [(m, m + months - 1) for m in range(first, last + 1, months)]


@dataclass(frozen=True)
class Pattern:
    name: str
    count: int
    mode: rules.PaymentMode
    periods: list[Period]
    stopped_on: dt.date | None = None


P = rules.PaymentMode
PATTERNS: list[Pattern] = [
    # A: counted at all four month ends (20,000).
    Pattern("A monthly to Oct 2024", 300, P.MONTHLY, monthly(M(2023, 1), M(2024, 10))),
    # Monthly payers who paid arrears in blocks (one payment covering several months).
    Pattern("A monthly in blocks", 5700, P.MONTHLY, every(6, M(2023, 1), M(2024, 7))),
    Pattern("A monthly to Sep 2024, October within the month", 2000, P.MONTHLY, [(M(2023, 1), M(2024, 9))]),
    Pattern("A quarterly", 3500, P.QUARTERLY, every(3, M(2023, 1), M(2024, 7))),
    Pattern(
        "A quarterly with a gap in 2024",
        500,
        P.QUARTERLY,
        [*every(3, M(2023, 1), M(2023, 10)), (M(2024, 7), M(2024, 9))],
    ),
    Pattern("A six-monthly", 3000, P.SEMIANNUAL, every(6, M(2023, 1), M(2024, 1))),
    Pattern("A yearly", 4000, P.YEARLY, every(12, M(2023, 1), M(2024, 1))),
    Pattern("A three years ahead", 1000, P.YEARS_AHEAD, [(M(2023, 1), M(2025, 12))]),
    # B: counted in October and December 2023, not in September or October 2024 (5,449).
    Pattern("B monthly lapsed after June 2024", 449, P.MONTHLY, monthly(M(2023, 1), M(2024, 6))),
    Pattern("B monthly in one block, lapsed after June 2024", 2000, P.MONTHLY, [(M(2023, 1), M(2024, 6))]),
    Pattern("B quarterly lapsed after 2023", 2000, P.QUARTERLY, every(3, M(2023, 1), M(2023, 10))),
    Pattern(
        "B yearly stopped in February 2024", 1000, P.YEARLY, every(12, M(2023, 1), M(2024, 1)), dt.date(2024, 2, 10)
    ),
    # C: joined in November or December 2023 (9,184).
    Pattern("C monthly from November 2023", 4184, P.MONTHLY, [(M(2023, 11), M(2024, 4)), (M(2024, 5), M(2024, 10))]),
    Pattern("C six-monthly from December 2023", 3000, P.SEMIANNUAL, every(6, M(2023, 12), M(2024, 6))),
    Pattern("C yearly from December 2023", 2000, P.YEARLY, [(M(2023, 12), M(2024, 11))]),
    # D: joined in 2024 before September (6,759).
    Pattern("D monthly from March 2024", 759, P.MONTHLY, monthly(M(2024, 3), M(2024, 9))),
    Pattern(
        "D monthly in two blocks from March 2024", 3000, P.MONTHLY, [(M(2024, 3), M(2024, 6)), (M(2024, 7), M(2024, 9))]
    ),
    Pattern("D quarterly from July 2024", 2000, P.QUARTERLY, [(M(2024, 7), M(2024, 9))]),
    Pattern("D yearly from August 2024", 1000, P.YEARLY, [(M(2024, 8), M(2025, 7))]),
    # E: joined in October 2024 (478).
    Pattern("E monthly from October 2024", 478, P.MONTHLY, [(M(2024, 10), M(2024, 10))]),
    # F: counted in September 2024 only (150).
    Pattern("F monthly lapsed after August 2024", 100, P.MONTHLY, monthly(M(2024, 7), M(2024, 8))),
    Pattern("F stopped in October 2024", 50, P.MONTHLY, monthly(M(2024, 6), M(2024, 10)), dt.date(2024, 10, 15)),
    # G: counted in October 2023 only (300).
    Pattern("G monthly lapsed after October 2023", 200, P.MONTHLY, [(M(2023, 1), M(2023, 10))]),
    Pattern("G six-monthly lapsed after June 2023", 100, P.SEMIANNUAL, [(M(2023, 1), M(2023, 6))]),
    # J: counted in 2023 and September 2024, lapsed in October 2024 (200).
    Pattern("J monthly lapsed after August 2024", 100, P.MONTHLY, [(M(2023, 1), M(2024, 8))]),
    Pattern("J quarterly lapsed after June 2024", 100, P.QUARTERLY, every(3, M(2023, 1), M(2024, 4))),
    # Never counted at these month ends.
    Pattern("lump sum for 2010-2015", 100, P.LUMP_SUM, [(M(2010, 1), M(2015, 12))]),
    Pattern("monthly in 2022 only", 300, P.MONTHLY, [(M(2022, 1), M(2022, 12))]),
    Pattern("registered, never paid", 100, P.MONTHLY, []),
]

OCTOBER_2024 = 36_421
PLAN_2024 = 40_499
NET_INCREASE_TARGET_2024 = 4_335


def _citizen_ids() -> Iterator[str]:
    # Hai Phong's birth-registration code 031, men born in 1980, serial numbers.
    for serial in itertools.count(1):
        yield f"031080{serial:06d}"


def build(*, communes: list[Commune], organisations: list[Organisation]) -> int:
    """Write the cohorts with bulk inserts, spread round-robin over communes and organisations; returns people.

    Plain `executemany` rather than model instances: a hundred thousand instances cost more than the insert.
    """
    ids = _citizen_ids()
    people: list[tuple[object, ...]] = []
    patterns: dict[str, Pattern] = {}
    now = timezone.now()
    serial = 0
    for pattern in PATTERNS:
        for _ in range(pattern.count):
            serial += 1
            stopped = pattern.stopped_on
            citizen_id = next(ids)
            patterns[citizen_id] = pattern
            first = rules.month_first_day(pattern.periods[0][0]) if pattern.periods else dt.date(2024, 1, 1)
            people.append(
                (
                    f"Người tham gia {serial}",
                    fold(f"Người tham gia {serial}"),
                    citizen_id,
                    "",
                    "M",
                    1980,
                    communes[serial % len(communes)].pk,
                    "",
                    "",
                    organisations[serial % len(organisations)].pk,
                    1_500_000,
                    pattern.mode.value,
                    rules.SupportGroup.OTHER.value,
                    first,
                    Participant.Status.STOPPED.value if stopped else Participant.Status.ACTIVE.value,
                    stopped,
                    "",
                    rules.month_of_date(stopped) if stopped else None,
                    1,
                    now,
                )
            )
    columns = (
        "full_name, full_name_folded, citizen_id, insurance_number, sex, birth_year, commune_id, hamlet, phone, "
        "organisation_id, monthly_income, payment_mode, support_group, registered_on, status, stopped_on, "
        "stop_reason, stop_month, version, created_at"
    )
    marks = ", ".join(["%s"] * 20)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO insurance_participant ({columns}) VALUES ({marks})", people)
        stored = Participant.objects.filter(citizen_id__in=list(patterns)).values_list(
            "pk", "citizen_id", "organisation_id"
        )
        payments = [
            (pk, first, last, patterns[citizen_id].mode.value, rules.GRACE_MONTHS[patterns[citizen_id].mode],
             330_000 * (last - first + 1), 0, 0, rules.month_first_day(first), organisation_id, "", now)
            for pk, citizen_id, organisation_id in stored.iterator(chunk_size=5000)
            for first, last in patterns[citizen_id].periods
        ]  # fmt: skip
        cursor.executemany(
            "INSERT INTO insurance_payment (participant_id, from_month, to_month, mode, grace_months, amount, support, "
            "supported_months, paid_on, organisation_id, receipt, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            payments,
        )
        coverage_rebuild()
    return len(people)
