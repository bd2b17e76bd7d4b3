"""Job pages: the list, one job, and the progress partial that HTMX polls while the job runs."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ansinh.access.routes import scoped
from ansinh.jobs import selectors
from ansinh.jobs.models import Job

PAGE_SIZE = 50


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    job = selectors.job_get(user=request.user, job_id=pk)  # type: ignore[arg-type]
    if job is None:
        raise Http404
    return job


@scoped
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobs_for_user(user=request.user)  # type: ignore[arg-type]
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


@scoped
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job_detail.html", {"job": _job_or_404(request, pk)})


@scoped
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    if not job.is_active:
        # Lets a page that shows the bar react (e.g. reload its results) when the job ends.
        response["HX-Trigger"] = "job-finished"
    response["Cache-Control"] = "no-store"
    return response
