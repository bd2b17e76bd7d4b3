"""The jobs app's periodic work (see `ansinh.jobs.periodic` for how apps declare theirs)."""

from __future__ import annotations

from datetime import time

from ansinh.jobs.periodic import periodic
from ansinh.jobs.tasks import housekeeping

periodic("jobs.housekeeping", task=housekeeping, every="day", at=time(2, 0))
