"""Registry pages: list with search, person page, CSV export, audited reveal of a number."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils import timezone
from django.views.decorators.http import require_POST

from ansinh.access.roles import REGISTRY_EDITOR_ROLES
from ansinh.access.routes import scoped
from ansinh.access.scoping import can_read_audit, can_see_unmasked, has_role
from ansinh.lib.masking import mask_number
from ansinh.registry import exports, selectors, services
from ansinh.registry.forms import PersonForm

PAGE_SIZE = 50
REVEALABLE = ("citizen_id", "phone")


def _person_or_404(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    person = selectors.person_get(user=request.user, person_id=person_id)  # type: ignore[arg-type]
    if person is None:
        raise Http404
    return person


@scoped
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    people = selectors.person_list(user=request.user, query=query)  # type: ignore[arg-type]
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    services.person_views_record(user=request.user, people=list(page.object_list))  # type: ignore[arg-type]
    template = "registry/_person_rows.html" if request.headers.get("HX-Request") else "registry/person_list.html"
    return render(request, template, {"page": page, "query": query, "unmasked": can_see_unmasked(request.user)})  # type: ignore[arg-type]


@scoped
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    services.person_views_record(user=request.user, people=[person])  # type: ignore[arg-type]
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "masked": {field: mask_number(getattr(person, field)) for field in REVEALABLE},
            "can_reveal": can_see_unmasked(request.user),  # type: ignore[arg-type]
            "can_read_audit": can_read_audit(request.user),  # type: ignore[arg-type]
            "can_edit": has_role(request.user, *REGISTRY_EDITOR_ROLES),  # type: ignore[arg-type]
            "benefits": person.benefits.select_related("subgroup").order_by("category"),
        },
    )


@scoped
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    if not has_role(request.user, *REGISTRY_EDITOR_ROLES):  # type: ignore[arg-type]
        return HttpResponse(status=403)
    if request.method != "POST":
        return render(request, "registry/person_edit.html", {"person": person, "form": PersonForm.for_person(person)})
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            services.person_update(user=request.user, person=person,  # type: ignore[arg-type]
                                   expected_version=form.cleaned_data["version"], changes=form.changes())
        except services.StaleEdit:
            person.refresh_from_db()
            messages.error(request, _("Someone else saved this person while you were editing. Nothing of yours was "
                                      "saved: here is the record as it is now; make your change again."))
            return render(request, "registry/person_edit.html",
                          {"person": person, "form": PersonForm.for_person(person)}, status=409)
        messages.success(request, _("Saved."))
        return redirect("registry:person_detail", person_id=person.pk)
    return render(request, "registry/person_edit.html", {"person": person, "form": form}, status=400)


@scoped
@require_POST
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    person = _person_or_404(request, person_id)
    if field not in REVEALABLE or not can_see_unmasked(request.user):  # type: ignore[arg-type]
        return HttpResponse(status=403)
    value = services.person_reveal(user=request.user, person=person, field=field)  # type: ignore[arg-type]
    return render(request, "registry/_revealed.html", {"value": value})


@scoped
def person_export(request: HttpRequest, fmt: str = "csv") -> HttpResponse:
    query = request.GET.get("q", "").strip()
    people = list(selectors.person_list(user=request.user, query=query).prefetch_related("benefits"))  # type: ignore[arg-type]
    unmasked = can_see_unmasked(request.user)  # type: ignore[arg-type]
    services.person_views_record(user=request.user, people=people, action="export")  # type: ignore[arg-type]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        body = exports.people_xlsx(people, unmasked=unmasked, title="Danh sách đối tượng")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = exports.people_csv(people, unmasked=unmasked), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="beneficiaries-{stamp}.{fmt}"'
    return response
