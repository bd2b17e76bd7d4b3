"""Background work of imports: stage an uploaded file, read a batch again with a new mapping, commit it.

Each task runs as a job (progress bar, safe error message). The user is the job's creator; a file
the reader cannot read fails the job with the reader's one-line reason, translated, as its message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django_tasks import task

from ansinh.access.models import User
from ansinh.geo.models import Commune
from ansinh.imports.models import ImportBatch
from ansinh.imports.services import BatchError, batch_commit, batch_restage, batch_stage
from ansinh.jobs.models import Job
from ansinh.jobs.runner import JobError, JobProgress, job_task
from ansinh.jobs.services import job_create
from ansinh.reader import UnreadableFile


def _user(job: Job) -> User:
    if job.created_by is None:
        raise JobError(gettext("The user who started this import no longer exists."))
    return job.created_by


def _each(progress: JobProgress) -> Callable[[int], None]:
    """The services' progress callback (rows done so far) over the job's throttled reporter."""

    def report(done: int) -> None:
        progress(done)

    return report


def _result(batch: ImportBatch) -> dict[str, Any]:
    return {"batch_id": batch.pk, **batch.counts}


@task()
@job_task
def stage_upload(
    job: Job,
    progress: JobProgress,
    *,
    path: str,
    file_name: str,
    category: str,
    commune_id: int | None = None,
    sheet: str | None = None,
) -> dict[str, Any]:
    """Read and validate an uploaded file into a new batch; the upload's temporary file goes either way."""
    upload = Path(path)
    try:
        progress(0, message=gettext("Reading the file"), force=True)
        commune = Commune.objects.filter(pk=commune_id).first() if commune_id else None
        batch = batch_stage(
            user=_user(job),
            path=upload,
            category=category,
            default_commune=commune,
            sheet=sheet or None,
            file_name=file_name,
            progress=_each(progress),
        )
    except UnreadableFile as exc:
        raise JobError(exc.render(gettext)) from None
    finally:
        upload.unlink(missing_ok=True)
    return _result(batch)


@task()
@job_task
def restage_batch(job: Job, progress: JobProgress, *, batch_id: int, mapping: list[list[Any]]) -> dict[str, Any]:
    """Read a staged batch's file again with `mapping` ([[column index, field or None], ...])."""
    progress(0, message=gettext("Reading the file again"), force=True)
    try:
        batch = batch_restage(
            user=_user(job),
            batch_id=batch_id,
            mapping={int(index): field or None for index, field in mapping},
            progress=_each(progress),
        )
    except (UnreadableFile, BatchError) as exc:
        raise JobError(exc.render(gettext)) from None
    return _result(batch)


@task()
@job_task
def commit_batch(job: Job, progress: JobProgress, *, batch_id: int) -> dict[str, Any]:
    """Commit a staged batch's valid rows to the registry."""
    pending = ImportBatch.objects.filter(pk=batch_id).values_list("counts", flat=True).first() or {}
    progress(0, pending.get("pending") or None, gettext("Committing valid rows"), force=True)
    counts = batch_commit(user=_user(job), batch_id=batch_id, progress=_each(progress))
    return {"batch_id": batch_id, **asdict(counts)}


# -- starting them: each creates the job, queued when the transaction commits ------------------------------


def stage_job_start(
    *, user: User, path: Path, file_name: str, category: str, default_commune: Commune | None, sheet: str | None
) -> Job:
    """Start reading an upload saved at `path` (the task removes it)."""
    with transaction.atomic():
        return job_create(
            kind="imports.stage",
            title=gettext("Reading %(file)s") % {"file": file_name},
            user=user,
            task=stage_upload,
            task_kwargs={
                "path": str(path),
                "file_name": file_name,
                "category": category,
                "commune_id": default_commune.pk if default_commune else None,
                "sheet": sheet or None,
            },
            commune=default_commune,
        )


def restage_job_start(*, user: User, batch: ImportBatch, mapping: dict[int, str | None]) -> Job:
    with transaction.atomic():
        return job_create(
            kind="imports.restage",
            title=gettext("New reading of %(file)s") % {"file": batch.file_name},
            user=user,
            task=restage_batch,
            task_kwargs={"batch_id": batch.pk, "mapping": [[index, field] for index, field in mapping.items()]},
            commune=batch.default_commune,
        )


def commit_job_start(*, user: User, batch: ImportBatch) -> Job:
    with transaction.atomic():
        return job_create(
            kind="imports.commit",
            title=gettext("Commit of %(file)s") % {"file": batch.file_name},
            user=user,
            task=commit_batch,
            task_kwargs={"batch_id": batch.pk},
            commune=batch.default_commune,
        )
