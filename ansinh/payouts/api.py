"""Payout-account endpoints: account changes (enter, list, approve, reject), the VietQR check, external registrations.

The VietQR check also accepts the session of a logged-in officer (with its CSRF token), because the capture
page asks it from the browser right after decoding a QR code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth

from ansinh.access.routes import acting_user, api_scoped
from ansinh.access.scoping import can_see_unmasked, has_access
from ansinh.api.base import TokenAuth
from ansinh.lib.masking import mask_number
from ansinh.payouts import selectors, services
from ansinh.payouts.models import AccountChangeRequest, Organisation, Proxy
from ansinh.payouts.signals import signal_labels
from ansinh.payouts.vietqr import VietQRError, vietqr_parse
from ansinh.registry.models import Benefit
from ansinh.registry.services import person_views_record

router = Router(tags=["payouts"])
MAX_PAGE = 200
MAX_EXTERNAL_ROWS = 5000


class OfficerSession(SessionAuth):
    """A logged-in officer with a role and an area; the CSRF token is checked by the parent class."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and has_access(user) else None


class VietQRIn(Schema):
    text: str


class VietQROut(Schema):
    ok: bool
    bank_bin: str = ""
    bank_name: str = ""
    bank_kind: str = ""
    account_number: str = ""
    error_code: str = ""
    error: str = ""


class RequestIn(Schema):
    person_id: int
    channel: str = "bank"
    bank_bin: str = ""
    bank: str = ""
    account_number: str = ""
    holder_name: str = ""
    proxy_id: int | None = None
    organisation_id: int | None = None
    benefit_id: int | None = None
    source: str = "typed"
    source_ref: str = ""


class RequestOut(Schema):
    id: int
    person_id: int
    person_name: str
    benefit_id: int | None
    channel: str
    bank_bin: str
    bank_text: str
    account_number: str
    holder_name: str
    proxy_id: int | None
    source: str
    source_ref: str
    source_batch_id: int | None
    status: str
    signals: list[dict[str, Any]]
    signal_labels: list[str]
    maker: str
    checker: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str


class RequestPage(Schema):
    count: int
    results: list[RequestOut]


class RejectIn(Schema):
    note: str


class MethodOut(Schema):
    id: int
    benefit_id: int
    channel: str
    bank_bin: str
    account_number: str
    status: str


class BulkIn(Schema):
    request_ids: list[int] = []
    batch_id: int | None = None


class BulkOut(Schema):
    approved: list[int]
    skipped: list[dict[str, Any]]


class ExternalIn(Schema):
    rows: list[dict[str, Any]]


class ExternalRowOut(Schema):
    row: int
    request_id: int | None
    errors: dict[str, list[str]]


def _out(request: HttpRequest, item: AccountChangeRequest) -> RequestOut:
    show = (lambda v: v) if can_see_unmasked(acting_user(request)) else mask_number
    return RequestOut(
        id=item.pk,
        person_id=item.person_id,
        person_name=item.person.full_name,
        benefit_id=item.benefit_id,
        channel=item.channel,
        bank_bin=item.bank_bin,
        bank_text=item.bank_text,
        account_number=show(item.account_number),
        holder_name=item.holder_name,
        proxy_id=item.proxy_id,
        source=item.source,
        source_ref=item.source_ref,
        source_batch_id=item.source_batch_id,
        status=item.status,
        signals=list(item.signals),
        signal_labels=signal_labels(item.signals),
        maker=item.maker.get_username() if item.maker else "",
        checker=item.checker.get_username() if item.checker else "",
        created_at=item.created_at,
        decided_at=item.decided_at,
        decision_note=item.decision_note,
    )


def _invalid(error: ValidationError) -> HttpError:
    details = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in error.message_dict.items())
    return HttpError(400, details)


def vietqr_check_text(text: str) -> VietQROut:
    """The check shared by the API and the capture page."""
    try:
        account = vietqr_parse(text, bank_known=selectors.bank_known)
    except VietQRError as error:
        return VietQROut(ok=False, error_code=error.code, error=gettext(error.msgid) % error.params)
    bank = selectors.bank_by_bin(account.bank_bin)
    return VietQROut(
        ok=True,
        bank_bin=account.bank_bin,
        bank_name=bank.short_name if bank else "",
        bank_kind=bank.kind if bank else "",
        account_number=account.account_number,
    )


@router.post(
    "/vietqr-check",
    response=VietQROut,
    auth=[TokenAuth(), OfficerSession()],
    summary="Check a decoded VietQR string: CRC, known bank, account format; a card QR is refused",
)
@api_scoped
def vietqr_check(request: HttpRequest, payload: VietQRIn) -> VietQROut:
    return vietqr_check_text(payload.text[:512])


