"""Registry search over 1,000,000 people: latency of the list page with a name filter (issue 3, second figure).

One province's registry of a million synthetic people (`ansinh.synth.generate_population`, loaded set-wise
with `bulk_create`), a province officer who sees all of them, and N requests of `/beneficiaries/?q=...`
(ansinh.registry.views.person_list: scoping, the folded-name filter, the count and first page, the audit
entry of the page view, the session save, the template) through Django's test Client, in process: no
HTTP server or socket, so the figures are the application's and the database's time, not a network's.
On SQLite and on PostgreSQL, with the name indexes of migration registry 0003 (pg_trgm GIN index on
PostgreSQL, FTS5 trigram table on SQLite, the (sort_key, id, commune, folded name) index on both).
Target: p95 under 200 ms.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import (
    VAR,
    Options,
    Postgres,
    Stats,
    django_env,
    log,
    manage,
    ms,
    prepare_django_database,
    run_worker,
    secs,
    section_preamble,
    sqlite_copy,
    worker_main,
)

NAME = "search"
TITLE = "Registry search over 1,000,000 people"
FULL_PEOPLE = 1_000_000
FULL_REQUESTS = 200
SEED = 2025
PROVINCE = "01"
USERNAME = "bench_province_officer"
TARGET_P95 = 0.200
HERE = VAR / NAME
# (kind, query): what officers type. "{person}" is replaced by one real person's full name, with diacritics.
QUERIES: tuple[tuple[str, str], ...] = (
    ("list as opened (no filter)", ""),
    ("family + given name", "nguyen thi lan"),
    ("one person's full name", "{person}"),
    ("given name", "hung"),
    ("partial, as typed", "van hu"),
    ("no match", "nguyen thi lanx"),
)


# -- workers (child processes) ----------------------------------------------------------------------


def _load(spec: dict[str, Any]) -> dict[str, Any]:
    """Fill the registry with `people` people of one province, in big batches, and add the officer."""
    import django

    django.setup()
    from django.db import connection, transaction

    from ansinh.access.models import Role, User
    from ansinh.access.roles import RoleSlug
    from ansinh.geo.models import Commune, Province
    from ansinh.registry.models import Person
    from ansinh.synth import generate_population

    started = time.perf_counter()
    province = Province.objects.get(code=PROVINCE)
    communes = dict(Commune.objects.filter(province=province).values_list("code", "pk"))
    fallback = sorted(communes.values())
    loaded = unknown = 0
    for batch in generate_population(provinces=[PROVINCE], size=spec["people"], seed=SEED):
        columns = batch.to_pydict()
        people = []
        for i in range(batch.num_rows):
            commune_id = communes.get(columns["commune_code"][i])
            if commune_id is None:
                unknown += 1
                commune_id = fallback[(loaded + i) % len(fallback)]
            birth = (columns["date_of_birth"][i] or "").split("-")
            people.append(
                Person(
                    **Person.name_fields(columns["full_name"][i]),
                    birth_year=int(birth[0]) if birth[0] else None,
                    birth_month=int(birth[1]) if len(birth) > 1 else None,
                    birth_day=int(birth[2]) if len(birth) > 2 else None,
                    sex=columns["sex"][i] or "",
                    citizen_id=columns["citizen_id"][i] or "",
                    old_id=columns["old_id"][i] or "",
                    commune_id=commune_id,
                    hamlet=(columns["address"][i] or "").split(", ")[0][:200],
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=2000)
        loaded += len(people)
        log(f"load: {loaded:,} people")
    user, _ = User.objects.get_or_create(
        username=USERNAME,
        defaults={"role": Role.objects.get(slug=RoleSlug.PROVINCE_OFFICER), "area_level": User.AreaLevel.PROVINCES},
    )
    user.provinces.set([province])
    with connection.cursor() as cursor:
        # What autovacuum does on its own a little after a bulk load (statistics, and the visibility map
        # that index-only scans need); done now so that the plans measured are the settled ones.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")
    return {
        "seconds": time.perf_counter() - started,
        "people": loaded,
        "communes": len(communes),
        "unknown_communes": unknown,
    }


class _SqlTimer:
    """An execute wrapper that adds up the database time of one request by kind of statement."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.captured: dict[str, tuple[str, Any]] = {}

    @staticmethod
    def kind(sql: str) -> str:
        text = sql.lower()
        if "django_session" in text:
            return "session"
        if "audit" in text:
            return "audit"
        if '"registry_person"' in text and text.startswith("select count("):
            return "count"
        if '"registry_person"' in text and text.startswith("select"):
            return "page"
        return "other"

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        kind = self.kind(sql)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times[kind] = self.times.get(kind, 0.0) + time.perf_counter() - started
            if kind in ("count", "page"):
                self.captured[kind] = (sql, params)


