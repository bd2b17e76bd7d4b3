"""Pages and API: the approval queue, HTMX decisions, bulk approval of a list, the capture form, the VietQR check."""

from __future__ import annotations

import pytest
from django.test import Client
from vietnam_qr_pay import QRPay, VietQRService

from ansinh.payouts.models import AccountChangeRequest, Channel, PayoutMethod
from ansinh.payouts.services import account_request_create
from tests import factories as f
from tests.conftest import Personas
from tests.payouts.conftest import VCB, People

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("banks")]
CHECK = "/api/v1/accounts/vietqr-check"


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def enter(personas: Personas, people: People, **extra: object) -> AccountChangeRequest:
    fields: dict[str, object] = {
        "user": personas.police_ba_dinh,
        "person": people.lan,
        "channel": Channel.BANK,
        "bank_bin": VCB,
        "account_number": "0011001234567",
        "holder_name": "NGUYEN THI LAN",
        "source": AccountChangeRequest.Source.TYPED,
    }
    fields.update(extra)
    return account_request_create(**fields)  # type: ignore[arg-type]


def test_the_queue_shows_a_pending_change_with_approve_buttons_to_the_other_role(
    personas: Personas, people: People
) -> None:
    enter(personas, people)
    page = logged_in(personas.culture_ba_dinh).get("/accounts/").content.decode()
    assert "Nguyễn Thị Lan" in page and 'value="approve"' in page


def test_the_maker_sees_the_change_without_approve_button(personas: Personas, people: People) -> None:
    enter(personas, people)
    page = logged_in(personas.police_ba_dinh).get("/accounts/").content.decode()
    assert "Nguyễn Thị Lan" in page and 'value="approve"' not in page


def test_an_officer_of_another_commune_does_not_see_it(personas: Personas, people: People) -> None:
    enter(personas, people)
    assert "Nguyễn Thị Lan" not in logged_in(personas.police_tay_ho).get("/accounts/").content.decode()


def test_an_htmx_approval_returns_the_decided_item(personas: Personas, people: People) -> None:
    request = enter(personas, people)
    response = logged_in(personas.culture_ba_dinh).post(
        f"/accounts/changes/{request.pk}/decide/", {"decision": "approve"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="change-{request.pk}"' in response.content.decode()
    assert PayoutMethod.objects.filter(status="active").count() == 2


def test_a_reject_without_reason_shows_the_error(personas: Personas, people: People) -> None:
    request = enter(personas, people)
    response = logged_in(personas.culture_ba_dinh).post(
        f"/accounts/changes/{request.pk}/decide/", {"decision": "reject", "note": ""}, HTTP_HX_REQUEST="true"
    )
    assert 'role="alert"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_bulk_approval_of_an_imported_list_leaves_flagged_rows_unless_ticked(
    personas: Personas, people: People
) -> None:
    clean = AccountChangeRequest.objects.create(
        person=people.lan,
        bank_text="Vietcombank",
        account_number="444555666",
        holder_name="NGUYEN THI LAN",
        source="import",
        source_batch_id=7,
        maker=personas.police_ba_dinh,
    )
    flagged = AccountChangeRequest.objects.create(
        person=people.nam,
        bank_text="Vietcombank",
        account_number="111222333",
        holder_name="NGUYEN THI LAN",
        source="import",
        source_batch_id=7,
        maker=personas.police_ba_dinh,
    )
    client = logged_in(personas.culture_ba_dinh)
    page = client.get("/accounts/?batch=7").content.decode()
    assert "neither the beneficiary nor the declared proxy" in page
    client.post("/accounts/batches/7/approve/")
    clean.refresh_from_db(), flagged.refresh_from_db()
    assert (clean.status, flagged.status) == ("approved", "pending")
    client.post("/accounts/batches/7/approve/", {"include_flagged": "1"})
    flagged.refresh_from_db()
    assert flagged.status == "approved"


def test_the_capture_form_refuses_two_different_typed_numbers(personas: Personas, people: People) -> None:
    response = logged_in(personas.police_ba_dinh).post(
        f"/accounts/people/{people.lan.pk}/",
        {
            "channel": "bank",
            "bank_bin": VCB,
            "account_number": "12345678",
            "account_number_again": "12345679",
            "holder_name": "NGUYEN THI LAN",
            "source": "typed",
        },
    )
    assert response.status_code == 200
    assert "The two account numbers differ" in response.content.decode()
    assert not AccountChangeRequest.objects.exists()


def test_the_capture_form_records_a_scanned_account_checked_again_on_the_server(
    personas: Personas, people: People
) -> None:
    text = QRPay.init_viet_qr(bank_bin=VCB, bank_number="0011001234567").build()
    client = logged_in(personas.police_ba_dinh)
    response = client.post(
        f"/accounts/people/{people.lan.pk}/",
        {
            "channel": "bank",
            "bank_bin": VCB,
            "account_number": "0011001234567",
            "holder_name": "NGUYEN THI LAN",
            "source": "scanned",
            "qr_text": text,
        },
    )
    assert response.status_code == 302
    assert AccountChangeRequest.objects.get().source == "scanned"
    forged = client.post(
        f"/accounts/people/{people.nam.pk}/",
        {
            "channel": "bank",
            "bank_bin": VCB,
            "account_number": "999",
            "holder_name": "X",
            "source": "scanned",
            "qr_text": text,
        },
    )
    assert "differs from the scanned QR code" in forged.content.decode()


def test_the_person_fragment_masks_account_numbers_for_an_auditor(personas: Personas, people: People) -> None:
    from ansinh.payouts.services import account_request_approve

    account_request_approve(user=personas.culture_ba_dinh, request=enter(personas, people))
    officer = logged_in(personas.police_ba_dinh).get(f"/accounts/people/{people.lan.pk}/methods/").content.decode()
    auditor = logged_in(personas.auditor).get(f"/accounts/people/{people.lan.pk}/methods/").content.decode()
    assert "0011001234567" in officer
    assert "0011001234567" not in auditor and "001********67" in auditor


def test_the_vietqr_check_answers_the_session_with_bank_and_account(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.police_ba_dinh)
    client.get("/accounts/")
    token = client.cookies["csrftoken"].value
    text = QRPay.init_viet_qr(bank_bin=VCB, bank_number="0011001234567").build()
    answer = client.post(CHECK, {"text": text}, content_type="application/json", HTTP_X_CSRFTOKEN=token).json()
    assert answer == {
        "ok": True,
        "bank_bin": VCB,
        "bank_name": "Vietcombank",
        "bank_kind": "bank",
        "account_number": "0011001234567",
        "error_code": "",
        "error": "",
    }
    refused = client.post(CHECK, {"text": text}, content_type="application/json")
    assert refused.status_code in (401, 403)


def test_the_vietqr_check_explains_a_card_qr_and_a_bad_crc_over_the_api(personas: Personas) -> None:
    token = f.api_token(personas.police_ba_dinh)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    card = QRPay.init_viet_qr(
        bank_bin=VCB, bank_number="9704361234567890", service=VietQRService.BY_CARD_NUMBER
    ).build()
    assert client.post(CHECK, {"text": card}, content_type="application/json").json()["error_code"] == "card"
    text = QRPay.init_viet_qr(bank_bin=VCB, bank_number="0011001234567").build()
    bad = text[:20] + ("0" if text[20] != "0" else "1") + text[21:]
    assert client.post(CHECK, {"text": bad}, content_type="application/json").json()["error_code"] == "crc"


def test_the_api_enters_lists_and_approves_a_change(personas: Personas, people: People) -> None:
    maker = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.police_ba_dinh)}")
    checker = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.province_hanoi)}")
    created = maker.post(
        "/api/v1/accounts/changes",
        {"person_id": people.nam.pk, "bank_bin": VCB, "account_number": "55566677", "holder_name": "HOANG VAN NAM"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    change = created.json()["id"]
    assert maker.post(f"/api/v1/accounts/changes/{change}/approve").status_code == 403
    listed = checker.get("/api/v1/accounts/changes").json()
    assert [r["id"] for r in listed["results"]] == [change]
    approved = checker.post(f"/api/v1/accounts/changes/{change}/approve")
    assert approved.status_code == 200 and approved.json()[0]["status"] == "active"


def test_the_api_reports_field_errors(personas: Personas, people: People) -> None:
    maker = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.police_ba_dinh)}")
    response = maker.post(
        "/api/v1/accounts/changes",
        {"person_id": people.nam.pk, "bank_bin": "000000", "account_number": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "bank_bin" in response.json()["error"]["message"]


def test_external_registrations_over_the_api(personas: Personas, people: People) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.province_hanoi)}")
    rows = [
        {
            "citizen_id": "001050005555",
            "bank": "Vietcombank",
            "account_number": "7788990011",
            "holder_name": "HOANG VAN NAM",
            "reference": "bank-77",
        }
    ]
    answer = client.post("/api/v1/accounts/external", {"rows": rows}, content_type="application/json").json()
    assert answer[0]["request_id"] and answer[0]["errors"] == {}


