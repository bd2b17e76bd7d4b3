"""Fieldwork endpoints for the phones: download a worklist, submit a visit, upload a photo or scan.

The phone authenticates with a device token (bound to the officer, valid for days, revocable), so a day
offline does not depend on a session cookie; an integration's API token is accepted too.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from ansinh.access.models import User
from ansinh.access.routes import acting_user, api_scoped
from ansinh.access.scoping import has_access
from ansinh.api.base import TokenAuth
from ansinh.fieldwork import selectors, services, validation
from ansinh.fieldwork.models import DeviceToken

router = Router(tags=["fieldwork"])


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer dev_…`: a phone's token, refused once expired or revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith("dev_"):
            return None
        record = (
            DeviceToken.objects.select_related("user", "user__role")
            .filter(digest=DeviceToken.digest_of(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if record is None or not record.user.is_active or not has_access(record.user):
            return None
        now = timezone.now()
        # Kept to the minute: a write on every request would queue the phones behind one row lock.
        if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=1):
            DeviceToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


PHONE_AUTH = [DeviceTokenAuth(), TokenAuth()]


class CommuneOut(Schema):
    id: int
    code: str
    name: str


class WorklistOut(Schema):
    commune: CommuneOut
    generated_at: dt.datetime
    officer: str
    rows: list[dict[str, object]]


class ProxyIn(Schema):
    full_name: str
    relationship: str
    citizen_id: str = ""
    phone: str = ""
    letter_date: dt.date | None = None
    certifying_commune_code: str = ""


class RefusalIn(Schema):
    reason: str
    police_officer: str = ""
    culture_officer: str = ""


class VisitIn(Schema):
    uuid: uuid.UUID
    person_id: int
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: str
    reason: str = ""
    follow_up_date: dt.date | None = None
    identity_confirmed: bool = False
    has_account: bool | None = None
    registered: bool | None = None
    classification: str = ""
    channel: str = ""
    bank_bin: str = ""
    account_number: str = ""
    holder_name: str = ""
    organisation_id: int | None = None
    refusal: RefusalIn | None = None
    proxy: ProxyIn | None = None
    new_commune_code: str = ""
    note: str = ""


class VisitOut(Schema):
    uuid: uuid.UUID
    id: int
    created: bool
    outcome: str
    classification: str
    account_request_id: int | None
    proxy_id: int | None


class AttachmentOut(Schema):
    uuid: uuid.UUID
    created: bool
    content_type: str
    size: int


@router.get("/communes", response=list[CommuneOut], auth=PHONE_AUTH, summary="Communes whose worklist you may download")
@api_scoped
def communes(request: HttpRequest) -> list[CommuneOut]:
    user = acting_user(request)
    return [CommuneOut(id=c.pk, code=c.code, name=c.name) for c in selectors.communes_in_area(user=user)[:500]]


@router.get("/worklist", response=WorklistOut, auth=PHONE_AUTH, summary="Download a commune's worklist (audited)")
@api_scoped
def worklist_download(request: HttpRequest, commune: int | None = None) -> WorklistOut:
    user = acting_user(request)
    if commune is None:
        only = list(selectors.communes_in_area(user=user)[:2])
        if len(only) != 1:
            raise HttpError(400, "Give the commune: your area has several.")
        commune = only[0].pk
    found = selectors.commune_get(user=user, commune_id=commune)
    if found is None or not services.can_survey(user):
        raise Http404
    rows = selectors.worklist_rows(user=user, commune=found)
    services.worklist_view_record(user=user, commune=found, person_ids=[int(str(r["id"])) for r in rows])
    return WorklistOut(
        commune=CommuneOut(id=found.pk, code=found.code, name=found.name),
        generated_at=timezone.now(),
        officer=user.get_full_name() or user.get_username(),
        rows=rows,
    )


@router.post("/visits", response={200: VisitOut, 201: VisitOut}, auth=PHONE_AUTH, summary="Submit a visit")
@api_scoped
def visit_submit(request: HttpRequest, payload: VisitIn) -> Status:
    """Stored once per `uuid`: a retry answers 200 with the stored visit, a first submission 201."""
    user = acting_user(request)
    data = payload.dict()
    refusal = data.pop("refusal")
    proxy = data.pop("proxy")
    try:
        visit, created = services.visit_submit(
            user=user,
            data=validation.VisitInput(
                **data,
                refusal=validation.RefusalInput(**refusal) if refusal else None,
                proxy=validation.ProxyInput(**proxy) if proxy else None,
            ),
        )
    except services.FieldworkError as error:
        raise HttpError(400, str(error.text)) from error
    out = VisitOut(
        uuid=visit.uuid,
        id=visit.pk,
        created=created,
        outcome=visit.outcome,
        classification=visit.classification,
        account_request_id=visit.account_request_id,
        proxy_id=visit.proxy_id,
    )
    return Status(201 if created else 200, out)


@router.post(
    "/visits/{visit_uuid}/attachments",
    response={200: AttachmentOut, 201: AttachmentOut},
    auth=PHONE_AUTH,
    summary="Attach a photo or scan (JPEG, PNG or PDF, at most 5 MB)",
)
@api_scoped
def attachment_upload(
    request: HttpRequest,
    visit_uuid: uuid.UUID,
    file: File[UploadedFile],
    uuid: Form[uuid.UUID],
    kind: Form[str],
) -> Status:
    user = acting_user(request)
    if (file.size or 0) > services.MAX_ATTACHMENT_BYTES:
        raise HttpError(400, "The file is larger than 5 MB; take the photo again at a lower resolution.")
    try:
        attachment, created = services.attachment_store(
            user=user, visit_uuid=visit_uuid, attachment_uuid=uuid, kind=kind, data=file.read()
        )
    except services.FieldworkError as error:
        raise HttpError(400, str(error.text)) from error
    out = AttachmentOut(
        uuid=attachment.uuid, created=created, content_type=attachment.content_type, size=attachment.size
    )
    return Status(201 if created else 200, out)
