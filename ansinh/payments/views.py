"""Pages of payment cycles: list and create, preview and state actions, files, results, failed queue, report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.access.models import Organisation
from ansinh.access.routes import acting_user, scoped
from ansinh.access.scoping import area_communes
from ansinh.geo.models import Commune
from ansinh.lib.svgchart import Series, bar_chart
from ansinh.payments import reconcile, selectors, services, tasks
from ansinh.payments.exporting import export_file_content
from ansinh.payments.models import PaymentCycle
from ansinh.payouts.models import Channel
from ansinh.registry.models import Category

# Result files up to this size are applied during the request; larger ones run as a job.
INLINE_RESULT_BYTES = 2 * 1024 * 1024
MAX_RESULT_BYTES = 200 * 1024 * 1024


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "payments/forbidden.html", status=403)


def _cycle(request: HttpRequest, pk: int) -> PaymentCycle:
    cycle = selectors.cycle_get(user=acting_user(request), cycle_id=pk)
    if cycle is None:
        raise Http404
    return cycle


def _period(text: str) -> int | None:
    """'2026-11' (an <input type="month">) as 202611."""
    try:
        year, month = text.split("-")
        return int(year) * 100 + int(month)
    except ValueError:
        return None


@scoped
@require_http_methods(["GET", "POST"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read(user):
        return _forbidden(request)
    if request.method == "POST":
        if not services.can_prepare(user):
            return _forbidden(request)
        communes = list(area_communes(user).filter(pk__in=request.POST.getlist("communes")))
        occasion = request.POST.get("occasion", "").strip()
        try:
            amount = int(request.POST.get("occasion_amount") or 0) or None
            cycle = services.cycle_create(
                user=user,
                name=request.POST.get("name", "").strip()[:200] or _("Payment cycle"),
                communes=communes,
                period=None if occasion else _period(request.POST.get("period", "")),
                occasion=occasion,
                occasion_amount=amount,
            )
        except (services.PaymentError, ValueError) as exc:
            messages.error(request, str(getattr(exc, "text", _("Check the amount."))))
            return redirect("payments:cycle_list")
        return redirect("payments:cycle_detail", pk=cycle.pk)
    cycles = selectors.cycle_list(user=user)[:200]
    return render(
        request,
        "payments/cycle_list.html",
        {"cycles": cycles, "can_prepare": services.can_prepare(user), "communes": area_communes(user)[:500]},
    )


def _labelled(rows: list[dict[str, Any]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    return [{**row, "label": labels.get(row["key"], str(row["key"]))} for row in rows]


@scoped
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    cycle = _cycle(request, pk)
    totals = services.cycle_totals(cycle)
    names = dict(Commune.objects.filter(pk__in=[r["key"] for r in totals["commune"]]).values_list("pk", "name"))
    context = {
        "cycle": cycle,
        "totals": totals,
        "by_commune": _labelled(totals["commune"], names),
        "by_category": _labelled(totals["category"], {c.value: str(c.label) for c in Category}),
        "by_channel": _labelled(totals["channel"], {c.value: str(c.label) for c in Channel}),
        "runs": selectors.runs_of(cycle=cycle),
        "imports": selectors.imports_of(cycle=cycle)[:20],
        "can_prepare": services.can_prepare(user),
        "can_approve": services.can_approve(user),
    }
    return render(request, "payments/cycle_detail.html", context)


ACTIONS = {
    "submit": services.cycle_submit,
    "approve": services.cycle_approve,
    "close": services.cycle_close,
}


@scoped
@require_POST
def cycle_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    cycle = _cycle(request, pk)
    try:
        if action == "compute":
            if not services.can_prepare(user):
                return _forbidden(request)
            job = tasks.compute_job_start(user=user, cycle=cycle)
            return redirect("jobs:detail", pk=job.pk)
        if action == "export":
            if not (services.can_prepare(user) or services.can_approve(user)):
                return _forbidden(request)
            job = tasks.export_job_start(user=user, cycle=cycle)
            return redirect("jobs:detail", pk=job.pk)
        if action == "return":
            services.cycle_return(user=user, cycle_id=cycle.pk, reason=request.POST.get("reason", ""))
        elif action in ACTIONS:
            ACTIONS[action](user=user, cycle_id=cycle.pk)
        else:
            raise Http404
    except services.PaymentError as exc:
        messages.error(request, str(exc.text))
    return redirect("payments:cycle_detail", pk=cycle.pk)


@scoped
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    found = selectors.export_file_get(user=acting_user(request), file_id=pk)
    if found is None:
        raise Http404
    try:
        content = export_file_content(found)
    except services.PaymentError as exc:
        return HttpResponse(str(exc.text), status=409)
    return FileResponse(iter([content]), as_attachment=True, filename=found.name)


@scoped
@require_POST
def result_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    cycle = _cycle(request, pk)
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > MAX_RESULT_BYTES:
        messages.error(request, _("Choose a result file (at most 200 MB)."))
        return redirect("payments:cycle_detail", pk=cycle.pk)
    content = upload.read()
    name = upload.name or "results"
    if len(content) > INLINE_RESULT_BYTES:
        job = tasks.import_job_start(user=user, cycle=cycle, content=content, filename=name)
        return redirect("jobs:detail", pk=job.pk)
    try:
        result = reconcile.result_import(user=user, cycle_id=cycle.pk, content=content, filename=name)
    except services.PaymentError as exc:
        messages.error(request, str(exc.text))
    else:
        if result.status == result.Status.REFUSED:
            messages.error(request, _("The file was refused and changed nothing; the reasons are listed below."))
        else:
            messages.success(request, _("The results were applied."))
    return redirect("payments:cycle_detail", pk=cycle.pk)


@scoped
@require_GET
def failed_queue(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    cycle = _cycle(request, pk)
    payments = list(selectors.failed_queue(user=user, cycle=cycle)[:500])
    organisations = Organisation.objects.filter(kind=Organisation.Kind.PAYMENT_SERVICE)
    return render(
        request,
        "payments/failed_queue.html",
        {"cycle": cycle, "payments": payments, "organisations": organisations,
         "can_prepare": services.can_prepare(user), "can_approve": services.can_approve(user)},
    )  # fmt: skip


@scoped
@require_POST
def failed_action(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    user = acting_user(request)
    cycle = _cycle(request, pk)
    if not selectors.payment_list(user=user, cycle=cycle).filter(pk=payment_id).exists():
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "retry":
            services.payment_retry(user=user, payment_id=payment_id)
        elif action == "reroute":
            services.payment_reroute(
                user=user,
                payment_id=payment_id,
                organisation_id=int(request.POST.get("organisation") or 0),
                at_home=request.POST.get("at_home") == "1",
            )
        elif action == "write_off":
            services.payment_write_off(user=user, payment_id=payment_id, reason=request.POST.get("reason", ""))
        else:
            return HttpResponse(status=400)
    except services.PaymentError as exc:
        messages.error(request, str(exc.text))
    return redirect(reverse("payments:failed_queue", args=[cycle.pk]))


@scoped
@require_GET
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    cycle = _cycle(request, pk)
    report = selectors.cycle_report(user=user, cycle=cycle)
    channel_names = {c.value: str(c.label) for c in Channel}
    for row in report["by_channel"]:
        row["label"] = channel_names.get(row["key"], row["key"])
    labels = [row["label"] for row in report["by_commune"]]
    chart = bar_chart(
        labels=labels,
        series=[
            Series(_("Paid"), [row["paid_count"] for row in report["by_commune"]]),
            Series(_("Failed"), [row["failed_count"] for row in report["by_commune"]]),
            Series(_("Re-routed"), [row["rerouted_count"] for row in report["by_commune"]]),
            Series(_("Outstanding"), [row["outstanding_count"] for row in report["by_commune"]]),
        ],
        title=_("Payments per commune"),
        width=max(480, 120 * len(labels) + 80),
    )
    return render(request, "payments/cycle_report.html", {"cycle": cycle, "report": report, "chart": chart})
