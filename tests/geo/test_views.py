"""The commune search behind commune fields in forms."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from ansinh.access.routes import route_scope
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

URL = reverse("geo:commune_search")


def test_commune_search_is_declared_public() -> None:
    assert route_scope(resolve(URL).func) == "public"


def test_commune_search_requires_login(client: Client, world: World) -> None:
    response = client.get(URL, {"q": "ba dinh"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_commune_search_needs_no_area(client: Client, world: World) -> None:
    client.force_login(f.user(None))
    results = client.get(URL, {"q": "ba dinh"}).json()["results"]
    assert [(r["code"], r["name"], r["province"]) for r in results] == [("00004", "Phường Ba Đình", "Thành phố Hà Nội")]


def test_commune_search_filters_by_province_code(client: Client, world: World) -> None:
    client.force_login(f.user(None))
    assert client.get(URL, {"q": "phuong", "province": "31"}).json()["results"][0]["name"] == "Phường Lê Chân"
    assert client.get(URL, {"q": "phuong", "province": "99"}).json()["results"] == []
    assert client.get(URL, {"q": "phuong", "limit": "x"}).status_code == 200
