"""`ansinh match --population POP --beneficiaries FILE [FILE ...] --out RESULT.csv [--engine duckdb|spark]`

A contract that outside scripts rely on. Works on files alone (never the database). Exit codes: 0 RESULT.csv
written; 4 an input could not be read or holds no data rows (nothing written, one line on standard error);
2 a usage error (two inputs with the same base name, `--engine spark` without pyspark or Java 17); 1 anything else.
`--engine spark` scores stage 2 on a local Spark session through Splink's Spark backend, with the same model.
RESULT.csv: UTF-8 without BOM, comma-separated, header row; columns source_file, source_row, status,
citizen_id, match_probability, duplicate_group, differences first, then explanation and the registry's values.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

EXIT_UNREADABLE, EXIT_USAGE = 4, 2


class Command(BaseCommand):
    help = __doc__
    requires_system_checks: list[str] = []  # files only: no database, no checks that touch it

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--population", type=Path, required=True, metavar="POP", help="Parquet or CSV")
        parser.add_argument("--beneficiaries", type=Path, nargs="+", required=True, metavar="FILE")
        parser.add_argument("--out", type=Path, required=True, metavar="RESULT.csv")
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")

    def handle(self, *args: Any, **options: Any) -> None:
        from ansinh.matching import InputError, match_files, write_result

        files: list[Path] = options["beneficiaries"]
        names = [path.name for path in files]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise CommandError(f"two inputs share the base name {repeated[0]}", returncode=EXIT_USAGE)
        if options["engine"] == "spark":
            # Checked before any work: without pyspark or Java 17 the run could only fail late.
            from ansinh.matching.spark import unavailable_reason

            reason = unavailable_reason()
            if reason:
                raise CommandError(reason, returncode=EXIT_USAGE)
        try:
            table = match_files(population=options["population"], beneficiaries=files, engine=options["engine"])
        except InputError as exc:
            self.stderr.write(str(exc).splitlines()[0] if str(exc) else "an input could not be read")
            sys.exit(EXIT_UNREADABLE)
        write_result(options["out"], table)
        counts: dict[str, int] = {}
        for status in table.column("status").to_pylist():
            counts[status] = counts.get(status, 0) + 1
        self.stdout.write(" ".join(f"{key}={value}" for key, value in sorted(counts.items())))