def _explain(sql: str, params: Any) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(str(row[0]) for row in rows)
    return "\n".join(" ".join(str(part) for part in row[1:]) for row in rows)


def _measure(spec: dict[str, Any]) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Min
    from django.test import Client
    from django.urls import reverse

    from ansinh.access.models import User
    from ansinh.registry import selectors
    from ansinh.registry.models import Person

    first = Person.objects.aggregate(first=Min("pk"))["first"]
    person = Person.objects.filter(pk__gte=first + spec["people"] // 2).order_by("pk").first()
    assert person is not None
    queries = [(kind, query.replace("{person}", person.full_name)) for kind, query in QUERIES]
    client = Client()
    client.force_login(User.objects.get(username=USERNAME), backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("registry:person_list")
    user = User.objects.get(username=USERNAME)
    found = {kind: selectors.person_list(user=user, query=query).count() for kind, query in queries}
    for _kind, query in queries:  # warm-up: templates compiled, caches filled, pages in memory
        response = client.get(url, {"q": query})
        assert response.status_code == 200, response.status_code
    samples: list[dict[str, Any]] = []
    plans: dict[str, dict[str, str]] = {}
    for number in range(spec["requests"]):
        kind, query = queries[number % len(queries)]
        timer = _SqlTimer()
        with connection.execute_wrapper(timer):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, {"q": query})
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        assert response.status_code == 200, response.status_code
        samples.append({"kind": kind, "seconds": elapsed, "cpu": cpu, "sql": timer.times})
        if kind not in plans:
            plans[kind] = {
                name: _explain(*timer.captured[name]) for name in ("count", "page") if name in timer.captured
            }
            plans[kind]["sql"] = timer.captured.get("page", ("", None))[0]
    return {"samples": samples, "found": found, "queries": queries, "plans": plans, "vendor": connection.vendor}


HANDLERS = {"load": _load, "measure": _measure}


# -- the parent -------------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    data: dict[str, Any]
    load: dict[str, Any]
    note: str = ""

    def stats(self, kind: str | None = None, *, measure: str = "seconds") -> Stats:
        return Stats.of([s[measure] for s in self.data["samples"] if kind is None or s["kind"] == kind])

    def sql_median(self, name: str) -> float:
        """Median per request of one kind of statement's time; "rest" is the request less all its SQL."""
        values = sorted(
            s["seconds"] - sum(s["sql"].values()) if name == "rest" else s["sql"].get(name, 0.0)
            for s in self.data["samples"]
        )
        return values[len(values) // 2]


def _sqlite_database(people: int) -> Path:
    """The SQLite registry of `people` people, built once and cached; returns its var dir."""
    cached = HERE / f"sqlite-{people}-seed{SEED}"
    if (cached / "done").exists():
        return cached
    shutil.rmtree(cached, ignore_errors=True)
    log(f"building the SQLite registry of {people:,} people in {cached} (cached for later runs)")
    env = django_env(var_dir=cached)
    prepare_django_database(env=env)
    result = run_worker(NAME, {"variant": "load", "people": people}, env=env)
    (cached / "done").write_text(repr(result.data) + "\n", encoding="utf-8")
    return cached


def _load_info(var_dir: Path) -> dict[str, Any]:
    import ast

    return dict(ast.literal_eval((var_dir / "done").read_text(encoding="utf-8")))


def _measure_on(
    label: str,
    env: dict[str, str],
    *,
    people: int,
    requests: int,
    load: dict[str, Any],
) -> Run:
    log(f"{NAME}: {requests} requests on {label}")
    spec = {"variant": "measure", "people": people, "requests": requests}
    result = run_worker(NAME, spec, env=env)
    run = Run(label, result.data, load)
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    (HERE / f"results-{people}-{slug}.json").write_text(
        json.dumps({"label": label, "load": load, **result.data}, indent=1)
    )
    overall = run.stats()
    log(f"  {label}: median {ms(overall.median)}, p95 {ms(overall.p95)}")
    return run


def run(options: Options, postgres: Postgres | None) -> str:
    people = options.size(FULL_PEOPLE, minimum=5_000)
    requests = max(len(QUERIES) * 2, options.size(FULL_REQUESTS)) if not options.quick else len(QUERIES) * 4
    runs: list[Run] = []
    cached = _sqlite_database(people)
    # Migrated in place, so that an index a new migration builds over the million people is built once.
    manage(["migrate", "--noinput"], env=django_env(var_dir=cached))
    work = HERE / "work-sqlite"
    shutil.rmtree(work, ignore_errors=True)
    log(f"copying the cached SQLite registry to {work}")
    sqlite_copy(cached / "ansinh.sqlite3", work / "ansinh.sqlite3")
    env = django_env(var_dir=work)
    manage(["migrate", "--noinput"], env=env)  # a cached database made before a new migration catches up
    manage(["collectstatic", "--noinput"], env=env)
    try:
        runs.append(_measure_on("SQLite", env, people=people, requests=requests, load=_load_info(cached)))
    except RuntimeError as exc:
        options.notes.append(f"SQLite: the measurement failed: {exc}")
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    if postgres is not None:
        try:
            runs += _postgres_runs(options, postgres, people=people, requests=requests)
        except RuntimeError as exc:
            options.notes.append(f"PostgreSQL: the measurement failed: {exc}")
    if not runs:
        return f"## {TITLE}\n\nNo figures: every measurement failed (see the notes below)."
    _write_plans(runs, HERE / f"plans-{people}.txt")
    return _section(options, runs, people=people, requests=requests, postgres=postgres)


def _postgres_runs(options: Options, postgres: Postgres, *, people: int, requests: int) -> list[Run]:
    """Measure on a copy of a loaded registry database; the loaded one is kept on the server as a template
    (`ansinh_bench_search_cache_<people>`) so that later runs on the same server skip the load."""
    database, cache = "ansinh_bench_search", f"ansinh_bench_search_cache_{people}"
    var_dir = HERE / "work-pg"
    shutil.rmtree(var_dir, ignore_errors=True)
    if not postgres.has_database(cache):
        env = django_env(var_dir=var_dir, database_url=postgres.create_database(cache))
        log(f"building the PostgreSQL registry of {people:,} people (kept on the server as {cache})")
        prepare_django_database(env=env)
        load = run_worker(NAME, {"variant": "load", "people": people}, env=env).data
        postgres.execute(f"COMMENT ON DATABASE {cache} IS '{json.dumps(load)}'")
    comment = postgres.execute(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{cache}'"
    )
    load = json.loads(comment[0][0] or "{}") if comment else {}
    env = django_env(var_dir=var_dir, database_url=postgres.create_database(database, template=cache))
    try:
        manage(["migrate", "--noinput"], env=env)  # a cached database made before a new migration catches up
        manage(["collectstatic", "--noinput"], env=env)
        postgres.execute("VACUUM ANALYZE registry_person", database=database)
        label = f"PostgreSQL {postgres.version}"
        return [_measure_on(label, env, people=people, requests=requests, load=load)]
    finally:
        if not options.keep:
            postgres.drop_database(database)
            shutil.rmtree(var_dir, ignore_errors=True)


def _write_plans(runs: list[Run], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for run_ in runs:
            for kind, plan in run_.data["plans"].items():
                handle.write(f"=== {run_.label} / {kind}\n{plan.get('sql', '')}\n")
                for name in ("count", "page"):
                    if name in plan:
                        handle.write(f"--- {name}\n{plan[name]}\n")
                handle.write("\n")
    log(f"query plans written to {path}")
    return path


def _plan_summary(plan: str) -> str:
    """The plan's lines about the people table (how it is read) and, on PostgreSQL, the execution time."""
    keep = []
    for line in plan.splitlines():
        text = line.strip().removeprefix("->").strip()
        if "registry_person" in text or "person_" in text or text.startswith("Execution Time"):
            keep.append(re.sub(r"\s*\(cost=[^)]*\)", "", text))
    return "; ".join(dict.fromkeys(keep))


def _section(options: Options, runs: list[Run], *, people: int, requests: int, postgres: Postgres | None) -> str:
    load = runs[0].load
    extra = [
        f"Registry: {load.get('people', people):,} synthetic people of province {PROVINCE} "
        f"(`ansinh.synth.generate_population(provinces=['{PROVINCE}'], size={people:,}, seed={SEED})`) over "
        f"its {load.get('communes', '?')} communes, loaded with `Person.objects.bulk_create` in batches of 2,000 "
        f"(SQLite load: {secs(float(load.get('seconds', 0)))}; cached under var/bench/search/).",
        f"A province officer (sees all {people:,}); {requests} requests of `/beneficiaries/?q=...` cycling "
        f"through {len(QUERIES)} queries, after one warm-up request each, through Django's test Client in one "
        "process (no HTTP server, no network); DEBUG off. Each request includes scoping, the count and first "
        "page (50 people, Vietnamese order), the audit entry for the page view, the session save and the template.",
        "SQLite: the file as settings configure it (WAL, synchronous=NORMAL), `PRAGMA optimize` after the load. "
        + (
            f"PostgreSQL {postgres.version}: a server on 127.0.0.1 (the private one: shared_buffers 512 MB, fsync "
            "and synchronous commit on), `VACUUM ANALYZE` after the load."
            if postgres is not None
            else ""
        ),
    ]
    lines = section_preamble(title=TITLE, name=NAME, options=options, extra=extra)
    lines += [
        "| database | median | p95 | max | target p95 < 200 ms |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for run_ in runs:
        overall = run_.stats()
        verdict = "met" if overall.p95 < TARGET_P95 else "**missed**"
        note = f" ({run_.note})" if run_.note else ""
        lines.append(
            f"| {run_.label}{note} | {ms(overall.median)} | {ms(overall.p95)} | {ms(overall.maximum)} | {verdict} |"
        )
    lines += [
        "",
        "CPU time of the request's process (median / p95; on SQLite the database's work is in it, on "
        "PostgreSQL the server's is not): the figure to read when the machine is loaded.",
        "",
        "| database | CPU median | CPU p95 | target p95 < 200 ms (CPU) |",
        "| --- | ---: | ---: | --- |",
    ]
    for run_ in runs:
        cpu = run_.stats(measure="cpu")
        verdict = "met" if cpu.p95 < TARGET_P95 else "**missed**"
        lines.append(f"| {run_.label} | {ms(cpu.median)} | {ms(cpu.p95)} | {verdict} |")
    lines += ["", "By query (wall median / p95, CPU median; people found):", ""]
    lines.append("| query | found | " + " | ".join(r.label for r in runs) + " |")
    lines.append("| --- | ---: | " + " | ".join("---:" for _ in runs) + " |")
    for kind, query in runs[0].data["queries"]:
        cells = []
        for run_ in runs:
            stats, cpu = run_.stats(kind), run_.stats(kind, measure="cpu")
            cells.append(f"{ms(stats.median)} / {ms(stats.p95)}, CPU {ms(cpu.median)}")
        shown = f"`{query}`" if query else "(none)"
        lines.append(f"| {kind}: {shown} | {runs[0].data['found'].get(kind, -1):,} | " + " | ".join(cells) + " |")
    lines += ["", "Where a request's time goes (median per request over all queries; rest: Python and commits):", ""]
    lines.append("| database | count query | page query | audit entry | session save | other SQL | rest | total |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run_ in runs:
        parts = [run_.sql_median(name) for name in ("count", "page", "audit", "session", "other", "rest")]
        lines.append(f"| {run_.label} | " + " | ".join(ms(p) for p in parts) + f" | {ms(run_.stats().median)} |")
    lines += [
        "",
        f"Query plans (family + given name; all plans in var/bench/search/plans-{people}.txt after a run):",
        "",
    ]
    for run_ in runs:
        plan = run_.data["plans"].get(QUERIES[1][0], {})
        for name in ("count", "page"):
            if name in plan:
                lines.append(f"- {run_.label}, {name}: {_plan_summary(plan[name])}")
    return "\n".join(lines)


if __name__ == "__main__":
    worker_main(HANDLERS)
