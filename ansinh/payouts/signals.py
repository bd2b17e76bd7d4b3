"""Fraud signals on account changes, computed for many requests at once (an imported list has thousands).

A signal is a small dict stored on the request (`{"code": ..., ...}`) and shown in the approval queue
and the fraud report; none blocks approval: the second user decides, with the signal in front of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ansinh.lib.text import fold

SHARED_ACCOUNT = "shared_account"
HOLDER_MISMATCH = "holder_mismatch"
BEFORE_PAYMENT = "before_payment"
MANY_CHANGES = "many_changes"

LABELS = {
    SHARED_ACCOUNT: _("The account also receives for other beneficiaries"),
    HOLDER_MISMATCH: _("The account holder is neither the beneficiary nor the declared proxy"),
    BEFORE_PAYMENT: _("The account is changed shortly before a payment run"),
    MANY_CHANGES: _("The user who entered it made many account changes in a day"),
}

# Days before a payment run in which a change of account is flagged.
CHANGE_WINDOW_DAYS = 7
# Account changes one user may enter in 24 hours before the next ones are flagged (imports not counted:
# a list's rows are entered by its authors, not the importing clerk).
MANY_CHANGES_PER_DAY = 40


@dataclass(frozen=True)
class Candidate:
    """One new or changed account, as the checks need it."""

    key: Hashable
    person_id: int
    person_name: str
    person_citizen_id: str
    bank_bin: str
    account_number: str
    holder_name: str = ""
    proxy_name: str = ""
    proxy_citizen_id: str = ""
    maker_id: int | None = None


@dataclass(frozen=True)
class _Holder:
    person_id: int
    person_citizen_id: str
    proxy_name: str
    proxy_citizen_id: str


def _same_identity(id_a: str, name_a: str, id_b: str, name_b: str) -> bool:
    if id_a and id_b:
        return id_a == id_b
    return bool(name_a) and fold(name_a) == fold(name_b)


def _related(candidate: Candidate, other: _Holder, other_name: str) -> bool:
    """True when a declared proxy explains the shared account: both are paid to the same proxy, or one
    beneficiary is the other's proxy."""
    if candidate.proxy_name and other.proxy_name:
        if _same_identity(candidate.proxy_citizen_id, candidate.proxy_name, other.proxy_citizen_id, other.proxy_name):
            return True
    if candidate.proxy_name and _same_identity(
        candidate.proxy_citizen_id, candidate.proxy_name, other.person_citizen_id, other_name
    ):
        return True
    return bool(other.proxy_name) and _same_identity(
        other.proxy_citizen_id, other.proxy_name, candidate.person_citizen_id, candidate.person_name
    )


def holder_mismatch(*, holder_name: str, person_name: str, proxy_name: str = "") -> bool:
    """Bank apps show names in capitals without diacritics; compare folded, and only when a name is given."""
    if not holder_name.strip():
        return False
    holder = fold(holder_name)
    return holder not in {fold(person_name), fold(proxy_name) if proxy_name else None}


def in_window(*, today: date, next_payment: date | None, window_days: int = CHANGE_WINDOW_DAYS) -> bool:
    return next_payment is not None and today <= next_payment <= today + timedelta(days=window_days)


def _holders(
    candidates: list[Candidate], exclude_requests: set[int]
) -> dict[tuple[str, str], list[tuple[_Holder, str]]]:
    """Who else receives, or is about to receive, on each candidate account."""
    from ansinh.payouts.models import AccountChangeRequest, PayoutMethod

    numbers = {c.account_number for c in candidates if c.account_number}
    found: dict[tuple[str, str], list[tuple[_Holder, str]]] = defaultdict(list)
    if not numbers:
        return found
    methods = PayoutMethod.objects.filter(status=PayoutMethod.Status.ACTIVE, account_number__in=numbers).values_list(
        "bank__bin",
        "account_number",
        "person_id",
        "person__citizen_id",
        "person__full_name",
        "proxy__full_name",
        "proxy__citizen_id",
    )
    pending = (
        AccountChangeRequest.objects.filter(status=AccountChangeRequest.Status.PENDING, account_number__in=numbers)
        .exclude(pk__in=exclude_requests)
        .values_list(
            "bank_bin",
            "account_number",
            "person_id",
            "person__citizen_id",
            "person__full_name",
            "proxy__full_name",
            "proxy__citizen_id",
        )
    )
    for bin_, number, person_id, citizen_id, name, proxy_name, proxy_id in [*methods, *pending]:
        holder = _Holder(person_id, citizen_id or "", proxy_name or "", proxy_id or "")
        found[(bin_ or "", number)].append((holder, name))
    for c in candidates:
        holder = _Holder(c.person_id, c.person_citizen_id, c.proxy_name, c.proxy_citizen_id)
        found[(c.bank_bin, c.account_number)].append((holder, c.person_name))
    return found


