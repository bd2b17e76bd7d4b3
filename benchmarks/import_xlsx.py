"""Import of a 500,000-row official-layout xlsx into the registry, end to end (issue 3, first figure).

Measures, each in a fresh subprocess and repeated:
- floor: calamine's bare parse of the sheet (`CalamineWorkbook...to_python()`), the least any importer pays;
- baseline: `pandas.read_excel(path, engine="openpyxl", header=...)`, what a script would do;
- reader: `ansinh.reader.read_list` streaming every data row (parse, layout rules, values), no database;
- import: `ansinh.imports.services.batch_import` (what `ansinh import` runs) into a fresh database with
  the official geography: read, validate, stage every row, create people and benefits, audit, one transaction.
Target: import at least 3x faster than the baseline, peak memory under 2 GiB.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import (
    MIB,
    ROOT,
    VAR,
    Options,
    Postgres,
    WorkerResult,
    django_env,
    log,
    prepare_django_database,
    run_worker,
    secs,
    section_preamble,
    sqlite_copy,
    worker_main,
)

NAME = "import_xlsx"
TITLE = "Import of a 500,000-row official-layout xlsx"
FULL_ROWS = 500_000
SEED = 2025
PROVINCE = "01"
CATEGORY = "social_protection"
TARGET_SPEEDUP = 3.0
TARGET_PEAK_MIB = 2048
HERE = VAR / NAME


# -- the input file ---------------------------------------------------------------------------------


def list_file(rows: int) -> Path:
    """The synthetic list of `rows` beneficiaries, generated once and cached under var/bench/."""
    out_dir = HERE / f"list-{rows}-seed{SEED}"
    path = out_dir / "lists" / f"{CATEGORY}.xlsx"
    done = out_dir / "done"
    if done.exists() and path.exists():
        return path
    from ansinh.synth import synthesize

    shutil.rmtree(out_dir, ignore_errors=True)
    log(f"generating a {rows:,}-row list in {out_dir} (cached for later runs)")
    summary = synthesize(
        out_dir=out_dir,
        provinces=[PROVINCE],
        population_size=max(4 * rows, 100_000),
        beneficiaries=rows,
        seed=SEED,
        categories=[CATEGORY],
    )
    log(summary.line())
    done.write_text(summary.line() + "\n", encoding="utf-8")
    return path


def header_index(path: Path) -> int:
    """0-based index of the header row ("Họ và tên"), for pandas' `header=`; read lazily by openpyxl."""
    from openpyxl import load_workbook

    from ansinh.lib.text import fold

    workbook = load_workbook(path, read_only=True)
    try:
        sheet = workbook.worksheets[0]
        for index, row in enumerate(sheet.iter_rows(max_row=40, values_only=True)):
            if any(isinstance(v, str) and fold(v) == "ho va ten" for v in row):
                return index
    finally:
        workbook.close()
    raise RuntimeError(f"{path}: no header row found")


# -- workers (child processes) ----------------------------------------------------------------------


def _floor(spec: dict[str, Any]) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    started, cpu = time.perf_counter(), time.process_time()
    rows = CalamineWorkbook.from_path(spec["path"]).get_sheet_by_index(0).to_python()
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "rows": len(rows)}


def _baseline(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        import pandas as pd
    except ImportError:
        return {"missing": "pandas"}
    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_excel(spec["path"], engine="openpyxl", header=spec["header"])
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "rows": len(frame)}


def _reader(spec: dict[str, Any]) -> dict[str, Any]:
    from ansinh.reader import read_list

    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    with read_list(Path(spec["path"])) as listing:
        for _ in listing.rows:
            rows += 1
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "rows": rows}


def _run_import(spec: dict[str, Any]) -> dict[str, Any]:
    import importlib

    import django

    django.setup()
    from dataclasses import asdict

    from django.db import connection

    from ansinh.imports.services import batch_import

    # The command module is named `import`, a keyword: load it by name for its system user.
    command = importlib.import_module("ansinh.imports.management.commands.import")
    user = command.system_user()
    started, cpu = time.perf_counter(), time.process_time()
    if spec.get("profile"):
        batch, counts = _profiled(lambda: batch_import(user=user, path=Path(spec["path"]), category=CATEGORY), spec)
    else:
        batch, counts = batch_import(user=user, path=Path(spec["path"]), category=CATEGORY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rows": counts.rows,
        "counts": asdict(counts),
        "line": counts.line(),
        "batch": batch.pk,
        "vendor": connection.vendor,
    }


