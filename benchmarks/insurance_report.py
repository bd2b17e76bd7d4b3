"""Voluntary social insurance: the monthly report over 2,000,000 participants and 24 months of payments (issue 8).

Participants and payments are generated set-wise in SQL (generate_series) in one province: mixed payment
modes (monthly, every 3, 6 or 12 months, three years ahead), people joining through the 24 months, some
lapsing and some stopping. Coverage is then rebuilt from every payment (`coverage_rebuild()`, timed).
Measured: `selectors.monthly_report(officer, 2024, 10)`, which counts 13 month ends per organisation and
commune from coverage, against two ways of computing it from the raw payments in the same run: one SQL
aggregate over the payments (COUNT DISTINCT per month), and the naive Python loop over payments
(`coverage.counts_from_payments`) on a sample of participants, extrapolated linearly. Target: under 2 s.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import (
    VAR,
    Options,
    Postgres,
    Stats,
    django_env,
    log,
    ms,
    prepare_django_database,
    run_worker,
    secs,
    section_preamble,
    worker_main,
)

NAME = "insurance_report"
TITLE = "Voluntary social insurance: monthly report over 2,000,000 participants"
FULL_PARTICIPANTS = 2_000_000
PROVINCE = "31"
ORGANISATIONS = 20
USERNAME = "bench_insurance_officer"
TARGET = 2.0
HERE = VAR / NAME
REPORT_YEAR, REPORT_MONTH = 2024, 10
SAMPLE = 20_000  # participants in the Python baseline's sample

# Pseudo-random but reproducible choices from the participant's number i: (i * K) % 1000 style hashes.
_PARTICIPANTS_SQL = """
INSERT INTO insurance_participant (full_name, full_name_folded, citizen_id, insurance_number, sex, birth_year,
    commune_id, hamlet, phone, organisation_id, monthly_income, payment_mode, support_group, registered_on,
    status, stopped_on, stop_reason, stop_month, version, created_at)
SELECT 'Người tham gia ' || i, 'nguoi tham gia ' || i, '031' || lpad(i::text, 9, '0'), '', 'M', 1960 + i %% 40,
    communes[(1 + (i * 7919) %% array_length(communes, 1))::int], '', '0900' || lpad((i %% 1000000)::text, 6, '0'),
    organisations[(1 + (i * 104729) %% array_length(organisations, 1))::int],
    1500000 + (i %% 20) * 100000,
    CASE WHEN h < 300 THEN 'monthly' WHEN h < 520 THEN 'quarterly' WHEN h < 680 THEN 'semiannual'
         WHEN h < 950 THEN 'yearly' ELSE 'years_ahead' END,
    CASE WHEN i %% 50 = 0 THEN 'poor' WHEN i %% 50 = 1 THEN 'near_poor' WHEN i %% 50 = 2 THEN 'ethnic_minority'
         ELSE 'other' END,
    make_date(((first_m) / 12)::int, ((first_m) %% 12 + 1)::int, 1),
    CASE WHEN s < 30 THEN 'stopped' ELSE 'active' END,
    CASE WHEN s < 30 THEN make_date(((stop_m) / 12)::int, ((stop_m) %% 12 + 1)::int, 15) END,
    CASE WHEN s < 30 THEN 'retired' ELSE '' END,
    CASE WHEN s < 30 THEN stop_m END,
    1, now()
FROM (
    SELECT i, (i * 2654435761) %% 1000 AS h, (i * 40503) %% 1000 AS s,
        CASE WHEN (i * 69069) %% 100 < 55 THEN %(window_start)s
             ELSE %(window_start)s + 1 + (i * 1103515245) %% 23 END AS first_m,
        %(window_start)s + 6 + (i * 22695477) %% 18 AS stop_m
    FROM generate_series(1::bigint, %(participants)s) AS i
) AS g,
(SELECT array_agg(id ORDER BY id) AS communes FROM geo_commune WHERE province_id =
    (SELECT id FROM geo_province WHERE code = %(province)s)) AS c,
(SELECT array_agg(id ORDER BY id) AS organisations FROM access_organisation WHERE kind = 'collection') AS o
"""

# Each participant pays every period from their first month; 15% stop paying (lapse) at a hashed month.
_PAYMENTS_SQL = """
INSERT INTO insurance_payment (participant_id, from_month, to_month, mode, grace_months, amount, support,
    supported_months, paid_on, organisation_id, receipt, created_at)
SELECT p.id, m, m + len - 1, p.payment_mode, grace, (p.monthly_income * 22 / 100) * len, 0, 0,
    make_date((m / 12)::int, (m %% 12 + 1)::int, 10), p.organisation_id, '', now()