def _maker_counts(makers: set[int], now: datetime) -> dict[int, int]:
    from ansinh.payouts.models import AccountChangeRequest

    if not makers:
        return {}
    rows = (
        AccountChangeRequest.objects.filter(maker_id__in=makers, created_at__gte=now - timedelta(days=1))
        .exclude(source=AccountChangeRequest.Source.IMPORT)
        .values("maker_id")
        .annotate(n=Count("pk"))
    )
    return {row["maker_id"]: row["n"] for row in rows}


def _people_with_method(person_ids: set[int]) -> set[int]:
    from ansinh.payouts.models import PayoutMethod

    return set(
        PayoutMethod.objects.filter(person_id__in=person_ids, status=PayoutMethod.Status.ACTIVE).values_list(
            "person_id", flat=True
        )
    )


def signals_compute(
    candidates: Iterable[Candidate],
    *,
    now: datetime,
    next_payment: date | None,
    window_days: int = CHANGE_WINDOW_DAYS,
    exclude_requests: Iterable[int] = (),
    many_per_day: int = MANY_CHANGES_PER_DAY,
) -> dict[Hashable, list[dict[str, object]]]:
    """The signals of each candidate, by its key. `exclude_requests`: the requests being (re)checked,
    so that a pending request does not count as another holder of its own account."""
    items = list(candidates)
    holders = _holders(items, set(exclude_requests))
    makers = _maker_counts({c.maker_id for c in items if c.maker_id is not None}, now)
    with_method = _people_with_method({c.person_id for c in items})
    soon = in_window(today=now.date(), next_payment=next_payment, window_days=window_days)
    result: dict[Hashable, list[dict[str, object]]] = {}
    for c in items:
        found: list[dict[str, object]] = []
        if c.account_number:
            others = {
                holder.person_id
                for holder, name in holders.get((c.bank_bin, c.account_number), [])
                if holder.person_id != c.person_id and not _related(c, holder, name)
            }
            if others:
                found.append({"code": SHARED_ACCOUNT, "people": sorted(others)})
        if holder_mismatch(holder_name=c.holder_name, person_name=c.person_name, proxy_name=c.proxy_name):
            found.append({"code": HOLDER_MISMATCH})
        if soon and c.person_id in with_method and next_payment is not None:
            found.append({"code": BEFORE_PAYMENT, "payment_date": next_payment.isoformat()})
        count = makers.get(c.maker_id, 0) if c.maker_id is not None else 0
        if count >= many_per_day:
            found.append({"code": MANY_CHANGES, "count": count})
        result[c.key] = found
    return result


def signal_labels(signals: Iterable[dict[str, object]]) -> list[str]:
    return [str(LABELS.get(str(s.get("code")), s.get("code"))) for s in signals]


# Until the payments app schedules runs, the run is taken to be on this day of every month; a
# setting of that name overrides it.
PAYMENT_DAY_OF_MONTH = 10


def next_payment_date(today: date) -> date:
    """The next monthly payment run on or after `today`."""
    from django.conf import settings

    day = int(getattr(settings, "PAYOUTS_PAYMENT_DAY", PAYMENT_DAY_OF_MONTH))
    if today.day <= day:
        return today.replace(day=day)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, day)
