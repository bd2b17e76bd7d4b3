"""Registry pages: list with search, person page, edit, exports, audited reveal of a number."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_EDITOR_ROLES
from ansinh.access.routes import acting_user, scoped
from ansinh.access.scoping import area_communes, can_read_audit, can_see_unmasked, has_role
from ansinh.lib.masking import mask_number
from ansinh.registry import exports, selectors, services
from ansinh.registry.forms import PersonForm
from ansinh.registry.models import Category, Person

PAGE_SIZE = 50
REVEALABLE = ("citizen_id", "phone")


def _person_or_404(user: User, person_id: int) -> Person:
    person = selectors.person_get(user=user, person_id=person_id)
    if person is None:
        raise Http404
    return person


def _filters(request: HttpRequest) -> dict[str, Any]:
    commune = request.GET.get("commune", "")
    return {
        "query": request.GET.get("q", "").strip(),
        "commune_id": int(commune) if commune.isdigit() else None,
        "category": request.GET.get("category", "") if request.GET.get("category") in Category.values else "",
        "sort": request.GET.get("sort", "given"),
    }


@scoped
def person_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = _filters(request)
    number = request.GET.get("page", "")
    page = selectors.person_page(
        user=user, **filters, number=int(number) if number.isdigit() else 1, page_size=PAGE_SIZE
    )
    services.person_views_record(user=user, people=list(page.object_list))
    template = "registry/_person_rows.html" if request.headers.get("HX-Request") else "registry/person_list.html"
    context = {
        "page": page,
        **filters,
        "querystring": _without_page(request),
        "communes": area_communes(user).order_by("name") if user.area_level != User.AreaLevel.NATION else [],
        "categories": Category.choices,
        "unmasked": can_see_unmasked(user),
    }
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@scoped
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    person = _person_or_404(user, person_id)
    services.person_views_record(user=user, people=[person])
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "masked": {field: mask_number(getattr(person, field)) for field in REVEALABLE},
            "can_reveal": can_see_unmasked(user),
            "can_read_audit": can_read_audit(user),
            "can_edit": has_role(user, *REGISTRY_EDITOR_ROLES),
            "benefits": person.benefits.select_related("subgroup").order_by("category"),
        },
    )


@scoped
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    person = _person_or_404(user, person_id)
    if not has_role(user, *REGISTRY_EDITOR_ROLES):
        return HttpResponse(status=403)
    if request.method != "POST":
        return render(request, "registry/person_edit.html", {"person": person, "form": PersonForm.for_person(person)})
    form = PersonForm(request.POST)
    if not form.is_valid():
        return render(request, "registry/person_edit.html", {"person": person, "form": form}, status=400)
    try:
        services.person_update(
            user=user, person=person, expected_version=form.cleaned_data["version"], changes=form.changes()
        )
    except services.StaleEdit:
        person.refresh_from_db()
        messages.error(
            request,
            _(
                "Someone else saved this person while you were editing. Nothing of yours was saved: "
                "here is the record as it is now; make your change again."
            ),
        )
        return render(
            request, "registry/person_edit.html", {"person": person, "form": PersonForm.for_person(person)}, status=409
        )
    messages.success(request, _("Saved."))
    return redirect("registry:person_detail", person_id=person.pk)


@scoped
@require_POST
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    user = acting_user(request)
    person = _person_or_404(user, person_id)
    if field not in REVEALABLE or not can_see_unmasked(user):
        return HttpResponse(status=403)
    value = services.person_reveal(user=user, person=person, field=field)
    return render(request, "registry/_revealed.html", {"value": value})


@scoped
def person_export(request: HttpRequest, fmt: str = "csv") -> HttpResponse:
    user = acting_user(request)
    people = list(selectors.person_list(user=user, **_filters(request)).prefetch_related("benefits"))
    unmasked = can_see_unmasked(user)
    services.person_views_record(user=user, people=people, action="export")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        body = exports.people_xlsx(people, unmasked=unmasked, title="Danh sách đối tượng")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = exports.people_csv(people, unmasked=unmasked), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="beneficiaries-{stamp}.{fmt}"'
    return response
