"""Writes of fieldwork: device tokens, teams and assignments, a visit with its classification, attachments.

Each write is one transaction ending with its audit entries. A visit carries the phone's UUID; a retry of
the same visit returns the stored one and writes nothing. What a visit means elsewhere (an account change
waiting for a second user, a proxy waiting for the culture-social officer, a death or a move waiting for
review) is written through those apps' services in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation, User
from ansinh.access.roles import REGISTRY_EDITOR_ROLES, RoleSlug
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.fieldwork.field_reports import death_report, move_report
from ansinh.fieldwork.models import (
    Assignment,
    Attachment,
    Classification,
    DeviceToken,
    Outcome,
    Reason,
    Refusal,
    Team,
    Visit,
)
from ansinh.fieldwork.validation import ProxyInput, VisitInput, contradictions
from ansinh.geo.models import Commune
from ansinh.lib.text import nfc
from ansinh.payouts.models import ACCOUNT_CHANNELS, Channel
from ansinh.registry.models import Person

DEVICE_TOKEN_DAYS = 7
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# Content is recognised by its first bytes, never by the name or the type the phone claims.
MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class FieldworkError(Exception):
    """The request cannot be carried out; `text` says why, for the officer."""

    def __init__(self, text: Any) -> None:
        super().__init__(str(text))
        self.text = text


def can_survey(user: User) -> bool:
    return has_role(user, *REGISTRY_EDITOR_ROLES)


# -- device tokens -----------------------------------------------------------------------------------------


def device_token_issue(*, user: User, name: str, days: int = DEVICE_TOKEN_DAYS) -> tuple[DeviceToken, str]:
    """A new token for one phone of the officer; the plain secret is returned once and never stored."""
    if not can_survey(user):
        raise FieldworkError(_("Only commune and province officers survey households."))
    secret = DeviceToken.new_secret()
    with transaction.atomic():
        token = DeviceToken.objects.create(
            user=user,
            name=nfc(name)[:100] or "phone",
            prefix=secret[4:12],
            digest=DeviceToken.digest_of(secret),
            expires_at=timezone.now() + dt.timedelta(days=max(1, min(days, 30))),
        )
        audit_record(actor=user, entries=[AuditEvent.about(token, "issue", summary=token.name)])
    return token, secret


def device_token_revoke(*, user: User, token_id: int) -> DeviceToken:
    """Revoke one of the user's tokens (a province officer may revoke any in the area); safe to repeat."""
    with transaction.atomic():
        token = DeviceToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or not (token.user_id == user.pk or _may_manage_tokens_of(user, token.user)):
            raise FieldworkError(_("This device token does not exist or is not yours."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=user, entries=[AuditEvent.about(token, "revoke", summary=token.name)])
    return token


def _may_manage_tokens_of(user: User, owner: User) -> bool:
    from ansinh.access.scoping import area_communes

    if not has_role(user, RoleSlug.PROVINCE_OFFICER):
        return False
    return area_communes(user).filter(pk__in=owner.communes.values("pk")).exists()


# -- teams --------------------------------------------------------------------------------------------------


def _commune_in_area(user: User, commune_id: int) -> Commune:
    commune = scope_queryset(Commune.objects.all(), user, commune_field="pk").filter(pk=commune_id).first()
    if commune is None or not can_survey(user):
        raise FieldworkError(_("This commune is outside your area."))
    return commune


def commune_officers(commune: Commune) -> QuerySet[User]:
    """The officers who can join a commune's team: its police and culture-social officers."""
    return User.objects.filter(
        communes=commune, is_active=True, role__slug__in=[RoleSlug.COMMUNE_POLICE, RoleSlug.COMMUNE_CULTURE_OFFICER]
    ).order_by("username")


def team_create(*, user: User, commune_id: int, name: str, member_ids: list[int]) -> Team:
    commune = _commune_in_area(user, commune_id)
    members = list(commune_officers(commune).filter(pk__in=member_ids))
    if len(members) != len(set(member_ids)):
        raise FieldworkError(_("Every member must be a police or culture-social officer of this commune."))
    with transaction.atomic():
        team, _created = Team.objects.get_or_create(commune=commune, name=nfc(name).strip()[:100])
        team.members.set(members)
        audit_record(
            actor=user,
            entries=[AuditEvent.about(team, "save", after={"name": team.name, "members": sorted(member_ids)})],
        )
    return team


def team_assign(*, user: User, team_id: int, hamlets: list[str]) -> list[Assignment]:
    """Give hamlets of the commune's worklist to a team (taking them from another team if needed)."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise FieldworkError(_("This team does not exist."))
    _commune_in_area(user, team.commune_id)
    done = []
    with transaction.atomic():
        for hamlet in hamlets:
            assignment, _created = Assignment.objects.update_or_create(
                commune_id=team.commune_id,
                hamlet=hamlet,
                defaults={"team": team, "assigned_by": user, "assigned_at": timezone.now()},
            )
            done.append(assignment)
        audit_record(
            actor=user,
            entries=[AuditEvent.about(team, "assign", after={"hamlets": list(hamlets)}, commune_id=team.commune_id)],
        )
    return done


# -- a visit ------------------------------------------------------------------------------------------------


def _existing(user: User, data: VisitInput) -> Visit | None:
    visit = Visit.objects.filter(uuid=data.uuid).first()
    if visit is None:
        return None
    if visit.officer_id != user.pk or visit.person_id != data.person_id:
        raise FieldworkError(_("This visit id is already used by another visit."))
    return visit


def visit_submit(*, user: User, data: VisitInput) -> tuple[Visit, bool]:
    """Store one visit and what it means; returns (visit, created). A retry with the same UUID stores nothing.

    Steps: refuse contradictory answers; find the person in the officer's area; in one transaction store
    the visit, then its proxy, its account change or cash order, its refusal, or its death or move report,
    and the audit entries. A race between two retries ends in the unique constraint: the loser reads the
    winner's visit.
    """
    if not can_survey(user):
        raise FieldworkError(_("Only commune and province officers survey households."))
    existing = _existing(user, data)
    if existing is not None:
        return existing, False
    problems = contradictions(data)
    if problems:
        raise FieldworkError(" ".join(problems))
    person = scope_queryset(Person.objects.all(), user).filter(pk=data.person_id).first()
    if person is None:
        raise FieldworkError(_("This person is not on a worklist of your area."))
    try:
        with transaction.atomic():
            visit = _visit_store(user=user, person=person, data=data)
    except IntegrityError:
        existing = _existing(user, data)
        if existing is None:
            raise
        return existing, False
    return visit, True


def _visit_store(*, user: User, person: Person, data: VisitInput) -> Visit:
    visit = Visit.objects.create(
        uuid=data.uuid,
        person=person,
        commune_id=person.commune_id,
        officer=user,
        started_at=data.started_at,
        finished_at=data.finished_at,
        outcome=data.outcome,
        reason=data.reason if data.outcome == Outcome.NOT_FINISHED else "",
        follow_up_date=data.follow_up_date,
        classification=data.classification if data.outcome == Outcome.CLASSIFIED else "",
        channel=_channel(data),
        identity_confirmed=data.identity_confirmed,
        answers={"has_account": data.has_account, "registered": data.registered, **data.extra},
        note=nfc(data.note)[:500],
    )
    events: list[AuditEvent] = []
    if data.proxy is not None:
        visit.proxy_id = _proxy(user=user, person=person, proxy=data.proxy)
    if data.outcome == Outcome.CLASSIFIED:
        visit.account_request_id = _account(user=user, person=person, data=data, visit=visit)
        if data.classification == Classification.DECLINED and data.refusal is not None:
            Refusal.objects.create(
                visit=visit,
                reason=nfc(data.refusal.reason).strip()[:500],
                police_officer=nfc(data.refusal.police_officer).strip()[:200],
                culture_officer=nfc(data.refusal.culture_officer).strip()[:200],
            )
    elif data.reason == Reason.DIED:
        events += death_report(user=user, person=person, visit=visit)
    elif data.reason == Reason.MOVED_AWAY:
        events += move_report(user=user, person=person, visit=visit, new_commune_code=data.new_commune_code)
    visit.save(update_fields=["proxy_id", "account_request_id"])
    summary = {
        "outcome": visit.outcome,
        "reason": visit.reason,
        "classification": visit.classification,
        "channel": visit.channel,
        "proxy": visit.proxy_id,
        "account_request": visit.account_request_id,
    }
    audit_record(
        actor=user,
        entries=[AuditEvent.about(visit, "submit", after=summary, summary=str(visit.uuid)), *events],
    )
    return visit


def _channel(data: VisitInput) -> str:
    if data.outcome != Outcome.CLASSIFIED:
        return ""
    if data.classification == Classification.FORCE_MAJEURE:
        return Channel.CASH_HOME
    return data.channel if data.classification in (Classification.PERSUADED, Classification.NO_ACCOUNT) else ""


def _payout_services() -> Any:
    # Imported late: the payouts app is written beside this one and imports nothing from fieldwork.
    from ansinh.payouts import services

    return services  # type: ignore[attr-defined,unused-ignore]


def _proxy(*, user: User, person: Person, proxy: ProxyInput) -> int:
    commune = (
        Commune.objects.filter(code=proxy.certifying_commune_code).first() if proxy.certifying_commune_code else None
    )
    try:
        made = _payout_services().proxy_create(
            user=user,
            person=person,
            full_name=nfc(proxy.full_name).strip(),
            citizen_id=proxy.citizen_id.strip(),
            phone=proxy.phone.strip(),
            relationship=nfc(proxy.relationship).strip(),
            letter_date=proxy.letter_date,
            certifying_commune=commune,
        )
    except ValidationError as error:
        raise FieldworkError(" ".join(error.messages)) from error
    except PermissionDenied as error:
        raise FieldworkError(str(error)) from error
    return int(made.pk)


def _account(*, user: User, person: Person, data: VisitInput, visit: Visit) -> int | None:
    """The account change (or cash order) the visit asks for, waiting for a second user's approval."""
    channel = visit.channel
    if not channel or (channel in ACCOUNT_CHANNELS and not data.account_number):
        return None  # reconfirmed, declined, or the account is still to be opened
    organisation = None
    if data.organisation_id is not None:
        organisation = Organisation.objects.filter(
            pk=data.organisation_id, kind=Organisation.Kind.PAYMENT_SERVICE
        ).first()
        if organisation is None:
            raise FieldworkError(_("This payment service organisation is not known."))
    try:
        request = _payout_services().account_request_create(
            user=user,
            person=person,
            channel=channel,
            bank_bin=data.bank_bin.strip(),
            account_number=data.account_number.strip().upper(),
            holder_name=nfc(data.holder_name).strip(),
            proxy=_proxy_object(visit.proxy_id),
            organisation=organisation,
            source="survey",
            source_ref=str(visit.uuid),
        )
    except ValidationError as error:
        raise FieldworkError(" ".join(error.messages)) from error
    except PermissionDenied as error:
        raise FieldworkError(str(error)) from error
    return int(request.pk)


def _proxy_object(proxy_id: int | None) -> Any:
    if proxy_id is None:
        return None
    from ansinh.payouts.models import Proxy

    return Proxy.objects.get(pk=proxy_id)


def visit_get(*, user: User, visit_uuid: uuid.UUID | str) -> Visit | None:
    return scope_queryset(Visit.objects.select_related("person"), user).filter(uuid=visit_uuid).first()


# -- attachments --------------------------------------------------------------------------------------------


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None for anything but JPEG, PNG and PDF."""
    for magic, content_type, extension in MAGIC:
        if data.startswith(magic):
            return content_type, extension
    return None


def attachment_store(
    *, user: User, visit_uuid: uuid.UUID, attachment_uuid: uuid.UUID, kind: str, data: bytes
) -> tuple[Attachment, bool]:
    """Attach a photo or scan to one of the officer's visits; a retry with the same UUID stores it once."""
    found = Attachment.objects.filter(uuid=attachment_uuid).first()
    if found is not None:
        if found.uploaded_by_id != user.pk:
            raise FieldworkError(_("This attachment id is already used."))
        return found, False
    if kind not in Attachment.Kind.values:
        raise FieldworkError(_("Unknown kind of attachment."))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise FieldworkError(_("The file is larger than 5 MB; take the photo again at a lower resolution."))
    if not data:
        raise FieldworkError(_("The file is empty."))
    sniffed = sniff(data)
    if sniffed is None:
        raise FieldworkError(_("Only JPEG or PNG photos and PDF scans are accepted."))
    visit = visit_get(user=user, visit_uuid=visit_uuid)
    if visit is None:
        raise FieldworkError(_("The visit of this attachment has not been received yet."))
    content_type, extension = sniffed
    try:
        with transaction.atomic():
            attachment = Attachment(
                uuid=attachment_uuid,
                visit=visit,
                kind=kind,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=user,
            )
            attachment.file.save(f"{attachment_uuid}.{extension}", ContentFile(data), save=False)
            attachment.save()
            if kind == Attachment.Kind.MINUTES:
                Refusal.objects.filter(visit=visit).update(status=Refusal.Status.SIGNED)
            audit_record(
                actor=user,
                entries=[
                    AuditEvent.about(
                        attachment,
                        "upload",
                        after={"kind": kind, "size": len(data), "sha256": attachment.sha256},
                        commune_id=visit.commune_id,
                    )
                ],
            )
    except IntegrityError:
        again = Attachment.objects.filter(uuid=attachment_uuid, uploaded_by=user).first()
        if again is None:
            raise
        return again, False
    return attachment, True


def worklist_view_record(*, user: User, commune: Commune, person_ids: list[int], action: str = "download") -> None:
    """Record that a worklist was seen, printed or left the server for a phone (personal data at rest)."""
    with transaction.atomic():
        audit_record(
            actor=user,
            entries=[
                AuditEvent(
                    action=action,
                    object_type="registry.person",
                    object_ids=[str(pk) for pk in person_ids] or ["none"],
                    summary=f"worklist {commune.code}",
                    commune_id=commune.pk,
                )
            ],
        )
