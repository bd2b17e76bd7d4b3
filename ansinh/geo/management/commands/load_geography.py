"""`ansinh load_geography [--official FILE.csv]`: load the administrative units, optionally reconcile."""

from __future__ import annotations

import time
from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter
from django.db import transaction

from ansinh.geo.official import OfficialListError, official_list_read
from ansinh.geo.package_data import PackageDataError
from ansinh.geo.services import GeographyError, communes_reconcile_official, geography_load_package

SHOWN = 50

HELP = """Load the 34 provinces, 3,321 current communes and the 10,040 pre-2025 units (with what each
became) from the data of the installed vietnamadminunits package. Safe to run again: a second run
changes nothing. Codes and names confirmed by an official list are never overwritten.

--official FILE.csv then reconciles the current communes with the official list (Decision
19/2025/QĐ-TTg). The CSV is UTF-8 (with or without byte-order mark), comma- or semicolon-separated,
with a header row naming at least these columns, in any order (other columns are ignored):
  code      the commune's official code, digits (leading zeros may be missing: 103 = 00103)
  name      its name, with or without type prefix ("Phường Ba Đình" or "Ba Đình")
  province  the province's code (01) or name ("Thành phố Hà Nội" or "Hà Nội")
Example:
  code,name,province
  00004,Phường Ba Đình,01
A commune matched by province and name takes the list's code and name and keeps its internal id.
Rows that match no commune and communes missing from the list are reported, never deleted. On any
bad row the command names file, row and column, exits non-zero and changes nothing."""


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keeps the line breaks of the CSV description."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--official", type=Path, metavar="FILE.csv", help="official list of current communes")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        official: Path | None = options["official"]
        verbosity: int = options["verbosity"]
        try:
            # Read the list before writing anything so a bad file leaves the database untouched.
            rows = official_list_read(official) if official else None
            with transaction.atomic():
                loaded = geography_load_package()
                reconciled = communes_reconcile_official(rows=rows) if rows is not None else None
        except (OfficialListError, PackageDataError, GeographyError) as exc:
            raise CommandError(f"nothing changed:\n{exc}") from exc
        elapsed = time.monotonic() - started
        self.stdout.write(f"{loaded} in {elapsed:.1f} s")
        if reconciled is None:
            return
        self.stdout.write(str(reconciled))
        if verbosity < 1:
            return
        for old, new, name in reconciled.codes_changed[:SHOWN]:
            self.stdout.write(f"  code {old} -> {new}: {name}")
        for row in reconciled.matched_by_code[:SHOWN]:
            self.stdout.write(f"  matched by code only (renamed?): {row.file}, row {row.row}: {row.code} {row.name}")
        for row in reconciled.unmatched_rows[:SHOWN]:
            self.stdout.write(f"  matches no commune: {row.file}, row {row.row}: {row.code} {row.name}")
        for commune in reconciled.absent[:SHOWN]:
            self.stdout.write(f"  absent from the list: {commune.code} {commune.name} ({commune.province.name})")
        hidden = sum(
            max(0, len(items) - SHOWN)
            for items in (
                reconciled.codes_changed,
                reconciled.matched_by_code,
                reconciled.unmatched_rows,
                reconciled.absent,
            )
        )
        if hidden:
            self.stdout.write(f"  ... {hidden} more lines not shown")
