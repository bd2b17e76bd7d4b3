"""Reads of fieldwork, always through the scoping layer: worklists, progress, classified lists, handovers."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_READER_ROLES
from ansinh.access.scoping import area_communes, can_see_unmasked, has_role, scope_queryset
from ansinh.fieldwork.models import Assignment, DeviceToken, Outcome, Submission, Team, Visit
from ansinh.geo.models import Commune
from ansinh.lib.masking import mask_number
from ansinh.lib.text import vietnamese_sort_key
from ansinh.payouts.models import PayoutMethod
from ansinh.registry.models import Benefit, Person

_NUMBER = re.compile(r"(\d+)")
MISSING_LABELS = {
    "citizen_id": _("ID number"),
    "birth_date": _("birth date"),
    "phone": _("phone"),
    "house_number": _("house number"),
    "payout": _("payout method"),
}


def house_key(house_number: str) -> tuple[Any, ...]:
    """Natural order of house numbers: 2 before 10, "12A" after "12", "5/3" after "5"; blanks last."""
    text = house_number.strip().lower()
    if not text:
        return ((1,),)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _NUMBER.split(text) if part)


def can_read_fieldwork(user: User) -> bool:
    return has_role(user, *REGISTRY_READER_ROLES)


def communes_in_area(*, user: User) -> QuerySet[Commune]:
    if not can_read_fieldwork(user):
        return Commune.objects.none()
    return area_communes(user).order_by("name")


def commune_get(*, user: User, commune_id: int) -> Commune | None:
    return communes_in_area(user=user).select_related("province").filter(pk=commune_id).first()


@dataclass
class WorklistEntry:
    person: Person
    categories: list[str]
    payout: PayoutMethod | None
    last_visit: Visit | None
    missing: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.last_visit is not None and self.last_visit.outcome == Outcome.CLASSIFIED

    @property
    def missing_labels(self) -> list[str]:
        return [str(MISSING_LABELS[m]) for m in self.missing]


@dataclass
class WorklistGroup:
    hamlet: str
    team: str
    entries: list[WorklistEntry]

    @property
    def done(self) -> int:
        return sum(1 for e in self.entries if e.done)


def worklist(*, user: User, commune: Commune) -> list[WorklistGroup]:
    """The commune's people with an active benefit, grouped by hamlet or street and ordered by house number.

    Four queries whatever the size: people, their active benefits, their active payout methods, their visits.
    """
    if commune_get(user=user, commune_id=commune.pk) is None:
        return []
    people = list(
        scope_queryset(Person.objects.filter(commune=commune), user)
        .filter(benefits__status=Benefit.Status.ACTIVE)
        .distinct()
    )
    ids = [p.pk for p in people]
    categories: dict[int, set[str]] = defaultdict(set)
    for person_id, category in Benefit.objects.filter(person_id__in=ids, status=Benefit.Status.ACTIVE).values_list(
        "person_id", "category"
    ):
        categories[person_id].add(category)
    payouts: dict[int, PayoutMethod] = {}
    for method in PayoutMethod.objects.filter(person_id__in=ids, status=PayoutMethod.Status.ACTIVE).select_related(
        "bank"
    ):
        payouts.setdefault(method.person_id, method)
    visits: dict[int, Visit] = {}
    for visit in Visit.objects.filter(commune=commune, person_id__in=ids).order_by("person_id", "-finished_at"):
        visits.setdefault(visit.person_id, visit)
    teams = dict(Assignment.objects.filter(commune=commune).values_list("hamlet", "team__name"))
    groups: dict[str, list[WorklistEntry]] = defaultdict(list)
    for person in people:
        entry = WorklistEntry(
            person=person,
            categories=sorted(categories[person.pk]),
            payout=payouts.get(person.pk),
            last_visit=visits.get(person.pk),
        )
        entry.missing = _missing(entry)
        groups[person.hamlet.strip()].append(entry)
    return [
        WorklistGroup(
            hamlet=hamlet,
            team=teams.get(hamlet, ""),
            entries=sorted(entries, key=lambda e: (house_key(e.person.house_number), e.person.sort_key)),
        )
        for hamlet, entries in sorted(groups.items(), key=lambda item: (not item[0], vietnamese_sort_key(item[0])))
    ]


def _missing(entry: WorklistEntry) -> list[str]:
    person = entry.person
    missing = []
    if not person.citizen_id:
        missing.append("citizen_id")
    if person.birth_year is None:
        missing.append("birth_date")
    if not person.phone:
        missing.append("phone")
    if not person.house_number:
        missing.append("house_number")
    if entry.payout is None:
        missing.append("payout")
    return missing


def worklist_rows(*, user: User, commune: Commune) -> list[dict[str, Any]]:
    """The worklist as the phone stores it: plain data, numbers masked for roles that may not read them."""
    unmasked = can_see_unmasked(user)
    show = (lambda value: value) if unmasked else mask_number
    rows = []
    for group in worklist(user=user, commune=commune):
        for entry in group.entries:
            person, payout, visit = entry.person, entry.payout, entry.last_visit
            rows.append(
                {
                    "id": person.pk,
                    "name": person.full_name,
                    "birth": person.birth_date_display,
                    "sex": person.sex,
                    "citizen_id": show(person.citizen_id or person.old_id),
                    "phone": show(person.phone),
                    "hamlet": group.hamlet,
                    "house": person.house_number,
                    "team": group.team,
                    "categories": entry.categories,
                    "payout": (
                        {
                            "channel": payout.channel,
                            "bank": payout.bank.short_name if payout.bank else "",
                            "account": mask_number(payout.account_number),
                        }
                        if payout
                        else None
                    ),
                    "last": (
                        {"outcome": visit.outcome, "classification": visit.classification, "reason": visit.reason}
                        if visit
                        else None
                    ),
                    "missing": entry.missing,
                }
            )
    return rows


def progress(*, user: User) -> list[dict[str, Any]]:
    """Per commune of the area: people with an active benefit, visited, classified (latest visit counts)."""
    communes = communes_in_area(user=user)
    totals = dict(
        Person.objects.filter(commune__in=communes, benefits__status=Benefit.Status.ACTIVE)
        .values("commune_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("commune_id", "n")
    )
    visited = dict(
        Visit.objects.filter(commune__in=communes, person__benefits__status=Benefit.Status.ACTIVE)
        .values("commune_id")
        .annotate(
            n=Count("person_id", distinct=True),
        )
        .values_list("commune_id", "n")
    )
    classified = dict(
        Visit.objects.filter(
            commune__in=communes, outcome=Outcome.CLASSIFIED, person__benefits__status=Benefit.Status.ACTIVE
        )
        .values("commune_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("commune_id", "n")
    )
    rows = []
    for commune in communes.filter(pk__in=list(totals)).select_related("province"):
        total = totals.get(commune.pk, 0)
        done = classified.get(commune.pk, 0)
        rows.append(
            {
                "commune": commune,
                "total": total,
                "visited": visited.get(commune.pk, 0),
                "classified": done,
                "percent": round(100 * done / total) if total else 0,
            }
        )
    return rows


def latest_classified(*, user: User, commune: Commune) -> list[Visit]:
    """Each person's latest classified visit in the commune, for the lists, the Excel and the handover."""
    visits = (
        scope_queryset(Visit.objects.filter(commune=commune, outcome=Outcome.CLASSIFIED), user)
        .select_related("person", "officer")
        .order_by("person_id", "-finished_at")
    )
    latest: dict[int, Visit] = {}
    for visit in visits:
        latest.setdefault(visit.person_id, visit)
    return sorted(
        latest.values(), key=lambda v: (vietnamese_sort_key(v.person.hamlet), house_key(v.person.house_number))
    )


