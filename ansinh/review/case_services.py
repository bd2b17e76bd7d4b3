"""Writes on the review app's other queue items: duplicate cases, and corrections to report to the registry.

Each is one transaction ending with its audit entries, like ansinh.review.services.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.review import selectors
from ansinh.review.models import Decision, DuplicateCase, RegistryReport
from ansinh.review.services import ReviewError


def duplicate_case_decide(*, user: User, case_id: int, accept: bool) -> DuplicateCase:
    """Confirm (the people are one person: to merge) or reject (different people) a duplicate case; audited.

    Confirming changes nobody's data: which record stays and which benefits go is the follow-up work the
    confirmed case stands for.
    """
    if not selectors.can_decide(user):
        raise ReviewError(_("Only registry officers decide on matching results."))
    with transaction.atomic():
        case = selectors.duplicate_cases_in_area(user=user).select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None:
            raise ReviewError(_("This case does not exist or is outside your area."))
        if case.decision != Decision.PENDING:
            raise ReviewError(_("This case has already been decided."))
        case.decision = Decision.ACCEPTED if accept else Decision.REJECTED
        case.decided_by = user
        case.decided_at = timezone.now()
        case.save(update_fields=["decision", "decided_by", "decided_at"])
        people = sorted(case.members.values_list("person_id", flat=True))
        first = case.members.select_related("person").order_by("source_row").first()
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    case,
                    "accept" if accept else "reject",
                    after={"decision": case.decision, "people": people},
                    commune_id=first.person.commune_id if first else None,
                )
            ],
        )
    return case


def registry_reports_mark_sent(*, user: User, report_ids: Sequence[int]) -> int:
    """Mark corrections as reported to the population registry (after an export); audited."""
    if not selectors.can_decide(user):
        raise ReviewError(_("Only registry officers report corrections."))
    with transaction.atomic():
        reports = list(
            selectors.registry_reports(user=user)
            .select_for_update(of=("self",))
            .select_related("person")
            .filter(pk__in=list(report_ids), reported_at__isnull=True)
        )
        now = timezone.now()
        RegistryReport.objects.filter(pk__in=[r.pk for r in reports]).update(reported_at=now)
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(r, "report", after={"reported_at": now.isoformat()}, commune_id=r.person.commune_id)
                for r in reports
            ],
        )
    return len(reports)
