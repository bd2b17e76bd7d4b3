"""Background work of the review app: a matching run as a job with progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django_tasks import task

from ansinh.access.models import User
from ansinh.imports.models import ImportBatch
from ansinh.jobs.models import Job
from ansinh.jobs.runner import JobError, JobProgress, job_task
from ansinh.jobs.services import job_create
from ansinh.matching import InputError
from ansinh.review.services import ReviewError, match_run_for_area, match_run_for_batch


@task()
@job_task
def match_batch(job: Job, progress: JobProgress, *, batch_id: int, population_path: str) -> dict[str, Any]:
    """Match a committed batch against a registry snapshot and fill the review queue."""
    if job.created_by is None:
        raise JobError(gettext("The user who started this run no longer exists."))
    progress(0, message=gettext("Matching against the population registry"), force=True)
    try:
        run = match_run_for_batch(user=job.created_by, batch_id=batch_id, population_path=Path(population_path))
    except ReviewError as exc:
        raise JobError(str(exc.text)) from None
    except InputError:
        # The engine's message may quote a file's content: keep it out of the job's text.
        raise JobError(gettext("The registry snapshot or the list could not be read.")) from None
    return {"run_id": run.pk, **run.counts}


@task()
@job_task
def match_area(job: Job, progress: JobProgress, *, commune_codes: list[str], population_path: str) -> dict[str, Any]:
    """Match everyone of the starting user's area (or of the named communes) and fill the review queue."""
    if job.created_by is None:
        raise JobError(gettext("The user who started this run no longer exists."))
    progress(0, message=gettext("Matching against the population registry"), force=True)
    try:
        run = match_run_for_area(
            user=job.created_by, population_path=Path(population_path), commune_codes=commune_codes
        )
    except ReviewError as exc:
        raise JobError(str(exc.text)) from None
    except InputError:
        raise JobError(gettext("The registry snapshot or the list could not be read.")) from None
    return {"run_id": run.pk, **run.counts, "changes": run.changes}


def match_area_job_start(*, user: User, population_path: Path, commune_codes: list[str]) -> Job:
    """Start matching everyone of the user's area (or of `commune_codes` in it) against the snapshot."""
    with transaction.atomic():
        return job_create(
            kind="review.match",
            title=gettext("Matching of everyone in %(area)s")
            % {"area": ", ".join(commune_codes) or gettext("your area")},
            user=user,
            task=match_area,
            task_kwargs={"commune_codes": commune_codes, "population_path": str(population_path)},
        )


def match_job_start(*, user: User, batch: ImportBatch, population_path: Path) -> Job:
    """Start matching `batch` against the snapshot at `population_path` (a file the worker can read)."""
    with transaction.atomic():
        return job_create(
            kind="review.match",
            title=gettext("Matching of %(file)s") % {"file": batch.file_name},
            user=user,
            task=match_batch,
            task_kwargs={"batch_id": batch.pk, "population_path": str(population_path)},
            commune=batch.default_commune,
        )