def visits_in_area(*, user: User) -> QuerySet[Visit]:
    if not can_read_fieldwork(user):
        return Visit.objects.none()
    return scope_queryset(Visit.objects.select_related("person", "commune", "officer"), user)


def visit_detail(*, user: User, visit_id: int) -> Visit | None:
    return visits_in_area(user=user).filter(pk=visit_id).first()


def teams_of(*, user: User, commune: Commune) -> QuerySet[Team]:
    return scope_queryset(Team.objects.filter(commune=commune), user).prefetch_related("members")


def device_tokens_of(*, user: User) -> QuerySet[DeviceToken]:
    return DeviceToken.objects.filter(user=user)


def submissions_of(*, user: User, commune: Commune) -> QuerySet[Submission]:
    if not can_read_fieldwork(user):
        return Submission.objects.none()
    return scope_queryset(Submission.objects.filter(commune=commune), user).prefetch_related("comments")


def submissions_waiting(*, user: User) -> QuerySet[Submission]:
    if not can_read_fieldwork(user):
        return Submission.objects.none()
    return scope_queryset(Submission.objects.filter(status=Submission.Status.SUBMITTED), user)


def follow_ups_due(*, user: User) -> int:
    return visits_in_area(user=user).filter(Q(outcome=Outcome.NOT_FINISHED) & Q(follow_up_date__isnull=False)).count()
