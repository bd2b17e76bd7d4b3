"""`ansinh campaign_preset <plan> <first day> [--province CODE]`: a campaign from one of the two plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.campaigns.presets import PRESETS
from ansinh.campaigns.services import CampaignError, campaign_create_from_preset
from ansinh.geo.models import Province


class Command(BaseCommand):
    help = "Create a campaign from a preset plan (" + ", ".join(PRESETS) + ")."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("preset", choices=sorted(PRESETS))
        parser.add_argument("starts_on", type=dt.date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("--province", help="province code (default: the whole nation)")
        parser.add_argument("--name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        province = None
        if options["province"]:
            province = Province.objects.filter(code=options["province"]).first()
            if province is None:
                raise CommandError(f"no province with code {options['province']}")
        try:
            campaign = campaign_create_from_preset(
                user=None,
                preset=options["preset"],
                starts_on=options["starts_on"],
                province=province,
                name=options["name"],
            )
        except CampaignError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"campaign {campaign.pk}: {campaign.name}, {campaign.steps.count()} steps")
