"""Registry pages: list with search, person page, CSV export, audited reveal of a number."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ansinh.access.routes import scoped
from ansinh.access.scoping import can_read_audit, can_see_unmasked
from ansinh.lib.masking import mask_number
from ansinh.lib.spreadsheet import neutralise
from ansinh.registry import selectors, services

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
        },
    )


@scoped
@require_POST
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    person = _person_or_404(request, person_id)
    if field not in REVEALABLE or not can_see_unmasked(request.user):  # type: ignore[arg-type]
        return HttpResponse(status=403)
    value = services.person_reveal(user=request.user, person=person, field=field)  # type: ignore[arg-type]
    return render(request, "registry/_revealed.html", {"value": value})


@scoped
def person_export(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    people = list(selectors.person_list(user=request.user, query=query))  # type: ignore[arg-type]
    unmasked = can_see_unmasked(request.user)  # type: ignore[arg-type]
    services.person_views_record(user=request.user, people=people, action="export")  # type: ignore[arg-type]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="beneficiaries-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV as UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerow(["STT", "Họ và tên", "Số CCCD", "Số điện thoại", "Mã xã", "Xã/phường", "Tỉnh/thành phố"])
    for number, person in enumerate(people, start=1):
        citizen_id = person.citizen_id if unmasked else mask_number(person.citizen_id)
        phone = person.phone if unmasked else mask_number(person.phone)
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    number,
                    person.full_name,
                    citizen_id,
                    phone,
                    person.commune.code,
                    person.commune.name,
                    person.commune.province.name,
                )
            ]
        )
    return response
