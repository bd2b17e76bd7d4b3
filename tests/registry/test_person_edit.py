"""Editing a person: optimistic locking, validation, audit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.audit.models import AuditEntry
from ansinh.registry.models import Person
from tests import factories as f
from tests.conftest import Personas, World


@pytest.fixture
def lan(world: World) -> Person:
    return f.person("Nguyễn Thị Lan", world.ba_dinh, birth_year=1940, hamlet="Tổ 3")


def form(person: Person, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": person.full_name,
        "birth_date": person.birth_date_display,
        "sex": "F",
        "citizen_id": "",
        "old_id": "",
        "hamlet": person.hamlet,
        "house_number": "",
        "phone": "",
        "version": person.version,
    }
    return {**data, **changes}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_edit_is_saved_and_audited_with_before_and_after(personas: Personas, lan: Person) -> None:
    response = client_for(personas.police_ba_dinh).post(
        reverse("registry:person_edit", args=[lan.pk]), form(lan, hamlet="Tổ 5", birth_date="03/1940")
    )
    assert response.status_code == 302
    lan.refresh_from_db()
    assert (lan.hamlet, lan.birth_year, lan.birth_month, lan.birth_day, lan.version) == ("Tổ 5", 1940, 3, None, 2)
    entry = AuditEntry.objects.filter(action="update").get()
    assert "Tổ 3" in entry.canonical and "Tổ 5" in entry.canonical


def test_the_second_of_two_officers_saving_the_same_person_is_told_and_overwrites_nothing(
    personas: Personas, lan: Person
) -> None:
    first, second = client_for(personas.police_ba_dinh), client_for(personas.culture_ba_dinh)
    url = reverse("registry:person_edit", args=[lan.pk])
    stale = form(lan)  # both opened the form at version 1
    assert first.post(url, {**stale, "hamlet": "Tổ 5"}).status_code == 302
    response = second.post(url, {**stale, "hamlet": "Tổ 7"})
    assert response.status_code == 409
    lan.refresh_from_db()
    assert lan.hamlet == "Tổ 5"
    assert "Tổ 5" in response.content.decode()  # the form now shows the saved record


def test_a_bad_id_or_date_is_refused(personas: Personas, lan: Person) -> None:
    response = client_for(personas.police_ba_dinh).post(
        reverse("registry:person_edit", args=[lan.pk]), form(lan, citizen_id="12345", birth_date="31/02/1940")
    )
    assert response.status_code == 400
    lan.refresh_from_db()
    assert lan.version == 1


def test_the_auditor_and_another_commune_cannot_edit(personas: Personas, lan: Person) -> None:
    url = reverse("registry:person_edit", args=[lan.pk])
    assert client_for(personas.auditor).post(url, form(lan, hamlet="X")).status_code == 403
    assert client_for(personas.police_tay_ho).post(url, form(lan, hamlet="X")).status_code == 404
    lan.refresh_from_db()
    assert lan.hamlet == "Tổ 3"
