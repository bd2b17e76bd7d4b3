"""A visit as the phone sends it, and the rules that refuse answers contradicting each other.

Each rule gives a message for the officer; all of them are returned at once, so the phone can show what
to correct in one go.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from ansinh.fieldwork.models import Classification, Outcome, Reason
from ansinh.payouts.models import ACCOUNT_CHANNELS, Channel

NO_FOLLOW_UP = frozenset({Reason.DIED, Reason.MOVED_AWAY})
HAS_ACCOUNT = (Classification.REGISTERED, Classification.PERSUADED, Classification.DECLINED)
CASH = (Channel.CASH_POINT, Channel.CASH_HOME)


@dataclass
class ProxyInput:
    full_name: str
    relationship: str
    citizen_id: str = ""
    phone: str = ""
    letter_date: dt.date | None = None
    certifying_commune_code: str = ""


@dataclass
class RefusalInput:
    reason: str
    police_officer: str = ""
    culture_officer: str = ""


@dataclass
class VisitInput:
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
    refusal: RefusalInput | None = None
    proxy: ProxyInput | None = None
    new_commune_code: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_account_data(self) -> bool:
        return bool(self.account_number or self.bank_bin)


def contradictions(data: VisitInput) -> list[str]:
    """Every way the answers contradict each other (empty: consistent)."""
    problems: list[Any] = []
    if data.finished_at < data.started_at:
        problems.append(_("The visit cannot finish before it started."))
    if data.outcome == Outcome.NOT_FINISHED:
        problems += _not_finished(data)
    elif data.outcome == Outcome.CLASSIFIED:
        problems += _classified(data)
        if data.classification in Classification.values:
            problems += _accounts(data)
    else:
        problems.append(_("The visit has no outcome."))
    if data.proxy is not None and not (data.proxy.full_name.strip() and data.proxy.relationship.strip()):
        problems.append(_("A proxy needs a name and a relationship."))
    return [str(p) for p in problems]


def _not_finished(data: VisitInput) -> list[Any]:
    problems: list[Any] = []
    if data.reason not in Reason.values:
        problems.append(_("Say why the visit could not finish."))
    if data.classification:
        problems.append(_("A visit that did not finish has no classification."))
    if data.has_account_data or data.refusal or data.proxy:
        problems.append(_("A visit that did not finish records no account, refusal or proxy."))
    if data.reason and data.reason not in NO_FOLLOW_UP and data.follow_up_date is None:
        problems.append(_("Give a date to come back."))
    if data.follow_up_date and data.follow_up_date < data.finished_at.date():
        problems.append(_("The follow-up date is before the visit."))
    if data.new_commune_code and data.reason != Reason.MOVED_AWAY:
        problems.append(_("A new commune is given only for a person who moved away."))
    return problems


def _classified(data: VisitInput) -> list[Any]:
    problems: list[Any] = []
    kind = data.classification
    if data.reason or data.follow_up_date or data.new_commune_code:
        problems.append(_("A classified visit has no reason for not finishing and no follow-up date."))
    if not data.identity_confirmed:
        problems.append(_("Confirm the person's identity details before classifying."))
    if kind not in Classification.values:
        problems.append(_("Choose one of the four classifications."))
        return problems
    if kind in HAS_ACCOUNT and data.has_account is False:
        problems.append(_("The person was recorded as having no account, but the classification says they have one."))
    if kind == Classification.REGISTERED and data.registered is False:
        problems.append(_("The account was recorded as not registered, but the classification is 'registered'."))
    if kind in (Classification.PERSUADED, Classification.DECLINED) and data.registered is True:
        problems.append(_("The account was recorded as registered, but the classification says it is not."))
    if kind == Classification.NO_ACCOUNT and data.has_account is True:
        problems.append(_("The person was recorded as having an account, but the classification is 'no account'."))
    if kind == Classification.DECLINED and (data.refusal is None or not data.refusal.reason.strip()):
        problems.append(_("A decline needs the reason, for the minutes."))
    if kind != Classification.DECLINED and data.refusal is not None:
        problems.append(_("Refusal minutes belong only to a decline."))
    return problems


def _accounts(data: VisitInput) -> list[Any]:
    problems: list[Any] = []
    kind = data.classification
    if kind == Classification.REGISTERED and (data.has_account_data or data.channel):
        problems.append(_("A reconfirmed account needs no new details; choose 'not registered' to change it."))
    if kind == Classification.DECLINED and (data.has_account_data or data.channel):
        problems.append(_("A person who declines gives no account to be paid through."))
    if kind == Classification.PERSUADED and data.channel and data.channel not in ACCOUNT_CHANNELS:
        problems.append(_("A persuaded person is paid through their account, not in cash."))
    if kind == Classification.NO_ACCOUNT and data.channel not in (*ACCOUNT_CHANNELS, Channel.CASH_POINT):
        problems.append(_("Choose the channel: bank app, mobile money, VNeID or payment service organisation."))
    if kind == Classification.FORCE_MAJEURE and data.channel not in ("", Channel.CASH_HOME):
        problems.append(_("Force majeure means cash at home by a payment service organisation."))
    if (kind == Classification.FORCE_MAJEURE or data.channel in CASH) and data.has_account_data:
        problems.append(_("Cash needs no account number."))
    if data.account_number and data.channel in ACCOUNT_CHANNELS and not data.holder_name.strip():
        problems.append(_("Type the account holder's name as the bank app shows it."))
    return problems
