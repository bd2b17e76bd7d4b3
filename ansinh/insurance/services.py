"""Writes of voluntary social insurance: register, pay, stop, plans and programmes; each one audited transaction."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ansinh.access.models import Organisation, User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import area_communes
from ansinh.audit.services import AuditEvent, audit_record, record_values
from ansinh.geo.models import Commune, Province
from ansinh.insurance import rules
from ansinh.insurance.coverage import coverage_rebuild
from ansinh.insurance.models import CollectionPoint, Collector, CoordinationProgramme, Participant, Payment, Plan
from ansinh.insurance.selectors import can_write
from ansinh.lib.citizen_id import check_citizen_id
from ansinh.lib.text import nfc

CITIZEN_ID = re.compile(r"^\d{12}$")


def _require_writer(user: User, commune_id: int) -> None:
    if not can_write(user):
        raise PermissionError("this role may not change voluntary social insurance")
    if not area_communes(user).filter(pk=commune_id).exists():
        raise PermissionError("the commune is outside the user's area")


def _require_participant_writer(user: User, participant: Participant) -> None:
    _require_writer(user, participant.commune_id)
    if user.role_slug == RoleSlug.COLLECTION_AGENT and participant.organisation_id != user.organisation_id:
        raise PermissionError("the participant belongs to another collection organisation")


def identity_problems(*, citizen_id: str, sex: str, birth_year: int | None) -> list[str]:
    """The registry's ID checks: 12 digits, a valid province, and the stated sex and year agreeing with it."""
    if not CITIZEN_ID.match(citizen_id):
        return [_("The ID number must have 12 digits.")]
    return [problem.message for problem in check_citizen_id(citizen_id, sex=sex or None, birth_year=birth_year)]


def participant_register(
    *,
    user: User,
    full_name: str,
    citizen_id: str,
    sex: str,
    birth_year: int,
    commune: Commune,
    monthly_income: int,
    payment_mode: str,
    support_group: str,
    registered_on: dt.date,
    birth_month: int | None = None,
    birth_day: int | None = None,
    phone: str = "",
    hamlet: str = "",
    organisation: Organisation | None = None,
    collector: Collector | None = None,
) -> Participant:
    """Register a participant after the ID and income checks; an agent registers for their own organisation."""
    _require_writer(user, commune.pk)
    citizen_id = citizen_id.strip()
    errors: dict[str, list[str]] = {}
    if problems := identity_problems(citizen_id=citizen_id, sex=sex, birth_year=birth_year):
        errors["citizen_id"] = problems
    if problem := rules.income_problem(monthly_income, registered_on):
        errors["monthly_income"] = [problem]
    if payment_mode not in rules.PaymentMode.__members__.values():
        errors["payment_mode"] = [_("Unknown payment mode.")]
    if support_group not in rules.SupportGroup.__members__.values():
        errors["support_group"] = [_("Unknown support group.")]
    if Participant.objects.filter(citizen_id=citizen_id).exists():
        errors.setdefault("citizen_id", []).append(_("A participant with this ID number is already registered."))
    if errors:
        raise ValidationError(errors)
    if user.role_slug == RoleSlug.COLLECTION_AGENT:
        organisation = user.organisation
    with transaction.atomic():
        participant = Participant(
            full_name=full_name,
            citizen_id=citizen_id,
            sex=sex,
            birth_year=birth_year,
            birth_month=birth_month,
            birth_day=birth_day,
            commune=commune,
            hamlet=nfc(hamlet),
            phone=phone.strip(),
            organisation=organisation,
            collector=collector,
            monthly_income=monthly_income,
            payment_mode=payment_mode,
            support_group=support_group,
            registered_on=registered_on,
        )
        participant.save()
        audit_record(
            actor=user,
            entries=[AuditEvent.about(participant, "create", after=record_values(participant, exclude=("id",)))],
        )
    return participant


def supported_months_used(participant: Participant) -> int:
    used = participant.payments.aggregate(total=Sum("supported_months"))["total"]
    return int(used or 0)


