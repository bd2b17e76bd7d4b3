"""Payment cycles at scale (issue 6): compute and lock a cycle of 1,000,000 active benefits, write its files,
reconcile a result file of about a million lines; against a per-row ORM loop, measured on a 20,000-benefit
sample in the same run and extrapolated linearly.

The benefits are generated set-wise (one INSERT … SELECT over a recursive number series per table, which
SQLite and PostgreSQL both run): people spread over one province's communes, one active social-protection
benefit each (sub-groups in turn, so the dated rules price them), one active payout method each (bank,
mobile money, VNeID, 2% cash), 1% decided last month with three months of arrears. Each figure is one call
of the service a user's job makes (`cycle_compute` + `cycle_submit`, `export_run_create`,
`result_import`), in a fresh process, on SQLite and on PostgreSQL. Targets: 30 s, 120 s and 60 s.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    VAR,
    Options,
    Postgres,
    django_env,
    log,
    manage,
    prepare_django_database,
    run_worker,
    secs,
    section_preamble,
    sqlite_copy,
    worker_main,
)

NAME = "payments"
TITLE = "Payment cycles: 1,000,000 benefits computed, exported and reconciled"
FULL_BENEFITS = 1_000_000
BASELINE_SAMPLE = 20_000
PROVINCE = "01"
PERIOD = 202611
TARGETS = {"compute_lock": 30.0, "files": 120.0, "reconcile": 60.0}
HERE = VAR / NAME
FAILED_SHARE = 50  # one line in 50 is a rejection


# -- workers (child processes) ----------------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def _load(spec: dict[str, Any]) -> dict[str, Any]:
    """Generate `benefits` people, benefits and payout methods set-wise; two officers and a paying account."""
    _django()
    from datetime import date

    from django.db import connection, transaction
    from django.utils import timezone

    from ansinh.access.models import Organisation, Role, User
    from ansinh.access.roles import RoleSlug
    from ansinh.geo.models import Commune, Province
    from ansinh.payments.models import PayingAccount
    from ansinh.payouts.models import Bank
    from ansinh.registry.models import Subgroup

    count = int(spec["benefits"])
    province = Province.objects.get(code=PROVINCE)
    communes = list(Commune.objects.filter(province=province).order_by("code").values_list("pk", flat=True))
    subgroups = list(Subgroup.objects.filter(category="social_protection").values_list("pk", flat=True))
    banks = list(Bank.objects.filter(kind="bank", active=True).order_by("bin").values_list("pk", flat=True))[:12]
    wallet = Bank.objects.filter(kind="mobile_money").values_list("pk", flat=True).first() or banks[0]
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        post = Organisation.objects.create(name="Bưu điện (benchmark)", kind=Organisation.Kind.PAYMENT_SERVICE)
        role = Role.objects.get_or_create(
            slug=RoleSlug.PROVINCE_OFFICER.value,
            defaults={"label_vi": "Sở", "label_en": "Province officer", "label_es": "Provincia"},
        )[0]
        for username in ("bench_preparer", "bench_approver"):
            user = User.objects.create(username=username, role=role, area_level=User.AreaLevel.PROVINCES)
            user.provinces.set([province])
        PayingAccount.objects.create(province=province, name="Sở Y tế (benchmark)", account_number="0011000999",
                                     bank_bin="970436")  # fmt: skip
        with connection.cursor() as cursor:
            for table, ids in (("bench_commune", communes), ("bench_subgroup", subgroups), ("bench_bank", banks)):
                cursor.execute(f"CREATE TABLE {table} (idx integer PRIMARY KEY, ref bigint NOT NULL)")
                cursor.executemany(f"INSERT INTO {table} (idx, ref) VALUES (%s, %s)", list(enumerate(ids)))
            cursor.execute(
                """
                WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s)
                INSERT INTO registry_person (full_name, full_name_folded, sort_key, birth_year, sex, citizen_id, old_id,
                    id_as_written, commune_id, hamlet, house_number, phone, checks, version, created_at, updated_at)
                SELECT 'Nguyễn Văn An ' || i, 'nguyen van an ' || i, 'an nguyen van ' || i, 1930 + i %% 40, 'M',
                       '', '', '', c.ref, 'Thôn ' || (i %% 20), '',
                       CASE WHEN i %% 3 = 0 THEN '09' || (10000000 + i) ELSE '' END, '[]', 1, %s, %s
                FROM seq JOIN bench_commune c ON c.idx = i %% %s
                """,
                [count, now, now, len(communes)],
            )
            cursor.execute(
                """
                INSERT INTO registry_benefit (person_id, category, subgroup_id, coefficient, monthly_amount,
                    start_date, end_date, decision_number, decision_date, decision_issuer, status, status_reason,
                    source, source_batch_id, version, created_at)
                SELECT p.id, 'social_protection', sg.ref, NULL, NULL,
                       CASE WHEN p.id %% 100 = 50 THEN %s ELSE %s END, NULL, '',
                       CASE WHEN p.id %% 100 = 50 THEN %s ELSE %s END, '', 'active', '', 'benchmark', NULL, 1, %s
                FROM registry_person p JOIN bench_subgroup sg ON sg.idx = p.id %% %s
                """,
                [date(2026, 8, 1), date(2020, 1, 1), date(2026, 10, 20), date(2020, 1, 1), now, len(subgroups)],
            )
            cursor.execute(
                """
                INSERT INTO payouts_payoutmethod (person_id, benefit_id, channel, bank_id, account_number, holder_name,
                    proxy_id, organisation_id, request_id, status, valid_from, valid_to, approved_by_id)
                SELECT b.person_id, b.id,
                       CASE WHEN b.id %% 100 = 0 THEN 'cash_home' WHEN b.id %% 100 = 1 THEN 'cash_point'
                            WHEN b.id %% 100 < 10 THEN 'mobile_money' WHEN b.id %% 100 < 15 THEN 'vneid'
                            ELSE 'bank' END,
                       CASE WHEN b.id %% 100 < 2 THEN NULL WHEN b.id %% 100 < 10 THEN %s ELSE bk.ref END,
                       CASE WHEN b.id %% 100 < 2 THEN '' ELSE '10' || b.id END, '', NULL,
                       CASE WHEN b.id %% 100 < 2 THEN %s ELSE NULL END, NULL, 'active', %s, NULL, NULL
                FROM registry_benefit b JOIN bench_bank bk ON bk.idx = b.id %% %s
                """,
                [wallet, post.pk, now, len(banks)],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"benefits": count, "communes": len(communes), "seconds": time.perf_counter() - started}


def _progress(step: str, wall: float, cpu: float) -> None:
    """Each figure on standard error as soon as it is measured (a long run may be cut short)."""
    log(f"{NAME} worker: {step} {wall:.1f} s wall, {cpu:.1f} s CPU of this process")


def _users() -> tuple[Any, Any]:
    from ansinh.access.models import User

    return User.objects.get(username="bench_preparer"), User.objects.get(username="bench_approver")


def _result_file(cycle_id: int) -> tuple[bytes, int]:
    """The bank's answer to every transfer of the cycle: settled, one in FAILED_SHARE rejected."""
    from ansinh.payments.models import PaymentAttempt
    from ansinh.payouts.models import CASH_CHANNELS

    attempts = PaymentAttempt.objects.filter(payment__cycle_id=cycle_id).exclude(channel__in=list(CASH_CHANNELS))
    lines = ["Mã giao dịch,Trạng thái,Lý do,Số tiền"]
    for index, (e2e, amount) in enumerate(attempts.values_list("end_to_end_id", "amount").iterator(50_000)):
        if index % FAILED_SHARE == 0:
            lines.append(f"{e2e},thất bại,AC04 Tài khoản đã đóng,{amount}")
        else:
            lines.append(f"{e2e},thành công,,{amount}")
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def _measure(spec: dict[str, Any]) -> dict[str, Any]:
    """The set-wise services, timed one by one."""
    _django()
    from ansinh.geo.models import Province
    from ansinh.payments.exporting import export_run_create
    from ansinh.payments.models import Payment
    from ansinh.payments.reconcile import result_import
    from ansinh.payments.services import cycle_approve, cycle_compute, cycle_create, cycle_submit

    preparer, approver = _users()
    province = Province.objects.get(code=PROVINCE)
    cycle = cycle_create(user=preparer, name="Benchmark", province=province, period=PERIOD)
    c0, t0 = time.process_time(), time.perf_counter()
    cycle_compute(user=preparer, cycle_id=cycle.pk)
    t1 = time.perf_counter()
    cycle_submit(user=preparer, cycle_id=cycle.pk)
    c2, t2 = time.process_time(), time.perf_counter()
    _progress("compute+lock", t2 - t0, c2 - c0)
    cycle_approve(user=approver, cycle_id=cycle.pk)
    c3, t3 = time.process_time(), time.perf_counter()
    run = export_run_create(user=approver, cycle_id=cycle.pk)
    c4, t4 = time.process_time(), time.perf_counter()
    _progress("files", t4 - t3, c4 - c3)
    assert run is not None
    files = [(f.kind, f.rows, f.size) for f in run.files.all()]
    content, lines = _result_file(cycle.pk)
    c5, t5 = time.process_time(), time.perf_counter()
    result = result_import(user=approver, cycle_id=cycle.pk, content=content, filename="ket-qua.csv")
    c6, t6 = time.process_time(), time.perf_counter()
    _progress("reconcile", t6 - t5, c6 - c5)
    assert result.status == "applied", result.problems[:3]
    return {
        "payments": Payment.objects.filter(cycle=cycle).count(),
        "compute": t1 - t0,
        "lock": t2 - t1,
        "files": t4 - t3,
        "attempts": run.attempts_count,
        "file_count": len(files),
        "file_bytes": sum(size for _, _, size in files),
        "pain001_files": sum(1 for kind, _, _ in files if kind == "pain001"),
        "reconcile": t6 - t5,
        "result_lines": lines,
        "result_bytes": len(content),
        "cpu_compute_lock": c2 - c0,
        "cpu_files": c4 - c3,
        "cpu_reconcile": c6 - c5,
        "paid": result.counts.get("paid", 0),
        "failed": result.counts.get("failed", 0),
    }