FROM (
    SELECT id, payment_mode, monthly_income, organisation_id,
        (extract(year FROM registered_on) * 12 + extract(month FROM registered_on) - 1)::int AS first_m,
        CASE WHEN id %% 100 < 15 THEN %(window_start)s + (id * 7) %% 24 ELSE %(report_month)s END AS last_m,
        CASE payment_mode WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 WHEN 'semiannual' THEN 6
             WHEN 'yearly' THEN 12 ELSE 36 END AS len,
        CASE payment_mode WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 WHEN 'semiannual' THEN 4 ELSE 7 END AS grace
    FROM insurance_participant
) AS p, generate_series(p.first_m, p.last_m, p.len) AS m
"""

# Computing the report straight from the payments, set-wise: distinct payers per month and group.
_RAW_SQL = """
SELECT p.organisation_id, p.commune_id, {counts}
FROM insurance_payment AS y JOIN insurance_participant AS p ON p.id = y.participant_id
WHERE y.to_month + y.grace_months >= %s AND y.from_month <= %s
GROUP BY p.organisation_id, p.commune_id
"""


_LOOSE_INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes AS i
WHERE i.tablename = %s
  AND i.indexname NOT IN (SELECT c.relname FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conindid)
"""


def _bulk_insert(cursor: Any, table: str, sql: str, params: dict[str, Any]) -> None:
    """Insert the way a bulk load does: indexes that back no constraint dropped and rebuilt after, and the
    foreign-key triggers off (the generated ids are valid by construction)."""
    cursor.execute(_LOOSE_INDEXES, [table])
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET session_replication_role = replica")
    try:
        cursor.execute(sql, params)
    finally:
        cursor.execute("SET session_replication_role = DEFAULT")
    for _name, definition in indexes:
        cursor.execute(definition)


def _setup() -> None:
    import django

    django.setup()


def _load(spec: dict[str, Any]) -> dict[str, Any]:
    _setup()
    from django.db import connection

    from ansinh.access.models import Organisation, Role, User
    from ansinh.access.roles import RoleSlug
    from ansinh.geo.models import Province
    from ansinh.insurance import rules
    from ansinh.insurance.coverage import coverage_rebuild
    from ansinh.insurance.models import Plan

    report_month = rules.month_index(REPORT_YEAR, REPORT_MONTH)
    params = {
        "participants": spec["participants"],
        "province": PROVINCE,
        "window_start": report_month - 23,
        "report_month": report_month,
    }
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Tổ chức dịch vụ thu {n:02d}", kind=Organisation.Kind.COLLECTION)
            for n in range(ORGANISATIONS)
        ]
    )
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        _bulk_insert(cursor, "insurance_participant", _PARTICIPANTS_SQL, params)
        timings["participants"] = time.perf_counter() - started
        log(f"load: {spec['participants']:,} participants in {timings['participants']:.0f} s")
        started = time.perf_counter()
        _bulk_insert(cursor, "insurance_payment", _PAYMENTS_SQL, params)
        timings["payments"] = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM insurance_payment")
        payments = int(cursor.fetchone()[0])
        log(f"load: {payments:,} payments in {timings['payments']:.0f} s")
        cursor.execute("VACUUM ANALYZE insurance_payment")
        cursor.execute("VACUUM ANALYZE insurance_participant")
    started = time.perf_counter()
    coverage_rebuild()
    timings["coverage"] = time.perf_counter() - started
    log(f"load: coverage rebuilt from every payment in {timings['coverage']:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE insurance_coverage")
        cursor.execute("SELECT count(*) FROM insurance_coverage")
        coverage_rows = int(cursor.fetchone()[0])
    province = Province.objects.get(code=PROVINCE)
    user, _ = User.objects.get_or_create(
        username=USERNAME,
        defaults={"role": Role.objects.get(slug=RoleSlug.INSURANCE_OFFICER), "area_level": User.AreaLevel.PROVINCES},
    )
    user.provinces.set([province])
    Plan.objects.create(
        year=REPORT_YEAR,
        province=province,
        target_participants=spec["participants"],
        net_increase_target=spec["participants"] // 10,
    )
    return {"timings": timings, "payments": payments, "coverage_rows": coverage_rows}


