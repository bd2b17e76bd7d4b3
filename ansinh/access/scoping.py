"""The one place that limits data to a user's area, role and organisation.

Every selector in every app passes its queryset through `scope_queryset` (or asks `area_communes`)
before returning it; views, exports, searches and API endpoints use selectors only.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from ansinh.access.models import User
from ansinh.access.roles import AUDIT_READER_ROLES, ORGANISATION_ROLES, UNMASKED_ROLES, RoleSlug
from ansinh.geo.models import Commune

M = TypeVar("M", bound=Model)


def has_access(user: User) -> bool:
    """True when the user has a role and an area; anyone else sees nothing at all."""
    if not user.is_authenticated or user.role_id is None or not user.area_level:
        return False
    if user.role_slug in ORGANISATION_ROLES and user.organisation_id is None:
        return False
    return True


def area_communes(user: User) -> QuerySet[Commune]:
    """The communes the user's area covers (none for a user without access)."""
    if not has_access(user):
        return Commune.objects.none()
    if user.area_level == User.AreaLevel.NATION:
        return Commune.objects.all()
    if user.area_level == User.AreaLevel.PROVINCES:
        return Commune.objects.filter(province__in=user.provinces.all())
    return Commune.objects.filter(pk__in=user.communes.all())


def scope_queryset(
    queryset: QuerySet[M],
    user: User,
    *,
    commune_field: str = "commune",
    organisation_field: str | None = None,
    inline_communes: bool = False,
) -> QuerySet[M]:
    """Limit `queryset` to rows in the user's area and, for agents, to their organisation's rows.

    With `inline_communes` the area's commune ids are read first and written into the query as values
    (one more query): a planner can then use its statistics on them, which it cannot for a nested
    subquery; for big tables such as the registry this picks far better plans.
    """
    if not has_access(user):
        return queryset.none()
    if user.area_level != User.AreaLevel.NATION:
        communes = area_communes(user).values("pk")
        if inline_communes:
            communes = list(communes.values_list("pk", flat=True))  # type: ignore[assignment]
        queryset = queryset.filter(**{f"{commune_field}__in": communes})
    if user.role_slug in ORGANISATION_ROLES:
        if organisation_field is None:
            # Agents see organisation work only; data that has no organisation is not theirs.
            return queryset.none()
        queryset = queryset.filter(Q(**{organisation_field: user.organisation_id}))
    return queryset


def can_see_unmasked(user: User) -> bool:
    return has_access(user) and user.role_slug in UNMASKED_ROLES


def can_read_audit(user: User) -> bool:
    return has_access(user) and user.role_slug in AUDIT_READER_ROLES


def has_role(user: User, *roles: RoleSlug) -> bool:
    return has_access(user) and user.role_slug in roles
