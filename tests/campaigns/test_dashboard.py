"""Dashboard pages, exports and the people behind a figure, seen from several roles."""

from __future__ import annotations

import io
import random

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from ansinh.campaigns import selectors
from ansinh.payouts.models import PayoutMethod
from ansinh.registry.models import Benefit, Category
from tests import factories as f
from tests.campaigns.helpers import classified_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, personas):  # type: ignore[no-untyped-def]
    """Ba Đình: 3 beneficiaries (2 with a bank account, 1 visited); Tây Hồ: 1; Lê Chân (Hải Phòng): 2."""
    people = {}
    for name, commune in [
        ("Nguyễn Thị Lan", world.ba_dinh),
        ("Trần Văn Bình", world.ba_dinh),
        ("Lê Thị Cúc", world.ba_dinh),
        ("Phạm Văn Dũng", world.tay_ho),
        ("Hoàng Thị Em", world.le_chan),
        ("Vũ Văn Phúc", world.le_chan),
    ]:
        person = f.person(name, commune)
        benefit = Benefit.objects.create(person=person, category=Category.SOCIAL_PROTECTION)
        people[name] = (person, benefit)
    for name in ("Nguyễn Thị Lan", "Trần Văn Bình"):
        person, benefit = people[name]
        PayoutMethod.objects.create(person=person, benefit=benefit, channel="bank")
    classified_visit(people["Lê Thị Cúc"][0], personas.police_ba_dinh, random.Random(1), classification="force_majeure")
    return people


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_province_officer_opens_their_province_dashboard(world, personas, data) -> None:
    response = client_for(personas.province_hanoi).get(reverse("campaigns:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:province", kwargs={"province_id": world.hanoi.pk})


def test_province_dashboard_counts_only_its_communes(world, personas, data) -> None:
    dashboard = selectors.dashboard_get(user=personas.province_hanoi, province_id=world.hanoi.pk)
    assert dashboard is not None
    assert dashboard.totals[("beneficiaries", "all")] == 4
    assert dashboard.totals[("accounts", "with_account")] == 2
    assert dashboard.share("with_account") == 50.0
    by_name = {unit.name: figures for unit, figures in dashboard.children}
    assert by_name["Phường Ba Đình"][("classification", "type_4")] == 1
    assert ("beneficiaries", "all") not in by_name["Phường Tây Hồ"] or by_name["Phường Tây Hồ"][
        ("beneficiaries", "all")
    ] == 1


def test_dashboard_page_shows_figures_map_and_charts(world, personas, data) -> None:
    response = client_for(personas.province_hanoi).get(
        reverse("campaigns:province", kwargs={"province_id": world.hanoi.pk})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phường Ba Đình" in body and "Phường Lê Chân" not in body
    assert body.count("<svg") >= 3
    assert reverse("campaigns:commune", kwargs={"commune_id": world.ba_dinh.pk}) in body


def test_province_officer_cannot_open_another_province_or_its_communes(world, personas, data) -> None:
    client = client_for(personas.province_hanoi)
    assert client.get(reverse("campaigns:province", kwargs={"province_id": world.haiphong.pk})).status_code == 404
    assert client.get(reverse("campaigns:commune", kwargs={"commune_id": world.le_chan.pk})).status_code == 404
    assert client.get(reverse("campaigns:export_xlsx"), {"province": world.haiphong.pk}).status_code == 404


def test_nation_dashboard_of_a_province_officer_shows_only_their_province(world, personas, data) -> None:
    dashboard = selectors.dashboard_get(user=personas.province_hanoi)
    assert dashboard is not None
    assert [unit.name for unit, _ in dashboard.children] == [world.hanoi.name]
    assert dashboard.totals[("beneficiaries", "all")] == 4


def test_people_behind_a_figure_are_the_ones_counted(world, personas, data) -> None:
    client = client_for(personas.province_hanoi)
    url = reverse("campaigns:people", kwargs={"indicator": "accounts"})
    body = client.get(url, {"d": "with_account", "province": world.hanoi.pk}).content.decode()
    assert "Nguyễn Thị Lan" in body and "Trần Văn Bình" in body
    assert "Lê Thị Cúc" not in body


def test_people_behind_a_figure_stay_within_the_users_commune(world, personas, data) -> None:
    client = client_for(personas.police_tay_ho)
    url = reverse("campaigns:people", kwargs={"indicator": "beneficiaries"})
    assert client.get(url, {"d": "all", "commune": world.ba_dinh.pk}).status_code == 404
    body = client.get(url, {"d": "all"}).content.decode()
    assert "Phạm Văn Dũng" in body and "Nguyễn Thị Lan" not in body


def test_excel_export_carries_the_headline_figures(world, personas, data) -> None:
    response = client_for(personas.province_hanoi).get(reverse("campaigns:export_xlsx"), {"province": world.hanoi.pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert any(row[1] == 2 and row[2] == 4 and row[3] == 50.0 for row in values if row and len(row) > 3)


def test_pdf_export_is_a_pdf(world, personas, data) -> None:
    response = client_for(personas.province_hanoi).get(reverse("campaigns:export_pdf"), {"province": world.hanoi.pk})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_users_without_registry_roles_see_no_dashboard(world, personas, data) -> None:
    response = client_for(personas.insurance).get(reverse("campaigns:nation"))
    assert response.status_code == 404


def test_api_returns_the_area_and_its_children(world, personas, data) -> None:
    token = f.api_token(personas.province_hanoi)
    response = Client().get(
        "/api/v1/campaigns/dashboard", {"province": world.hanoi.pk}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content
    payload = response.json()
    figures = {(x["indicator"], x["dimension"]): x["value"] for x in payload["area"]["figures"]}
    assert figures[("beneficiaries", "all")] == 4
    assert {child["name"] for child in payload["children"]} == {"Phường Ba Đình", "Phường Tây Hồ"}