def payment_record(
    *,
    user: User,
    participant: Participant,
    from_month: int,
    paid_on: dt.date,
    months: int | None = None,
    amount: int | None = None,
    mode: str | None = None,
    receipt: str = "",
    point: CollectionPoint | None = None,
    collector: Collector | None = None,
) -> Payment:
    """Record money received for a period; safe to retry with the same receipt number.

    The state support follows the rates of the months paid and the 120-month cap; the amount defaults
    to what the participant owes. The payer's coverage is rebuilt in the same transaction.
    """
    _require_participant_writer(user, participant)
    organisation = participant.organisation
    if user.role_slug == RoleSlug.COLLECTION_AGENT:
        organisation = user.organisation
    receipt = receipt.strip()
    if receipt:
        existing = Payment.objects.filter(organisation=organisation, receipt=receipt).first()
        if existing is not None:
            if existing.participant_id != participant.pk:
                raise ValidationError({"receipt": _("This receipt number belongs to another participant's payment.")})
            return existing
    mode_value = rules.PaymentMode(mode or participant.payment_mode)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.status == Participant.Status.STOPPED:
            raise ValidationError({"participant": _("This participant has stopped; no payment can be recorded.")})
        try:
            due = rules.contribution_due(
                income=locked.monthly_income,
                group=rules.SupportGroup(locked.support_group),
                mode=mode_value,
                from_month=from_month,
                months=months,
                supported_before=supported_months_used(locked),
            )
        except ValueError as error:
            raise ValidationError({"months": str(error)}) from error
        payment = Payment.objects.create(
            participant=locked,
            from_month=due.from_month,
            to_month=due.to_month,
            mode=mode_value.value,
            grace_months=rules.GRACE_MONTHS[mode_value],
            amount=due.net if amount is None else amount,
            support=due.support,
            supported_months=due.supported_months,
            paid_on=paid_on,
            organisation=organisation,
            point=point,
            collector=collector,
            receipt=receipt,
        )
        events = [
            AuditEvent.about(
                payment, "create", after=record_values(payment, exclude=("id",)), commune_id=locked.commune_id
            )
        ]
        if locked.status == Participant.Status.LAPSED:
            locked.status, locked.status_changed_on = Participant.Status.ACTIVE, paid_on
            locked.save(update_fields=["status", "status_changed_on"])
            events.append(AuditEvent.about(locked, "status", after={"status": locked.status}))
        coverage_rebuild([locked.pk])
        audit_record(actor=user, entries=events)
    return payment


def participant_stop(*, user: User, participant: Participant, stopped_on: dt.date, reason: str) -> Participant:
    """Stop a participant from a date: they no longer count from the end of that month."""
    _require_participant_writer(user, participant)
    reason = nfc(reason).strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why the participant stops.")})
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        before = {"status": locked.status, "stopped_on": locked.stopped_on}
        locked.status = Participant.Status.STOPPED
        locked.stopped_on = locked.status_changed_on = stopped_on
        locked.stop_reason = reason
        locked.save()
        coverage_rebuild([locked.pk])
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    locked,
                    "stop",
                    before=before,
                    after={"status": locked.status, "stopped_on": stopped_on},
                    summary=reason,
                )
            ],
        )
    return locked


def plan_set(
    *,
    user: User,
    year: int,
    target_participants: int,
    net_increase_target: int | None = None,
    province: Province | None = None,
    commune: Commune | None = None,
    organisation: Organisation | None = None,
) -> Plan:
    """Set (or replace) a year's target for an area and/or an organisation; only insurance officers plan."""
    if user.role_slug != RoleSlug.INSURANCE_OFFICER or not can_write(user):
        raise PermissionError("only an insurance officer sets plans")
    communes = area_communes(user)
    if (province and not communes.filter(province=province).exists()) or (
        commune and not communes.filter(pk=commune.pk).exists()
    ):
        raise PermissionError("the plan's area is outside the user's area")
    with transaction.atomic():
        plan, created = Plan.objects.update_or_create(
            year=year,
            province=province,
            commune=commune,
            organisation=organisation,
            defaults={"target_participants": target_participants, "net_increase_target": net_increase_target},
        )
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    plan,
                    "create" if created else "update",
                    after={"target_participants": target_participants, "net_increase_target": net_increase_target},
                    commune_id=commune.pk if commune else None,
                )
            ],
        )
    return plan


def programme_sign(
    *,
    user: User,
    commune: Commune,
    organisation: Organisation,
    insurance_office: str,
    signed_on: dt.date,
    document_number: str = "",
) -> CoordinationProgramme:
    """Record the three-party programme of a commune as signed (again: the later signing replaces it)."""
    _require_writer(user, commune.pk)
    with transaction.atomic():
        programme, _created = CoordinationProgramme.objects.update_or_create(
            commune=commune,
            organisation=organisation,
            defaults={
                "insurance_office": nfc(insurance_office),
                "signed_on": signed_on,
                "document_number": document_number.strip(),
            },
        )
        audit_record(
            actor=user,
            entries=[AuditEvent.about(programme, "sign", after={"signed_on": signed_on, "document": document_number})],
        )
    return programme
