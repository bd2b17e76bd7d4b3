"""The task side of a job: the wrapper that records its outcome and the progress reporter.

A job-backed task is written as::

    @task()
    @job_task
    def batch_import(job: Job, progress: JobProgress, *, batch_id: int) -> dict[str, int]:
        progress(0, total_rows)
        ...
        progress(done, message=gettext("Reading rows"))
        return {"rows": total_rows}

and started from a service with `job_create(kind="import", title=..., user=..., task=batch_import,
task_kwargs={"batch_id": batch.pk})`. The worker calls it with the job id.
"""

from __future__ import annotations

import functools
import logging
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Concatenate, ParamSpec, TypeVar

from django.utils.translation import gettext

from ansinh.jobs import services
from ansinh.jobs.models import Job

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

PROGRESS_INTERVAL = 0.5  # seconds between progress writes; a bar needs no more


class JobError(Exception):
    """A failure whose message is fit to show to the user (and holds no personal data)."""


class JobFailed(Exception):
    """Raised by the wrapper so the task queue records a failure without the original message."""


class JobProgress:
    """Reports progress for one job, writing at most every `min_interval` seconds.

    The first report, a forced one and the one that reaches the total are always written. Progress
    written inside an open transaction is only seen after its commit: report between chunks.
    """

    def __init__(self, job_id: int, *, min_interval: float = PROGRESS_INTERVAL) -> None:
        self.job_id = job_id
        self.min_interval = min_interval
        self.done = 0
        self.total: int | None = None
        self._last_write: float | None = None

    def __call__(self, done: int, total: int | None = None, message: str | None = None, *, force: bool = False) -> bool:
        """Record `done` (of `total`, when given); return True when it was written to the database."""
        self.done = done
        if total is not None:
            self.total = total
        finishing = bool(self.total) and done >= (self.total or 0)
        now = time.monotonic()
        due = self._last_write is None or now - self._last_write >= self.min_interval
        if not (due or force or finishing):
            return False
        services.job_progress_save(job_id=self.job_id, done=done, total=total, message=message)
        self._last_write = now
        return True

    @property
    def reported(self) -> bool:
        return self._last_write is not None

    def advance(self, step: int = 1, message: str | None = None) -> bool:
        return self(self.done + step, message=message)


_reporters: dict[int, JobProgress] = {}


def job_progress(
    job_id: int, done: int, total: int | None = None, message: str | None = None, *, force: bool = False
) -> bool:
    """Throttled progress by job id, for code that has the id but not the `JobProgress` object."""
    reporter = _reporters.setdefault(job_id, JobProgress(job_id))
    written = reporter(done, total, message, force=force)
    if reporter.total and done >= reporter.total:
        _reporters.pop(job_id, None)
    return written


def job_task(func: Callable[Concatenate[Job, JobProgress, P], R]) -> Callable[Concatenate[int, P], R | None]:
    """Wrap a task function so the job is marked running, then succeeded or failed.

    The wrapped function receives the `Job` and a `JobProgress` and returns a JSON-able result (a
    dict is stored in `Job.result`). On failure the job keeps a safe message (a `JobError`'s own text,
    otherwise a generic one), the log gets the exception's class and stack without its message, and
    `JobFailed` is raised so the task queue records the failure. A job runs once: a second delivery
    of the same job id is skipped.
    """

    @functools.wraps(func)
    def run(job_id: int, /, *args: P.args, **kwargs: P.kwargs) -> R | None:
        job = services.job_start(job_id=job_id)
        if job is None:
            logger.warning("job %s: missing or already started; skipped", job_id)
            return None
        progress = JobProgress(job_id)
        try:
            result = func(job, progress, *args, **kwargs)
        except Exception as exc:
            # Show where it stopped: the last reports may have been held back by the throttle.
            for reporter in (progress, _reporters.get(job_id)):
                if reporter is not None and reporter.reported:
                    services.job_progress_save(job_id=job_id, done=reporter.done, total=reporter.total)
            if isinstance(exc, JobError):
                error = str(exc)
                logger.info("job %s (%s) stopped: the task reported a failure", job_id, job.kind)
            else:
                error = _unexpected_error(exc)
                logger.warning(
                    "job %s (%s) failed with %s\n%s", job_id, job.kind, type(exc).__name__, _stack_without_message(exc)
                )
            services.job_fail(job_id=job_id, error=error)
            raise JobFailed(error) from None
        finally:
            _reporters.pop(job_id, None)
        stored = result if isinstance(result, Mapping) else {} if result is None else {"value": result}
        services.job_succeed(job_id=job_id, result=stored)
        return result

    return run


def _unexpected_error(exc: BaseException) -> str:
    return gettext("The job stopped on an unexpected error (%(kind)s). The administrator can find it in the log.") % {
        "kind": type(exc).__name__
    }


def _stack_without_message(exc: BaseException) -> str:
    # Frames (file, line, source) locate the bug; the message may quote a row with an ID number.
    return "".join(traceback.TracebackException.from_exception(exc).stack.format())


__all__ = ["JobError", "JobFailed", "JobProgress", "job_progress", "job_task"]
