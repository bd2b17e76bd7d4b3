from __future__ import annotations

import os
import signal
import threading
import time as wallclock
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ansinh.jobs import services
from ansinh.jobs.models import ScheduledRun
from ansinh.jobs.periodic import SCHEDULE_ZONE, Periodic, periodic_entries


@task()
def snapshot(period: str) -> str:
    return period


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SCHEDULE_ZONE)


def runs(name: str) -> list[str]:
    return sorted(ScheduledRun.objects.filter(name=name).values_list("period_key", flat=True))


def finish_all_tasks() -> None:
    DBTaskResult.objects.update(status="SUCCESSFUL")


def test_apps_declare_outbox_sending_and_daily_housekeeping():
    entries = {entry.name: entry for entry in periodic_entries()}
    assert entries["outbox.send_pending"].every == "minute"
    assert entries["jobs.housekeeping"].every == "day"


def test_scheduler_run_twice_in_one_period_enqueues_once(db, clock):
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")

    assert runs("outbox.send_pending") == ["2025-07-01T10:15"]
    assert runs("jobs.housekeeping") == ["2025-07-01"]
    # One task per entry due in this period, however many apps declare entries.
    assert DBTaskResult.objects.count() == ScheduledRun.objects.count() >= 2
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {"ansinh.outbox.tasks.send_pending_task", "ansinh.jobs.tasks.housekeeping"} <= paths


def test_a_new_period_enqueues_again(db, clock):
    call_command("scheduler", "--once")
    finish_all_tasks()
    clock.set(2025, 7, 1, 10, 16)
    call_command("scheduler", "--once")

    assert runs("outbox.send_pending") == ["2025-07-01T10:15", "2025-07-01T10:16"]
    assert runs("jobs.housekeeping") == ["2025-07-01"]
    assert DBTaskResult.objects.filter(task_path="ansinh.outbox.tasks.send_pending_task").count() == 2


def test_a_run_still_waiting_for_the_worker_is_not_piled_up(db, clock):
    call_command("scheduler", "--once")
    clock.set(2025, 7, 1, 10, 16)
    call_command("scheduler", "--once")

    assert runs("outbox.send_pending") == ["2025-07-01T10:15"]
    assert DBTaskResult.objects.filter(task_path="ansinh.outbox.tasks.send_pending_task").count() == 1


def test_a_racing_scheduler_that_loses_on_the_constraint_enqueues_nothing(db, clock, monkeypatch):
    entry = Periodic(name="test.snapshot", task=snapshot, every="day", pass_period=True)
    services.scheduled_runs_enqueue_due(entries=[entry])
    # The second scheduler looked before the first one committed, so its look found nothing.
    monkeypatch.setattr(services, "_period_recorded", lambda name, key: False)
    finish_all_tasks()

    assert services.scheduled_runs_enqueue_due(entries=[entry]) == []
    assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().args_kwargs == {"args": [], "kwargs": {"period": "2025-07-01"}}


def test_a_daily_task_is_due_from_its_local_time_of_day():
    entry = Periodic(name="test.daily", task=snapshot, every="day", at=time(7, 30))
    assert entry.period_key(local(2025, 7, 1, 7, 29)) is None
    assert entry.period_key(local(2025, 7, 1, 7, 30)) == "2025-07-01"
    assert entry.period_key(local(2025, 7, 1, 23, 59)) == "2025-07-01"


def test_periods_follow_vietnam_time_not_utc():
    entry = Periodic(name="test.daily", task=snapshot, every="day")
    # 17:30 UTC on 30 June is 00:30 on 1 July in Vietnam.
    assert entry.period_key(datetime(2025, 6, 30, 17, 30, tzinfo=UTC)) == "2025-07-01"


def test_hourly_monthly_and_fixed_length_periods():
    hourly = Periodic(name="t.h", task=snapshot, every="hour", at=time(0, 20))
    assert hourly.period_key(local(2025, 7, 1, 9, 19)) is None
    assert hourly.period_key(local(2025, 7, 1, 9, 20)) == "2025-07-01T09"
    monthly = Periodic(name="t.m", task=snapshot, every="month", day=5, at=time(6, 0))
    assert monthly.period_key(local(2025, 7, 4, 23, 0)) is None
    assert monthly.period_key(local(2025, 7, 5, 6, 0)) == "2025-07"
    assert monthly.period_key(local(2025, 7, 31, 6, 0)) == "2025-07"
    quarter_hour = Periodic(name="t.q", task=snapshot, every=timedelta(minutes=15))
    assert quarter_hour.period_key(local(2025, 7, 1, 10, 0)) == quarter_hour.period_key(local(2025, 7, 1, 10, 14))
    assert quarter_hour.period_key(local(2025, 7, 1, 10, 14)) != quarter_hour.period_key(local(2025, 7, 1, 10, 15))


def test_a_badly_declared_period_is_refused():
    with pytest.raises(ImproperlyConfigured):
        Periodic(name="t.bad", task=snapshot, every=timedelta(seconds=90))
    with pytest.raises(ImproperlyConfigured):
        Periodic(name="t.bad", task=snapshot, every="month", day=31)


@pytest.mark.django_db(transaction=True)  # the loop closes old connections, as a long-running process must
def test_scheduler_finishes_its_pass_and_exits_on_sigterm(clock, restore_signals):
    threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM)).start()
    started = wallclock.monotonic()

    call_command("scheduler", "--interval", "60")

    assert wallclock.monotonic() - started < 10
    assert runs("outbox.send_pending") == ["2025-07-01T10:15"]
