"""Payment endpoints: cycles (list, create, compute, transitions, report), export runs and files, result upload."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ansinh.access.routes import acting_user, api_scoped
from ansinh.access.scoping import area_communes
from ansinh.payments import reconcile, selectors, services, tasks
from ansinh.payments.exporting import export_file_content
from ansinh.payments.models import PaymentCycle, ResultImport

router = Router(tags=["payments"])
MAX_RESULT_BYTES = 200 * 1024 * 1024


class CycleIn(Schema):
    name: str
    commune_codes: list[str]
    period: int | None = None  # YYYYMM
    occasion: str = ""
    occasion_amount: int | None = None


class CycleOut(Schema):
    id: int
    name: str
    kind: str
    period: int | None
    occasion: str
    state: str
    commune_codes: list[str]
    totals: dict[str, Any]


class JobOut(Schema):
    job_id: int


class FileOut(Schema):
    id: int
    kind: str
    name: str
    scope: str
    sha256: str
    size: int
    rows: int
    total_amount: int


class RunOut(Schema):
    number: int
    attempts: int
    total_amount: int
    files: list[FileOut]


class ResultOut(Schema):
    id: int
    status: str
    counts: dict[str, Any]
    problems: list[dict[str, Any]]
    ignored: list[dict[str, Any]]


def _cycle_out(cycle: PaymentCycle) -> CycleOut:
    return CycleOut(
        id=cycle.pk, name=cycle.name, kind=cycle.kind, period=cycle.period, occasion=cycle.occasion,
        state=cycle.state, commune_codes=sorted(cycle.communes.values_list("code", flat=True)),
        totals=services.cycle_totals(cycle),
    )  # fmt: skip


def _cycle(request: HttpRequest, cycle_id: int) -> PaymentCycle:
    cycle = selectors.cycle_get(user=acting_user(request), cycle_id=cycle_id)
    if cycle is None:
        raise Http404
    return cycle


def _refused(exc: services.PaymentError) -> HttpError:
    return HttpError(409, str(exc.text))


@router.get("/cycles", response=list[CycleOut], summary="Payment cycles of your area")
@api_scoped
def cycle_list(request: HttpRequest) -> list[CycleOut]:
    return [_cycle_out(c) for c in selectors.cycle_list(user=acting_user(request))[:200]]


@router.post("/cycles", response={201: CycleOut}, summary="Create a draft cycle for a month or an occasion")
@api_scoped
def cycle_create(request: HttpRequest, payload: CycleIn) -> Status:
    user = acting_user(request)
    communes = list(area_communes(user).filter(code__in=payload.commune_codes))
    if len(communes) != len(set(payload.commune_codes)):
        raise HttpError(403, "Some of these communes are outside your area.")
    try:
        cycle = services.cycle_create(
            user=user, name=payload.name, communes=communes, period=payload.period,
            occasion=payload.occasion, occasion_amount=payload.occasion_amount,
        )  # fmt: skip
    except services.PaymentError as exc:
        raise _refused(exc) from exc
    return Status(201, _cycle_out(cycle))


@router.get("/cycles/{cycle_id}", response=CycleOut, summary="One cycle with its preview totals")
@api_scoped
def cycle_get(request: HttpRequest, cycle_id: int) -> CycleOut:
    return _cycle_out(_cycle(request, cycle_id))


@router.post("/cycles/{cycle_id}/compute", response={202: JobOut}, summary="Compute a draft cycle (a job)")
@api_scoped
def cycle_compute(request: HttpRequest, cycle_id: int) -> Status:
    user = acting_user(request)
    if not services.can_prepare(user):
        raise HttpError(403, "Only social-affairs officers prepare payment cycles.")
    return Status(202, JobOut(job_id=tasks.compute_job_start(user=user, cycle=_cycle(request, cycle_id)).pk))


@router.post("/cycles/{cycle_id}/transitions/{action}", response=CycleOut, summary="Submit, approve or close a cycle")
@api_scoped
def cycle_transition(request: HttpRequest, cycle_id: int, action: str) -> CycleOut:
    cycle = _cycle(request, cycle_id)
    functions = {"submit": services.cycle_submit, "approve": services.cycle_approve, "close": services.cycle_close}
    if action not in functions:
        raise Http404
    try:
        return _cycle_out(functions[action](user=acting_user(request), cycle_id=cycle.pk))
    except services.PaymentError as exc:
        raise _refused(exc) from exc


@router.get(
    "/cycles/{cycle_id}/report", response=dict[str, Any], summary="Planned, paid, failed, re-routed, outstanding"
)
@api_scoped
def cycle_report(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    return selectors.cycle_report(user=acting_user(request), cycle=_cycle(request, cycle_id))


@router.get("/cycles/{cycle_id}/exports", response=list[RunOut], summary="The cycle's export runs and files")
@api_scoped
def export_list(request: HttpRequest, cycle_id: int) -> list[RunOut]:
    runs = selectors.runs_of(cycle=_cycle(request, cycle_id))
    return [
        RunOut(
            number=run.number, attempts=run.attempts_count, total_amount=run.total_amount,
            files=[FileOut(id=f.pk, kind=f.kind, name=f.name, scope=f.scope, sha256=f.sha256, size=f.size,
                           rows=f.rows, total_amount=f.total_amount) for f in run.files.all()],
        )
        for run in runs
    ]  # fmt: skip


@router.post("/cycles/{cycle_id}/exports", response={202: JobOut}, summary="Export what is due (a job)")
@api_scoped
def export_start(request: HttpRequest, cycle_id: int) -> Status:
    user = acting_user(request)
    if not (services.can_prepare(user) or services.can_approve(user)):
        raise HttpError(403, "Only social-affairs officers export payment files.")
    return Status(202, JobOut(job_id=tasks.export_job_start(user=user, cycle=_cycle(request, cycle_id)).pk))


@router.get("/files/{file_id}", summary="Download a stored export file (the same bytes every time)")
@api_scoped
def export_download(request: HttpRequest, file_id: int) -> FileResponse:
    found = selectors.export_file_get(user=acting_user(request), file_id=file_id)
    if found is None:
        raise Http404
    return FileResponse(iter([export_file_content(found)]), as_attachment=True, filename=found.name)


@router.post("/cycles/{cycle_id}/results", response=ResultOut, summary="Upload a bank result file")
@api_scoped
def result_upload(request: HttpRequest, cycle_id: int, file: File[UploadedFile]) -> ResultOut:
    cycle = _cycle(request, cycle_id)
    if file.size is None or file.size > MAX_RESULT_BYTES:
        raise HttpError(413, "The result file is larger than 200 MB.")
    try:
        result: ResultImport = reconcile.result_import(
            user=acting_user(request), cycle_id=cycle.pk, content=file.read(), filename=file.name or "results"
        )
    except services.PaymentError as exc:
        raise _refused(exc) from exc
    return ResultOut(
        id=result.pk, status=result.status, counts=result.counts, problems=result.problems, ignored=result.ignored
    )
