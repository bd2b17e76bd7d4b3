"""A visit that finds a person dead or moved feeds the review queue, the same path as a matching result.

A death suspends the person's active benefits at once with the review app's reason, and leaves a
"deceased" result waiting for a registry officer: confirming it ends the benefits, rejecting it makes them
active again. A move leaves a "corrected" result on the commune: accepting it hands the person to the
new commune (or suspends the benefits when that commune is outside the system).

The review app has no public service for a report that does not come from a matching run yet; these
functions use its models and its status helper and belong there once it has one.
"""

from __future__ import annotations

from django.db.models import Max

from ansinh.access.models import User
from ansinh.audit.services import AuditEvent
from ansinh.fieldwork.models import Visit
from ansinh.registry.models import Benefit, Person
from ansinh.review.models import MatchResult, MatchRun, MatchStatus
from ansinh.review.services import DEATH_REASON, benefits_set_status


def _run(user: User, visit: Visit, status: str) -> MatchRun:
    return MatchRun.objects.create(
        population_file=f"khảo sát hộ {visit.finished_at:%d/%m/%Y} ({visit.uuid})",
        counts={status: 1},
        created_by=user,
    )


def _next_row(run: MatchRun) -> int:
    return int(MatchResult.objects.filter(run=run).aggregate(m=Max("source_row"))["m"] or 0) + 1


def death_report(*, user: User, person: Person, visit: Visit) -> list[AuditEvent]:
    """Suspend the person's active benefits pending confirmation and queue the death for review."""
    run = _run(user, visit, MatchStatus.DECEASED)
    result = MatchResult.objects.create(
        run=run,
        person=person,
        source_row=_next_row(run),
        status=MatchStatus.DECEASED,
        citizen_id=person.citizen_id,
        probability=1.0,
        explanation="Báo tử khi khảo sát tại nhà; cần xác nhận.",
        registry={"full_name": person.full_name, "date_of_death": visit.finished_at.date().isoformat()},
        decision=MatchResult.Decision.PENDING,
    )
    benefits = Benefit.objects.select_for_update().filter(person_id=person.pk, status=Benefit.Status.ACTIVE)
    events = benefits_set_status(
        list(benefits.order_by("pk")),
        status=Benefit.Status.SUSPENDED,
        reason=DEATH_REASON,
        action="suspend",
        commune_id=person.commune_id,
    )
    return [AuditEvent.about(result, "report", after={"status": result.status}, commune_id=person.commune_id), *events]


def move_report(*, user: User, person: Person, visit: Visit, new_commune_code: str) -> list[AuditEvent]:
    """Queue the move for review; accepting it moves the person to the new commune."""
    run = _run(user, visit, MatchStatus.CORRECTED)
    result = MatchResult.objects.create(
        run=run,
        person=person,
        source_row=_next_row(run),
        status=MatchStatus.CORRECTED,
        citizen_id=person.citizen_id,
        probability=1.0,
        differences=["commune_code"] if new_commune_code else [],
        explanation="Chuyển đi nơi khác, báo khi khảo sát tại nhà.",
        registry={"full_name": person.full_name, "commune_code": new_commune_code or None},
        decision=MatchResult.Decision.PENDING,
    )
    return [AuditEvent.about(result, "report", after={"status": result.status}, commune_id=person.commune_id)]