def _baseline_compute(cycle: Any) -> None:
    """Per benefit: its payout method, whether the month is taken, the rule's amount, one INSERT."""
    from django.db import transaction

    from ansinh.payments.compute import month_first_day
    from ansinh.payments.models import Payment
    from ansinh.payouts.models import PayoutMethod
    from ansinh.registry.models import Benefit
    from ansinh.registry.rules import AllowanceRules

    with transaction.atomic():
        rules = AllowanceRules.load()
        on = month_first_day(PERIOD)
        benefits = Benefit.objects.filter(status="active", person__commune__in=cycle.communes.all())
        for benefit in benefits.select_related("person", "subgroup"):
            method = PayoutMethod.objects.filter(benefit=benefit, status="active").first()
            if method is None:
                continue
            taken = Payment.objects.filter(person_id=benefit.person_id, category=benefit.category, month=PERIOD)
            if taken.exclude(status="cancelled").exists():
                continue
            code = benefit.subgroup.code if benefit.subgroup else None
            amount = rules.monthly_amount(category=benefit.category, subgroup=code, on=on) or benefit.monthly_amount
            Payment.objects.create(
                cycle=cycle, benefit=benefit, person_id=benefit.person_id, commune_id=benefit.person.commune_id,
                category=benefit.category, month=PERIOD, kind="regular", amount=amount or 0, channel=method.channel,
                payout_method=method, organisation_id=method.organisation_id,
            )  # fmt: skip


