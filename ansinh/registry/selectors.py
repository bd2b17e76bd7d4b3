"""Reads of the registry, always through the scoping layer."""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_READER_ROLES
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.lib.text import fold
from ansinh.registry.models import Benefit, Person

SORTS = {
    "given": ("sort_key", "pk"),  # the Vietnamese way: given name, then family and middle names
    "family": ("full_name_folded", "pk"),
    "commune": ("commune__name", "sort_key", "pk"),
}


def person_list(
    *, user: User, query: str = "", commune_id: int | None = None, category: str = "", sort: str = "given"
) -> QuerySet[Person]:
    """People in the user's area, filtered by a name that ignores diacritics, case and tone placement,
    by commune and by category; sorted the Vietnamese way unless another sort is asked for."""
    if not has_role(user, *REGISTRY_READER_ROLES):
        return Person.objects.none()
    people = scope_queryset(Person.objects.select_related("commune", "commune__province"), user)
    folded = fold(query)
    if folded:
        people = people.filter(full_name_folded__contains=folded)
    if commune_id is not None:
        people = people.filter(commune_id=commune_id)
    if category:
        people = people.filter(pk__in=Benefit.objects.filter(category=category).values("person_id"))
    return people.order_by(*SORTS.get(sort, SORTS["given"]))


def person_get(*, user: User, person_id: int) -> Person | None:
    """One person, or None when it does not exist or lies outside the user's area."""
    return person_list(user=user).filter(pk=person_id).first()