def _profiled(call: Any, spec: dict[str, Any]) -> Any:
    """Run `call` under pyinstrument (a call tree) if it is installed, else cProfile (top functions)."""
    target = Path(spec["profile"])
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(call)
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(60)
        target.write_text(text.getvalue(), encoding="utf-8")
        return result
    profiler = Profiler(interval=0.005)
    profiler.start()
    result = call()
    profiler.stop()
    target.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    return result


HANDLERS = {"floor": _floor, "baseline": _baseline, "reader": _reader, "import": _run_import}


# -- the parent -------------------------------------------------------------------------------------


@dataclass
class Variant:
    key: str
    label: str
    runs: list[WorkerResult] = field(default_factory=list)
    missing: str = ""
    database: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(r.data["seconds"] for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.data["cpu"] for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return statistics.median(r.max_rss_mib for r in self.runs)

    @property
    def rows(self) -> int:
        return int(self.runs[0].data["rows"])


class _Databases:
    """Fresh databases for each import: a copy of a migrated SQLite template, or a PostgreSQL template."""

    def __init__(self, work: Path, postgres: Postgres | None) -> None:
        self.work = work
        self.postgres = postgres
        self.template = work / "template"
        log("preparing a migrated database with the official geography (SQLite template)")
        prepare_django_database(env=django_env(var_dir=self.template))
        if postgres is not None:
            log("preparing the PostgreSQL template database")
            url = postgres.create_database("ansinh_bench_import_tpl")
            prepare_django_database(env=django_env(var_dir=work / "pg-template", database_url=url))

    def sqlite(self, run: int) -> dict[str, str]:
        var_dir = self.work / f"sqlite-{run}"
        shutil.rmtree(var_dir, ignore_errors=True)
        sqlite_copy(self.template / "ansinh.sqlite3", var_dir / "ansinh.sqlite3")
        return django_env(var_dir=var_dir)

    def pg(self, run: int) -> dict[str, str]:
        assert self.postgres is not None
        url = self.postgres.create_database("ansinh_bench_import", template="ansinh_bench_import_tpl")
        return django_env(var_dir=self.work / f"pg-{run}", database_url=url)

    def close(self, *, keep: bool) -> None:
        if self.postgres is not None and not keep:
            self.postgres.drop_database("ansinh_bench_import")
            self.postgres.drop_database("ansinh_bench_import_tpl")
        if not keep:
            shutil.rmtree(self.work, ignore_errors=True)


def _measure(variant: Variant, repeats: int, spec: dict[str, Any], env: Any = None) -> None:
    for run in range(repeats):
        result = run_worker(NAME, {**spec, "variant": variant.key}, env=env(run) if callable(env) else env)
        if "missing" in result.data:
            variant.missing = str(result.data["missing"])
            log(f"  {variant.label}: {variant.missing} not installed, skipped")
            return
        variant.runs.append(result)
        extra = f" ({result.data['line']})" if "line" in result.data else ""
        log(
            f"  {variant.label} run {run + 1}/{repeats}: {result.data['seconds']:.1f} s, "
            f"{result.data['rows']:,} rows, peak {result.max_rss_mib:,.0f} MiB{extra}"
        )


def run(options: Options, postgres: Postgres | None) -> str:
    """Measure every variant and return the doc section."""
    rows = options.size(FULL_ROWS, minimum=2_000)
    path = list_file(rows)
    header = header_index(path)
    size_mib = path.stat().st_size / MIB
    repeats = options.repeats(3)
    # At full size one end-to-end import takes many minutes on 2 cores: it runs once unless --repeat says.
    import_repeats = options.repeats(3 if rows <= 100_000 else 1)
    spec = {"path": str(path), "header": header}
    HERE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=HERE))
    databases = _Databases(work, postgres)
    variants = [
        Variant("floor", "floor: calamine bare parse"),
        Variant("baseline", "baseline: pandas + openpyxl"),
        Variant("reader", "ansinh reader only (no database)"),
        Variant("import", "ansinh import, SQLite", database="SQLite"),
    ]
    if postgres is not None:
        variants.append(Variant("import", f"ansinh import, PostgreSQL {postgres.version}", database="PostgreSQL"))
    try:
        for variant in variants:
            count = import_repeats if variant.database else repeats
            log(f"{NAME}: {variant.label}, {count} run(s) of {rows:,} rows")
            env = {"SQLite": databases.sqlite, "PostgreSQL": databases.pg}.get(variant.database)
            try:
                _measure(variant, count, spec, env)
            except RuntimeError as exc:
                options.notes.append(f"{variant.label}: failed: {exc}")
                log(f"  {variant.label} failed: {exc}")
        if os.environ.get("BENCH_PROFILE"):
            _profile(spec, databases)
    finally:
        databases.close(keep=options.keep)
    return _section(
        options,
        variants,
        path=path,
        rows=rows,
        size_mib=size_mib,
        repeats=f"{repeats} run(s) of each parse, {import_repeats} of each import",
        postgres=postgres,
    )