def _baseline_files(cycle: Any, approver: Any, province: Any) -> None:
    """Per payment: its method and person fetched, one attempt INSERT; then the same pain.001 writer."""
    from django.db import transaction

    from ansinh.payfiles.model import Debtor, Transfer
    from ansinh.payfiles.pain001 import pain001
    from ansinh.payments.exporting import end_to_end_id
    from ansinh.payments.models import ExportRun, PayingAccount, Payment, PaymentAttempt
    from ansinh.payouts.models import CASH_CHANNELS, PayoutMethod

    with transaction.atomic():
        run = ExportRun.objects.create(cycle=cycle, number=1, created_by=approver)
        account = PayingAccount.objects.get(province=province)
        transfers = []
        for payment in Payment.objects.filter(cycle=cycle).order_by("pk"):
            method = PayoutMethod.objects.select_related("bank").get(pk=payment.payout_method_id or 0)
            person = payment.person  # one query per row
            attempt = PaymentAttempt.objects.create(
                payment=payment, number=1, export_run=run, channel=payment.channel,
                bank_bin=method.bank.bin if method.bank else "", account_number=method.account_number,
                holder_name=person.full_name, organisation_id=payment.organisation_id, amount=payment.amount,
                end_to_end_id=end_to_end_id(payment.pk, 1),
            )  # fmt: skip
            if payment.channel not in CASH_CHANNELS:
                transfers.append(Transfer(attempt.end_to_end_id, attempt.amount, person.full_name,
                                          attempt.account_number, attempt.bank_bin, f"ANSINH {PERIOD}"))  # fmt: skip
        debtor = Debtor(account.name, account.account_number, account.bank_bin)
        pain001(message_id="BASELINE", created_at=run.created_at, initiating_party="ANSINH",
                batches=[(debtor, run.created_at.date(), transfers)])  # fmt: skip


