"""Periodic work: reminders once a day, in the morning, so that SMS do not arrive at night."""

from __future__ import annotations

from datetime import time

from ansinh.insurance.tasks import reminders_send_task
from ansinh.jobs.periodic import periodic

periodic("insurance.reminders", task=reminders_send_task, every="day", at=time(7, 30))
