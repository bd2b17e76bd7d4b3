"""Demo campaigns: both plans of January 2024, started a week ago in the demo province, and the figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ansinh.campaigns import services
from ansinh.campaigns.models import Campaign
from ansinh.web.demo import DemoContext

ORDER = 90  # after every app whose data the figures count


def load(ctx: DemoContext) -> None:
    if Campaign.objects.filter(province=ctx.province, preset="hanoi-2024").exists():
        return
    start = timezone.localdate() - dt.timedelta(days=7)
    services.campaign_create_from_preset(user=None, preset="hanoi-2024", starts_on=start, province=ctx.province)
    services.campaign_create_from_preset(user=None, preset="c06-2024", starts_on=start, province=None)
    rows = services.snapshot_take()
    ctx.say(f"campaigns: two plans from {start:%d/%m/%Y}; {rows:,} figures in today's snapshot")
