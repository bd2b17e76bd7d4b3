"""Reads of matching results, limited to the acting user's area through the person's commune.

Registry editors read and decide; the auditor and the national supervisor read only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_EDITOR_ROLES, RoleSlug
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.review.models import REVIEW_STATUSES, Change, Decision, DuplicateCase, MatchResult, MatchRun, RegistryReport

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
    return results.select_related("person", "person__commune", "run", "previous").order_by(
        "-run__created_at", "source_row"
    )


def result_get(*, user: User, result_id: int) -> MatchResult | None:
    return results_in_area(user=user).select_related("person", "person__commune").filter(pk=result_id).first()


def duplicate_cases_in_area(*, user: User) -> QuerySet[DuplicateCase]:
    """Duplicate cases with at least one member in the user's area (an officer there may decide it)."""
    if not can_read_review(user):
        return DuplicateCase.objects.none()
    members = scope_queryset(
        MatchResult.objects.filter(duplicate_case__isnull=False), user, commune_field="person__commune"
    )
    return DuplicateCase.objects.filter(pk__in=members.values("duplicate_case_id"))


def duplicate_queue(*, user: User, pending_only: bool = True) -> QuerySet[DuplicateCase]:
    cases = duplicate_cases_in_area(user=user)
    if pending_only:
        cases = cases.filter(decision=Decision.PENDING)
    return cases.select_related("run").order_by("-run__created_at", "group")


def duplicate_case_get(*, user: User, case_id: int) -> DuplicateCase | None:
    return duplicate_cases_in_area(user=user).filter(pk=case_id).first()


def duplicate_members(*, case: DuplicateCase) -> QuerySet[MatchResult]:
    """All members of the case: a case is decided as a whole, so members outside the area show too."""
    return case.members.select_related("person", "person__commune").order_by("source_row")


def runs_in_area(*, user: User) -> QuerySet[MatchRun]:
    """Runs with at least one result in the user's area, newest first."""
    results = results_in_area(user=user)
    return MatchRun.objects.filter(pk__in=results.values("run_id")).order_by("-created_at")


def run_get(*, user: User, run_id: int) -> MatchRun | None:
    return runs_in_area(user=user).filter(pk=run_id).first()


def run_changes(*, user: User, run: MatchRun) -> QuerySet[MatchResult]:
    """The run's results in the user's area that are new or changed since each person's previous result."""
    return (
        results_in_area(user=user)
        .filter(run=run)
        .exclude(change=Change.UNCHANGED)
        .select_related("person", "person__commune", "previous")
        .order_by("source_row")
    )


def registry_reports(*, user: User) -> QuerySet[RegistryReport]:
    """Corrections to report to the population registry about people of the user's area."""
    if not can_read_review(user):
        return RegistryReport.objects.none()
    return scope_queryset(RegistryReport.objects.all(), user, commune_field="person__commune")