def _measure(spec: dict[str, Any]) -> dict[str, Any]:
    _setup()
    from django.db import connection

    from ansinh.access.models import User
    from ansinh.insurance import rules
    from ansinh.insurance.coverage import counts_from_payments
    from ansinh.insurance.models import Participant
    from ansinh.insurance.selectors import monthly_report

    user = User.objects.get(username=USERNAME)
    report = monthly_report(user, REPORT_YEAR, REPORT_MONTH)  # warm-up
    fast: list[float] = []
    for _ in range(spec["repeat"]):
        started = time.perf_counter()
        report = monthly_report(user, REPORT_YEAR, REPORT_MONTH)
        fast.append(time.perf_counter() - started)
    months = report.months
    counts = ", ".join(
        f"COUNT(DISTINCT y.participant_id) FILTER (WHERE y.from_month <= {m} AND {m} <= y.to_month + y.grace_months "
        f"AND (p.stop_month IS NULL OR {m} < p.stop_month)) AS m{i}"
        for i, m in enumerate(months)
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(_RAW_SQL.format(counts=counts), [months[0], months[-1]])
        raw_rows = cursor.fetchall()
    raw_sql = time.perf_counter() - started
    raw_total = [sum(int(row[2 + i]) for row in raw_rows) for i in range(len(months))]

    total = Participant.objects.count()
    sample_ids = list(Participant.objects.order_by("pk").values_list("pk", flat=True)[: spec["sample"]])
    started = time.perf_counter()
    counts_from_payments(months, sample_ids)
    sample_seconds = time.perf_counter() - started
    return {
        "fast": fast,
        "figures": {
            "count": report.total.count,
            "previous": report.total.previous,
            "december": report.total.december,
            "year_ago": report.total.year_ago,
            "plan_percent": report.total.plan_percent,
            "organisations": len(report.organisations),
            "communes": len(report.communes),
        },
        "agree": raw_total == report.total.trend,
        "raw_sql": raw_sql,
        "python_sample": sample_seconds,
        "python_sample_size": len(sample_ids),
        "python_extrapolated": sample_seconds * total / max(1, len(sample_ids)),
        "month": rules.month_label(months[-1]),
    }


HANDLERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"load": _load, "measure": _measure}


def run(options: Options, postgres: Postgres | None) -> str:
    participants = options.size(FULL_PARTICIPANTS, minimum=5_000)
    repeat = options.repeats(7)
    if postgres is None:
        return f"## {TITLE}\n\nNo figures: this benchmark needs PostgreSQL (see the notes below)."
    database = "ansinh_bench_insurance"
    url = postgres.create_database(database)
    var_dir = HERE / "work-pg"
    shutil.rmtree(var_dir, ignore_errors=True)
    env = django_env(var_dir=var_dir, database_url=url)
    try:
        log(f"building {participants:,} participants and their payments on PostgreSQL {postgres.version}")
        prepare_django_database(env=env)
        load = run_worker(NAME, {"variant": "load", "participants": participants}, env=env).data
        sample = min(SAMPLE, participants)
        result = run_worker(NAME, {"variant": "measure", "repeat": repeat, "sample": sample}, env=env)
    finally:
        if not options.keep:
            postgres.drop_database(database)
            shutil.rmtree(var_dir, ignore_errors=True)
    data = result.data
    fast = Stats.of(data["fast"])
    log(f"  report: median {ms(fast.median)}, p95 {ms(fast.p95)}; raw SQL {secs(data['raw_sql'])}")
    return _section(options, postgres, participants=participants, load=load, data=data, fast=fast)


def _section(
    options: Options, postgres: Postgres, *, participants: int, load: dict[str, Any], data: dict[str, Any], fast: Stats
) -> str:
    timings, figures = load["timings"], data["figures"]
    extra = [
        f"{participants:,} participants of province {PROVINCE} over its communes and {ORGANISATIONS} collection "
        f"organisations; {load['payments']:,} payments over the 24 months to {data['month']} (30% monthly, 22% every "
        "3 months, 16% every 6, 27% every 12, 5% three years ahead; 45% join during the window; 15% lapse, 3% stop), "
        "generated with `generate_series` in "
        f"{secs(timings['participants'] + timings['payments'])}.",
        f"Coverage rebuilt from every payment (`coverage_rebuild()`, one SQL statement): {secs(timings['coverage'])}, "
        f"{load['coverage_rows']:,} rows.",
        f"PostgreSQL {postgres.version}: a private server on 127.0.0.1 (shared_buffers 512 MB), `VACUUM ANALYZE` "
        "after the load. An insurance officer of the province (sees everyone).",
    ]
    lines = section_preamble(title=TITLE, name=NAME, options=options, extra=extra)
    verdict = "met" if fast.p95 < TARGET else "**missed**"
    lines += [
        "| way | time | ratio to the report |",
        "| --- | ---: | ---: |",
        f"| `monthly_report` (13 month ends per organisation and commune, from coverage), median of "
        f"{len(data['fast'])} | {ms(fast.median)} (p95 {ms(fast.p95)}; target < 2 s: {verdict}) | 1 |",
        f"| one SQL aggregate over the raw payments (COUNT DISTINCT per month) | {secs(data['raw_sql'])} | "
        f"{data['raw_sql'] / fast.median:,.0f}x |",
        f"| Python loop over the raw payments (`counts_from_payments`), measured on {data['python_sample_size']:,} "
        f"participants ({secs(data['python_sample'])}) and extrapolated | {secs(data['python_extrapolated'])} | "
        f"{data['python_extrapolated'] / fast.median:,.0f}x |",
        "",
        f"Report figures: {figures['count']:,} participants at the end of {data['month']} "
        f"({figures['plan_percent']}% of the plan), {figures['previous']:,} a month before, {figures['december']:,} "
        f"last December, {figures['year_ago']:,} a year before; {figures['organisations']} organisations, "
        f"{figures['communes']} communes. The raw-payment SQL gives the same 13 totals: "
        f"{'yes' if data['agree'] else '**no**'}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    worker_main(HANDLERS)
