"""Registry endpoints: search and read people in the caller's area."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from ansinh.access.routes import api_scoped
from ansinh.access.scoping import can_see_unmasked
from ansinh.lib.masking import mask_number
from ansinh.registry import selectors, services

router = Router(tags=["registry"])
MAX_PAGE = 200


class PersonOut(Schema):
    id: int
    full_name: str
    commune_code: str
    commune_name: str
    province_name: str
    citizen_id: str
    phone: str


class PersonPage(Schema):
    count: int
    results: list[PersonOut]


def _out(person, unmasked: bool) -> PersonOut:  # type: ignore[no-untyped-def]
    show = (lambda v: v) if unmasked else mask_number
    return PersonOut(
        id=person.pk,
        full_name=person.full_name,
        commune_code=person.commune.code,
        commune_name=person.commune.name,
        province_name=person.commune.province.name,
        citizen_id=show(person.citizen_id),
        phone=show(person.phone),
    )


@router.get("/people", response=PersonPage, summary="Search people in your area by name")
@api_scoped
def people_search(request: HttpRequest, q: str = "", offset: int = 0, limit: int = 50) -> PersonPage:
    limit = max(1, min(limit, MAX_PAGE))
    people = selectors.person_list(user=request.user, query=q)  # type: ignore[arg-type]
    found = list(people[max(offset, 0) : max(offset, 0) + limit])
    services.person_views_record(user=request.user, people=found)  # type: ignore[arg-type]
    unmasked = can_see_unmasked(request.user)  # type: ignore[arg-type]
    return PersonPage(count=people.count(), results=[_out(p, unmasked) for p in found])


@router.get("/people/{person_id}", response=PersonOut, summary="One person in your area")
@api_scoped
def person_read(request: HttpRequest, person_id: int) -> PersonOut:
    person = selectors.person_get(user=request.user, person_id=person_id)  # type: ignore[arg-type]
    if person is None:
        raise Http404
    services.person_views_record(user=request.user, people=[person])  # type: ignore[arg-type]
    return _out(person, can_see_unmasked(request.user))  # type: ignore[arg-type]
