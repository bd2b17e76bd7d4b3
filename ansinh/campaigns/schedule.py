"""Campaign figures refreshed every few minutes, a snapshot every night, the digest every morning."""

from __future__ import annotations

from datetime import time, timedelta

from ansinh.campaigns.tasks import digest_task, figures_refresh_task, snapshot_task
from ansinh.jobs.periodic import periodic

periodic("campaigns.figures_refresh", task=figures_refresh_task, every=timedelta(minutes=5))
periodic("campaigns.snapshot", task=snapshot_task, every="day", at=time(23, 30))
periodic("campaigns.digest", task=digest_task, every="day", at=time(7, 0))
