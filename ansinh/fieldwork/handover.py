"""Services of the handover: the commune sends its classified list to the paying office as a signed-off,
versioned submission; the office acknowledges it or returns it with a comment per person.

A submission holds a copy of its rows, so what changed since the previous version is a comparison of two
stored lists, and an acknowledged list never changes under the office's feet.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import has_role
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.fieldwork import selectors
from ansinh.fieldwork.models import Office, Submission, SubmissionComment
from ansinh.fieldwork.services import FieldworkError, can_survey
from ansinh.geo.models import Commune
from ansinh.lib.text import nfc

COMPARED = ("classification", "channel", "proxy", "account_request")


def submission_rows(*, user: User, commune: Commune) -> list[dict[str, Any]]:
    return [
        {
            "person": visit.person_id,
            "name": visit.person.full_name,
            "hamlet": visit.person.hamlet,
            "house": visit.person.house_number,
            "classification": visit.classification,
            "channel": visit.channel,
            "proxy": visit.proxy_id,
            "account_request": visit.account_request_id,
            "visit": str(visit.uuid),
            "visited": visit.finished_at.date().isoformat(),
        }
        for visit in selectors.latest_classified(user=user, commune=commune)
    ]


def submission_create(*, user: User, commune_id: int, office: str, sign_off: str) -> Submission:
    """Send the commune's current classified list as the next version; audited."""
    commune = selectors.commune_get(user=user, commune_id=commune_id)
    if commune is None or not can_survey(user):
        raise FieldworkError(_("This commune is outside your area."))
    if office not in Office.values:
        raise FieldworkError(_("Choose the paying office."))
    if not sign_off.strip():
        raise FieldworkError(_("Write the name and title of whoever signs the list off."))
    rows = submission_rows(user=user, commune=commune)
    if not rows:
        raise FieldworkError(_("Nobody in this commune is classified yet."))
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    try:
        with transaction.atomic():
            last = Submission.objects.select_for_update().filter(commune=commune).order_by("-version").first()
            if last is not None and last.digest == digest and last.status == Submission.Status.SUBMITTED:
                return last  # sent twice: the same list is not a new version
            version = (Submission.objects.filter(commune=commune).aggregate(v=Max("version"))["v"] or 0) + 1
            submission = Submission.objects.create(
                commune=commune,
                version=version,
                office=office,
                rows=rows,
                digest=digest,
                submitted_by=user,
                sign_off=nfc(sign_off).strip()[:200],
            )
            audit_record(
                actor=user,
                entries=[
                    AuditEvent.about(
                        submission,
                        "submit",
                        after={"version": version, "office": office, "rows": len(rows), "digest": digest},
                    )
                ],
            )
    except IntegrityError as error:
        raise FieldworkError(_("Another version was sent at the same moment; reload and try again.")) from error
    return submission


def may_decide(user: User, submission: Submission) -> bool:
    """The paying office decides: the commune's culture-social officer or the province, never the sender."""
    if submission.submitted_by_id == user.pk:
        return False
    if submission.office == Office.COMMUNE_DIVISION:
        return has_role(user, RoleSlug.COMMUNE_CULTURE_OFFICER, RoleSlug.PROVINCE_OFFICER)
    return has_role(user, RoleSlug.PROVINCE_OFFICER)


def submission_decide(
    *, user: User, submission_id: int, acknowledge: bool, comments: dict[int, str] | None = None
) -> Submission:
    """Acknowledge the submission or return it with comments per person; audited, decided once."""
    comments = {k: nfc(v).strip()[:500] for k, v in (comments or {}).items() if v.strip()}
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(pk=submission_id, commune__in=selectors.communes_in_area(user=user))
            .first()
        )
        if submission is None:
            raise FieldworkError(_("This submission does not exist or is outside your area."))
        if not may_decide(user, submission):
            raise FieldworkError(_("Only the paying office, not the sender, acknowledges or returns a list."))
        if submission.status != Submission.Status.SUBMITTED:
            raise FieldworkError(_("This submission has already been decided."))
        listed = {row["person"] for row in submission.rows}
        if not acknowledge and not comments:
            raise FieldworkError(_("Say, for at least one person, what must be corrected."))
        if set(comments) - listed:
            raise FieldworkError(_("A comment names a person who is not on this list."))
        SubmissionComment.objects.bulk_create(
            SubmissionComment(submission=submission, person_id=person_id, text=text)
            for person_id, text in comments.items()
        )
        submission.status = Submission.Status.ACKNOWLEDGED if acknowledge else Submission.Status.RETURNED
        submission.decided_by = user
        submission.decided_at = timezone.now()
        submission.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    submission, "acknowledge" if acknowledge else "return", after={"comments": len(comments)}
                )
            ],
        )
    return submission


@dataclass
class Diff:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[tuple[dict[str, Any], dict[str, Any]]]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def submission_diff(previous: list[dict[str, Any]] | None, current: list[dict[str, Any]]) -> Diff:
    """What changed between two lists: people added, removed, and those whose classification or channel moved."""
    before = {row["person"]: row for row in previous or []}
    after = {row["person"]: row for row in current}
    return Diff(
        added=[after[p] for p in after if p not in before],
        removed=[before[p] for p in before if p not in after],
        changed=[
            (before[p], after[p])
            for p in after
            if p in before and any(before[p].get(key) != after[p].get(key) for key in COMPARED)
        ],
    )
