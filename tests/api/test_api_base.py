"""The API skeleton: documented, token-authenticated, one error shape."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from ansinh.access.models import ApiToken
from tests import factories as f
from tests.conftest import Personas


def test_openapi_schema_and_docs_are_served(db: None) -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/registry/people" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()


def test_no_token_is_401_in_the_error_shape(db: None) -> None:
    response = Client().get("/api/v1/registry/people")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_a_revoked_token_is_refused(personas: Personas) -> None:
    token = f.api_token(personas.police_ba_dinh)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/registry/people").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/registry/people").status_code == 401


def test_not_found_and_invalid_input_use_the_error_shape(personas: Personas) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.national)}")
    missing = client.get("/api/v1/registry/people/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    invalid = client.get("/api/v1/registry/people", {"limit": "many"})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid"
