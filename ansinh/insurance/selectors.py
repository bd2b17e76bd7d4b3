"""Reads of voluntary social insurance, always through the scoping layer; the monthly report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from django.db.models import Count, Max, Q, QuerySet, Value
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext as _

from ansinh.access.models import Organisation, User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import area_communes, has_role, scope_queryset
from ansinh.geo.models import Commune
from ansinh.insurance import rules
from ansinh.insurance.models import CollectionPoint, CoordinationProgramme, Coverage, Participant, Payment, Plan
from ansinh.lib.text import fold

READER_ROLES = (
    RoleSlug.INSURANCE_OFFICER,
    RoleSlug.COLLECTION_AGENT,
    RoleSlug.NATIONAL_SUPERVISOR,
    RoleSlug.AUDITOR,
)
WRITER_ROLES = (RoleSlug.INSURANCE_OFFICER, RoleSlug.COLLECTION_AGENT)
TREND_MONTHS = 13  # this month and the twelve before it: holds last month, last December and a year ago


def can_read(user: User) -> bool:
    return has_role(user, *READER_ROLES)


def can_write(user: User) -> bool:
    return has_role(user, *WRITER_ROLES)


def participant_list(
    *, user: User, query: str = "", commune_id: int | None = None, status: str = ""
) -> QuerySet[Participant]:
    if not can_read(user):
        return Participant.objects.none()
    people = scope_queryset(
        Participant.objects.select_related("commune", "organisation"), user, organisation_field="organisation"
    )
    folded = fold(query)
    if folded:
        people = people.filter(Q(full_name_folded__contains=folded) | Q(citizen_id=query.strip()))
    if commune_id is not None:
        people = people.filter(commune_id=commune_id)
    if status in Participant.Status.values:
        people = people.filter(status=status)
    return people.order_by("commune__name", "full_name_folded", "pk")


def participant_get(*, user: User, participant_id: int) -> Participant | None:
    return participant_list(user=user).filter(pk=participant_id).first()


def payment_list(*, user: User, participant_id: int | None = None) -> QuerySet[Payment]:
    if not can_read(user):
        return Payment.objects.none()
    payments = scope_queryset(
        Payment.objects.select_related("participant", "organisation"),
        user,
        commune_field="participant__commune",
        organisation_field="participant__organisation",
    )
    if participant_id is not None:
        payments = payments.filter(participant_id=participant_id)
    return payments.order_by("-from_month", "-pk")


def point_list(*, user: User) -> QuerySet[CollectionPoint]:
    if not can_read(user):
        return CollectionPoint.objects.none()
    return scope_queryset(
        CollectionPoint.objects.select_related("commune", "organisation"), user, organisation_field="organisation"
    )


# -- the monthly report ------------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One line of the report: participants at the end of the month and at the months it compares with."""

    key: int | None
    name: str
    count: int = 0
    previous: int = 0  # end of last month
    december: int = 0  # end of December of last year
    year_ago: int = 0  # end of the same month last year
    target: int | None = None
    net_target: int | None = None
    trend: list[int] = field(default_factory=list)
    rank: int = 0

    @property
    def plan_percent(self) -> float | None:
        return round(100 * self.count / self.target, 2) if self.target else None

    @property
    def change_month(self) -> int:
        return self.count - self.previous

    @property
    def change_month_percent(self) -> float | None:
        return round(100 * self.change_month / self.previous, 2) if self.previous else None

    @property
    def change_december(self) -> int:
        return self.count - self.december

    @property
    def change_year(self) -> int:
        return self.count - self.year_ago

    @property
    def still_needed(self) -> int | None:
        """Net increase still needed to reach the year's target (never below zero)."""
        if self.net_target is None:
            return None
        return max(0, self.net_target - self.change_december)


@dataclass
class MonthlyReport:
    year: int
    month: int
    months: list[int]  # month indexes of the trend, oldest first
    total: ReportRow
    organisations: list[ReportRow]
    communes: list[ReportRow]

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def trend_labels(self) -> list[str]:
        return [rules.month_label(m) for m in self.months]