def _baseline_reconcile(content: bytes) -> None:
    """Per line: the attempt fetched by its ID, checked, saved, and its payment updated."""
    from django.db import transaction

    from ansinh.payments.models import Payment, PaymentAttempt
    from ansinh.payments.reconcile import read_result

    with transaction.atomic():
        for entry in read_result(content, "ket-qua.csv").entries:
            attempt = PaymentAttempt.objects.get(end_to_end_id=entry.end_to_end_id)
            if entry.amount is not None and entry.amount != attempt.amount:
                raise RuntimeError("amount mismatch in the baseline")
            attempt.status = "paid" if entry.status == "settled" else "failed"
            attempt.reason_code = entry.reason_code
            attempt.save(update_fields=["status", "reason_code"])
            Payment.objects.filter(pk=attempt.payment_id).update(status=attempt.status)


def _baseline(spec: dict[str, Any]) -> dict[str, Any]:
    """The per-row ORM loops the issue compares against, on the sample: a query or more per benefit and line."""
    _django()
    from django.utils import timezone

    from ansinh.geo.models import Province
    from ansinh.payments.models import Payment, PaymentCycle
    from ansinh.payments.services import cycle_approve, cycle_create, cycle_submit

    preparer, approver = _users()
    province = Province.objects.get(code=PROVINCE)
    cycle = cycle_create(user=preparer, name="Baseline", province=province, period=PERIOD)
    t0 = time.perf_counter()
    _baseline_compute(cycle)
    t1 = time.perf_counter()
    _progress("baseline compute", t1 - t0, time.process_time())
    PaymentCycle.objects.filter(pk=cycle.pk).update(computed_at=timezone.now())
    cycle_submit(user=preparer, cycle_id=cycle.pk)
    t2 = time.perf_counter()
    cycle_approve(user=approver, cycle_id=cycle.pk)
    t3 = time.perf_counter()
    _baseline_files(cycle, approver, province)
    t4 = time.perf_counter()
    _progress("baseline files", t4 - t3, time.process_time())
    content, lines = _result_file(cycle.pk)
    t5 = time.perf_counter()
    _baseline_reconcile(content)
    t6 = time.perf_counter()
    _progress("baseline reconcile", t6 - t5, time.process_time())
    return {
        "payments": Payment.objects.filter(cycle=cycle).count(),
        "compute": t1 - t0,
        "lock": t2 - t1,
        "files": t4 - t3,
        "reconcile": t6 - t5,
        "result_lines": lines,
    }


# -- the parent ---------------------------------------------------------------------------------------


def _database(env: dict[str, str], benefits: int) -> dict[str, Any]:
    prepare_django_database(env=env)
    return run_worker(NAME, {"variant": "load", "benefits": benefits}, env=env).data


def _sqlite_cached(benefits: int) -> tuple[Path, dict[str, Any]]:
    cached = HERE / f"sqlite-{benefits}"
    done = cached / "done.json"
    if done.exists():
        return cached, json.loads(done.read_text())
    shutil.rmtree(cached, ignore_errors=True)
    log(f"{NAME}: building the SQLite database of {benefits:,} benefits in {cached} (cached)")
    info = _database(django_env(var_dir=cached), benefits)
    done.write_text(json.dumps(info))
    return cached, info


def _sqlite_run(variant: str, benefits: int) -> dict[str, Any]:
    cached, info = _sqlite_cached(benefits)
    work = HERE / f"work-sqlite-{variant}"
    shutil.rmtree(work, ignore_errors=True)
    sqlite_copy(cached / "ansinh.sqlite3", work / "ansinh.sqlite3")
    env = django_env(var_dir=work)
    manage(["migrate", "--noinput"], env=env)
    log(f"{NAME}: {variant} on SQLite, {benefits:,} benefits")
    result = run_worker(NAME, {"variant": variant}, env=env)
    shutil.rmtree(work, ignore_errors=True)
    return {**result.data, "load": info, "peak_mib": result.max_rss_mib}


