"""`ansinh import FILE --category CATEGORY [--commune CODE] [--sheet NAME] [--user USERNAME] [--report PATH]`

A contract that outside scripts rely on: the last line on standard output is
`rows=N new=N changed=N unchanged=N invalid=N warnings=N`; the row-level report is a CSV with the columns
sheet_row, data_row, level, column, message. Exit codes: 0 every data row valid and committed; 3 some rows
invalid (the valid ones committed); 4 the file could not be read or holds no data rows (nothing written);
2 a usage error; 1 anything else.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from ansinh.access.models import User
from ansinh.geo.selectors import commune_by_code
from ansinh.imports.models import ImportBatch
from ansinh.imports.selectors import missing_from_list
from ansinh.imports.services import batch_import
from ansinh.reader import UnreadableFile
from ansinh.registry.models import Category

SYSTEM_USER = "system"
EXIT_INVALID_ROWS, EXIT_UNREADABLE, EXIT_USAGE = 3, 4, 2


def system_user() -> User:
    user, _ = User.objects.get_or_create(username=SYSTEM_USER, defaults={"is_active": False})
    return user


def write_report(path: Path, batch: ImportBatch) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sheet_row", "data_row", "level", "column", "message"])
        for found in batch.file_problems:
            writer.writerow([found.get("sheet_row") or "", "", found["level"], found["column"], _text(found)])
        for sheet_row, data_row, problems in batch.rows.values_list("sheet_row", "data_row", "problems").iterator(
            chunk_size=5000
        ):
            for found in problems:
                writer.writerow([sheet_row, data_row, found["level"], found["column"], _text(found)])


def _text(found: dict[str, Any]) -> str:
    message = gettext(found["message"])
    return message % found["params"] if found.get("params") else message


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--category", required=True, choices=[c.value for c in Category])
        parser.add_argument("--commune", help="current commune code for rows that give none")
        parser.add_argument("--sheet", help="the sheet to read (default: the first with a recognisable header)")
        parser.add_argument("--user", help="import as this user (default: the system user)")
        parser.add_argument("--report", type=Path, help="row-level report CSV (default: FILE.report.csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        commune = None
        if options["commune"]:
            commune = commune_by_code(options["commune"])
            if commune is None:
                raise CommandError(f"unknown commune code {options['commune']}", returncode=EXIT_USAGE)
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"unknown user {options['user']}", returncode=EXIT_USAGE)
        else:
            user = system_user()
        if not path.is_file():
            self._unreadable(f"{path}: no such file")
        try:
            batch, counts = batch_import(
                user=user, path=path, category=options["category"], default_commune=commune, sheet=options["sheet"]
            )
        except UnreadableFile as exc:
            self._unreadable(f"{path.name}: {exc.text}")
        report = options["report"] or path.with_name(path.name + ".report.csv")
        write_report(report, batch)
        missing = missing_from_list(batch=batch).count()
        if missing:
            self.stdout.write(
                f"missing: {missing} people of this category in these communes are not on the list "
                "(reported, not deleted; see the batch page)"
            )
        self.stdout.write(counts.line())
        if counts.invalid:
            sys.exit(EXIT_INVALID_ROWS)

    def _unreadable(self, reason: str) -> None:
        self.stderr.write(reason)
        sys.exit(EXIT_UNREADABLE)
