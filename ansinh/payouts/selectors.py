"""Reads of the payouts app, limited to the acting user's area through the person's commune."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_EDITOR_ROLES, REGISTRY_READER_ROLES, RoleSlug
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.payouts.models import AccountChangeRequest, Bank, PayoutMethod, Proxy
from ansinh.registry.models import Person

# Those who enter account changes and approve other people's.
ENTRY_ROLES = frozenset(REGISTRY_EDITOR_ROLES)
APPROVER_ROLES = frozenset(REGISTRY_EDITOR_ROLES)
COMMUNE_ROLES = frozenset({RoleSlug.COMMUNE_POLICE, RoleSlug.COMMUNE_CULTURE_OFFICER})
PROXY_CONFIRM_ROLES = frozenset({RoleSlug.COMMUNE_CULTURE_OFFICER, RoleSlug.PROVINCE_OFFICER})
READER_ROLES = frozenset(REGISTRY_READER_ROLES)


def can_enter(user: User) -> bool:
    return has_role(user, *ENTRY_ROLES)


def can_approve_any(user: User) -> bool:
    return has_role(user, *APPROVER_ROLES)


def can_read(user: User) -> bool:
    return has_role(user, *READER_ROLES)


def bank_known(bin_: str) -> bool:
    return Bank.objects.filter(bin=bin_, active=True).exists()


def bank_by_bin(bin_: str) -> Bank | None:
    return Bank.objects.filter(bin=bin_).first()


def banks_active() -> QuerySet[Bank]:
    return Bank.objects.filter(active=True).order_by("kind", "short_name")


def person_get(*, user: User, person_id: int) -> Person | None:
    if not can_read(user):
        return None
    return scope_queryset(Person.objects.select_related("commune"), user).filter(pk=person_id).first()


def requests_in_area(*, user: User) -> QuerySet[AccountChangeRequest]:
    if not can_read(user):
        return AccountChangeRequest.objects.none()
    return scope_queryset(
        AccountChangeRequest.objects.all(), user, commune_field="person__commune", organisation_field="organisation"
    )


def request_queue(
    *, user: User, batch_id: int | None = None, status: str = "pending", commune_id: int | None = None
) -> QuerySet[AccountChangeRequest]:
    requests = requests_in_area(user=user)
    if commune_id is not None:
        requests = requests.filter(person__commune_id=commune_id)
    if status:
        requests = requests.filter(status=status)
    if batch_id is not None:
        requests = requests.filter(source_batch_id=batch_id)
    return requests.select_related("person", "person__commune", "benefit", "proxy", "maker", "maker__role").order_by(
        "created_at", "pk"
    )


def request_get(*, user: User, request_id: int) -> AccountChangeRequest | None:
    return (
        requests_in_area(user=user)
        .select_related("person", "person__commune", "proxy", "maker", "maker__role")
        .filter(pk=request_id)
        .first()
    )


def pending_batches(*, user: User) -> list[dict[str, object]]:
    """Imported lists with pending account changes in the user's area, with how many carry signals."""
    rows = (
        request_queue(user=user)
        .filter(source_batch_id__isnull=False)
        .values("source_batch_id")
        .annotate(n=Count("pk"), flagged=Count("pk", filter=~Q(signals=[])))
        .order_by("source_batch_id")
    )
    return list(rows)


def pending_communes(*, user: User) -> list[dict[str, object]]:
    """The communes of the user's area with pending changes, and how many each has."""
    rows = (
        request_queue(user=user)
        .values("person__commune_id", "person__commune__name")
        .annotate(n=Count("pk"))
        .order_by("person__commune__name")
    )
    return list(rows)


def pending_count(*, user: User) -> int:
    return request_queue(user=user).count() if can_approve_any(user) else 0


def methods_of_person(*, user: User, person: Person) -> QuerySet[PayoutMethod]:
    """Every payout method of a person in the user's area, active first, then the history."""
    if not can_read(user):
        return PayoutMethod.objects.none()
    methods = scope_queryset(
        PayoutMethod.objects.filter(person=person),
        user,
        commune_field="person__commune",
        organisation_field="organisation",
    )
    return methods.select_related("bank", "benefit", "proxy", "organisation", "approved_by").order_by(
        "status", "-valid_from"
    )


def proxies_of_person(*, user: User, person: Person) -> QuerySet[Proxy]:
    if not can_read(user):
        return Proxy.objects.none()
    return scope_queryset(Proxy.objects.filter(person=person), user, commune_field="person__commune").order_by(
        "-created_at"
    )


def proxy_get(*, user: User, proxy_id: int) -> Proxy | None:
    if not can_read(user):
        return None
    return (
        scope_queryset(Proxy.objects.select_related("person"), user, commune_field="person__commune")
        .filter(pk=proxy_id)
        .first()
    )


def flagged_requests(*, user: User, days: int = 90) -> QuerySet[AccountChangeRequest]:
    """Requests of the last `days` days that carry a fraud signal, newest first."""
    since = timezone.now() - timedelta(days=days)
    return (
        requests_in_area(user=user)
        .filter(created_at__gte=since)
        .exclude(signals=[])
        .select_related("person", "person__commune", "maker")
        .order_by("-created_at")
    )


def shared_accounts(*, user: User, minimum: int = 2) -> list[dict[str, object]]:
    """Active accounts that pay several people of the user's area."""
    methods = scope_queryset(
        PayoutMethod.objects.filter(status=PayoutMethod.Status.ACTIVE).exclude(account_number=""),
        user,
        commune_field="person__commune",
    )
    rows = (
        methods.values("bank__short_name", "bank__bin", "account_number")
        .annotate(people=Count("person", distinct=True))
        .filter(people__gte=minimum)
        .order_by("-people")
    )
    return list(rows[:200])


def changes_by_user(*, user: User, days: int = 7, minimum: int = 1) -> list[dict[str, object]]:
    since = timezone.now() - timedelta(days=days)
    rows = (
        requests_in_area(user=user)
        .filter(created_at__gte=since, maker__isnull=False)
        .exclude(source=AccountChangeRequest.Source.IMPORT)
        .values("maker__username")
        .annotate(n=Count("pk"))
        .filter(n__gte=minimum)
        .order_by("-n")
    )
    return list(rows[:50])
