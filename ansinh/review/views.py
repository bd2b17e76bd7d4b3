"""The review queue: matching results of the user's area, side by side with the registry, one POST to decide."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ansinh.access.models import User
from ansinh.access.routes import acting_user, scoped
from ansinh.access.scoping import can_see_unmasked
from ansinh.lib.masking import mask_number
from ansinh.registry.models import Sex
from ansinh.registry.services import person_views_record
from ansinh.review import case_services, selectors, services
from ansinh.review.models import REVIEW_STATUSES, Decision, DuplicateCase, MatchResult
from ansinh.review.tasks import match_area_job_start

PAGE_SIZE = 30
FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "commune_code")


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "review/forbidden.html", status=403)


def _sex(code: str | None) -> str:
    return str(Sex(code).label) if code in Sex.values else ""


def _date(text: str | None) -> str:
    """An ISO (partial) date as lists write it: dd/mm/yyyy, mm/yyyy or yyyy."""
    if not text:
        return ""
    return "/".join(reversed(text[:10].split("-")))


def _result_view(user: User, result: MatchResult) -> dict[str, Any]:
    person, registry = result.person, result.registry
    number = (lambda value: value) if can_see_unmasked(user) else mask_number
    ours = {
        "full_name": person.full_name,
        "date_of_birth": person.birth_date_display,
        "sex": _sex(person.sex),
        "citizen_id": number(person.citizen_id or person.old_id),
        "commune_code": person.commune.code,
    }
    theirs = {
        "full_name": registry.get("full_name") or "",
        "date_of_birth": _date(registry.get("date_of_birth")),
        "sex": _sex(registry.get("sex")),
        "citizen_id": number(result.citizen_id),
        "commune_code": registry.get("commune_code") or "",
    }
    return {
        "result": result,
        "fields": [
            {"name": name, "ours": ours[name], "theirs": theirs[name], "differs": name in result.differences}
            for name in FIELDS
        ],
        "date_of_death": _date(registry.get("date_of_death")),
        "can_decide": selectors.can_decide(user) and result.decision == MatchResult.Decision.PENDING,
    }


@scoped
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read_review(user):
        return _forbidden(request)
    status = request.GET.get("status", "")
    if status not in REVIEW_STATUSES:
        status = ""
    page = Paginator(selectors.result_queue(user=user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    results = list(page.object_list)
    person_views_record(user=user, people=[r.person for r in results])
    return render(
        request,
        "review/queue.html",
        {
            "page": page,
            "items": [_result_view(user, r) for r in results],
            "status": status,
            "statuses": [(s.value, s.label) for s in REVIEW_STATUSES],
        },
    )


def _accepted(request: HttpRequest) -> bool | None:
    """The queue's two buttons post decision=accept or decision=reject; anything else is None."""
    decision = request.POST.get("decision")
    return None if decision not in ("accept", "reject") else decision == "accept"


@scoped
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if selectors.result_get(user=user, result_id=pk) is None:
        raise Http404
    if not selectors.can_decide(user):
        return _forbidden(request)
    accept = _accepted(request)
    if accept is None:
        return HttpResponse(status=400)
    error = None
    try:
        services.match_result_decide(user=user, result_id=pk, accept=accept)
    except services.ReviewError as exc:
        error = exc.text
    if not request.headers.get("HX-Request"):
        return redirect(reverse("review:queue"))
    result = selectors.result_get(user=user, result_id=pk)
    if result is None:  # a move handed the person to a commune outside the user's area
        return render(request, "review/_moved.html", {"pk": pk})
    return render(request, "review/_result.html", {"item": _result_view(user, result), "error": error})


@scoped
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read_review(user):
        return _forbidden(request)
    page = Paginator(selectors.runs_in_area(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/runs.html", {"page": page, "can_start": selectors.can_decide(user)})


@scoped
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run and only what changed in it: results new or different since each person's previous result."""
    user = acting_user(request)
    if not selectors.can_read_review(user):
        return _forbidden(request)
    run = selectors.run_get(user=user, run_id=pk)
    if run is None:
        raise Http404
    page = Paginator(selectors.run_changes(user=user, run=run), PAGE_SIZE).get_page(request.GET.get("page"))
    results = list(page.object_list)
    person_views_record(user=user, people=[r.person for r in results])
    return render(
        request,
        "review/run.html",
        {"run": run, "page": page, "items": [_result_view(user, r) for r in results]},
    )


def _case_view(user: User, case: DuplicateCase) -> dict[str, Any]:
    members = list(selectors.duplicate_members(case=case))
    person_views_record(user=user, people=[m.person for m in members])
    return {
        "case": case,
        "members": [_result_view(user, m) for m in members],
        "can_decide": selectors.can_decide(user) and case.decision == Decision.PENDING,
    }


@scoped
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read_review(user):
        return _forbidden(request)
    page = Paginator(selectors.duplicate_queue(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "review/duplicates.html", {"page": page, "cases": [_case_view(user, c) for c in page.object_list]}
    )


@scoped
@require_POST
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if selectors.duplicate_case_get(user=user, case_id=pk) is None:
        raise Http404
    if not selectors.can_decide(user):
        return _forbidden(request)
    accept = _accepted(request)
    if accept is None:
        return HttpResponse(status=400)
    error = None
    try:
        case_services.duplicate_case_decide(user=user, case_id=pk, accept=accept)
    except services.ReviewError as exc:
        error = exc.text
    if not request.headers.get("HX-Request"):
        return redirect(reverse("review:duplicates"))
    case = selectors.duplicate_case_get(user=user, case_id=pk)
    if case is None:
        raise Http404
    return render(request, "review/_duplicate.html", {"item": _case_view(user, case), "error": error})


REPORT_HEADER = ("citizen_id", "field", "registry_value", "correct_value", "reason", "commune_code", "created_at")


@scoped
@require_GET
def reports_csv(request: HttpRequest) -> HttpResponse:
    """Corrections to report to the population registry (reversed deaths), as CSV for the registry's office.

    Only officers who see numbers unmasked may export them: the file carries ID numbers.
    """
    user = acting_user(request)
    if not selectors.can_read_review(user) or not can_see_unmasked(user):
        return _forbidden(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registry-corrections.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(REPORT_HEADER)
    for report in selectors.registry_reports(user=user).select_related("person__commune"):
        writer.writerow(
            [
                report.citizen_id, report.field, report.registry_value, report.correct_value, report.reason,
                report.person.commune.code, report.created_at.isoformat(),
            ]
        )  # fmt: skip
    return response


@scoped
@require_POST
def area_run_start(request: HttpRequest) -> HttpResponse:
    """Match everyone of the officer's area against the configured snapshot, as a job."""
    user = acting_user(request)
    if not selectors.can_decide(user):
        return _forbidden(request)
    snapshot = settings.POPULATION_SNAPSHOT
    if not snapshot or not Path(snapshot).is_file():
        return render(request, "review/no_snapshot.html", status=409)
    job = match_area_job_start(user=user, population_path=Path(snapshot), commune_codes=[])
    return redirect(reverse("jobs:detail", args=[job.pk]))
