"""`ansinh audit verify`: check the audit chain; exits 1 when it is broken."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from ansinh.audit.verification import audit_chain_verify

MAX_PROBLEMS_SHOWN = 100


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks every hash, link and number of the chain and its head."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        verify: ArgumentParser = commands.add_parser("verify", help="Check the chain; exit 1 on a break.")
        verify.add_argument("--chunk-size", type=int, default=2000, help="Entries read per database round trip.")

    @no_translations  # an English command-line tool; the same checks stay translated in the web pages
    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(chunk_size=options["chunk_size"])

    def _verify(self, *, chunk_size: int) -> None:
        report = audit_chain_verify(chunk_size=chunk_size)
        if report.ok:
            self.stdout.write(f"audit chain OK: {report.entries} entries, last hash {report.last_hash}")
            return
        for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
            self.stderr.write(str(problem))
        if len(report.problems) > MAX_PROBLEMS_SHOWN:
            self.stderr.write(f"... and {len(report.problems) - MAX_PROBLEMS_SHOWN} more problems")
        raise CommandError(
            f"audit chain BROKEN: {len(report.problems)} problems in {report.entries} entries", returncode=1
        )