def _counts(user: User, months: list[int]) -> dict[tuple[int | None, int], list[int]]:
    """Participants counted at each month's end, per (organisation, commune): one aggregate query.

    Each coverage run is clipped to the months asked for and grouped by where it starts and ends; a run
    adds one from its first month and removes one after its last, and a running sum over the months
    turns those changes into counts. One pass over coverage, whatever the number of months.
    """
    first, last = months[0], months[-1]
    # Inlined commune ids let the planner estimate the area's share of the table (and aggregate in
    # parallel workers) instead of guessing from a nested subquery.
    coverage = scope_queryset(Coverage.objects.all(), user, organisation_field="organisation", inline_communes=True)
    runs = (
        coverage.filter(until_month__gte=first, from_month__lte=last)
        .order_by()
        .annotate(start=Greatest("from_month", Value(first)), end=Least("until_month", Value(last)))
        .values("organisation_id", "commune_id", "start", "end")
        .annotate(n=Count("pk"))
    )
    deltas: dict[tuple[int | None, int], list[int]] = defaultdict(lambda: [0] * (len(months) + 1))
    for row in runs:
        changes = deltas[(row["organisation_id"], row["commune_id"])]
        changes[row["start"] - first] += row["n"]
        changes[row["end"] + 1 - first] -= row["n"]
    return {key: list(accumulate(values))[:-1] for key, values in deltas.items()}


def _fill(row: ReportRow, trend: list[int]) -> None:
    row.trend = [a + b for a, b in zip(row.trend or [0] * len(trend), trend, strict=True)]


def _targets(plans: Iterable[Plan]) -> tuple[int | None, int | None]:
    target = net = None
    for plan in plans:
        target = (target or 0) + plan.target_participants
        if plan.net_increase_target is not None:
            net = (net or 0) + plan.net_increase_target
    return target, net


def _area_plans(user: User, year: int) -> list[Plan]:
    plans = Plan.objects.filter(year=year)
    if user.role_slug == RoleSlug.COLLECTION_AGENT:
        return list(plans.filter(organisation=user.organisation, commune__isnull=True))
    plans = plans.filter(organisation__isnull=True)
    if user.area_level == User.AreaLevel.NATION:
        return list(plans.filter(province__isnull=False))
    if user.area_level == User.AreaLevel.PROVINCES:
        return list(plans.filter(province__in=user.provinces.all()))
    return list(plans.filter(commune__in=area_communes(user)))


def monthly_report(user: User, year: int, month: int) -> MonthlyReport:
    """The province's monthly report for the user's area, computed from coverage (itself from payments)."""
    current = rules.month_index(year, month)
    months = list(range(current - TREND_MONTHS + 1, current + 1))
    december = rules.month_index(year - 1, 12)
    december_at = months.index(december)
    counts = _counts(user, months) if can_read(user) else {}

    total = ReportRow(key=None, name=str(_("All")), trend=[0] * len(months))
    by_org: dict[int | None, ReportRow] = {}
    by_commune: dict[int, ReportRow] = {}
    for (organisation_id, commune_id), trend in counts.items():
        _fill(total, trend)
        _fill(by_org.setdefault(organisation_id, ReportRow(key=organisation_id, name="")), trend)
        _fill(by_commune.setdefault(commune_id, ReportRow(key=commune_id, name="")), trend)

    plans = Plan.objects.filter(year=year)
    org_plans: dict[int | None, list[Plan]] = defaultdict(list)
    commune_plans: dict[int | None, list[Plan]] = defaultdict(list)
    for plan in plans.filter(commune__isnull=True, organisation__in=list(filter(None, by_org))):
        org_plans[plan.organisation_id].append(plan)
    for plan in plans.filter(organisation__isnull=True, commune__in=list(by_commune)):
        commune_plans[plan.commune_id].append(plan)
    total.target, total.net_target = _targets(_area_plans(user, year))

    org_names = dict(Organisation.objects.filter(pk__in=list(filter(None, by_org))).values_list("pk", "name"))
    commune_names = dict(Commune.objects.filter(pk__in=list(by_commune)).values_list("pk", "name"))
    for row in by_org.values():
        row.name = org_names.get(row.key, "") if row.key else str(_("No collection organisation"))
        row.target, row.net_target = _targets(org_plans.get(row.key, []))
    for row in by_commune.values():
        row.name = commune_names.get(row.key, "") if row.key else ""
        row.target, row.net_target = _targets(commune_plans.get(row.key, []))
    for row in [total, *by_org.values(), *by_commune.values()]:
        row.count, row.previous, row.year_ago = row.trend[-1], row.trend[-2], row.trend[0]
        row.december = row.trend[december_at]
    return MonthlyReport(
        year=year,
        month=month,
        months=months,
        total=total,
        organisations=_ranked(by_org.values()),
        communes=_ranked(by_commune.values()),
    )


