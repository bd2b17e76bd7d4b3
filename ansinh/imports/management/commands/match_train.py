"""`ansinh match_train [--out MODEL.json] [--population-size N] [--beneficiaries N] [--seed N]`

Trains the matching model on synthetic data (`ansinh.synth`) and saves it as JSON (by default the committed
ansinh/matching/model/model.json). Works on files alone; `ansinh match` only reads the saved model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = __doc__
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        from ansinh.matching import MODEL_PATH

        parser.add_argument("--out", type=Path, default=MODEL_PATH, metavar="MODEL.json")
        parser.add_argument("--population-size", type=int, default=60_000, metavar="N")
        parser.add_argument("--beneficiaries", type=int, default=6_000, metavar="N")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        from ansinh.matching import train_model

        path = train_model(
            out=options["out"],
            population_size=options["population_size"],
            beneficiaries=options["beneficiaries"],
            seed=options["seed"],
        )
        self.stdout.write(f"model={path}")
