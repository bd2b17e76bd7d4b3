"""Pages, exports and API endpoints, from the officer's and the agents' sides."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.test import Client
from django.urls import reverse

from ansinh.insurance import rules, services
from ansinh.insurance.evaluations import evaluations_send
from ansinh.insurance.models import Evaluation
from ansinh.outbox.models import Message
from tests import factories as f
from tests.conftest import Personas
from tests.insurance.conftest import Insurance

M = rules.month_index


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _paid(ins: Insurance) -> None:
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 10), paid_on=dt.date(2024, 10, 5))
    services.payment_record(user=ins.officer, participant=ins.minh, from_month=M(2024, 9), paid_on=dt.date(2024, 9, 5))
    services.plan_set(
        user=ins.officer, year=2024, province=ins.ngo_quyen.province, target_participants=4, net_increase_target=3
    )


def test_participant_list_and_detail_for_the_officer(ins: Insurance) -> None:
    client = _client(ins.officer)
    page = client.get(reverse("insurance:participant_list"), {"q": "nguyen thi lan"})
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in page.content.decode()
    assert "Trần Văn Minh" not in page.content.decode()
    detail = client.get(reverse("insurance:participant_detail", args=[ins.lan.pk]))
    assert detail.status_code == 200
    assert ins.lan.citizen_id not in detail.content.decode()  # masked for this role


def test_an_agent_gets_404_for_another_organisations_participant(ins: Insurance) -> None:
    client = _client(ins.agent_a)
    assert client.get(reverse("insurance:participant_detail", args=[ins.minh.pk])).status_code == 404
    assert client.get(reverse("insurance:participant_detail", args=[ins.lan.pk])).status_code == 200


def test_a_registry_officer_has_no_insurance_pages(ins: Insurance, personas: Personas) -> None:
    client = _client(personas.police_ba_dinh)
    assert client.get(reverse("insurance:participant_list")).status_code == 403
    assert client.get(reverse("insurance:report")).status_code == 403


def test_payment_form_records_a_payment(ins: Insurance) -> None:
    client = _client(ins.agent_a)
    response = client.post(
        reverse("insurance:payment_add", args=[ins.lan.pk]),
        {"from_month": "2024-07", "paid_on": "2024-07-03", "receipt": "A-77"},
    )
    assert response.status_code == 302
    payment = ins.lan.payments.get()
    assert (payment.from_month, payment.to_month, payment.organisation_id) == (M(2024, 7), M(2024, 9), ins.org_a.pk)


def test_report_page_shows_tables_and_charts(ins: Insurance) -> None:
    _paid(ins)
    page = _client(ins.officer).get(reverse("insurance:report"), {"year": 2024, "month": 10})
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<svg") == 2
    assert "Bưu điện Hải Phòng" in body and "Phường Ngô Quyền" in body


def test_report_exports_to_excel_and_pdf(ins: Insurance) -> None:
    _paid(ins)
    client = _client(ins.officer)
    xlsx = client.get(reverse("insurance:report_xlsx"), {"year": 2024, "month": 10})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    summary = book["Tổng hợp"]
    assert summary.cell(row=4, column=3).value == 2  # participants at the end of October
    assert summary.cell(row=4, column=4).value == 4  # the plan
    pdf = client.get(reverse("insurance:report_pdf"), {"year": 2024, "month": 10})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_each_organisation_gets_its_evaluation_and_only_its_own(ins: Insurance) -> None:
    _paid(ins)
    ins.agent_a.email = "agent.a@example.org"
    ins.agent_a.save()
    written = evaluations_send(user=ins.officer, year=2024, month=10, agency="BHXH THÀNH PHỐ HẢI PHÒNG")
    assert {e.organisation_id for e in written} == {ins.org_a.pk, ins.org_b.pk}
    evaluations_send(user=ins.officer, year=2024, month=10, agency="BHXH THÀNH PHỐ HẢI PHÒNG")
    assert Evaluation.objects.count() == 2
    assert Message.objects.filter(recipient="agent.a@example.org").count() == 1  # not twice on a rerun
    own = Evaluation.objects.get(organisation=ins.org_a)
    other = Evaluation.objects.get(organisation=ins.org_b)
    client = _client(ins.agent_a)
    assert client.get(reverse("insurance:evaluation_download", args=[own.pk])).content.startswith(b"%PDF")
    assert client.get(reverse("insurance:evaluation_download", args=[other.pk])).status_code == 404


def test_api_report_and_participants_are_scoped(ins: Insurance) -> None:
    _paid(ins)
    officer = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(ins.officer)}")
    report = officer.get("/api/v1/insurance/report", {"year": 2024, "month": 10}).json()
    assert report["total"]["count"] == 2
    assert report["total"]["plan_percent"] == 50.0
    agent = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(ins.agent_b)}")
    people = agent.get("/api/v1/insurance/participants").json()
    assert [p["full_name"] for p in people["results"]] == ["Trần Văn Minh"]
    assert agent.get(f"/api/v1/insurance/participants/{ins.lan.pk}").status_code == 404


def test_api_records_a_payment_once_per_receipt(ins: Insurance) -> None:
    agent = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(ins.agent_b)}")
    url = f"/api/v1/insurance/participants/{ins.minh.pk}/payments"
    body = {"period_from": "2024-11", "paid_on": "2024-11-02", "receipt": "NQ-1"}
    first = agent.post(url, body, content_type="application/json")
    again = agent.post(url, body, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert agent.get(url).json()[0]["period_from"] == "2024-11"
    assert agent.post(url, {**body, "period_from": "2024-13"}, content_type="application/json").status_code == 422


def test_home_page_shows_insurance_cards_to_insurance_roles_only(ins: Insurance, personas: Personas) -> None:
    assert "/insurance/due/" in _client(ins.agent_a).get(reverse("home")).content.decode()
    assert "/insurance/due/" not in _client(personas.police_ba_dinh).get(reverse("home")).content.decode()
