"""Insurance pages: participants, a participant with payments, the monthly report and its exports, who is due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.access.routes import acting_user, scoped
from ansinh.access.scoping import area_communes, can_see_unmasked, has_role
from ansinh.insurance import evaluations, exports, imports, rules, selectors, services
from ansinh.insurance.forms import ImportForm, PaymentForm, StopForm
from ansinh.insurance.models import Evaluation, ImportBatch, Participant
from ansinh.lib.masking import mask_number

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AGENCY = "BẢO HIỂM XÃ HỘI TỈNH"


def _forbidden_unless_reader(user: User) -> HttpResponse | None:
    if not selectors.can_read(user):
        return render_no_role()
    return None


def render_no_role() -> HttpResponse:
    return HttpResponse(_("Your role does not include voluntary social insurance."), status=403)


def _participant_or_404(user: User, participant_id: int) -> Participant:
    participant = selectors.participant_get(user=user, participant_id=participant_id)
    if participant is None:
        raise Http404
    return participant


@scoped
def participant_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if denied := _forbidden_unless_reader(user):
        return denied
    commune = request.GET.get("commune", "")
    filters: dict[str, Any] = {
        "query": request.GET.get("q", "").strip(),
        "commune_id": int(commune) if commune.isdigit() else None,
        "status": request.GET.get("status", ""),
    }
    page = Paginator(selectors.participant_list(user=user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    template = (
        "insurance/_participant_rows.html" if request.headers.get("HX-Request") else "insurance/participant_list.html"
    )
    return render(
        request,
        template,
        {
            "page": page,
            **filters,
            "querystring": params.urlencode(),
            "communes": area_communes(user).order_by("name") if user.area_level != User.AreaLevel.NATION else [],
            "statuses": Participant.Status.choices,
        },
    )


def _next_due(participant: Participant) -> rules.ContributionDue | None:
    if participant.status == Participant.Status.STOPPED:
        return None
    last = participant.payments.order_by("-to_month").values_list("to_month", flat=True).first()
    start = last + 1 if last is not None else rules.month_of_date(participant.registered_on)
    mode = rules.PaymentMode(participant.payment_mode)
    months = 12 if rules.PERIOD_MONTHS[mode] is None else None
    return rules.contribution_due(
        income=participant.monthly_income,
        group=rules.SupportGroup(participant.support_group),
        mode=mode,
        from_month=start,
        months=months,
        supported_before=services.supported_months_used(participant),
    )


@scoped
def participant_detail(request: HttpRequest, participant_id: int) -> HttpResponse:
    user = acting_user(request)
    participant = _participant_or_404(user, participant_id)
    due = _next_due(participant)
    return render(
        request,
        "insurance/participant_detail.html",
        {
            "participant": participant,
            "citizen_id": participant.citizen_id if can_see_unmasked(user) else mask_number(participant.citizen_id),
            "phone": participant.phone if can_see_unmasked(user) else mask_number(participant.phone),
            "payments": selectors.payment_list(user=user, participant_id=participant.pk),
            "coverage": [
                (rules.month_label(c.from_month), rules.month_label(c.until_month))
                for c in participant.coverage.order_by("from_month")
            ],
            "due": due,
            "due_period": f"{rules.month_label(due.from_month)}-{rules.month_label(due.to_month)}" if due else "",
            "can_write": selectors.can_write(user) and participant.status != Participant.Status.STOPPED,
            "payment_form": PaymentForm(),
            "stop_form": StopForm(),
        },
    )


@scoped
@require_POST
def payment_add(request: HttpRequest, participant_id: int) -> HttpResponse:
    user = acting_user(request)
    participant = _participant_or_404(user, participant_id)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The payment was not recorded: check the fields."))
        return redirect("insurance:participant_detail", participant_id=participant.pk)
    try:
        services.payment_record(user=user, participant=participant, **form.cleaned_data)
    except (ValidationError, PermissionError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Payment recorded."))
    return redirect("insurance:participant_detail", participant_id=participant.pk)


@scoped
@require_POST
def participant_stop(request: HttpRequest, participant_id: int) -> HttpResponse:
    user = acting_user(request)
    participant = _participant_or_404(user, participant_id)
    form = StopForm(request.POST)
    if form.is_valid():
        try:
            services.participant_stop(user=user, participant=participant, **form.cleaned_data)
            messages.success(request, _("The participant has stopped."))
        except (ValidationError, PermissionError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return redirect("insurance:participant_detail", participant_id=participant.pk)


def _report_month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    last = rules.month_of_date(today) - 1
    default_year, default_month = rules.year_month(last)
    try:
        year = int(request.GET.get("year", default_year))
        month = int(request.GET.get("month", default_month))
        rules.month_index(year, month)
    except ValueError:
        return default_year, default_month
    if not 2000 <= year <= 2100:
        return default_year, default_month
    return year, month


@scoped
def report(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if denied := _forbidden_unless_reader(user):
        return denied
    year, month = _report_month(request)
    data = selectors.monthly_report(user, year, month)
    evaluations_for = Evaluation.objects.filter(year=year, month=month)
    if user.role_slug == RoleSlug.COLLECTION_AGENT:
        evaluations_for = evaluations_for.filter(organisation=user.organisation)
    else:
        evaluations_for = evaluations_for.filter(organisation_id__in=[r.key for r in data.organisations if r.key])
    return render(
        request,
        "insurance/report.html",
        {
            "report": data,
            "total_rows": [data.total],
            "year": year,
            "month": month,
            "months": range(1, 13),
            # Our own SVG: every text in it is escaped by ansinh.lib.svgchart.
            "trend_svg": mark_safe(exports.trend_chart(data)),  # noqa: S308
            "ranking_svg": mark_safe(exports.ranking_chart(data.communes, _("Communes: % of plan"))),  # noqa: S308
            "evaluations": evaluations_for.select_related("organisation").defer("pdf"),
            "can_send": has_role(user, RoleSlug.INSURANCE_OFFICER),
            "programmes": selectors.programme_coverage(user=user),
        },
    )


@scoped
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = acting_user(request)
    if denied := _forbidden_unless_reader(user):
        return denied
    year, month = _report_month(request)
    data = selectors.monthly_report(user, year, month)
    if fmt == "pdf":
        body, content_type = exports.report_pdf(data, agency=AGENCY, today=timezone.localdate()), "application/pdf"
    else:
        body, content_type = exports.report_xlsx(data), XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bhxh-tu-nguyen-{year}-{month:02d}.{fmt}"'
    return response


@scoped
@require_POST
def evaluations_send(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not has_role(user, RoleSlug.INSURANCE_OFFICER):
        return HttpResponse(status=403)
    year, month = int(request.POST.get("year", 0)), int(request.POST.get("month", 0))
    try:
        sent = evaluations.evaluations_send(user=user, year=year, month=month, agency=AGENCY)
    except ValueError:
        return HttpResponse(status=400)
    messages.success(request, _("%(count)d evaluations written.") % {"count": len(sent)})
    return redirect(f"{reverse('insurance:report')}?year={year}&month={month}")


@scoped
def evaluation_download(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = acting_user(request)
    evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
    if evaluation is None or not selectors.can_read(user):
        raise Http404
    if user.role_slug == RoleSlug.COLLECTION_AGENT and evaluation.organisation_id != user.organisation_id:
        raise Http404
    if user.role_slug != RoleSlug.COLLECTION_AGENT:
        data = selectors.monthly_report(user, evaluation.year, evaluation.month)
        if evaluation.organisation_id not in {r.key for r in data.organisations}:
            raise Http404
    response = HttpResponse(bytes(evaluation.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="danh-gia-{evaluation.year}-{evaluation.month:02d}.pdf"'
    return response


@scoped
def due_list(request: HttpRequest) -> HttpResponse:
    """Who a collector should see this month: payers whose deadline falls in it or has just passed."""
    user = acting_user(request)
    if denied := _forbidden_unless_reader(user):
        return denied
    today: dt.date = timezone.localdate()
    rows = selectors.due_rows(user=user, today=today)
    return render(request, "insurance/due_list.html", {"rows": rows, "today": today})


@scoped
def import_upload(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_write(user):
        return render_no_role()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.batch_stage(
                user=user, kind=form.cleaned_data["kind"], file_name=upload.name, data=upload.read()
            )
        except (ValidationError, ValueError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            return redirect("insurance:import_batch", batch_id=batch.pk)
    return render(request, "insurance/import_upload.html", {"form": form})


@scoped
def import_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = acting_user(request)
    batch = ImportBatch.objects.filter(pk=batch_id, uploaded_by=user).first()
    if batch is None:
        raise Http404
    if request.method == "POST" and batch.status == ImportBatch.Status.STAGED:
        result = imports.batch_commit(user=user, batch=batch)
        messages.success(request, _("%(created)d created, %(kept)d kept with problems.") % result)
        return redirect("insurance:import_batch", batch_id=batch.pk)
    rows = batch.rows.all()
    return render(
        request,
        "insurance/import_batch.html",
        {
            "batch": batch,
            "rows": rows[:1000],
            "with_problems": rows.exclude(problems=[]).count(),
            "total": rows.count(),
        },
    )
