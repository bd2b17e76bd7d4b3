"""Fraud signals: shared accounts, holder names, changes before a payment run, many changes by one user."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from ansinh.payouts import signals
from ansinh.payouts.models import AccountChangeRequest, Channel
from ansinh.payouts.services import account_request_approve, account_request_create, proxy_create
from ansinh.payouts.signals import Candidate, holder_mismatch, in_window, next_payment_date, signals_compute
from tests.conftest import Personas
from tests.payouts.conftest import VCB, People

pytestmark = pytest.mark.django_db


def enter(personas: Personas, person, number: str = "0011001234567", holder: str = "", **extra):  # type: ignore[no-untyped-def]
    return account_request_create(
        user=personas.police_ba_dinh,
        person=person,
        channel=Channel.BANK,
        bank_bin=VCB,
        account_number=number,
        holder_name=holder or person.full_name,
        source=AccountChangeRequest.Source.SURVEY,
        **extra,
    )


def codes(request: AccountChangeRequest) -> set[str]:
    return {str(s["code"]) for s in request.signals}


def test_holder_names_are_compared_without_diacritics_or_case() -> None:
    assert not holder_mismatch(holder_name="NGUYEN THI LAN", person_name="Nguyễn Thị Lan")
    assert holder_mismatch(holder_name="TRAN VAN BA", person_name="Nguyễn Thị Lan")
    assert not holder_mismatch(holder_name="TRAN VAN BA", person_name="Nguyễn Thị Lan", proxy_name="Trần Văn Ba")
    assert not holder_mismatch(holder_name="", person_name="Nguyễn Thị Lan")


def test_one_account_for_two_unrelated_people_is_flagged_on_the_second(personas: Personas, people: People) -> None:
    first = enter(personas, people.lan)
    second = enter(personas, people.nam, holder="NGUYEN THI LAN")
    assert signals.SHARED_ACCOUNT not in codes(first)
    assert signals.SHARED_ACCOUNT in codes(second)
    assert signals.HOLDER_MISMATCH in codes(second)


def test_an_active_method_on_the_account_counts_too(personas: Personas, people: People) -> None:
    account_request_approve(user=personas.culture_ba_dinh, request=enter(personas, people.lan))
    assert signals.SHARED_ACCOUNT in codes(enter(personas, people.nam))


def test_a_declared_proxy_receiving_for_both_is_not_flagged(personas: Personas, people: People) -> None:
    proxy_lan = proxy_create(
        user=personas.police_ba_dinh,
        person=people.lan,
        full_name="Lê Văn Tư",
        citizen_id="001070009999",
        relationship="con",
    )
    proxy_nam = proxy_create(
        user=personas.police_ba_dinh,
        person=people.nam,
        full_name="Lê Văn Tư",
        citizen_id="001070009999",
        relationship="cháu",
    )
    enter(personas, people.lan, holder="LE VAN TU", proxy=proxy_lan)
    second = enter(personas, people.nam, holder="LE VAN TU", proxy=proxy_nam)
    assert codes(second) == set()


def test_a_beneficiary_who_is_the_other_ones_proxy_is_not_flagged(personas: Personas, people: People) -> None:
    # Nam is Lan's declared proxy, and Lan's benefit goes to Nam's account.
    proxy = proxy_create(
        user=personas.police_ba_dinh,
        person=people.lan,
        full_name="Hoàng Văn Nam",
        citizen_id="001050005555",
        relationship="chồng",
    )
    enter(personas, people.nam)
    second = enter(personas, people.lan, holder="HOANG VAN NAM", proxy=proxy)
    assert codes(second) == set()


def test_the_payment_window() -> None:
    assert in_window(today=date(2026, 11, 5), next_payment=date(2026, 11, 10), window_days=7)
    assert not in_window(today=date(2026, 11, 1), next_payment=date(2026, 11, 10), window_days=7)
    assert next_payment_date(date(2026, 11, 11)) == date(2026, 12, 10)
    assert next_payment_date(date(2026, 12, 20)) == date(2027, 1, 10)


def _candidate(people: People, number: str = "5550001") -> Candidate:
    return Candidate(
        key=1,
        person_id=people.lan.pk,
        person_name=people.lan.full_name,
        person_citizen_id="",
        bank_bin=VCB,
        account_number=number,
    )


def test_a_change_just_before_a_payment_run_is_flagged_but_a_first_account_is_not(
    personas: Personas, people: People
) -> None:
    now = timezone.make_aware(datetime(2026, 11, 6, 9, 0))
    first = signals_compute([_candidate(people)], now=now, next_payment=date(2026, 11, 10))[1]
    assert first == []
    account_request_approve(user=personas.culture_ba_dinh, request=enter(personas, people.lan))
    change = signals_compute([_candidate(people)], now=now, next_payment=date(2026, 11, 10))[1]
    assert [s["code"] for s in change] == [signals.BEFORE_PAYMENT]
    far = signals_compute([_candidate(people)], now=now, next_payment=now.date() + timedelta(days=20))[1]
    assert far == []


def test_many_changes_by_one_user_are_flagged(personas: Personas, people: People) -> None:
    for n in range(3):
        enter(personas, people.lan, number=f"90000{n}")
    candidate = Candidate(
        key=1,
        person_id=people.nam.pk,
        person_name="x",
        person_citizen_id="",
        bank_bin=VCB,
        account_number="1",
        maker_id=personas.police_ba_dinh.pk,
    )
    found = signals_compute([candidate], now=timezone.now(), next_payment=None, many_per_day=3)[1]
    assert {"code": signals.MANY_CHANGES, "count": 3} in found
    assert signals_compute([candidate], now=timezone.now(), next_payment=None, many_per_day=4)[1] == []
