"""Matching endpoints: start a run on a committed batch, follow it, read and decide the review queue."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ansinh.access.routes import acting_user, api_scoped
from ansinh.imports.selectors import batch_get
from ansinh.jobs.selectors import job_get
from ansinh.review import selectors
from ansinh.review.case_services import duplicate_case_decide
from ansinh.review.models import DuplicateCase, MatchResult
from ansinh.review.services import ReviewError, match_result_decide
from ansinh.review.tasks import match_area_job_start, match_job_start

router = Router(tags=["matching"])
MAX_PAGE = 200


class RunIn(Schema):
    """A committed batch, or (without `batch_id`) everyone of your area, or of the named communes in it."""

    batch_id: int | None = None
    commune_codes: list[str] = []


class JobOut(Schema):
    job_id: int
    status: str
    progress_done: int
    progress_total: int | None
    message: str


class ResultOut(Schema):
    id: int
    person_id: int
    person_name: str
    commune_code: str
    status: str
    probability: float
    differences: list[str]
    explanation: str
    registry: dict[str, object]
    duplicate_group: str
    decision: str
    change: str
    previous_status: str | None


class RunOut(Schema):
    id: int
    scope: str
    batch_id: int | None
    area: str
    population_file: str
    created_at: str
    counts: dict[str, int]
    changes: dict[str, int]
    changed_results: list[ResultOut]


class DuplicateOut(Schema):
    id: int
    run_id: int
    group: str
    decision: str
    members: list[ResultOut]


class DuplicatePage(Schema):
    count: int
    results: list[DuplicateOut]


class QueuePage(Schema):
    count: int
    results: list[ResultOut]


class DecisionIn(Schema):
    accept: bool


def _out(result: MatchResult) -> ResultOut:
    return ResultOut(
        id=result.pk, person_id=result.person_id, person_name=result.person.full_name,
        commune_code=result.person.commune.code, status=result.status, probability=result.probability,
        differences=list(result.differences), explanation=result.explanation, registry=dict(result.registry),
        duplicate_group=result.duplicate_group, decision=result.decision, change=result.change,
        previous_status=result.previous.status if result.previous_id and result.previous else None,
    )  # fmt: skip


@router.post(
    "/runs", response={202: JobOut}, summary="Match a committed batch, or everyone of your area, against the snapshot"
)
@api_scoped
def run_start(request: HttpRequest, payload: RunIn) -> Status:
    user = acting_user(request)
    if not selectors.can_decide(user):
        raise HttpError(403, "Only registry officers start a matching run.")
    snapshot = settings.POPULATION_SNAPSHOT
    if not snapshot or not Path(snapshot).is_file():
        raise HttpError(409, "No population-registry snapshot is configured (ANSINH_POPULATION_SNAPSHOT).")
    if payload.batch_id is None:
        job = match_area_job_start(user=user, population_path=Path(snapshot), commune_codes=payload.commune_codes)
        return Status(202, _job(job.pk, request))
    batch = batch_get(user=user, batch_id=payload.batch_id)
    if batch is None:
        raise Http404
    job = match_job_start(user=user, batch=batch, population_path=Path(snapshot))
    return Status(202, _job(job.pk, request))


@router.get("/runs/{run_id}", response=RunOut, summary="A run: counts, and what changed since the previous results")
@api_scoped
def run_detail(request: HttpRequest, run_id: int) -> RunOut:
    user = acting_user(request)
    run = selectors.run_get(user=user, run_id=run_id)
    if run is None:
        raise Http404
    changed = selectors.run_changes(user=user, run=run)[: MAX_PAGE * 5]
    return RunOut(
        id=run.pk, scope=run.scope, batch_id=run.batch_id, area=run.area, population_file=run.population_file,
        created_at=run.created_at.isoformat(), counts=dict(run.counts), changes=dict(run.changes),
        changed_results=[_out(r) for r in changed],
    )  # fmt: skip


def _duplicate_out(case: DuplicateCase) -> DuplicateOut:
    return DuplicateOut(
        id=case.pk, run_id=case.run_id, group=case.group, decision=case.decision,
        members=[_out(m) for m in selectors.duplicate_members(case=case)],
    )  # fmt: skip


@router.get("/duplicates", response=DuplicatePage, summary="Duplicate cases waiting for a decision in your area")
@api_scoped
def duplicates(request: HttpRequest, offset: int = 0, limit: int = 50) -> DuplicatePage:
    cases = selectors.duplicate_queue(user=acting_user(request))
    limit = max(1, min(limit, MAX_PAGE))
    page = list(cases[max(offset, 0) : max(offset, 0) + limit])
    return DuplicatePage(count=cases.count(), results=[_duplicate_out(c) for c in page])


@router.post("/duplicates/{case_id}/decision", response=DuplicateOut, summary="Confirm or reject a duplicate case")
@api_scoped
def duplicate_decide(request: HttpRequest, case_id: int, payload: DecisionIn) -> DuplicateOut:
    user = acting_user(request)
    if selectors.duplicate_case_get(user=user, case_id=case_id) is None:
        raise Http404
    if not selectors.can_decide(user):
        raise HttpError(403, "Only registry officers decide on matching results.")
    try:
        case = duplicate_case_decide(user=user, case_id=case_id, accept=payload.accept)
    except ReviewError as exc:
        raise HttpError(409, str(exc)) from exc
    return _duplicate_out(case)


def _job(job_id: int, request: HttpRequest) -> JobOut:
    job = job_get(user=acting_user(request), job_id=job_id)
    if job is None:
        raise Http404
    return JobOut(job_id=job.pk, status=job.status, progress_done=job.progress_done,
                  progress_total=job.progress_total, message=job.message)  # fmt: skip


@router.get("/runs/jobs/{job_id}", response=JobOut, summary="A matching job's status and progress")
@api_scoped
def run_status(request: HttpRequest, job_id: int) -> JobOut:
    return _job(job_id, request)


@router.get("/queue", response=QueuePage, summary="Results waiting for a decision in your area")
@api_scoped
def queue(request: HttpRequest, status: str = "", offset: int = 0, limit: int = 50) -> QueuePage:
    results = selectors.result_queue(user=acting_user(request), status=status)
    limit = max(1, min(limit, MAX_PAGE))
    page = list(results[max(offset, 0) : max(offset, 0) + limit])
    return QueuePage(count=results.count(), results=[_out(r) for r in page])


@router.post("/results/{result_id}/decision", response=ResultOut, summary="Accept or reject one result")
@api_scoped
def decide(request: HttpRequest, result_id: int, payload: DecisionIn) -> ResultOut:
    user = acting_user(request)
    if selectors.result_get(user=user, result_id=result_id) is None:
        raise Http404
    if not selectors.can_decide(user):
        raise HttpError(403, "Only registry officers decide on matching results.")
    try:
        result = match_result_decide(user=user, result_id=result_id, accept=payload.accept)
    except ReviewError as exc:
        raise HttpError(409, str(exc)) from exc
    return _out(result)
