"""The jobs app's own tasks: a demonstration job with progress, and the daily housekeeping."""

from __future__ import annotations

import time

from django.utils.translation import gettext
from django_tasks import task

from ansinh.jobs import services
from ansinh.jobs.models import Job
from ansinh.jobs.runner import JobError, JobProgress, job_task


@task()
@job_task
def sleep_demo(
    job: Job, progress: JobProgress, *, steps: int = 10, delay: float = 0.0, fail_at: int | None = None
) -> dict[str, int]:
    """Count to `steps`, reporting progress; fail at step `fail_at` when given (for tests and demos)."""
    progress(0, steps, gettext("Counting"))
    for step in range(1, steps + 1):
        if delay:
            time.sleep(delay)
        if step == fail_at:
            raise JobError(gettext("The demonstration stopped at step %(step)d, as asked.") % {"step": step})
        progress(step)
    return {"counted": steps}


@task()
def housekeeping() -> dict[str, int]:
    """Daily: prune old finished task results and scheduler records."""
    return services.jobs_housekeep()
