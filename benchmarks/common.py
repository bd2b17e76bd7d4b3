"""What every benchmark shares: options, the machine, statistics, workers in fresh subprocesses, databases, the doc.

A worker is `python -m benchmarks.<module> --worker '<json spec>'`; it prints one line
`BENCH-RESULT <json>` on standard output, with its own peak memory read from /proc/self/status (VmHWM)
as it finishes. Not ru_maxrss from wait4 or RUSAGE_CHILDREN: Linux carries the parent's high-water
mark into a forked child across exec, so a child of a big parent reports the parent's peak.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
RESULT_PREFIX = "BENCH-RESULT "
MIB = 1024 * 1024


@dataclass
class Options:
    scale: float = 1.0
    quick: bool = False
    repeat: int | None = None  # None: each benchmark's own default
    postgres: str = "auto"  # auto (when a server can be had), off, or a postgresql:// URL of a server to use
    keep: bool = False  # keep temporary databases (for EXPLAIN by hand)
    flags: str = ""  # the size and repeat flags of this run, for the doc's "reproduce" line
    notes: list[str] = field(default_factory=list)

    def size(self, full: int, *, minimum: int = 1) -> int:
        return max(minimum, round(full * self.scale))

    def repeats(self, default: int) -> int:
        return self.repeat if self.repeat is not None else default

    @property
    def full_size(self) -> bool:
        return self.scale >= 1.0


def log(message: str) -> None:
    """Progress on standard error, with the time, so that a long run shows where it is."""
    # UTC: a Django child sets TZ to the project's time zone, and the parent's lines would disagree.
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", file=sys.stderr, flush=True)


# -- the machine ------------------------------------------------------------------------------------


def _meminfo_kib(key: str) -> int:
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _cpu_model() -> str:
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def machine() -> str:
    """One line: cores, memory, CPU, OS, Python, SQLite."""
    cores = len(os.sched_getaffinity(0))
    ram = _meminfo_kib("MemTotal") / 1024 / 1024
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cores} cores (nproc), {ram:.1f} GiB RAM, {_cpu_model()}; Linux {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; load average when written: {load} "
        "(other work on the machine: compare CPU times as well as wall times)"
    )


def vm_hwm_mib() -> float:
    """This process's peak resident memory so far (VmHWM), in MiB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- statistics -------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): a value that was really observed."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Stats:
    n: int
    median: float
    p95: float
    minimum: float
    maximum: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        return cls(len(samples), statistics.median(samples), percentile(samples, 95), min(samples), max(samples))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.0995 else f"{seconds * 1000:,.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds < 600 else f"{seconds:,.0f} s ({seconds / 60:.1f} min)"


# -- workers ----------------------------------------------------------------------------------------


@dataclass
class WorkerResult:
    data: dict[str, Any]
    max_rss_mib: float  # the child's high-water mark (VmHWM), start-up included
    wall: float  # the whole subprocess, start-up included


