"""Writes for jobs: create and enqueue, record progress and outcome, enqueue due periodic work, prune.

Logs carry job ids and kinds only, never titles, messages or arguments (they may name people).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db.models import DBTaskResult

from ansinh.access.models import User
from ansinh.geo.models import Commune, Province
from ansinh.jobs.models import Job, ScheduledRun
from ansinh.jobs.periodic import Periodic, periodic_entries

logger = logging.getLogger(__name__)

# Finished task results are kept this long for diagnosis, then pruned by the daily housekeeping.
TASK_RESULT_KEEP_DAYS = 14
# Longer than the longest period ("month"), so the current period's row is never pruned.
SCHEDULED_RUN_KEEP_DAYS = 62


def job_create(
    *,
    kind: str,
    title: str,
    user: User | None,
    task: Task[..., Any],
    task_kwargs: Mapping[str, Any] | None = None,
    commune: Commune | None = None,
    province: Province | None = None,
) -> Job:
    """Create a job and enqueue `task(job.pk, **task_kwargs)` once the caller's transaction commits.

    `task` is a django-task whose function is wrapped by `ansinh.jobs.runner.job_task`. The
    arguments must be JSON values (ids, not model instances). A commune sets the province too.
    """
    kwargs = dict(task_kwargs or {})
    normalize_json(kwargs)  # fail here, in the caller, rather than after the commit
    if commune is not None and province is None:
        province = commune.province
    job = Job.objects.create(kind=kind, title=title, created_by=user, commune=commune, province=province)
    transaction.on_commit(partial(_job_enqueue, job.pk, task, kwargs))
    return job


def _job_enqueue(job_id: int, task: Task[..., Any], kwargs: dict[str, Any]) -> None:
    try:
        result = task.enqueue(job_id, **kwargs)
    except Exception:
        # The change that made the job is committed; show the job as failed rather than queued forever.
        logger.exception("job %s: could not be enqueued", job_id)
        job_fail(job_id=job_id, error=gettext("The job could not be queued. Please try again."))
        return
    Job.objects.filter(pk=job_id).update(task_result_id=result.id)


def job_start(*, job_id: int) -> Job | None:
    """Mark a queued job running; None when it is missing or was already started (it runs once)."""
    started = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not started:
        return None
    return Job.objects.get(pk=job_id)


def job_progress_save(*, job_id: int, done: int, total: int | None = None, message: str | None = None) -> None:
    """Write progress by id in one UPDATE (no read); see `runner.JobProgress` for the throttled form."""
    fields: dict[str, Any] = {"progress_done": max(0, done)}
    if total is not None:
        fields["progress_total"] = max(0, total)
    if message is not None:
        fields["message"] = message[:300]
    Job.objects.filter(pk=job_id, status__in=Job.ACTIVE).update(**fields)


def job_succeed(*, job_id: int, result: Mapping[str, Any] | None = None, message: str | None = None) -> None:
    """Mark the job succeeded; a known total is shown as reached."""
    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.result = normalize_json(dict(result or {}))
    if job.progress_total:
        job.progress_done = job.progress_total
    if message is not None:
        job.message = message[:300]
    job.save(update_fields=["status", "finished_at", "result", "progress_done", "message"])


def job_fail(*, job_id: int, error: str) -> None:
    """Mark the job failed with a message fit to show (the caller makes sure it holds no personal data)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(), error=error[:2000])


def scheduled_runs_enqueue_due(
    *, now: datetime | None = None, entries: Iterable[Periodic] | None = None
) -> list[ScheduledRun]:
    """Enqueue every periodic task whose current period has not been enqueued yet.

    For each entry: the `ScheduledRun` row and the task row are inserted in one transaction (the
    database backend enqueues by inserting a row), so both exist or neither. A second scheduler, or
    this one after a restart, hits the unique (name, period) constraint and skips: exactly once
    per period.
    """
    now = now or timezone.now()
    created: list[ScheduledRun] = []
    for entry in periodic_entries() if entries is None else entries:
        key = entry.period_key(now)
        if key is None or _period_recorded(entry.name, key):
            continue
        if entry.coalesce and _previous_run_waiting(entry.name):
            logger.info("scheduler: %s still waits from an earlier period; %s skipped", entry.name, key)
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=entry.name, period_key=key)
                result = entry.task.enqueue(**({"period": key} if entry.pass_period else {}))
                run.task_result_id = result.id
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler enqueued this period first
        logger.info("scheduler: enqueued %s for %s", entry.name, key)
        created.append(run)
    return created


def _period_recorded(name: str, key: str) -> bool:
    # A cheap look first: almost every pass finds the period done, and a failed INSERT is noisier.
    return ScheduledRun.objects.filter(name=name, period_key=key).exists()


def _previous_run_waiting(name: str) -> bool:
    last = ScheduledRun.objects.filter(name=name).exclude(task_result_id="").order_by("-created_at", "-id").first()
    if last is None:
        return False
    return DBTaskResult.objects.filter(pk=last.task_result_id, status="READY").exists()


def jobs_housekeep(*, now: datetime | None = None) -> dict[str, int]:
    """Prune finished task results and old scheduler records; return how many rows went."""
    now = now or timezone.now()
    results, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lte=now - timedelta(days=TASK_RESULT_KEEP_DAYS)).delete()
    )
    runs, _ = ScheduledRun.objects.filter(created_at__lte=now - timedelta(days=SCHEDULED_RUN_KEEP_DAYS)).delete()
    logger.info("housekeeping: pruned %d task results and %d scheduler records", results, runs)
    return {"task_results": results, "scheduled_runs": runs}
