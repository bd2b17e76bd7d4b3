"""Visits submitted from the phone: each classification, proxies, retries, contradictions, deaths and moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ansinh.audit.models import AuditEntry
from ansinh.fieldwork.models import Refusal, Visit
from ansinh.payouts.models import AccountChangeRequest, Proxy
from ansinh.registry.models import Benefit
from ansinh.review.models import MatchResult
from ansinh.review.services import match_result_decide
from tests.conftest import Personas, World
from tests.fieldwork.conftest import VCB, Street, device_client, visit_payload

pytestmark = pytest.mark.django_db
PERSUADED = {"has_account": True, "registered": False, "classification": "persuaded", "channel": "bank",
             "bank_bin": VCB, "account_number": "0011004455667", "holder_name": "NGUYEN THI LAN"}  # fmt: skip


def submit(user, payload: dict[str, Any]):  # type: ignore[no-untyped-def]
    client, _token = device_client(user)
    return client.post("/api/v1/fieldwork/visits", payload, content_type="application/json")


def test_a_registered_account_is_reconfirmed_without_a_change_request(personas: Personas, street: Street) -> None:
    answer = submit(personas.police_ba_dinh, visit_payload(street.lan, has_account=True, registered=True,
                                                          classification="registered"))  # fmt: skip
    assert answer.status_code == 201, answer.content
    visit = Visit.objects.get(uuid=answer.json()["uuid"])
    assert visit.classification_type == 1 and visit.account_request_id is None
    assert not AccountChangeRequest.objects.filter(person=street.lan).exists()


def test_a_persuaded_person_gets_an_account_change_waiting_for_approval(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.lan, **PERSUADED)
    answer = submit(personas.police_ba_dinh, payload)
    assert answer.status_code == 201, answer.content
    request = AccountChangeRequest.objects.get(pk=answer.json()["account_request_id"])
    assert (request.status, request.source, request.source_ref) == ("pending", "survey", payload["uuid"])
    assert request.maker == personas.police_ba_dinh


def test_a_decline_records_the_reason_for_the_minutes(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.nam, has_account=True, registered=False, classification="declined",
                            refusal={"reason": "Quen nhận tiền mặt", "police_officer": "Trần Văn Công",
                                     "culture_officer": "Phạm Thị Hương"})  # fmt: skip
    answer = submit(personas.police_ba_dinh, payload)
    assert answer.status_code == 201, answer.content
    refusal = Refusal.objects.get(visit__uuid=payload["uuid"])
    assert refusal.reason == "Quen nhận tiền mặt" and refusal.status == Refusal.Status.AWAITING


def test_no_account_with_a_payment_service_organisation_makes_a_cash_order(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.mai, has_account=False, classification="no_account", channel="cash_point",
                            organisation_id=street.post.pk)  # fmt: skip
    answer = submit(personas.police_ba_dinh, payload)
    assert answer.status_code == 201, answer.content
    request = AccountChangeRequest.objects.get(pk=answer.json()["account_request_id"])
    assert request.channel == "cash_point" and request.organisation == street.post


def test_no_account_yet_opened_leaves_the_account_to_capture_later(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.mai, has_account=False, classification="no_account", channel="mobile_money")
    answer = submit(personas.police_ba_dinh, payload)
    assert answer.status_code == 201 and answer.json()["account_request_id"] is None
    assert Visit.objects.get(uuid=payload["uuid"]).channel == "mobile_money"


def test_force_majeure_with_a_proxy_orders_cash_at_home_to_the_proxy(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.binh, classification="force_majeure", organisation_id=street.post.pk,
                            proxy={"full_name": "Đỗ Thị Hạnh", "relationship": "con gái",
                                   "letter_date": "2026-11-01", "certifying_commune_code": "00004"})  # fmt: skip
    answer = submit(personas.police_ba_dinh, payload)
    assert answer.status_code == 201, answer.content
    proxy = Proxy.objects.get(pk=answer.json()["proxy_id"])
    request = AccountChangeRequest.objects.get(pk=answer.json()["account_request_id"])
    assert proxy.status == Proxy.Status.PENDING and proxy.certifying_commune is not None
    assert (request.channel, request.proxy_id) == ("cash_home", proxy.pk)


def test_a_visit_submitted_twice_is_stored_once(personas: Personas, street: Street) -> None:
    client, _token = device_client(personas.police_ba_dinh)
    payload = visit_payload(street.lan, **PERSUADED, proxy={"full_name": "Nguyễn Văn Hải", "relationship": "con trai"})
    first = client.post("/api/v1/fieldwork/visits", payload, content_type="application/json")
    again = client.post("/api/v1/fieldwork/visits", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    assert Visit.objects.filter(uuid=payload["uuid"]).count() == 1
    assert Proxy.objects.filter(person=street.lan).count() == 1
    assert AccountChangeRequest.objects.filter(person=street.lan).count() == 1


def test_another_officer_cannot_reuse_a_visit_id(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.lan, has_account=True, registered=True, classification="registered")
    assert submit(personas.police_ba_dinh, payload).status_code == 201
    assert submit(personas.culture_ba_dinh, payload).status_code == 400


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"has_account": False, "classification": "registered"}, "having no account"),
        ({"has_account": True, "classification": "no_account", "channel": "bank"}, "having an account"),
        ({"has_account": True, "registered": False, "classification": "declined"}, "needs the reason"),
        ({"classification": "force_majeure", "channel": "bank"}, "cash at home"),
        ({"classification": "registered", "identity_confirmed": False}, "identity"),
        ({"outcome": "not_finished", "reason": "nobody_home"}, "date to come back"),
        ({"outcome": "not_finished", "reason": "died", "classification": "registered"}, "no classification"),
        ({"classification": "no_account", "channel": "cash_point", "account_number": "123"}, "no account number"),
    ],
)
def test_contradictory_answers_are_refused_with_a_clear_message(
    personas: Personas, street: Street, fields: dict[str, Any], message: str
) -> None:
    answer = submit(personas.police_ba_dinh, visit_payload(street.lan, **fields))
    assert answer.status_code == 400
    assert message in answer.json()["error"]["message"]
    assert not Visit.objects.exists()


def test_a_person_of_another_commune_cannot_be_visited(personas: Personas, street: Street) -> None:
    answer = submit(personas.police_ba_dinh, visit_payload(street.hoa, classification="registered"))
    assert answer.status_code == 400 and not Visit.objects.exists()


def test_a_visit_that_cannot_finish_keeps_its_reason_and_follow_up(personas: Personas, street: Street) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    payload = visit_payload(street.nam, outcome="not_finished", reason="nobody_home", follow_up_date=tomorrow,
                            identity_confirmed=False)  # fmt: skip
    assert submit(personas.police_ba_dinh, payload).status_code == 201
    visit = Visit.objects.get(uuid=payload["uuid"])
    assert visit.reason == "nobody_home" and visit.follow_up_date.isoformat() == tomorrow


def test_a_death_suspends_benefits_at_once_and_is_confirmed_in_review(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.nam, outcome="not_finished", reason="died", identity_confirmed=False)
    assert submit(personas.police_ba_dinh, payload).status_code == 201
    assert set(street.nam.benefits.values_list("status", flat=True)) == {Benefit.Status.SUSPENDED}
    result = MatchResult.objects.get(person=street.nam, decision=MatchResult.Decision.PENDING)
    assert result.status == "deceased"
    match_result_decide(user=personas.culture_ba_dinh, result_id=result.pk, accept=True)
    assert set(street.nam.benefits.values_list("status", flat=True)) == {Benefit.Status.ENDED}


def test_a_move_is_handed_to_the_new_commune_once_confirmed(personas: Personas, street: Street, world: World) -> None:
    payload = visit_payload(street.nam, outcome="not_finished", reason="moved_away", new_commune_code="00103",
                            identity_confirmed=False)  # fmt: skip
    assert submit(personas.police_ba_dinh, payload).status_code == 201
    street.nam.refresh_from_db()
    assert street.nam.commune == world.ba_dinh
    result = MatchResult.objects.get(person=street.nam, decision=MatchResult.Decision.PENDING)
    match_result_decide(user=personas.province_hanoi, result_id=result.pk, accept=True)
    street.nam.refresh_from_db()
    assert street.nam.commune == world.tay_ho


def test_a_visit_is_audited_without_account_numbers(personas: Personas, street: Street) -> None:
    payload = visit_payload(street.lan, **PERSUADED)
    submit(personas.police_ba_dinh, payload)
    entry = AuditEntry.objects.get(object_type="fieldwork.visit", action="submit")
    assert entry.summary == payload["uuid"] and "0011004455667" not in entry.canonical
