"""Login, throttling, CSP, language and the home page per role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.conftest import Personas


def test_pages_carry_a_content_security_policy(db: None) -> None:
    response = Client().get(reverse("login"))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_login_is_throttled_after_repeated_failures(personas: Personas, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"username": "police_ba_dinh", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "police_ba_dinh", "password": f.PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_then_home_names_role_and_area(personas: Personas) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "police_ba_dinh", "password": f.PASSWORD}, follow=True)
    page = response.content.decode()
    assert "Công an xã" in page and "Phường Ba Đình" in page


def test_home_in_english_after_switching_language(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.police_ba_dinh)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Commune police officer" in page and "Beneficiaries" in page


def test_user_without_role_sees_a_clear_page(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.no_role)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "no_access" in response.templates[0].name


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["province_hanoi", "culture_ba_dinh", "agent", "insurance", "auditor", "national"])
def test_every_role_has_a_home_page(personas: Personas, name: str) -> None:
    client = Client()
    client.force_login(getattr(personas, name))
    assert client.get(reverse("home")).status_code == 200


def test_vietnamese_is_the_default_whatever_the_browser_asks(personas: Personas) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(personas.police_ba_dinh)
    page = client.get(reverse("home")).content.decode()
    assert 'lang="vi"' in page
