"""Reads of matching results, limited to the acting user's area through the person's commune.

Registry editors read and decide; the auditor and the national supervisor read only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_EDITOR_ROLES, RoleSlug
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.review.models import REVIEW_STATUSES, MatchResult

REVIEW_READER_ROLES = frozenset(REGISTRY_EDITOR_ROLES | {RoleSlug.AUDITOR, RoleSlug.NATIONAL_SUPERVISOR})


def can_read_review(user: User) -> bool:
    return has_role(user, *REVIEW_READER_ROLES)


def can_decide(user: User) -> bool:
    return has_role(user, *REGISTRY_EDITOR_ROLES)


def results_in_area(*, user: User) -> QuerySet[MatchResult]:
    """Every result of a person in the user's area (none for a user who may not read the queue)."""
    if not can_read_review(user):
        return MatchResult.objects.none()
    return scope_queryset(MatchResult.objects.all(), user, commune_field="person__commune")


def result_queue(*, user: User, status: str = "", pending_only: bool = True) -> QuerySet[MatchResult]:
    """The results waiting for a decision (or all reviewable ones), optionally of one status."""
    results = results_in_area(user=user).filter(status__in=REVIEW_STATUSES)
    if status:
        results = results.filter(status=status)
    if pending_only:
        results = results.filter(decision=MatchResult.Decision.PENDING)
    return results.select_related("person", "person__commune", "run").order_by("-run__created_at", "source_row")


def result_get(*, user: User, result_id: int) -> MatchResult | None:
    return results_in_area(user=user).select_related("person", "person__commune").filter(pk=result_id).first()
