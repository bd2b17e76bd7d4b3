"""Fieldwork pages: progress, the commune worklist, documents, the handover, device tokens, and the offline
survey page with its service worker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ansinh.access.models import Organisation, User
from ansinh.access.routes import acting_user, public, scoped
from ansinh.fieldwork import documents, handover, selectors, services
from ansinh.fieldwork.models import Classification, Office, Reason, Submission
from ansinh.geo.models import Commune
from ansinh.payouts.models import Bank

QR_SCRIPTS = ("vendor/jsqr/jsQR.js", "payouts/qrscan.js")


def _commune_or_404(user: User, commune_id: int) -> Commune:
    commune = selectors.commune_get(user=user, commune_id=commune_id)
    if commune is None:
        raise Http404
    return commune


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@scoped
def index(request: HttpRequest) -> HttpResponse:
    """Progress per commune of the area; a commune officer with one commune goes straight to its worklist."""
    user = acting_user(request)
    if not selectors.can_read_fieldwork(user):
        return render(request, "web/no_access.html", status=403)
    rows = selectors.progress(user=user)
    if len(rows) == 1 and user.area_level == User.AreaLevel.COMMUNES and not request.GET.get("all"):
        return redirect("fieldwork:worklist", commune_id=rows[0]["commune"].pk)
    return render(request, "fieldwork/index.html", {"rows": rows, "can_survey": services.can_survey(user)})


@scoped
def worklist(request: HttpRequest, commune_id: int) -> HttpResponse:
    user = acting_user(request)
    commune = _commune_or_404(user, commune_id)
    groups = selectors.worklist(user=user, commune=commune)
    people = [e.person for g in groups for e in g.entries]
    services.worklist_view_record(user=user, commune=commune, person_ids=[p.pk for p in people])
    total = len(people)
    done = sum(g.done for g in groups)
    return render(
        request,
        "fieldwork/worklist.html",
        {
            "commune": commune,
            "groups": groups,
            "total": total,
            "done": done,
            "percent": round(100 * done / total) if total else 0,
            "teams": selectors.teams_of(user=user, commune=commune),
            "officers": services.commune_officers(commune),
            "can_survey": services.can_survey(user),
            "classified": selectors.latest_classified(user=user, commune=commune),
        },
    )


@scoped
def worklist_pdf(request: HttpRequest, commune_id: int) -> HttpResponse:
    user = acting_user(request)
    commune = _commune_or_404(user, commune_id)
    groups = selectors.worklist(user=user, commune=commune)
    services.worklist_view_record(
        user=user, commune=commune, person_ids=[e.person.pk for g in groups for e in g.entries], action="export"
    )
    return _file(documents.worklist_pdf(commune=commune, groups=groups), "application/pdf", f"ds-{commune.code}.pdf")


@scoped
def classified_xlsx(request: HttpRequest, commune_id: int) -> HttpResponse:
    user = acting_user(request)
    commune = _commune_or_404(user, commune_id)
    visits = selectors.latest_classified(user=user, commune=commune)
    services.worklist_view_record(user=user, commune=commune, person_ids=[v.person_id for v in visits], action="export")
    return _file(
        documents.classified_xlsx(commune=commune, visits=visits),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"phan-loai-{commune.code}.xlsx",
    )


@scoped
@require_POST
def team_save(request: HttpRequest, commune_id: int) -> HttpResponse:
    user = acting_user(request)
    commune = _commune_or_404(user, commune_id)
    try:
        team = services.team_create(
            user=user,
            commune_id=commune.pk,
            name=request.POST.get("name", "") or _("Team 1"),
            member_ids=[int(v) for v in request.POST.getlist("members") if v.isdigit()],
        )
        hamlets = [h for h in request.POST.getlist("hamlets") if h]
        if hamlets:
            services.team_assign(user=user, team_id=team.pk, hamlets=hamlets)
        messages.success(request, _("Team saved."))
    except services.FieldworkError as error:
        messages.error(request, str(error.text))
    return redirect("fieldwork:worklist", commune_id=commune.pk)


def _visit_or_404(user: User, visit_id: int) -> Any:
    visit = selectors.visit_detail(user=user, visit_id=visit_id)
    if visit is None:
        raise Http404
    return visit


@scoped
def refusal_minutes(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = acting_user(request)
    visit = _visit_or_404(user, visit_id)
    if visit.classification != Classification.DECLINED or not hasattr(visit, "refusal"):
        raise Http404
    return _file(documents.refusal_minutes_pdf(visit=visit), "application/pdf", f"bien-ban-{visit.pk}.pdf")


@scoped
def authorisation_record(request: HttpRequest, visit_id: int) -> HttpResponse:
    from ansinh.payouts.models import Proxy

    user = acting_user(request)
    visit = _visit_or_404(user, visit_id)
    proxy = Proxy.objects.select_related("certifying_commune").filter(pk=visit.proxy_id).first()
    if proxy is None:
        raise Http404
    return _file(documents.authorisation_pdf(visit=visit, proxy=proxy), "application/pdf", f"uy-quyen-{visit.pk}.pdf")


@scoped
def handover_page(request: HttpRequest, commune_id: int) -> HttpResponse:
    user = acting_user(request)
    commune = _commune_or_404(user, commune_id)
    if request.method == "POST":
        try:
            if "decide" in request.POST:
                submission_id = int(request.POST["decide"])
                comments = {
                    int(key.removeprefix("comment-")): str(value)
                    for key, value in request.POST.items()
                    if key.startswith("comment-") and key.removeprefix("comment-").isdigit()
                }
                handover.submission_decide(
                    user=user,
                    submission_id=submission_id,
                    acknowledge=request.POST.get("action") == "acknowledge",
                    comments=comments,
                )
                messages.success(request, _("Decision recorded."))
            else:
                submission = handover.submission_create(
                    user=user,
                    commune_id=commune.pk,
                    office=request.POST.get("office", ""),
                    sign_off=request.POST.get("sign_off", ""),
                )
                messages.success(request, _("Version %(v)d sent.") % {"v": submission.version})
        except services.FieldworkError as error:
            messages.error(request, str(error.text))
        return redirect("fieldwork:handover", commune_id=commune.pk)
    submissions = list(selectors.submissions_of(user=user, commune=commune))
    current = handover.submission_rows(user=user, commune=commune)
    latest: Submission | None = submissions[0] if submissions else None
    pending = handover.submission_diff(latest.rows if latest else None, current)
    history = [
        (s, handover.submission_diff(submissions[i + 1].rows if i + 1 < len(submissions) else None, s.rows))
        for i, s in enumerate(submissions)
    ]
    return render(
        request,
        "fieldwork/handover.html",
        {
            "commune": commune,
            "history": history,
            "pending": pending,
            "current_count": len(current),
            "offices": Office.choices,
            "can_submit": services.can_survey(user),
            "decidable": {s.pk for s in submissions if handover.may_decide(user, s) and s.status == "submitted"},
        },
    )


@scoped
def devices(request: HttpRequest) -> HttpResponse:
    """The officer's device tokens: issue one for a phone, revoke a lost one."""
    user = acting_user(request)
    secret = ""
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                services.device_token_revoke(user=user, token_id=int(request.POST["revoke"]))
                messages.success(request, _("The device can no longer send or download."))
            else:
                _token, secret = services.device_token_issue(user=user, name=request.POST.get("name", ""))
        except (services.FieldworkError, ValueError) as error:
            messages.error(request, str(getattr(error, "text", error)))
    return render(
        request, "fieldwork/devices.html", {"tokens": selectors.device_tokens_of(user=user), "secret": secret}
    )


