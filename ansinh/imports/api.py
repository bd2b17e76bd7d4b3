"""Import endpoints: upload a list, follow its batch, read its problems, commit its valid rows.

A small upload (up to `SYNC_UPLOAD_BYTES`) is read in the request and answered with its batch (201);
a bigger one is read by a job and answered with the job (202), to be followed at /imports/jobs/{id}
until it names its batch. A commit is likewise done in the request up to `SYNC_COMMIT_ROWS` valid
rows, and by a job beyond. Every answer is limited to the token owner's area.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ansinh.access.models import User
from ansinh.access.routes import acting_user, api_scoped
from ansinh.api.base import ErrorResponse
from ansinh.geo.models import Commune
from ansinh.imports import selectors, services, tasks
from ansinh.imports.forms import check_upload
from ansinh.imports.models import ImportBatch
from ansinh.jobs.models import Job
from ansinh.reader import UnreadableFile
from ansinh.registry.models import Category

router = Router(tags=["imports"])
SYNC_UPLOAD_BYTES = 2 * 1024 * 1024
SYNC_COMMIT_ROWS = 10_000
MAX_PAGE = 500


class ColumnOut(Schema):
    letter: str
    header: str
    field: str | None


class JobOut(Schema):
    id: int
    kind: str
    status: str
    done: int
    total: int | None
    percent: int | None
    error: str
    batch_id: int | None


class BatchOut(Schema):
    id: int
    file_name: str
    category: str
    status: str
    default_commune: str | None
    counts: dict[str, int]
    columns: list[ColumnOut]
    created_at: str
    committed_at: str | None
    job: JobOut | None = None


class BatchPage(Schema):
    count: int
    results: list[BatchOut]


class ProblemOut(Schema):
    sheet_row: int | None
    data_row: int | None
    level: str
    code: str
    column: str
    message: str


class ProblemPage(Schema):
    results: list[ProblemOut]
    next_offset: int | None


def _error(status: int, code: str, message: str, details: Any = None) -> Status[dict[str, Any]]:
    return Status(status, {"error": {"code": code, "message": message, "details": details}})


def _job_out(job: Job) -> JobOut:
    batch_id = job.result.get("batch_id") if isinstance(job.result, dict) else None
    return JobOut(
        id=job.pk,
        kind=job.kind,
        status=job.status,
        done=job.progress_done,
        total=job.progress_total or None,
        percent=job.percent,
        error=job.error,
        batch_id=batch_id,
    )


def _batch_out(batch: ImportBatch, job: Job | None = None) -> BatchOut:
    return BatchOut(
        id=batch.pk,
        file_name=batch.file_name,
        category=batch.category,
        status=batch.status,
        default_commune=batch.default_commune.code if batch.default_commune else None,
        counts={key: int(value) for key, value in batch.counts.items()},
        columns=[ColumnOut(letter=c["letter"], header=c["header"], field=c["field"]) for c in batch.columns],
        created_at=batch.created_at.isoformat(),
        committed_at=batch.committed_at.isoformat() if batch.committed_at else None,
        job=_job_out(job) if job is not None else None,
    )


def _batch_or_404(request: HttpRequest, batch_id: int) -> ImportBatch:
    batch = selectors.batch_get(user=acting_user(request), batch_id=batch_id)
    if batch is None:
        raise Http404
    return batch


def _upload_checks(
    user: User, file: UploadedFile, category: str, commune: str
) -> tuple[Commune | None, Status[dict[str, Any]] | None]:
    """The default commune, or the error answer for an upload that cannot be taken."""
    if not selectors.can_stage(user):
        return None, _error(403, "forbidden", "Only registry officers may import lists.")
    if category not in Category.values:
        return None, _error(400, "bad_request", f"Unknown category; one of: {', '.join(Category.values)}.")
    default_commune = None
    if commune.strip():
        default_commune = selectors.communes_for_upload(user=user).filter(code=commune.strip()).first()
        if default_commune is None:
            return None, _error(400, "bad_request", "The commune code is unknown or outside your area.")
    refused = check_upload(file)
    if refused:
        return None, _error(422, "file_refused", refused)
    return default_commune, None


@router.post(
    "/batches",
    response={201: BatchOut, 202: JobOut, 400: ErrorResponse, 403: ErrorResponse, 422: ErrorResponse},
    summary="Upload a list: stage it as a batch (201), or start a job reading it (202) when it is big",
)
@api_scoped
def batch_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    category: Form[str],
    commune: Form[str] = "",
    sheet: Form[str] = "",
) -> Any:
    user = acting_user(request)
    default_commune, refused = _upload_checks(user, file, category, commune)
    if refused is not None:
        return refused
    path = services.upload_save(upload=file)
    file_name = Path(file.name or path.name).name[:255]
    if (file.size or 0) > SYNC_UPLOAD_BYTES:
        job = tasks.stage_job_start(
            user=user,
            path=path,
            file_name=file_name,
            category=category,
            default_commune=default_commune,
            sheet=sheet.strip() or None,
        )
        return Status(202, _job_out(job))
    try:
        batch = services.batch_stage(
            user=user,
            path=path,
            category=category,
            default_commune=default_commune,
            sheet=sheet.strip() or None,
            file_name=file_name,
        )
    except UnreadableFile as exc:
        return _error(422, "unreadable_file", exc.render(gettext), {"reason": exc.code})
    finally:
        path.unlink(missing_ok=True)
    return Status(201, _batch_out(batch))


@router.get("/batches", response=BatchPage, summary="Batches you may see, newest first")
@api_scoped
def batches_list(request: HttpRequest, offset: int = 0, limit: int = 50) -> BatchPage:
    limit = max(1, min(limit, MAX_PAGE))
    batches = selectors.batch_list(user=acting_user(request))
    found = batches[max(offset, 0) : max(offset, 0) + limit]
    return BatchPage(count=batches.count(), results=[_batch_out(b) for b in found])


@router.get("/batches/{batch_id}", response=BatchOut, summary="A batch: status, counts, mapping and running job")
@api_scoped
def batch_status(request: HttpRequest, batch_id: int) -> BatchOut:
    batch = _batch_or_404(request, batch_id)
    return _batch_out(batch, selectors.batch_active_job(user=acting_user(request), batch=batch))


@router.get(
    "/batches/{batch_id}/problems",
    response=ProblemPage,
    summary="A batch's problems, file problems first, as the command line's report lists them",
)
@api_scoped
def batch_problems(
    request: HttpRequest, batch_id: int, level: str = "", offset: int = 0, limit: int = 100
) -> ProblemPage:
    batch = _batch_or_404(request, batch_id)
    if level not in ("", *selectors.LEVELS):
        raise HttpError(400, "level is error, warning or empty")
    offset, limit = max(offset, 0), max(1, min(limit, MAX_PAGE))
    results: list[ProblemOut] = []
    more = False
    for position, found in enumerate(selectors.batch_problems(user=acting_user(request), batch=batch, level=level)):
        if position < offset:
            continue
        if len(results) == limit:
            more = True
            break
        results.append(
            ProblemOut(
                sheet_row=found["sheet_row"],
                data_row=found["data_row"],
                level=found["level"],
                code=found.get("code", ""),
                column=found.get("column", ""),
                message=selectors.problem_text(found),
            )
        )
    return ProblemPage(results=results, next_offset=offset + limit if more else None)


@router.post(
    "/batches/{batch_id}/commit",
    response={200: BatchOut, 202: JobOut, 403: ErrorResponse, 409: ErrorResponse},
    summary="Commit a staged batch's valid rows (200), or start a job doing it (202) when there are many",
)
@api_scoped
def batch_commit(request: HttpRequest, batch_id: int) -> Any:
    user = acting_user(request)
    batch = _batch_or_404(request, batch_id)
    if not selectors.can_stage(user) or not selectors.batch_in_user_area(user=user, batch=batch):
        return _error(403, "forbidden", "Only a registry officer whose area covers the whole batch may commit it.")
    if batch.status != ImportBatch.Status.STAGED:
        return _error(409, "conflict", "The batch is committed already.", {"counts": batch.counts})
    active = selectors.batch_active_job(user=user, batch=batch)
    if active is not None:
        return Status(202, _job_out(active))
    if int(batch.counts.get("pending", 0)) > SYNC_COMMIT_ROWS:
        job = tasks.commit_job_start(user=user, batch=batch)
        return Status(202, _job_out(job))
    services.batch_commit(user=user, batch_id=batch.pk)
    batch.refresh_from_db()
    return Status(200, _batch_out(batch))


@router.get("/jobs/{job_id}", response=JobOut, summary="An import job: progress, error, and its batch once known")
@api_scoped
def job_status(request: HttpRequest, job_id: int) -> JobOut:
    job = selectors.import_job_get(user=acting_user(request), job_id=job_id)
    if job is None:
        raise Http404
    return _job_out(job)
