"""Account changes under four-eyes: entering, approving, rejecting, bulk, proxies, external registrations."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from ansinh.access.roles import RoleSlug
from ansinh.audit.models import AuditEntry
from ansinh.outbox.models import Message
from ansinh.payouts.models import AccountChangeRequest, Channel, PayoutMethod, Proxy
from ansinh.payouts.services import (
    account_request_approve,
    account_request_create,
    account_request_reject,
    account_requests_approve_bulk,
    external_accounts_receive,
    proxy_confirm,
    proxy_create,
)
from tests import factories as f
from tests.conftest import Personas, World
from tests.payouts.conftest import VBSP, VCB, VIETTEL_MONEY, People

pytestmark = pytest.mark.django_db
TYPED = AccountChangeRequest.Source.TYPED


def typed(personas: Personas, people: People, **changes: object) -> AccountChangeRequest:
    fields: dict[str, object] = {
        "user": personas.police_ba_dinh,
        "person": people.lan,
        "channel": Channel.BANK,
        "bank_bin": VCB,
        "account_number": "0011001234567",
        "holder_name": "NGUYEN THI LAN",
        "source": TYPED,
    }
    fields.update(changes)
    return account_request_create(**fields)  # type: ignore[arg-type]


def test_a_typed_account_waits_for_approval_and_is_audited(personas: Personas, people: People) -> None:
    request = typed(personas, people)
    assert request.status == AccountChangeRequest.Status.PENDING
    assert request.bank_text == "Vietcombank"
    assert request.signals == []
    assert AuditEntry.objects.filter(object_type="payouts.accountchangerequest", action="create").count() == 1
    assert not PayoutMethod.objects.exists()


def test_bad_fields_are_all_reported_at_once(personas: Personas, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        typed(personas, people, bank_bin="123456", account_number="12-34 56*", holder_name="")
    assert set(error.value.message_dict) == {"bank_bin", "account_number", "holder_name"}


def test_an_account_longer_than_nineteen_characters_is_refused(personas: Personas, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        typed(personas, people, account_number="1" * 20)
    assert "account_number" in error.value.message_dict


def test_mobile_money_needs_a_provider_and_a_phone_number(personas: Personas, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        typed(personas, people, channel=Channel.MOBILE_MONEY, bank_bin=VCB, account_number="12")
    assert set(error.value.message_dict) == {"bank_bin", "account_number"}
    request = typed(personas, people, channel=Channel.MOBILE_MONEY, bank_bin=VIETTEL_MONEY, account_number="0912345678")
    assert request.bank_bin == VIETTEL_MONEY


def test_cash_needs_a_payment_service_organisation(personas: Personas, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        typed(personas, people, channel=Channel.CASH_HOME, bank_bin="", account_number="")
    assert "organisation" in error.value.message_dict
    post = f.organisation("Bưu điện xã")
    request = typed(personas, people, channel=Channel.CASH_HOME, organisation=post)
    assert (request.bank_bin, request.account_number) == ("", "")


def test_a_person_outside_the_area_is_refused(personas: Personas, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        typed(personas, people, person=people.hoa)
    assert "person" in error.value.message_dict


def test_a_role_that_does_not_enter_accounts_is_refused(personas: Personas, people: People) -> None:
    with pytest.raises(PermissionDenied):
        typed(personas, people, user=personas.auditor)


def test_the_same_source_reference_returns_the_first_request(personas: Personas, people: People) -> None:
    first = typed(personas, people, source=AccountChangeRequest.Source.SURVEY, source_ref="visit-1")
    again = typed(personas, people, source=AccountChangeRequest.Source.SURVEY, source_ref="visit-1")
    assert again.pk == first.pk
    assert AccountChangeRequest.objects.count() == 1


def test_a_repeated_identical_entry_is_stored_once(personas: Personas, people: People) -> None:
    assert typed(personas, people).pk == typed(personas, people).pk


def test_the_bank_can_be_named_as_a_list_writes_it(personas: Personas, people: People) -> None:
    request = typed(personas, people, bank_bin="", bank_text="Ngân hàng Chính sách xã hội")
    assert request.bank_bin == VBSP


def test_approval_by_the_other_commune_role_makes_the_method_active_for_each_benefit(
    personas: Personas, people: People
) -> None:
    request = typed(personas, people)
    methods = account_request_approve(user=personas.culture_ba_dinh, request=request)
    assert {m.benefit_id for m in methods} == {b.pk for b in people.lan_benefits}
    assert all(m.status == PayoutMethod.Status.ACTIVE and m.bank.bin == VCB for m in methods)  # type: ignore[union-attr]
    request.refresh_from_db()
    assert (request.status, request.checker_id) == (AccountChangeRequest.Status.APPROVED, personas.culture_ba_dinh.pk)


def test_the_beneficiary_is_told_by_sms_with_a_masked_number(personas: Personas, people: People) -> None:
    account_request_approve(user=personas.culture_ba_dinh, request=typed(personas, people))
    message = Message.objects.get()
    assert message.recipient == "0912345678"
    assert "0011001234567" not in message.body
    assert "001********67" in message.body


def test_no_message_when_the_phone_is_unknown(personas: Personas, people: People) -> None:
    request = typed(personas, people, person=people.nam, holder_name="HOANG VAN NAM")
    account_request_approve(user=personas.province_hanoi, request=request)
    assert not Message.objects.exists()


def test_the_maker_cannot_approve(personas: Personas, people: People) -> None:
    with pytest.raises(PermissionDenied):
        account_request_approve(user=personas.police_ba_dinh, request=typed(personas, people))


def test_the_same_commune_role_cannot_approve(personas: Personas, people: People, world: World) -> None:
    other_police = f.user(RoleSlug.COMMUNE_POLICE, communes=[world.ba_dinh])
    with pytest.raises(PermissionDenied):
        account_request_approve(user=other_police, request=typed(personas, people))


def test_an_officer_of_another_commune_cannot_approve(personas: Personas, people: People) -> None:
    with pytest.raises(PermissionDenied):
        account_request_approve(
            user=personas.police_tay_ho, request=typed(personas, people, user=personas.culture_ba_dinh)
        )


def test_a_second_approval_is_refused(personas: Personas, people: People) -> None:
    request = typed(personas, people)
    account_request_approve(user=personas.culture_ba_dinh, request=request)
    with pytest.raises(PermissionDenied):
        account_request_approve(user=personas.province_hanoi, request=request)


def test_a_change_supersedes_the_active_method_and_keeps_the_history(personas: Personas, people: People) -> None:
    account_request_approve(user=personas.culture_ba_dinh, request=typed(personas, people))
    second = typed(personas, people, bank_bin=VBSP, account_number="7000123456")
    account_request_approve(user=personas.province_hanoi, request=second)
    benefit = people.lan_benefits[0]
    statuses = list(PayoutMethod.objects.filter(benefit=benefit).order_by("pk").values_list("status", flat=True))
    assert statuses == [PayoutMethod.Status.SUPERSEDED, PayoutMethod.Status.ACTIVE]
    old = PayoutMethod.objects.filter(benefit=benefit).order_by("pk").first()
    assert old is not None and old.valid_to is not None


def test_a_change_for_one_benefit_leaves_the_others(personas: Personas, people: People) -> None:
    request = typed(personas, people, benefit=people.lan_benefits[1])
    methods = account_request_approve(user=personas.culture_ba_dinh, request=request)
    assert [m.benefit_id for m in methods] == [people.lan_benefits[1].pk]


def test_rejection_needs_a_reason_and_leaves_no_method(personas: Personas, people: People) -> None:
    request = typed(personas, people)
    with pytest.raises(ValidationError):
        account_request_reject(user=personas.culture_ba_dinh, request=request, note=" ")
    rejected = account_request_reject(user=personas.culture_ba_dinh, request=request, note="Sai số tài khoản")
    assert rejected.status == AccountChangeRequest.Status.REJECTED
    assert not PayoutMethod.objects.exists()


def test_the_maker_rejecting_withdraws(personas: Personas, people: People) -> None:
    request = account_request_reject(user=personas.police_ba_dinh, request=typed(personas, people), note="Nhầm")
    assert request.status == AccountChangeRequest.Status.WITHDRAWN


def test_bulk_approval_reports_what_it_skipped(personas: Personas, people: People) -> None:
    mine = typed(personas, people, user=personas.culture_ba_dinh)
    theirs = typed(personas, people, person=people.nam, holder_name="HOANG VAN NAM")
    result = account_requests_approve_bulk(user=personas.culture_ba_dinh, requests=[mine, theirs])
    assert result.approved == [theirs.pk]
    assert [pk for pk, _ in result.skipped] == [mine.pk]


def test_an_imported_request_with_an_unknown_bank_stays_pending(personas: Personas, people: People) -> None:
    request = AccountChangeRequest.objects.create(
        person=people.nam,
        bank_text="Ngân hàng không có",
        account_number="123456",
        source="import",
        maker=personas.police_ba_dinh,
    )
    result = account_requests_approve_bulk(user=personas.culture_ba_dinh, requests=[request])
    assert result.approved == [] and "bank" in result.skipped[0][1].lower()


def test_a_proxy_is_recorded_then_confirmed_by_the_culture_officer(personas: Personas, people: People) -> None:
    scan = SimpleUploadedFile("letter.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    proxy = proxy_create(
        user=personas.police_ba_dinh,
        person=people.lan,
        full_name="Nguyễn Văn Bình",
        citizen_id="001080001234",
        relationship="con trai",
        scan=scan,
    )
    assert proxy.status == Proxy.Status.PENDING and proxy.scan.name
    with pytest.raises(PermissionDenied):
        proxy_confirm(user=personas.police_ba_dinh, proxy=proxy)
    assert proxy_confirm(user=personas.culture_ba_dinh, proxy=proxy).status == Proxy.Status.CONFIRMED


def test_a_scan_that_is_not_an_image_or_pdf_is_refused(personas: Personas, people: People) -> None:
    scan = SimpleUploadedFile("letter.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        proxy_create(user=personas.police_ba_dinh, person=people.lan, full_name="A", relationship="con", scan=scan)
    assert "scan" in error.value.message_dict


def test_external_registrations_become_pending_changes_once(personas: Personas, people: People) -> None:
    rows = [
        {
            "citizen_id": "001140001268",
            "bank_bin": VCB,
            "account_number": "1029384756",
            "holder_name": "NGUYEN THI LAN",
            "reference": "vneid-1",
        },
        {"citizen_id": "999999999999", "bank_bin": VCB, "account_number": "1", "reference": "vneid-2"},
        {"citizen_id": "001050005555", "bank": "Agribank", "account_number": "bad number!", "reference": "vneid-3"},
    ]
    results = external_accounts_receive(user=personas.province_hanoi, rows=rows)
    assert results[0].request_id is not None and not results[0].errors
    assert "citizen_id" in results[1].errors
    assert "account_number" in results[2].errors
    again = external_accounts_receive(user=personas.province_hanoi, rows=rows[:1])
    assert again[0].request_id == results[0].request_id
    assert AccountChangeRequest.objects.get().source == AccountChangeRequest.Source.EXTERNAL


def test_an_imported_row_is_checked_against_active_accounts_and_normalised_on_approval(
    personas: Personas, people: People
) -> None:
    from ansinh.payouts.services import signals_for

    account_request_approve(user=personas.culture_ba_dinh, request=typed(personas, people))
    imported = AccountChangeRequest.objects.create(
        person=people.nam, bank_text="Vietcombank", account_number="0011 0012 34567", source="import",
        source_batch_id=3, maker=personas.police_ba_dinh,
    )  # fmt: skip
    assert [s["code"] for s in signals_for([imported])[imported.pk]] == ["shared_account"]
    methods = account_request_approve(user=personas.culture_ba_dinh, request=imported)
    assert methods[0].account_number == "0011001234567"
    imported.refresh_from_db()
    assert (imported.bank_bin, imported.account_number) == (VCB, "0011001234567")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL behaviour; SQLite serialises")
@pytest.mark.django_db(transaction=True)
def test_two_approvers_racing_make_one_set_of_active_methods(personas: Personas, people: People) -> None:
    request = typed(personas, people)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user: object) -> None:
        try:
            barrier.wait()
            account_request_approve(user=user, request=request)  # type: ignore[arg-type]
            outcomes.append("approved")
        except PermissionDenied:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (personas.culture_ba_dinh, personas.province_hanoi)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert PayoutMethod.objects.filter(status="active").count() == len(people.lan_benefits)