@router.get("/changes", response=RequestPage, summary="Account changes in your area (pending by default)")
@api_scoped
def changes_list(
    request: HttpRequest, status: str = "pending", batch_id: int | None = None, offset: int = 0, limit: int = 50
) -> RequestPage:
    items = selectors.request_queue(user=acting_user(request), batch_id=batch_id, status=status)
    limit = max(1, min(limit, MAX_PAGE))
    page = list(items[max(offset, 0) : max(offset, 0) + limit])
    person_views_record(user=acting_user(request), people=list({r.person_id: r.person for r in page}.values()))
    return RequestPage(count=items.count(), results=[_out(request, r) for r in page])


def _owned(model: Any, pk: int | None, person_id: int) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, person_id=person_id).first()
    if found is None:
        raise HttpError(400, f"{model.__name__.lower()} {pk} does not belong to person {person_id}")
    return found


@router.post("/changes", response={201: RequestOut}, summary="Enter a new or changed payout method for approval")
@api_scoped
def change_create(request: HttpRequest, payload: RequestIn) -> Status:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=payload.person_id)
    if person is None:
        raise Http404
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    try:
        item = services.account_request_create(
            user=user,
            person=person,
            channel=payload.channel,
            bank_bin=payload.bank_bin,
            bank_text=payload.bank,
            account_number=payload.account_number,
            holder_name=payload.holder_name,
            proxy=_owned(Proxy, payload.proxy_id, person.pk),
            organisation=organisation,
            benefit=_owned(Benefit, payload.benefit_id, person.pk),
            source=payload.source,
            source_ref=payload.source_ref,
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(201, _out(request, item))


def _get(request: HttpRequest, change_id: int) -> AccountChangeRequest:
    item = selectors.request_get(user=acting_user(request), request_id=change_id)
    if item is None:
        raise Http404
    return item


@router.get("/changes/{change_id}", response=RequestOut, summary="One account change")
@api_scoped
def change_read(request: HttpRequest, change_id: int) -> RequestOut:
    return _out(request, _get(request, change_id))


@router.post("/changes/{change_id}/approve", response=list[MethodOut], summary="Approve (four-eyes)")
@api_scoped
def change_approve(request: HttpRequest, change_id: int) -> list[MethodOut]:
    item = _get(request, change_id)
    try:
        methods = services.account_request_approve(user=acting_user(request), request=item)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except ValidationError as error:
        raise HttpError(409, "; ".join(str(m) for m in error.messages)) from error
    return [
        MethodOut(
            id=m.pk,
            benefit_id=m.benefit_id,
            channel=m.channel,
            bank_bin=m.bank.bin if m.bank else "",
            account_number=mask_number(m.account_number),
            status=m.status,
        )
        for m in methods
    ]


@router.post("/changes/{change_id}/reject", response=RequestOut, summary="Reject with a reason")
@api_scoped
def change_reject(request: HttpRequest, change_id: int, payload: RejectIn) -> RequestOut:
    item = _get(request, change_id)
    try:
        item = services.account_request_reject(user=acting_user(request), request=item, note=payload.note)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except ValidationError as error:
        raise HttpError(409, "; ".join(str(m) for m in error.messages)) from error
    return _out(request, item)


@router.post("/changes/approve-bulk", response=BulkOut, summary="Approve many changes, e.g. an imported list")
@api_scoped
def changes_approve_bulk(request: HttpRequest, payload: BulkIn) -> BulkOut:
    user = acting_user(request)
    items = selectors.request_queue(user=user, batch_id=payload.batch_id)
    if payload.request_ids:
        items = items.filter(pk__in=payload.request_ids)
    elif payload.batch_id is None:
        raise HttpError(400, "Give request_ids or batch_id.")
    result = services.account_requests_approve_bulk(user=user, requests=list(items[:MAX_EXTERNAL_ROWS]))
    return BulkOut(approved=result.approved, skipped=[{"id": pk, "reason": reason} for pk, reason in result.skipped])


@router.post("/external", response=list[ExternalRowOut], summary="Accounts citizens registered through VNeID or a bank")
@api_scoped
def external_receive(request: HttpRequest, payload: ExternalIn) -> list[ExternalRowOut]:
    if len(payload.rows) > MAX_EXTERNAL_ROWS:
        raise HttpError(400, f"At most {MAX_EXTERNAL_ROWS} rows per call.")
    try:
        results = services.external_accounts_receive(user=acting_user(request), rows=payload.rows)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    return [ExternalRowOut(row=r.row, request_id=r.request_id, errors=r.errors) for r in results]
