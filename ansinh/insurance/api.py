"""Insurance endpoints: participants, payments and the monthly report, in the caller's area."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ansinh.access.routes import acting_user, api_scoped
from ansinh.access.scoping import can_see_unmasked
from ansinh.insurance import rules, selectors, services
from ansinh.insurance.models import Participant, Payment
from ansinh.lib.masking import mask_number

router = Router(tags=["insurance"])
MAX_PAGE = 200


class ParticipantOut(Schema):
    id: int
    full_name: str
    citizen_id: str
    birth_year: int
    commune_code: str
    organisation: str | None
    monthly_income: int
    payment_mode: str
    support_group: str
    status: str
    stopped_on: dt.date | None


class ParticipantPage(Schema):
    count: int
    results: list[ParticipantOut]


class PaymentOut(Schema):
    id: int
    participant_id: int
    period_from: str  # YYYY-MM
    period_to: str
    amount: int
    support: int
    paid_on: dt.date
    receipt: str


class PaymentIn(Schema):
    period_from: str  # YYYY-MM
    months: int | None = None
    paid_on: dt.date
    amount: int | None = None
    receipt: str = ""


class ReportRowOut(Schema):
    key: int | None
    name: str
    rank: int
    count: int
    target: int | None
    plan_percent: float | None
    change_month: int
    change_month_percent: float | None
    change_december: int
    change_year: int
    net_target: int | None
    still_needed: int | None


class ReportOut(Schema):
    year: int
    month: int
    total: ReportRowOut
    organisations: list[ReportRowOut]
    communes: list[ReportRowOut]


def _iso_month(index: int) -> str:
    year, month = rules.year_month(index)
    return f"{year:04d}-{month:02d}"


def _participant_out(participant: Participant, unmasked: bool) -> ParticipantOut:
    return ParticipantOut(
        id=participant.pk,
        full_name=participant.full_name,
        citizen_id=participant.citizen_id if unmasked else mask_number(participant.citizen_id),
        birth_year=participant.birth_year,
        commune_code=participant.commune.code,
        organisation=participant.organisation.name if participant.organisation else None,
        monthly_income=participant.monthly_income,
        payment_mode=participant.payment_mode,
        support_group=participant.support_group,
        status=participant.status,
        stopped_on=participant.stopped_on,
    )


def _payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.pk,
        participant_id=payment.participant_id,
        period_from=_iso_month(payment.from_month),
        period_to=_iso_month(payment.to_month),
        amount=payment.amount,
        support=payment.support,
        paid_on=payment.paid_on,
        receipt=payment.receipt,
    )


def _row_out(row: selectors.ReportRow) -> ReportRowOut:
    return ReportRowOut(
        key=row.key,
        name=row.name,
        rank=row.rank,
        count=row.count,
        target=row.target,
        plan_percent=row.plan_percent,
        change_month=row.change_month,
        change_month_percent=row.change_month_percent,
        change_december=row.change_december,
        change_year=row.change_year,
        net_target=row.net_target,
        still_needed=row.still_needed,
    )


@router.get("/participants", response=ParticipantPage, summary="Participants in your area")
@api_scoped
def participants_list(
    request: HttpRequest, q: str = "", status: str = "", offset: int = 0, limit: int = 50
) -> ParticipantPage:
    user = acting_user(request)
    limit = max(1, min(limit, MAX_PAGE))
    people = selectors.participant_list(user=user, query=q, status=status)
    found = list(people[max(offset, 0) : max(offset, 0) + limit])
    unmasked = can_see_unmasked(user)
    return ParticipantPage(count=people.count(), results=[_participant_out(p, unmasked) for p in found])


@router.get("/participants/{participant_id}", response=ParticipantOut, summary="One participant")
@api_scoped
def participant_read(request: HttpRequest, participant_id: int) -> ParticipantOut:
    user = acting_user(request)
    participant = selectors.participant_get(user=user, participant_id=participant_id)
    if participant is None:
        raise Http404
    return _participant_out(participant, can_see_unmasked(user))


@router.get("/participants/{participant_id}/payments", response=list[PaymentOut], summary="A participant's payments")
@api_scoped
def payments_list(request: HttpRequest, participant_id: int) -> list[PaymentOut]:
    user = acting_user(request)
    if selectors.participant_get(user=user, participant_id=participant_id) is None:
        raise Http404
    return [_payment_out(p) for p in selectors.payment_list(user=user, participant_id=participant_id)[:MAX_PAGE]]


@router.post("/participants/{participant_id}/payments", response={201: PaymentOut}, summary="Record a payment received")
@api_scoped
def payment_create(request: HttpRequest, participant_id: int, body: PaymentIn) -> Status:
    user = acting_user(request)
    participant = selectors.participant_get(user=user, participant_id=participant_id)
    if participant is None:
        raise Http404
    try:
        year, month = (int(part) for part in body.period_from.split("-"))
        payment = services.payment_record(
            user=user,
            participant=participant,
            from_month=rules.month_index(year, month),
            months=body.months,
            paid_on=body.paid_on,
            amount=body.amount,
            receipt=body.receipt,
        )
    except PermissionError as error:
        raise HttpError(403, "your role may not record payments here") from error
    except (ValueError, ValidationError) as error:
        raise HttpError(422, "; ".join(getattr(error, "messages", [str(error)]))) from error
    return Status(201, _payment_out(payment))


@router.get("/report", response=ReportOut, summary="The monthly report of your area")
@api_scoped
def report_read(request: HttpRequest, year: int, month: int) -> ReportOut:
    user = acting_user(request)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise HttpError(422, "year 2000-2100 and month 1-12")
    if not selectors.can_read(user):
        raise HttpError(403, "your role does not include voluntary social insurance")
    report = selectors.monthly_report(user, year, month)
    return ReportOut(
        year=year,
        month=month,
        total=_row_out(report.total),
        organisations=[_row_out(r) for r in report.organisations],
        communes=[_row_out(r) for r in report.communes],
    )