def _ranked(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """Best first: by share of plan where there is a plan, then by net increase since December."""
    ordered = sorted(
        rows,
        key=lambda r: (r.plan_percent is None, -(r.plan_percent or 0), -r.change_december, r.name),
    )
    for rank, row in enumerate(ordered, start=1):
        row.rank = rank
    return ordered


def with_last_paid(people: QuerySet[Participant]) -> QuerySet[Participant]:
    return people.annotate(last_paid=Max("payments__to_month"))


def deadline_window(people: QuerySet[Participant], first: int, last: int) -> QuerySet[Participant]:
    """Participants whose next unpaid period has its deadline month between `first` and `last` (indexes).

    The next period starts the month after the last one paid; its deadline month is that start plus the
    mode's grace minus one, i.e. `last_paid + grace`. Never-paid participants are not here.
    """
    condition = Q()
    for mode, grace in rules.GRACE_MONTHS.items():
        condition |= Q(payment_mode=mode.value, last_paid__gte=first - grace, last_paid__lte=last - grace)
    return with_last_paid(people.exclude(status=Participant.Status.STOPPED)).filter(condition)


@dataclass(frozen=True)
class DueRow:
    participant: Participant
    period_start: str
    deadline: dt.date
    missed: bool
    amount: int


def due_rows(*, user: User, today: dt.date, limit: int = 500) -> list[DueRow]:
    """Participants of the user's area whose next period starts by next month and whose deadline
    has not passed more than three months ago: who a collector should see now."""
    current = rules.month_of_date(today)
    condition = Q()
    for mode, grace in rules.GRACE_MONTHS.items():
        condition |= Q(payment_mode=mode.value, last_paid__lte=current, last_paid__gte=current - 3 - grace)
    people = with_last_paid(participant_list(user=user).exclude(status=Participant.Status.STOPPED))
    rows: list[DueRow] = []
    for person in people.filter(condition).order_by("last_paid", "pk")[:limit]:
        start = person.last_paid + 1  # type: ignore[attr-defined]
        mode = rules.PaymentMode(person.payment_mode)
        due_on = rules.deadline(mode, start)
        amount = rules.monthly_contribution(person.monthly_income) * (rules.PERIOD_MONTHS[mode] or 12)
        rows.append(DueRow(person, rules.month_label(start), due_on, due_on < today, amount))
    return rows


@dataclass(frozen=True)
class ProgrammeCoverage:
    communes_with_point: int
    signed: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.signed / self.communes_with_point, 2) if self.communes_with_point else None


def programme_coverage(*, user: User) -> ProgrammeCoverage:
    """Communes of the area that have an active collection point, and how many of them signed the programme."""
    points = point_list(user=user).filter(active=True)
    communes = set(points.values_list("commune_id", flat=True))
    signed = scope_queryset(
        CoordinationProgramme.objects.filter(signed_on__isnull=False, commune_id__in=communes),
        user,
        organisation_field="organisation",
    )
    return ProgrammeCoverage(len(communes), len(set(signed.values_list("commune_id", flat=True))))
