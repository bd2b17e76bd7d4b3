"""The set-wise SQL that fills a cycle: one INSERT … SELECT over active benefits and their active payout methods.

The dated allowance rules are a few dozen rows; they are priced in Python for the cycle's months and
handed to the statement as a small VALUES table, so the database joins a million benefits to them
without a query per row. `ON CONFLICT DO NOTHING` leans on the partial unique indexes: a month (or an
occasion) already held by another non-cancelled payment — from an earlier cycle, another benefit of the
same scheme, or a concurrent run — is skipped, never paid twice.
"""

# ruff: noqa: S608 - SQL here is built from table names and this module's constants; values are parameters

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from ansinh.payments.models import Payment, PaymentCycle
from ansinh.registry.models import Benefit, Subgroup
from ansinh.registry.rules import AllowanceRules

# How far back arrears reach (months before the cycle's month, that month excluded).
ARREARS_MAX_MONTHS = 24


def month_first_day(key: int) -> date:
    return date(key // 100, key % 100, 1)


def month_add(key: int, months: int) -> int:
    index = (key // 100) * 12 + (key % 100 - 1) + months
    return (index // 12) * 100 + index % 12 + 1


def month_of(day: date) -> int:
    return day.year * 100 + day.month


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 100 + EXTRACT(MONTH FROM {column})::int)"
    return f"CAST(strftime('%%Y%%m', {column}) AS INTEGER)"


def _date_sql(column: str) -> str:
    return f"CAST({column} AS DATE)" if connection.vendor == "postgresql" else f"date({column})"


# Sentinels in the price table's subgroup column: a category's standard level, and the level of a
# category that is not priced per sub-group (which is then the amount itself).
LEVEL, PLAIN = -1, -2


def price_rows(months: list[int]) -> list[tuple[int, str, int, int]]:
    """(month, category, subgroup id or sentinel, amount) for every month of the cycle."""
    rules = AllowanceRules.load()
    subgroups = list(Subgroup.objects.values_list("pk", "code", "category"))
    priced_per_subgroup = {category for _, _, category in subgroups}
    rows: list[tuple[int, str, int, int]] = []
    for month in months:
        on = month_first_day(month)
        for category in rules.levels:
            level = rules.monthly_amount(category=category, subgroup=None, on=on)
            base = AllowanceRules._at(rules.levels[category], on)  # type: ignore[arg-type]
            if isinstance(base, int):
                rows.append((month, category, LEVEL, base))
            if level is not None and category not in priced_per_subgroup:
                rows.append((month, category, PLAIN, level))
        for pk, code, category in subgroups:
            amount = rules.monthly_amount(category=category, subgroup=code, on=on)
            if amount is not None:
                rows.append((month, category, pk, amount))
    return rows or [(0, "", 0, 0)]


def _area_join() -> str:
    through = PaymentCycle.communes.through._meta.db_table
    return f"JOIN {through} area ON area.commune_id = pe.commune_id AND area.paymentcycle_id = %s"


def _amount_sql() -> str:
    return "COALESCE(sg.amount, CAST(ROUND(lv.amount * b.coefficient) AS INTEGER), b.monthly_amount, pl.amount)"


def _monthly_sql(*, arrears: bool, month_values: str, price_values: str) -> str:
    """The INSERT for the regular month (one row per benefit) or for arrears (months before it).

    Arrears are looked for only among benefits that can have any, found in one pass with index seeks:
    newly approved ones (decided since `arrears_since`, started before the month, never paid here) and
    ones with a history here but no payment for the previous month (reactivated, or moved between two
    communes' cycles). Only those few are joined to the months of the window, so a million settled
    benefits cost one or two index seeks each, not one row per month.
    """
    payment = Payment._meta.db_table
    start, end = _month_sql("b.start_date"), _month_sql("b.end_date")
    decided = f"COALESCE(b.decision_date, {_date_sql('b.created_at')})"
    amount = _amount_sql()
    area = _area_join().replace("%s", "%(cycle)s")
    paid_before = (
        f"SELECT 1 FROM {payment} h WHERE h.benefit_id = b.id AND h.month < %(period)s AND h.status <> 'cancelled'"
    )
    if arrears:
        candidates = f"""
             candidates AS MATERIALIZED (
                 SELECT b.id AS benefit_id,
                        (SELECT MIN(h.month) FROM {payment} h WHERE h.benefit_id = b.id AND h.month < %(period)s
                         AND h.status <> 'cancelled') AS first_month
                 FROM {Benefit._meta.db_table} b
                 JOIN registry_person pe ON pe.id = b.person_id
                 {area}
                 WHERE b.status = 'active' AND (
                   ({decided} >= %(since)s AND COALESCE({start}, %(period)s) < %(period)s
                    AND NOT EXISTS ({paid_before}))
                   OR (NOT EXISTS (SELECT 1 FROM {payment} prev WHERE prev.person_id = b.person_id
                                   AND prev.category = b.category AND prev.month = %(previous)s
                                   AND prev.status <> 'cancelled')
                       AND EXISTS ({paid_before})))
             ),"""
        source = f"""candidates c
        JOIN {Benefit._meta.db_table} b ON b.id = c.benefit_id
        JOIN registry_person pe ON pe.id = b.person_id"""
        window = f"""
          AND m.month < %(period)s AND m.month >= COALESCE({start}, %(period)s)
          AND (c.first_month IS NULL OR m.month > c.first_month)"""
        kind = "'arrears'"
    else:
        candidates = ""
        source = f"""{Benefit._meta.db_table} b
        JOIN registry_person pe ON pe.id = b.person_id
        {area}"""
        window = "AND m.month = %(period)s"
        kind = "'regular'"
    return f"""
        WITH months(month) AS (VALUES {month_values}),
             {candidates}
             prices(month, category, subgroup_id, amount) AS (VALUES {price_values})
        INSERT INTO {payment} (cycle_id, benefit_id, person_id, commune_id, category, month, occasion, kind,
                               amount, channel, payout_method_id, organisation_id, status, status_reason, created_at)
        SELECT %(cycle)s, b.id, b.person_id, pe.commune_id, b.category, m.month, '', {kind},
               {amount}, pm.channel, pm.id, pm.organisation_id, 'planned', '', %(now)s
        FROM {source}
        JOIN payouts_payoutmethod pm ON pm.benefit_id = b.id AND pm.status = 'active'
        JOIN months m ON 1 = 1
        LEFT JOIN prices sg ON sg.month = m.month AND sg.category = b.category AND sg.subgroup_id = b.subgroup_id
        LEFT JOIN prices lv ON lv.month = m.month AND lv.category = b.category AND lv.subgroup_id = {LEVEL}
        LEFT JOIN prices pl ON pl.month = m.month AND pl.category = b.category AND pl.subgroup_id = {PLAIN}
        WHERE b.status = 'active'
          AND (b.end_date IS NULL OR m.month <= {end})
          {window}
          AND {amount} > 0
        ON CONFLICT DO NOTHING
    """


def _named_values(prefix: str, rows: list[tuple[Any, ...]], params: dict[str, Any]) -> str:
    """A VALUES list with named placeholders (the statement mixes them with other named parameters)."""
    parts = []
    for i, row in enumerate(rows):
        names = []
        for j, value in enumerate(row):
            key = f"{prefix}{i}_{j}"
            params[key] = value
            names.append(f"%({key})s")
        parts.append("(" + ", ".join(names) + ")")
    return ", ".join(parts)


def insert_monthly(cycle: PaymentCycle) -> int:
    """Insert the cycle's regular month, then the arrears due; return how many payments were created."""
    assert cycle.period is not None
    period = cycle.period
    inserted = 0
    for arrears in (False, True):
        months = [month_add(period, -back) for back in range(ARREARS_MAX_MONTHS, 0, -1)] if arrears else [period]
        params: dict[str, Any] = {
            "cycle": cycle.pk,
            "period": period,
            "previous": month_add(period, -1),
            "since": cycle.arrears_since or month_first_day(month_add(period, -1)),
            "now": timezone.now(),
        }
        month_values = _named_values("m", [(m,) for m in months], params)
        price_values = _named_values("p", price_rows(months), params)
        sql = _monthly_sql(arrears=arrears, month_values=month_values, price_values=price_values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted += max(cursor.rowcount, 0)
    return inserted


def insert_occasion(cycle: PaymentCycle, *, kind: str) -> int:
    """Insert one one-off per person of the area with an active, paid benefit (the person's first one)."""
    payment = Payment._meta.db_table
    sql = f"""
        INSERT INTO {payment} (cycle_id, benefit_id, person_id, commune_id, category, month, occasion, kind,
                               amount, channel, payout_method_id, organisation_id, status, status_reason, created_at)
        SELECT %s, b.id, b.person_id, pe.commune_id, b.category, NULL, %s, %s, %s,
               pm.channel, pm.id, pm.organisation_id, 'planned', '', %s
        FROM {Benefit._meta.db_table} b
        JOIN registry_person pe ON pe.id = b.person_id
        {_area_join()}
        JOIN payouts_payoutmethod pm ON pm.benefit_id = b.id AND pm.status = 'active'
        WHERE b.status = 'active'
        ORDER BY b.id
        ON CONFLICT DO NOTHING
    """
    params: list[Any] = [cycle.pk, cycle.occasion, kind, cycle.occasion_amount or 0, timezone.now(), cycle.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