def run_worker(module: str, spec: dict[str, Any], *, env: dict[str, str] | None = None) -> WorkerResult:
    """Run one measured variant in a fresh interpreter and return what it printed, with its peak memory."""
    command = [sys.executable, "-m", f"benchmarks.{module}", "--worker", json.dumps(spec)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, env=env or os.environ.copy(), cwd=ROOT, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    proc.wait()
    wall = time.perf_counter() - started
    lines = [line for line in output.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(output.splitlines()[-20:])
        raise RuntimeError(f"worker {module} {spec.get('variant')} failed (exit {proc.returncode}):\n{tail}")
    data = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return WorkerResult(data, float(data["vm_hwm_mib"]), wall)


def worker_main(handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]) -> None:
    """The child's side: `--worker '<spec>'` runs handlers[spec["variant"]] and prints its result."""
    if len(sys.argv) != 3 or sys.argv[1] != "--worker":
        sys.exit(f"usage: python -m {sys.argv[0]} --worker '<json spec>' (run by python -m benchmarks)")
    spec = json.loads(sys.argv[2])
    result = handlers[spec["variant"]](spec)
    result.setdefault("vm_hwm_mib", vm_hwm_mib())
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def django_env(*, var_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment of a child that uses Django: its own var dir (SQLite file, media) or a PostgreSQL URL.

    DEBUG is off, as in production: with it on, Django keeps every query of a request in memory.
    """
    env = os.environ.copy()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ansinh.settings",
            "ANSINH_VAR_DIR": str(var_dir),
            "ANSINH_DEBUG": "false",
            "ANSINH_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
        }
    )
    return env


def manage(args: Sequence[str], *, env: dict[str, str], quiet: bool = True) -> None:
    """Run `ansinh <args>` (Django's manage.py) in a subprocess with this environment."""
    command = [sys.executable, "-m", "ansinh.cli", *args]
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=out)


def prepare_django_database(*, env: dict[str, str], static: bool = False) -> None:
    """Migrate and load the official geography into the (empty) database this environment names."""
    manage(["migrate", "--noinput"], env=env)
    manage(["load_geography"], env=env)
    if static:
        # DEBUG off serves hashed static names from the manifest, which collectstatic writes.
        manage(["collectstatic", "--noinput"], env=env)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently (WAL included) with the backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


# -- PostgreSQL -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


class Postgres:
    """A PostgreSQL server for the benchmark: the one a URL names, or a private one in a temporary directory.

    The private server listens on 127.0.0.1 only, with the default durability settings (fsync and
    synchronous commit on, unlike CI) and shared_buffers raised to 512 MB, a modest production value.
    """

    def __init__(self, url: str, *, version: str, private_dir: Path | None = None) -> None:
        self.url = url  # a server URL; databases are made beside its own
        self.version = version
        self.private_dir = private_dir

    def database_url(self, name: str) -> str:
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"

    def execute(self, sql: str, *, database: str = "postgres") -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url(database), autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(sql)  # type: ignore[arg-type]
            return list(cur.fetchall()) if cur.description else []

    def create_database(self, name: str, *, template: str | None = None) -> str:
        self.drop_database(name)
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def has_database(self, name: str) -> bool:
        return bool(self.execute(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))


def _as_postgres_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres_server(options: Options) -> Iterator[Postgres | None]:
    """Yield a server to benchmark on, or None (with a note in options.notes saying why there is none)."""
    if options.postgres == "off":
        options.notes.append("PostgreSQL: skipped (--postgres off).")
        yield None
        return
    if options.postgres.startswith("postgres"):
        server = Postgres(options.postgres, version="")
        server.version = str(server.execute("SHOW server_version")[0][0]).split()[0]
        yield server
        return
    bin_dir = _pg_bin()
    if bin_dir is None:
        options.notes.append(
            "PostgreSQL: skipped, no server binaries under /usr/lib/postgresql (apt-get install postgresql)."
        )
        yield None
        return
    work = Path(tempfile.mkdtemp(prefix="ansinh-bench-pg."))
    port = _free_port()
    started = False
    try:
        if os.geteuid() == 0:
            shutil.chown(work, "postgres")
        data, logfile = work / "data", work / "log"
        subprocess.run(
            _as_postgres_user(
                [str(bin_dir / "initdb"), "-D", str(data), "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        settings = f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=20"
        subprocess.run(
            _as_postgres_user(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(logfile), "-w", "-o", settings, "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        server = Postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", version="", private_dir=work)
        server.version = str(server.execute("SHOW server_version")[0][0]).split()[0]
        log(f"PostgreSQL {server.version} started on 127.0.0.1:{port} in {work}")
        yield server
    except (subprocess.CalledProcessError, OSError) as exc:
        if started:
            raise
        options.notes.append(f"PostgreSQL: skipped, a private server could not start ({exc}).")
        yield None
    finally:
        if started:
            subprocess.run(
                _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(work / "data"), "-m", "fast", "stop"]),
                check=False,
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(work, ignore_errors=True)


def redact_url(url: str) -> str:
    """A database URL without its password, for the doc."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    host = parsed.hostname or ""
    return f"{parsed.scheme}://{parsed.username or ''}@{host}:{parsed.port or ''}{parsed.path}"


# -- the doc ----------------------------------------------------------------------------------------

HEADER = """# Benchmarks

Figures from `make bench` (`python -m benchmarks`), measured on the machine each section names. Every
section says how to reproduce it; each is rewritten only when its own benchmark runs, so sections may come
from different days. Medians over repeated runs; latencies also as p95 (nearest rank). Ratios are
against the baseline named in the issue, measured in the same run. Peak memory is the high-water mark of
resident memory (VmHWM of the measured subprocess), start-up of Python and Django included. The
"notes" sections are written by hand; a run rewrites only its own section and keeps them.
"""


def begin(name: str) -> str:
    return f"<!-- begin:{name} -->"


def end(name: str) -> str:
    return f"<!-- end:{name} -->"


def update_doc(path: Path, name: str, body: str, *, order: Sequence[str]) -> None:
    """Replace (or add, in `order`) the section `name` of the doc, leaving the others as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    sections: dict[str, str] = {}
    for other in order:
        start, stop = text.find(begin(other)), text.find(end(other))
        if start >= 0 and stop > start:
            sections[other] = text[start : stop + len(end(other))]
    sections[name] = f"{begin(name)}\n{body.strip()}\n{end(name)}"
    first = min((text.find(begin(n)) for n in order if text.find(begin(n)) >= 0), default=len(text))
    head = text[:first].rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + "".join(f"\n{sections[n]}\n" for n in order if n in sections), encoding="utf-8")


def code_version() -> str:
    """The commit measured, and whether the work tree differed from it (read-only git commands)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "ansinh"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git work tree)"
    return f"commit {head}" + (" with uncommitted changes under ansinh/" if dirty else "")


def section_preamble(*, title: str, name: str, options: Options, extra: Sequence[str] = ()) -> list[str]:
    """The lines every section starts with: title, date, machine, the command, and how big the run was."""
    reproduce = " ".join(filter(None, [".venv/bin/python -m benchmarks", name, options.flags]))
    lines = [
        f"## {title}",
        "",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {machine()}",
        f"- Code: {code_version()}",
        f"- Reproduce: `{reproduce}` (`make bench` runs every benchmark)",
    ]
    if not options.full_size:
        lines.append(f"- **Reduced size** (scale {options.scale:g}): not the issue's figure, a smoke run.")
    lines.extend(f"- {line}" for line in extra)
    return [*lines, ""]


def shell_join(args: Sequence[str]) -> str:
    return shlex.join(args)