def test_the_home_page_counts_pending_approvals(personas: Personas, people: People) -> None:
    enter(personas, people)
    page = logged_in(personas.culture_ba_dinh).get("/").content.decode()
    assert "Account changes" in page


def test_only_a_national_supervisor_adds_a_bank(personas: Personas) -> None:
    data = {"bin": "970999", "short_name": "Test", "name": "Ngân hàng thử", "kind": "bank", "active": "on"}
    assert logged_in(personas.police_ba_dinh).post("/accounts/banks/", data).status_code == 403
    assert logged_in(personas.national).post("/accounts/banks/", data).status_code == 302
    assert "970999" in logged_in(personas.police_ba_dinh).get("/accounts/banks/").content.decode()


def test_the_fraud_report_lists_a_shared_account_and_the_flagged_change(personas: Personas, people: People) -> None:
    from ansinh.payouts.services import account_request_approve

    account_request_approve(user=personas.culture_ba_dinh, request=enter(personas, people))
    account_request_approve(
        user=personas.culture_ba_dinh, request=enter(personas, people, person=people.nam, holder_name="HOANG VAN NAM")
    )
    page = logged_in(personas.province_hanoi).get("/accounts/fraud/").content.decode()
    assert "0011001234567" in page  # the shared account, unmasked for the officer
    assert "also receives for other beneficiaries" in page
    assert "police_ba_dinh" in page  # changes by user


def test_the_queue_records_that_the_officer_saw_the_people(personas: Personas, people: People) -> None:
    from ansinh.audit.models import AuditSubject

    enter(personas, people)
    logged_in(personas.culture_ba_dinh).get("/accounts/")
    assert AuditSubject.objects.filter(object_type="registry.person", object_id=str(people.lan.pk)).exists()


def test_a_province_officer_filters_the_queue_by_commune(personas: Personas, people: People) -> None:
    enter(personas, people)
    enter(personas, people, user=personas.police_tay_ho, person=people.hoa, holder_name="TRAN THI HOA")
    client = logged_in(personas.province_hanoi)
    everything = client.get("/accounts/").content.decode()
    assert "Nguyễn Thị Lan" in everything and "Trần Thị Hoa" in everything
    only = client.get(f"/accounts/?commune={people.hoa.commune_id}").content.decode()
    assert "Trần Thị Hoa" in only and "Nguyễn Thị Lan" not in only
