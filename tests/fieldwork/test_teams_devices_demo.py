"""Teams and their hamlets, the device-token page, the home-page cards, and the demo data."""

from __future__ import annotations

import pytest
from django.test import Client

from ansinh.fieldwork.cards import cards
from ansinh.fieldwork.demo import load
from ansinh.fieldwork.models import Assignment, DeviceToken, Team, Visit
from ansinh.web.demo import DemoContext
from tests.conftest import Personas, World
from tests.fieldwork.conftest import Street

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_team_of_commune_officers_is_given_hamlets(personas: Personas, street: Street) -> None:
    client = logged_in(personas.culture_ba_dinh)
    members = [personas.police_ba_dinh.pk, personas.culture_ba_dinh.pk]
    client.post(f"/fieldwork/communes/{street.lan.commune_id}/teams/",
                {"name": "Tổ 1", "members": members, "hamlets": ["Ngõ 5 Đội Cấn"]})  # fmt: skip
    team = Team.objects.get()
    assert set(team.members.values_list("pk", flat=True)) == set(members)
    assert Assignment.objects.get().hamlet == "Ngõ 5 Đội Cấn"
    page = client.get(f"/fieldwork/communes/{street.lan.commune_id}/").content.decode()
    assert "Tổ 1" in page


def test_an_officer_of_another_commune_cannot_join_a_team(personas: Personas, street: Street) -> None:
    client = logged_in(personas.culture_ba_dinh)
    client.post(f"/fieldwork/communes/{street.lan.commune_id}/teams/",
                {"name": "Tổ 1", "members": [personas.police_tay_ho.pk]})  # fmt: skip
    assert not Team.objects.exists()


def test_an_officer_issues_and_revokes_a_device_token_on_the_devices_page(personas: Personas) -> None:
    client = logged_in(personas.police_ba_dinh)
    issued = client.post("/fieldwork/devices/", {"name": "Điện thoại Samsung"}).content.decode()
    token = DeviceToken.objects.get()
    assert "dev_" in issued and token.is_valid and token.name == "Điện thoại Samsung"
    assert logged_in(personas.police_tay_ho).post("/fieldwork/devices/", {"revoke": token.pk}).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None  # not theirs
    client.post("/fieldwork/devices/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_valid


def test_cards_show_progress_to_readers_and_the_survey_to_officers(personas: Personas, street: Street) -> None:
    titles = [str(card.title) for card in cards(personas.police_ba_dinh)]
    assert titles == ["Home visits", "Household survey"]
    assert [str(card.title) for card in cards(personas.auditor)] == ["Home visits"]
    assert cards(personas.insurance) == []


def test_the_demo_makes_a_team_and_visits_once(personas: Personas, street: Street, world: World) -> None:
    ctx = DemoContext(province=world.hanoi, communes=[world.ba_dinh], seed=1, say=lambda text: None,
                      users={"police": personas.police_ba_dinh, "culture": personas.culture_ba_dinh})  # fmt: skip
    load(ctx)
    visits = Visit.objects.count()
    assert Team.objects.count() == 1 and visits == 4
    load(ctx)
    assert Visit.objects.count() == visits