def _profile(spec: dict[str, Any], databases: _Databases) -> None:
    target = HERE / "profile-import.txt"
    log(f"profiling one more SQLite import with pyinstrument into {target}")
    run_worker(NAME, {**spec, "variant": "import", "profile": str(target)}, env=databases.sqlite(99))


def _section(
    options: Options,
    variants: list[Variant],
    *,
    path: Path,
    rows: int,
    size_mib: float,
    repeats: str,
    postgres: Postgres | None,
) -> str:
    baseline = next((v for v in variants if v.key == "baseline" and v.runs), None)
    floor = next((v for v in variants if v.key == "floor" and v.runs), None)
    imports = [v for v in variants if v.key == "import" and v.runs]
    data_rows = imports[0].rows if imports else rows
    extra = [
        f"Input: `{path.relative_to(ROOT)}` generated by "
        f"`ansinh.synth.synthesize(provinces=['{PROVINCE}'], beneficiaries={rows:,}, seed={SEED}, "
        f"categories=['{CATEGORY}'])`: {data_rows:,} data rows, {size_mib:.1f} MiB, official layout (title rows, "
        "two-row merged header, column-number row, commune headings and subtotals, signature block), with the "
        "default rates of list mistakes.",
        f"Each variant in a fresh subprocess, {repeats}; times are the median of the measured call "
        "(interpreter and Django start-up excluded); CPU time is that process's own (user + system: on "
        "PostgreSQL the server's work is not in it); peak memory is the median of the runs' high-water marks "
        "(start-up included).",
        "Import database: a fresh SQLite file (WAL, synchronous=NORMAL, as in settings) per run, migrated and "
        "with the official geography loaded"
        + (
            f"; and a fresh PostgreSQL {postgres.version} database per run (private server, default durability)"
            if postgres
            else ""
        )
        + ".",
    ]
    lines = section_preamble(
        title=TITLE,
        name=NAME,
        options=options,
        extra=extra,
    )
    lines += [
        "| variant | median time | rows/s | CPU time of the process | peak memory | vs baseline (time) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for variant in variants:
        if variant.missing:
            lines.append(f"| {variant.label} | {variant.missing} not installed | | | |")
            continue
        if not variant.runs:
            continue
        ratio = f"{baseline.seconds / variant.seconds:.2f}x" if baseline else "n/a"
        lines.append(
            f"| {variant.label} | {secs(variant.seconds)} | {variant.rows / variant.seconds:,.0f} | "
            f"{secs(variant.cpu)} | {variant.peak_mib:,.0f} MiB | {ratio} |"
        )
    lines.append("")
    for variant in imports:
        verdict_speed = (
            f"{baseline.seconds / variant.seconds:.2f}x the baseline (target ≥ {TARGET_SPEEDUP:g}x: "
            f"{'met' if baseline.seconds / variant.seconds >= TARGET_SPEEDUP else '**missed**'})"
            if baseline
            else "no baseline measured (pandas not installed: `.venv/bin/pip install pandas`)"
        )
        verdict_memory = (
            f"peak {variant.peak_mib:,.0f} MiB (target < {TARGET_PEAK_MIB:,} MiB: "
            f"{'met' if variant.peak_mib < TARGET_PEAK_MIB else '**missed**'})"
        )
        floor_ratio = f"; {variant.seconds / floor.seconds:.1f}x the floor's time" if floor else ""
        lines.append(f"- **{variant.label}**: {verdict_speed}; {verdict_memory}{floor_ratio}.")
        lines.append(f"  Summary line: `{variant.runs[-1].data['line']}`.")
        times = ", ".join(f"{r.data['seconds']:.1f}" for r in variant.runs)
        lines.append(f"  Runs (s): {times}.")
    if baseline is None:
        lines.append(
            "- Baseline: pandas not installed in the virtualenv, so no ratio (`.venv/bin/pip install pandas`)."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    worker_main(HANDLERS)
