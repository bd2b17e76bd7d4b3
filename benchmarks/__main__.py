"""`python -m benchmarks [NAME ...] [--quick | --scale S] [--repeat N] [--postgres auto|off|URL] [--keep]`.

Runs the named benchmarks (all by default) and rewrites their sections of docs/benchmarks.md. A reduced
run (--quick or --scale below 1) writes to var/bench/benchmarks.md instead, so a smoke run never
replaces the real figures; --output names another file.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from types import ModuleType

from benchmarks import dashboard, fieldwork, import_xlsx, insurance_report, matching, payments, search
from benchmarks.common import DOCS, VAR, Options, log, postgres_server, update_doc

BENCHMARKS: dict[str, ModuleType] = {
    "import_xlsx": import_xlsx,
    "search": search,
    "matching": matching,
    "insurance_report": insurance_report,
    "fieldwork": fieldwork,
    "payments": payments,
    "dashboard": dashboard,
}
# Hand-written notes may follow each section under their own markers; they are kept as they are.
ORDER = [name for key in BENCHMARKS for name in (key, f"{key}-notes")]
QUICK_SCALE = 0.02


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run: " + ", ".join(BENCHMARKS))
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help=f"smoke run at scale {QUICK_SCALE} and one repeat")
    size.add_argument("--scale", type=float, default=1.0, help="multiply every size (default 1: the issue's sizes)")
    parser.add_argument("--repeat", type=int, help="runs per variant (default: each benchmark's own)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL") or "auto",
        help="auto: a private server from /usr/lib/postgresql if there is one; off; or a postgresql:// URL of a "
        "server on which the benchmark may create and drop ansinh_bench_* databases (default: $DATABASE_URL "
        "when set, else auto)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument("--output", type=Path, help="the doc to update (default: docs/benchmarks.md at full size)")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    flags = ["--quick"] if args.quick else ["--scale", f"{args.scale:g}"] if args.scale != 1.0 else []
    if args.repeat is not None:
        flags += ["--repeat", str(args.repeat)]
    if args.postgres == "off":
        flags += ["--postgres", "off"]
    options = Options(
        scale=QUICK_SCALE if args.quick else args.scale,
        quick=args.quick,
        repeat=1 if args.quick and args.repeat is None else args.repeat,
        postgres=args.postgres,
        keep=args.keep,
        flags=shlex.join(flags),
    )
    if options.scale <= 0:
        parser.error("--scale must be positive")
    output = args.output or (DOCS if options.full_size else VAR / "benchmarks.md")
    started = time.perf_counter()
    with postgres_server(options) as postgres:
        shared_notes = list(options.notes)  # about the server: they belong to every section
        for name in names:
            module = BENCHMARKS[name]
            log(f"== {name}")
            options.notes[:] = shared_notes
            body = module.run(options, postgres)
            if options.notes:
                body += "\n" + "\n".join(f"- {note}" for note in dict.fromkeys(options.notes))
            update_doc(output, name, body, order=ORDER)
            log(f"{name}: section written to {output}")
    log(f"done in {time.perf_counter() - started:,.0f} s; figures in {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
