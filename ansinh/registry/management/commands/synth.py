"""`ansinh synth`: synthetic registry snapshot, beneficiary lists and their ground truth (ansinh.synth)."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter

from ansinh.synth import CATEGORIES, Rates, synthesize

HELP = """Write synthetic data for testing and benchmarks (all people are made up):

  DIR/population.parquet   a population-registry snapshot: citizen_id, old_id, full_name,
                           date_of_birth, sex, province_code, commune_code, address, date_of_death
  DIR/lists/<category>.xlsx  one beneficiary list per category in the official layout (title rows,
                           two-row merged header, column numbers, headings and subtotals per commune,
                           signature block), with the mistakes real lists carry
  DIR/truth.parquet        one line per list data row: file, sheet_row, data_row (1-based among data
                           rows), the person's true citizen_id (empty if not in the registry),
                           person_key (shared by a person's rows on two lists), died, moved, mistakes

--province takes a current province code (01 Hà Nội, 79 Hồ Chí Minh ...) or a pre-2025 one (26 Vĩnh
Phúc = the communes of today's Phú Thọ formed from it); repeat it for several. --rates FILE.json
overrides mistake rates by name, for example {"typo": 0.1, "missing_id": 0}; defaults: missing_diacritics
0.30, upper_case 0.15, typo 0.05, dropped_middle_name 0.04, year_only 0.15 (of people born before 1960),
day_month_swapped 0.05, old_id 0.10, missing_id 0.10, wrong_digit 0.03, household_member_id 0.01, moved
0.03, died 0.02, two_lists 0.02, not_in_registry 0.02, excel_date_cells 0.5, id_as_number 0.05,
amount_as_text 0.05, old_tone_placement 0.30, blank_row 0.002. The same seed gives the same files.

Example: ansinh synth --province 31 --population-size 200000 --beneficiaries 20000 --out var/synth"""


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keeps the line breaks of the description."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", action="append", required=True, metavar="CODE", help="province code")
        parser.add_argument("--population-size", type=int, required=True, metavar="N", help="registry rows")
        parser.add_argument("--beneficiaries", type=int, required=True, metavar="N", help="list rows, all lists")
        parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        parser.add_argument("--rates", type=Path, metavar="FILE.json", help="mistake rates to override")
        parser.add_argument("--list-format", choices=("xlsx", "csv"), default="xlsx", help="default xlsx")
        parser.add_argument(
            "--layout",
            choices=("standard", "sex_split"),
            default="standard",
            help="standard: Ngày sinh and Giới tính columns; sex_split: the birth date under Nam or Nữ",
        )
        parser.add_argument(
            "--category", action="append", choices=CATEGORIES, metavar="CATEGORY", help="only these lists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["population_size"] < 0 or options["beneficiaries"] < 0:
            raise CommandError("--population-size and --beneficiaries must be >= 0")
        try:
            rates = Rates.from_json_file(options["rates"]) if options["rates"] else Rates()
        except (OSError, ValueError) as exc:
            raise CommandError(f"--rates: {exc}") from exc
        try:
            summary = synthesize(
                out_dir=options["out"],
                provinces=options["province"],
                population_size=options["population_size"],
                beneficiaries=options["beneficiaries"],
                seed=options["seed"],
                rates=rates,
                categories=options["category"] or CATEGORIES,
                list_format=options["list_format"],
                layout=options["layout"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary.line())