def _postgres_run(postgres: Postgres, variant: str, benefits: int, keep: bool) -> dict[str, Any]:
    database = f"ansinh_bench_payments_{variant}"
    url = postgres.create_database(database)
    var_dir = HERE / f"work-pg-{variant}"
    shutil.rmtree(var_dir, ignore_errors=True)
    env = django_env(var_dir=var_dir, database_url=url)
    try:
        log(f"{NAME}: loading {benefits:,} benefits into PostgreSQL")
        info = _database(env, benefits)
        log(f"{NAME}: {variant} on PostgreSQL, {benefits:,} benefits")
        result = run_worker(NAME, {"variant": variant}, env=env)
    finally:
        if not keep:
            postgres.drop_database(database)
            shutil.rmtree(var_dir, ignore_errors=True)
    return {**result.data, "load": info, "peak_mib": result.max_rss_mib}


def run(options: Options, postgres: Postgres | None) -> str:
    benefits = options.size(FULL_BENEFITS, minimum=5_000)
    sample = min(BASELINE_SAMPLE, benefits)
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    engines: list[tuple[str, Any]] = [("SQLite", _sqlite_run)]
    if postgres is not None:
        engines.append(("PostgreSQL " + postgres.version, lambda v, n: _postgres_run(postgres, v, n, options.keep)))
    for label, runner in engines:
        try:
            measured = runner("measure", benefits)
            log(f"{NAME}: {label} measured: {json.dumps(measured, default=str)}")
            baseline = runner("baseline", sample)
        except RuntimeError as exc:
            options.notes.append(f"{label}: the measurement failed: {exc}")
            continue
        log(f"  {label}: compute {secs(measured['compute'])} lock {secs(measured['lock'])} "
            f"files {secs(measured['files'])} reconcile {secs(measured['reconcile'])}")  # fmt: skip
        rows.append((label, measured, baseline))
        (HERE / f"results-{benefits}.json").write_text(json.dumps(rows, indent=1, default=str))
    return _section(options, rows, benefits=benefits, sample=sample)


def _ratio(baseline: float, ours: float) -> str:
    return f"{baseline / ours:,.0f}x" if ours > 0 else "—"


def _section(options: Options, rows: list[tuple[str, dict[str, Any], dict[str, Any]]], *, benefits: int,
             sample: int) -> str:  # fmt: skip
    lines = section_preamble(
        title=TITLE,
        name=NAME,
        options=options,
        extra=[
            f"{benefits:,} active benefits in one province ({PROVINCE}), one payout method each (2% cash, 98% "
            "bank, mobile money or VNeID); 1% decided last month with arrears since August; month "
            f"{PERIOD % 100:02d}/{PERIOD // 100}.",
            f"Baseline: per-row ORM loops (a query or more per benefit, attempt and line) on {sample:,} benefits, "
            f"extrapolated x{benefits / sample:g}; same process kind, same database kind, same run.",
            "One run per figure (a run at full size takes minutes); each in a fresh process.",
        ],
    )
    lines += [
        "| database | step | ours | target | baseline (extrapolated) | ratio |",
        "|---|---|---:|---:|---:|---:|",
    ]
    factor = benefits / sample
    for label, ours, base in rows:
        compute_lock = ours["compute"] + ours["lock"]
        base_compute = (base["compute"] + base["lock"]) * factor
        steps = [
            (f"compute ({ours['payments']:,} payments) + lock", compute_lock, TARGETS["compute_lock"], base_compute),
            (f"files ({ours['attempts']:,} attempts, {ours['file_count']} files, "
             f"{ours['file_bytes'] / 1024 / 1024:,.0f} MB)", ours["files"], TARGETS["files"], base["files"] * factor),
            (f"reconcile ({ours['result_lines']:,} lines, {ours['result_bytes'] / 1024 / 1024:,.0f} MB CSV)",
             ours["reconcile"], TARGETS["reconcile"], base["reconcile"] * factor),
        ]  # fmt: skip
        for step, value, target, baseline in steps:
            mark = "" if value <= target else " **over**"
            lines.append(
                f"| {label} | {step} | {secs(value)}{mark} | {secs(target)} | {secs(baseline)} | "
                f"{_ratio(baseline, value)} |"
            )
        lines.append(
            f"| {label} | (process CPU: compute+lock {secs(ours['cpu_compute_lock'])}, files "
            f"{secs(ours['cpu_files'])}, reconcile {secs(ours['cpu_reconcile'])}) | | | | |"
        )
        lines.append(
            f"| {label} | (compute {secs(ours['compute'])}, lock {secs(ours['lock'])}; peak memory "
            f"{ours['peak_mib']:,.0f} MiB; generating the benefits set-wise {secs(ours['load']['seconds'])}) | | | | |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main({"load": _load, "measure": _measure, "baseline": _baseline})
