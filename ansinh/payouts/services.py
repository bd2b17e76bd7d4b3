"""Writes of the payouts app: account changes under four-eyes, their approval, proxies, external registrations.

Each write is one transaction that ends with its audit entries. Who may do what:
- entering a change: a commune police officer, a commune culture-social officer or a province officer, in
  their area;
- approving it: never its maker; of the two commune roles one enters and the other approves, or a province
  officer approves (checked again under a row lock, so two approvers racing cannot both win).
Refusals of who-may raise PermissionDenied; bad input raises ValidationError with a field -> message dict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation, User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.audit.services import AuditEvent, audit_record, record_values
from ansinh.geo.models import Commune
from ansinh.lib.masking import mask_number
from ansinh.lib.text import nfc
from ansinh.payouts import checks, selectors
from ansinh.payouts.models import (
    ACCOUNT_CHANNELS,
    CASH_CHANNELS,
    AccountChangeRequest,
    Bank,
    Channel,
    PayoutMethod,
    Proxy,
)
from ansinh.payouts.signals import Candidate, next_payment_date, signals_compute
from ansinh.payouts.vietqr import account_number_normalise, account_number_valid
from ansinh.registry.models import Benefit, Person

# -- checks -------------------------------------------------------------------------------------------------


def _require_entry(user: User, person: Person) -> None:
    if not selectors.can_enter(user):
        raise PermissionDenied(gettext("Only commune and province officers enter account changes."))
    if selectors.person_get(user=user, person_id=person.pk) is None:
        raise ValidationError({"person": _("This person does not exist or is outside your area.")})


def _candidate(
    request: AccountChangeRequest, person: Person, proxy: Proxy | None, *, bank_bin: str | None = None
) -> Candidate:
    return Candidate(
        key=request.pk or 0,
        person_id=person.pk,
        person_name=person.full_name,
        person_citizen_id=person.citizen_id,
        bank_bin=request.bank_bin if bank_bin is None else bank_bin,
        account_number=account_number_normalise(request.account_number),
        holder_name=request.holder_name,
        proxy_name=proxy.full_name if proxy else "",
        proxy_citizen_id=proxy.citizen_id if proxy else "",
        maker_id=request.maker_id,
    )


def signals_for(requests: Iterable[AccountChangeRequest]) -> dict[int, list[dict[str, object]]]:
    """Fresh signals for stored requests (an imported list is stored without them), by request id."""
    items = [r for r in requests if r.pk]
    # Imported rows name the bank as the list wrote it; resolve each distinct name once.
    resolved: dict[str, str] = {}
    for text in {r.bank_text for r in items if not r.bank_bin and r.bank_text}:
        bank = checks.bank_resolve(text)
        resolved[text] = bank.bin if bank else ""
    now = timezone.now()
    computed = signals_compute(
        [_candidate(r, r.person, r.proxy, bank_bin=r.bank_bin or resolved.get(r.bank_text, "")) for r in items],
        now=now,
        next_payment=next_payment_date(timezone.localdate(now)),
        exclude_requests=[r.pk for r in items],
    )
    return {int(key): value for key, value in computed.items()}  # type: ignore[call-overload]


def _events(instance: AccountChangeRequest, action: str, **after: Any) -> AuditEvent:
    return AuditEvent.about(instance, action, after=after or None, commune_id=instance.person.commune_id)


# -- account changes -------------------------------------------------------------------------------------------


def account_request_create(
    *,
    user: User,
    person: Person,
    channel: str,
    bank_bin: str = "",
    account_number: str = "",
    holder_name: str = "",
    proxy: Proxy | None = None,
    organisation: Organisation | None = None,
    benefit: Benefit | None = None,
    source: str,
    source_ref: str = "",
    bank_text: str = "",
) -> AccountChangeRequest:
    """Record a new or changed payout method, waiting for a second user's approval.

    With a `source_ref` (a visit's id, an external reference) a retry returns the request made the first
    time. An identical pending request for the person is returned instead of a second one.
    """
    _require_entry(user, person)
    if source not in AccountChangeRequest.Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    source_ref = source_ref.strip()[:64]
    if source_ref:
        existing = AccountChangeRequest.objects.filter(source=source, source_ref=source_ref).first()
        if existing is not None:
            if existing.person_id != person.pk:
                raise ValidationError({"source_ref": _("This reference already belongs to another person's request.")})
            return existing
    cleaned = checks.clean_account(
        channel=channel,
        bank_bin=bank_bin,
        bank_text=bank_text,
        account_number=account_number,
        holder_name=holder_name,
        organisation=organisation,
        source=source,
    )
    errors = cleaned.errors
    if proxy is not None and (proxy.person_id != person.pk or proxy.status == Proxy.Status.REVOKED):
        errors["proxy"] = _("This proxy is not a current proxy of this person.")
    if benefit is not None and (benefit.person_id != person.pk or benefit.status == Benefit.Status.ENDED):
        errors["benefit"] = _("This benefit is not a current benefit of this person.")
    if errors:
        raise ValidationError(errors)
    bank = cleaned.bank if channel in ACCOUNT_CHANNELS else None
    request = AccountChangeRequest(
        person=person,
        benefit=benefit,
        channel=channel,
        bank_text=nfc(bank_text)[:200] or (bank.short_name if bank else ""),
        bank_bin=bank.bin if bank else "",
        account_number=cleaned.account_number if bank else "",
        holder_name=cleaned.holder_name[:200],
        proxy=proxy,
        organisation=organisation if channel in CASH_CHANNELS else None,
        source=source,
        source_ref=source_ref,
        maker=user,
    )
    same = AccountChangeRequest.objects.filter(
        person=person,
        status=AccountChangeRequest.Status.PENDING,
        channel=channel,
        bank_bin=request.bank_bin,
        account_number=request.account_number,
        benefit=benefit,
        proxy=proxy,
        organisation=request.organisation,
    ).first()
    if same is not None:
        return same
    now = timezone.now()
    request.signals = signals_compute(
        [_candidate(request, person, proxy)], now=now, next_payment=next_payment_date(timezone.localdate(now))
    )[0]
    try:
        with transaction.atomic():
            request.save()
            audit_record(
                actor=user,
                entries=[
                    AuditEvent.about(
                        request,
                        "create",
                        after=record_values(request, exclude=("id", "created_at")),
                        commune_id=person.commune_id,
                    )
                ],
            )
    except IntegrityError:
        # A concurrent retry with the same reference committed first.
        existing = AccountChangeRequest.objects.filter(source=source, source_ref=source_ref).first()
        if not source_ref or existing is None:
            raise
        return existing
    return request


def approval_refusal(*, user: User, request: AccountChangeRequest) -> str | None:
    """Why `user` may not approve `request` (translated), or None when they may."""
    if not selectors.can_approve_any(user):
        return gettext("Only commune and province officers approve account changes.")
    if request.maker_id is not None and request.maker_id == user.pk:
        return gettext("The user who entered a change cannot approve it.")
    maker = request.maker
    if (
        maker is not None
        and maker.role_slug in selectors.COMMUNE_ROLES
        and user.role_slug in selectors.COMMUNE_ROLES
        and maker.role_slug == user.role_slug
    ):
        return gettext("The other commune role or a province officer approves what a commune officer entered.")
    if request.status != AccountChangeRequest.Status.PENDING:
        return gettext("This change was already decided.")
    return None


def _locked(user: User, request: AccountChangeRequest) -> AccountChangeRequest:
    if selectors.request_get(user=user, request_id=request.pk) is None:
        raise PermissionDenied(gettext("This change does not exist or is outside your area."))
    return (
        AccountChangeRequest.objects.select_for_update(of=("self",))
        .select_related("person", "proxy", "maker", "maker__role", "organisation")
        .get(pk=request.pk)
    )


def _notice(method: PayoutMethod, bank: Bank | None) -> str:
    # Sent to the beneficiary in Vietnamese, the language of every letter the system sends; the account
    # number is masked because an SMS can be read by whoever holds the phone.
    if method.channel in CASH_CHANNELS:
        target = "nhận tiền mặt" + (f" qua {method.organisation.name}" if method.organisation else "")
    else:
        target = f"{bank.short_name if bank else ''} số {mask_number(method.account_number)}".strip()
    return (
        f"Tài khoản/phương thức nhận trợ cấp xã hội của ông/bà đã được cập nhật: {target}. "
        "Nếu ông/bà không yêu cầu thay đổi này, xin báo ngay cho UBND xã."
    )


def account_request_approve(*, user: User, request: AccountChangeRequest) -> list[PayoutMethod]:
    """Make the requested method active for its benefit (or every active benefit of the person), replacing
    the current one, which stays as history; tell the beneficiary where a phone number is known."""
    with transaction.atomic():
        locked = _locked(user, request)
        refusal = approval_refusal(user=user, request=locked)
        if refusal is not None:
            raise PermissionDenied(refusal)
        bank: Bank | None = None
        if locked.channel in ACCOUNT_CHANNELS:
            # Imported lists carry the bank as written; it must resolve before anything is paid to it.
            bank = selectors.bank_by_bin(locked.bank_bin) if locked.bank_bin else checks.bank_resolve(locked.bank_text)
            if bank is None:
                raise ValidationError(
                    {"bank_bin": _("The bank is not in the directory; correct or reject the change.")}
                )
            locked.account_number = account_number_normalise(locked.account_number)
            if not account_number_valid(locked.account_number):
                raise ValidationError({"account_number": _("The account number must be 1 to 19 letters and digits.")})
        benefits = Benefit.objects.select_for_update().filter(person_id=locked.person_id).order_by("pk")
        if locked.benefit_id is not None:
            benefits = benefits.filter(pk=locked.benefit_id).exclude(status=Benefit.Status.ENDED)
        else:
            benefits = benefits.filter(status=Benefit.Status.ACTIVE)
        targets = list(benefits)
        if not targets:
            raise ValidationError({"benefit": _("The person has no current benefit to pay to this account.")})
        now = timezone.now()
        events: list[AuditEvent] = []
        previous = PayoutMethod.objects.select_for_update().filter(
            benefit__in=targets, status=PayoutMethod.Status.ACTIVE
        )
        for old in previous:
            events.append(
                AuditEvent.about(
                    old,
                    "supersede",
                    before={"status": old.status},
                    after={"status": PayoutMethod.Status.SUPERSEDED},
                    commune_id=locked.person.commune_id,
                )
            )
        previous.update(status=PayoutMethod.Status.SUPERSEDED, valid_to=now)
        methods = PayoutMethod.objects.bulk_create(
            [
                PayoutMethod(
                    person_id=locked.person_id,
                    benefit=benefit,
                    channel=locked.channel,
                    bank=bank,
                    account_number=locked.account_number if bank else "",
                    holder_name=locked.holder_name,
                    proxy=locked.proxy,
                    organisation=locked.organisation,
                    request=locked,
                    valid_from=now,
                    approved_by=user,
                )
                for benefit in targets
            ]
        )
        for method in methods:
            events.append(
                AuditEvent.about(
                    method, "create", after=record_values(method, exclude=("id",)), commune_id=locked.person.commune_id
                )
            )
        locked.status = AccountChangeRequest.Status.APPROVED
        locked.checker = user
        locked.decided_at = now
        if bank is not None and not locked.bank_bin:
            locked.bank_bin = bank.bin
        locked.save(update_fields=["status", "checker", "decided_at", "bank_bin", "account_number"])
        events.insert(0, _events(locked, "approve", status=locked.status))
        phone = locked.person.phone.strip()
        if phone:
            from ansinh.outbox.services import message_enqueue

            message_enqueue(
                channel="sms",
                recipient=phone,
                body=_notice(methods[0], bank),
                related=locked,
                dedupe_key=f"payouts:request:{locked.pk}:approved",
            )
        audit_record(actor=user, entries=events)
    return methods


def account_request_reject(*, user: User, request: AccountChangeRequest, note: str) -> AccountChangeRequest:
    """Refuse a pending change with a reason; the maker rejecting their own change withdraws it."""
    note = nfc(note)[:300]
    if not note:
        raise ValidationError({"note": _("Say why the change is rejected.")})
    with transaction.atomic():
        locked = _locked(user, request)
        if locked.status != AccountChangeRequest.Status.PENDING:
            raise ValidationError({"status": _("This change was already decided.")})
        if locked.maker_id == user.pk:
            locked.status = AccountChangeRequest.Status.WITHDRAWN
        else:
            refusal = approval_refusal(user=user, request=locked)
            if refusal is not None:
                raise PermissionDenied(refusal)
            locked.status = AccountChangeRequest.Status.REJECTED
            locked.checker = user
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "checker", "decided_at", "decision_note"])
        audit_record(actor=user, entries=[_events(locked, "reject", status=locked.status, note=note)])
    return locked


@dataclass
class BulkResult:
    approved: list[int] = field(default_factory=list)
    # (request id, reason) for each request left pending.
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(str(m) for messages in error.message_dict.values() for m in messages)
    if isinstance(error, ValidationError):
        return "; ".join(str(m) for m in error.messages)
    return str(error)


def account_requests_approve_bulk(*, user: User, requests: Iterable[AccountChangeRequest]) -> BulkResult:
    """Approve many changes (a whole imported list), each in its own transaction; those the user may not
    approve, or that fail a check, stay pending and are reported with the reason."""
    result = BulkResult()
    for request in requests:
        try:
            account_request_approve(user=user, request=request)
        except (PermissionDenied, ValidationError) as error:
            result.skipped.append((request.pk, _message(error)))
        else:
            result.approved.append(request.pk)
    return result


# -- proxies ----------------------------------------------------------------------------------------------------


def proxy_create(
    *,
    user: User,
    person: Person,
    full_name: str,
    citizen_id: str = "",
    phone: str = "",
    relationship: str,
    letter_date: date | None = None,
    certifying_commune: Commune | None = None,
    scan: UploadedFile | None = None,
) -> Proxy:
    """Record a proxy authorised by a letter; a culture-social or province officer then confirms it."""
    _require_entry(user, person)
    errors: dict[str, Any] = {}
    name, citizen_id, phone = nfc(full_name), citizen_id.strip(), re.sub(r"[\s.\-]", "", phone)
    if not name:
        errors["full_name"] = _("Type the proxy's full name.")
    if citizen_id and checks.CITIZEN_ID_PATTERN.fullmatch(citizen_id) is None:
        errors["citizen_id"] = _("An ID number has 12 digits.")
    if phone and checks.PHONE_PATTERN.fullmatch(phone) is None:
        errors["phone"] = _("A phone number has 10 digits.")
    if not nfc(relationship):
        errors["relationship"] = _("Say how the proxy is related to the beneficiary.")
    if letter_date is not None and letter_date > timezone.localdate():
        errors["letter_date"] = _("The letter cannot be dated in the future.")
    if scan is not None:
        try:
            checks.scan_check(scan)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proxy = Proxy(
            person=person,
            full_name=name,
            citizen_id=citizen_id,
            phone=phone,
            relationship=nfc(relationship)[:100],
            letter_date=letter_date,
            certifying_commune=certifying_commune,
            created_by=user,
        )
        if scan is not None:
            proxy.scan.save(scan.name or "scan", scan, save=False)
        proxy.save()
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    proxy,
                    "create",
                    after=record_values(proxy, exclude=("id", "scan", "created_at")),
                    commune_id=person.commune_id,
                )
            ],
        )
    return proxy


def proxy_confirm(*, user: User, proxy: Proxy) -> Proxy:
    """Put a proxy on the list: the culture-social officer's (or a province officer's) confirmation."""
    if not has_role(user, *selectors.PROXY_CONFIRM_ROLES):
        raise PermissionDenied(gettext("Only the culture-social officer or a province officer confirms a proxy."))
    with transaction.atomic():
        if selectors.proxy_get(user=user, proxy_id=proxy.pk) is None:
            raise PermissionDenied(gettext("This proxy does not exist or is outside your area."))
        locked = Proxy.objects.select_for_update(of=("self",)).select_related("person").get(pk=proxy.pk)
        if locked.status != Proxy.Status.PENDING:
            raise ValidationError({"status": _("Only a proxy waiting for confirmation can be confirmed.")})
        locked.status, locked.confirmed_by, locked.confirmed_at = Proxy.Status.CONFIRMED, user, timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(
                    locked,
                    "confirm",
                    before={"status": Proxy.Status.PENDING},
                    after={"status": locked.status},
                    commune_id=locked.person.commune_id,
                )
            ],
        )
    return locked


# -- external registrations -----------------------------------------------------------------------------------


@dataclass
class ExternalRow:
    row: int
    request_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _text(row: Mapping[str, object], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def external_accounts_receive(*, user: User, rows: Iterable[Mapping[str, object]]) -> list[ExternalRow]:
    """Accounts citizens registered themselves (through VNeID or a bank), one pending change each.

    A row names the person by ID number (in the user's area) and gives channel (default bank), bank_bin
    or bank, account_number, holder_name, and a reference that makes a resent row a no-op.
    """
    results: list[ExternalRow] = []
    people = scope_queryset(Person.objects.all(), user)
    for number, row in enumerate(rows, start=1):
        outcome = ExternalRow(row=number)
        results.append(outcome)
        citizen_id = _text(row, "citizen_id")
        person = people.filter(citizen_id=citizen_id).first() if citizen_id else None
        if person is None:
            outcome.errors = {"citizen_id": [gettext("No person with this ID number in your area.")]}
            continue
        try:
            request = account_request_create(
                user=user,
                person=person,
                channel=_text(row, "channel") or Channel.BANK,
                bank_bin=_text(row, "bank_bin"),
                bank_text=_text(row, "bank"),
                account_number=_text(row, "account_number"),
                holder_name=_text(row, "holder_name"),
                source=AccountChangeRequest.Source.EXTERNAL,
                source_ref=_text(row, "reference"),
            )
        except ValidationError as error:
            outcome.errors = {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
        else:
            outcome.request_id = request.pk
    return results


# -- bank directory ---------------------------------------------------------------------------------------------


def can_edit_banks(user: User) -> bool:
    return user.is_superuser or has_role(user, RoleSlug.NATIONAL_SUPERVISOR)


def bank_save(*, user: User, bank: Bank) -> Bank:
    """Add or correct a directory entry (an unsaved or changed Bank, already validated by its form)."""
    if not can_edit_banks(user):
        raise PermissionDenied(gettext("Only a national supervisor edits the bank directory."))
    with transaction.atomic():
        before = record_values(Bank.objects.get(pk=bank.pk), exclude=("id",)) if bank.pk else None
        action = "update" if bank.pk else "create"
        bank.save()
        audit_record(
            actor=user,
            entries=[AuditEvent.about(bank, action, before=before, after=record_values(bank, exclude=("id",)))],
        )
    return bank