@scoped
@require_POST
def device_for_survey(request: HttpRequest) -> JsonResponse:
    """The survey page asks, while online, for a token it keeps on the phone (session and CSRF checked)."""
    user = acting_user(request)
    try:
        token, secret = services.device_token_issue(
            user=user, name=request.headers.get("User-Agent", "phone")[:60] or "phone"
        )
    except services.FieldworkError as error:
        return JsonResponse({"error": str(error.text)}, status=403)
    return JsonResponse({"token": secret, "expires_at": token.expires_at.isoformat(), "user": user.get_username()})


@scoped
def survey(request: HttpRequest) -> HttpResponse:
    """The one page that works offline: the worklist and the survey, driven by survey.js."""
    user = acting_user(request)
    context = {
        "communes": selectors.communes_in_area(user=user)[:200] if services.can_survey(user) else [],
        "banks": Bank.objects.filter(active=True).order_by("kind", "short_name"),
        "organisations": Organisation.objects.filter(kind=Organisation.Kind.PAYMENT_SERVICE),
        "reasons": Reason.choices,
        "can_survey": services.can_survey(user),
        # The payouts app's QR reader, when installed: the survey works without it (typing, twice).
        "qrscan": [src for src in QR_SCRIPTS if finders.find(src)],
    }
    return render(request, "fieldwork/survey.html", context)


@public
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """sw.js from /fieldwork/ so that its scope covers the survey page; it holds no data of its own."""
    path = finders.find("fieldwork/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as handle:
        body = handle.read().replace("__STATIC__", static(""))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/fieldwork/"
    return response
