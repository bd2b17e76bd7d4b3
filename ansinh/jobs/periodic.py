"""Periodic work declared in code: what runs, how often, and the key of the period it belongs to.

django-tasks has no periodic tasks, so each app lists its own in `<app>/schedule.py`::

    from ansinh.jobs.periodic import periodic

    periodic("insurance.reminders", task=reminders_send_task, every="day", at=time(7, 30))

The `ansinh scheduler` command imports every app's `schedule` module, and on each pass enqueues
each entry whose current period has no `ScheduledRun` row yet (see `services.scheduled_runs_enqueue_due`).
Periods are computed in Vietnam's local time, which has no daylight saving, so a local day is
always 24 hours and no period key can repeat or be skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

SCHEDULE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

Every = Literal["minute", "hour", "day", "month"]
EVERY_VALUES: tuple[str, ...] = ("minute", "hour", "day", "month")


@dataclass(frozen=True)
class Periodic:
    """One periodic task.

    `every` is a calendar period ("minute", "hour", "day", "month") or a fixed timedelta (whole
    minutes). `at` is the local time of day from which a "day" or "month" period is due (its
    minute for "hour"); `day` is the day of the month for "month". A period whose start was missed
    (the scheduler was down) is still run when the scheduler comes back within that period.

    With `coalesce`, a period is not enqueued while this task's previous run still waits in the
    queue, so a stopped worker does not come back to thousands of identical tasks.
    With `pass_period`, the task receives `period=<period key>` (e.g. "2025-07-01" for a daily
    snapshot), so the work is tied to its period, not to the moment the worker reaches it.
    """

    name: str
    task: Task[..., Any]
    every: Every | timedelta
    at: time = time(0, 0)
    day: int = 1
    coalesce: bool = True
    pass_period: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.every, timedelta):
            seconds = self.every.total_seconds()
            if seconds < 60 or seconds % 60:
                raise ImproperlyConfigured(f"periodic {self.name!r}: a timedelta period must be whole minutes")
        elif self.every not in EVERY_VALUES:
            raise ImproperlyConfigured(f"periodic {self.name!r}: every must be one of {EVERY_VALUES} or a timedelta")
        if not 1 <= self.day <= 28:
            # Every month has a 28th; a later day would silently skip February.
            raise ImproperlyConfigured(f"periodic {self.name!r}: day must be between 1 and 28")

    def period_key(self, now: datetime) -> str | None:
        """The key of the period `now` falls in, or None when this period is not yet due."""
        local = now.astimezone(SCHEDULE_ZONE)
        if isinstance(self.every, timedelta):
            # Fixed-length periods counted from the Unix epoch, so every scheduler agrees on them.
            step = int(self.every.total_seconds())
            return f"{step}s:{int(local.timestamp()) // step}"
        if self.every == "minute":
            return local.strftime("%Y-%m-%dT%H:%M")
        if self.every == "hour":
            return local.strftime("%Y-%m-%dT%H") if local.minute >= self.at.minute else None
        if self.every == "day":
            return local.strftime("%Y-%m-%d") if local.time() >= self.at else None
        if (local.day, local.time()) >= (self.day, self.at):
            return local.strftime("%Y-%m")
        return None


_REGISTRY: dict[str, Periodic] = {}
_discovered = False


def periodic(
    name: str,
    *,
    task: Task[..., Any],
    every: Every | timedelta,
    at: time | None = None,
    day: int = 1,
    coalesce: bool = True,
    pass_period: bool = False,
) -> Periodic:
    """Declare a periodic task under a stable `name` (renaming it starts a new history of runs)."""
    entry = Periodic(
        name=name, task=task, every=every, at=at or time(0, 0), day=day, coalesce=coalesce, pass_period=pass_period
    )
    existing = _REGISTRY.get(name)
    if existing is not None and existing.task.module_path != task.module_path:
        raise ImproperlyConfigured(f"periodic {name!r} is declared twice with different tasks")
    _REGISTRY[name] = entry
    return entry


def periodic_entries() -> list[Periodic]:
    """Every declared periodic task, after importing each installed app's `schedule` module."""
    global _discovered  # noqa: PLW0603 - discovery runs once per process
    if not _discovered:
        autodiscover_modules("schedule")
        _discovered = True
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
