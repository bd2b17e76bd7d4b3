"""`ansinh match --population POP --beneficiaries FILE [FILE ...] --out RESULT.csv [--engine duckdb|spark]`

A contract that outside scripts rely on. Works on files alone (never the database). Exit codes: 0 RESULT.csv
written; 4 an input could not be read or holds no data rows (nothing written, one line on standard error);
2 a usage error (two inputs with the same base name, `--engine spark` without pyspark or Java 17); 1 anything else.
`--engine spark` scores stage 2 on a local Spark session through Splink's Spark backend, with the same model.
`--previous OLD_RESULT.csv` (re-matching against a newer snapshot) adds the columns `change` (new, changed,
unchanged: status, linked ID or differences against the row with the same source_file and source_row) and
`previous_status` at the end, and prints how many rows changed; the columns before them stay as they are.
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
        parser.add_argument(
            "--previous", type=Path, metavar="OLD_RESULT.csv", help="a previous run's result: report what changed"
        )

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
            if options["previous"] is not None:
                from ansinh.matching.changes import compare_with_previous

                table = compare_with_previous(table, options["previous"])
        except InputError as exc:
            self.stderr.write(str(exc).splitlines()[0] if str(exc) else "an input could not be read")
            sys.exit(EXIT_UNREADABLE)
        write_result(options["out"], table)
        counts: dict[str, int] = {}
        for status in table.column("status").to_pylist():
            counts[status] = counts.get(status, 0) + 1
        line = " ".join(f"{key}={value}" for key, value in sorted(counts.items()))
        if "change" in table.column_names:
            changes = table.column("change").to_pylist()
            line += " " + " ".join(f"{name}={changes.count(name)}" for name in ("new", "changed", "unchanged"))
        self.stdout.write(line)
