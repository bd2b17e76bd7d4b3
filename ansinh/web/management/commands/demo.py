"""`ansinh demo`: demo users for every role and a demo province, through each app's demo step."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.geo.models import Commune, Province
from ansinh.web.demo import DemoContext, demo_steps


class Command(BaseCommand):
    help = "Load demo users and a demo province (idempotent). Refused in production mode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="01", help="current province code (default 01, Hà Nội)")
        parser.add_argument("--communes", type=int, default=12, help="how many of its communes get demo people")
        parser.add_argument("--beneficiaries", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo data is for development and trials only (ANSINH_MODE=production)")
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"province {options['province']} not found: run `ansinh load_geography` first")
        communes = list(Commune.objects.filter(province=province).order_by("code")[: options["communes"]])
        ctx = DemoContext(
            province=province,
            communes=communes,
            seed=options["seed"],
            say=self.stdout.write,
            beneficiaries=options["beneficiaries"],
        )
        for step in demo_steps():
            started = time.monotonic()
            step.load(ctx)
            self.stdout.write(f"demo: {step.app} ready ({time.monotonic() - started:.1f} s)")
