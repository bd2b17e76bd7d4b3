"""Dashboard pages (nation, province, commune), their exports, the people behind a figure, campaigns."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ansinh.access.models import User
from ansinh.access.routes import acting_user, scoped
from ansinh.access.scoping import area_communes, can_see_unmasked
from ansinh.campaigns import exports, report, selectors, services
from ansinh.campaigns.forms import CampaignForm, StepForm
from ansinh.campaigns.indicators import INDICATORS
from ansinh.campaigns.models import Step
from ansinh.geo.models import Province
from ansinh.registry import services as registry_services

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _dashboard_or_404(user: User, province_id: int | None, commune_id: int | None) -> selectors.Dashboard:
    if not selectors.can_see_dashboards(user):
        raise Http404
    dashboard = selectors.dashboard_get(user=user, province_id=province_id, commune_id=commune_id)
    if dashboard is None:
        raise Http404
    return dashboard


def _render(request: HttpRequest, dashboard: selectors.Dashboard) -> HttpResponse:
    built = report.build(dashboard, map_measure=request.GET.get("show", "with_account"))
    province = None
    if dashboard.unit.level == "commune" and dashboard.unit.province_id:
        province = Province.objects.filter(pk=dashboard.unit.province_id).first()
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "report": built,
            "unit": dashboard.unit,
            "province": province,
            "map_choices": [(key, report.MEASURES[key].label) for key in report.HEADLINE],
            "progress": selectors.dashboard_progress(dashboard=dashboard),
        },
    )


@scoped
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    province_id, commune_id = selectors.home_area(user)
    if commune_id is not None:
        return redirect("campaigns:commune", commune_id=commune_id)
    if province_id is not None:
        return redirect("campaigns:province", province_id=province_id)
    return redirect("campaigns:nation")


@scoped
def nation(request: HttpRequest) -> HttpResponse:
    return _render(request, _dashboard_or_404(acting_user(request), None, None))


@scoped
def province(request: HttpRequest, province_id: int) -> HttpResponse:
    return _render(request, _dashboard_or_404(acting_user(request), province_id, None))


@scoped
def commune(request: HttpRequest, commune_id: int) -> HttpResponse:
    return _render(request, _dashboard_or_404(acting_user(request), None, commune_id))


@scoped
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = acting_user(request)
    dashboard = _dashboard_or_404(user, _int(request.GET.get("province")), _int(request.GET.get("commune")))
    built = report.build(dashboard, map_measure=request.GET.get("show", "with_account"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "pdf":
        response = HttpResponse(exports.report_pdf(built, user=user), content_type="application/pdf")
    else:
        response = HttpResponse(
            exports.report_xlsx(built),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{stamp}.{fmt}"'
    return response


@scoped
def people(request: HttpRequest, indicator: str) -> HttpResponse:
    """The people behind one figure, in the user's area; the registry's list rows and scoping."""
    user = acting_user(request)
    dimension = request.GET.get("d", "")
    dashboard = _dashboard_or_404(user, _int(request.GET.get("province")), _int(request.GET.get("commune")))
    found = selectors.people_behind(
        user=user, indicator=indicator, dimension=dimension, commune_ids=dashboard.commune_ids
    )
    if found is None:
        raise Http404
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    registry_services.person_views_record(user=user, people=list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    labels = dict(INDICATORS[indicator].dimensions())
    return render(
        request,
        "campaigns/people.html",
        {
            "page": page,
            "total": page.paginator.count,
            "querystring": params.urlencode(),
            "indicator": INDICATORS[indicator],
            "dimension_label": labels.get(dimension, dimension.removeprefix("reason:")),
            "unit": dashboard.unit,
            "back": report.unit_url(dashboard.unit),
            "unmasked": can_see_unmasked(user),
        },
    )


# -- campaigns --------------------------------------------------------------------------------------


@scoped
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_see_dashboards(user):
        raise Http404
    provinces = Province.objects.filter(pk__in=area_communes(user).values("province_id")).order_by("code")
    form = CampaignForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create_from_preset(
                user=user,
                preset=form.cleaned_data["preset"],
                starts_on=form.cleaned_data["starts_on"],
                province=form.cleaned_data["province"],
                name=form.cleaned_data["name"],
            )
        except services.CampaignError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("campaigns:campaign", campaign_id=campaign.pk)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": selectors.campaign_list(user=user), "form": form, "today": dt.date.today()},
    )


@scoped
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = acting_user(request)
    campaign = selectors.campaign_get(user=user, campaign_id=campaign_id)
    if campaign is None:
        raise Http404
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(user=user, campaign=campaign),
            "can_plan": services.can_plan(user, campaign.province),
            "step_forms": [(step, StepForm(instance=step, prefix=f"s{step.pk}")) for step in campaign.steps.all()],
        },
    )


@scoped
@require_POST
def step_edit(request: HttpRequest, step_id: int) -> HttpResponse:
    user = acting_user(request)
    step = Step.objects.filter(pk=step_id, campaign__in=selectors.campaign_list(user=user)).first()
    if step is None:
        raise Http404
    form = StepForm(request.POST, instance=Step.objects.get(pk=step.pk), prefix=f"s{step.pk}")
    if not form.is_valid():
        messages.error(request, _("The step was not saved: check the fields."))
        return redirect("campaigns:campaign", campaign_id=step.campaign_id)
    try:
        services.step_update(user=user, step=step, changes={k: form.cleaned_data[k] for k in services.STEP_FIELDS})
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("campaigns:campaign", campaign_id=step.campaign_id)
