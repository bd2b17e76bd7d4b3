"""Matching through the API: start a run, follow it, read and decide the queue, all inside the area."""

from __future__ import annotations

import pytest
from django.test import Client

from ansinh.registry.models import Benefit
from ansinh.review.services import match_run_for_batch
from tests import factories as f
from tests.conftest import Personas
from tests.review.conftest import Batch

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(user)}")


def test_a_run_starts_as_a_job_against_the_configured_snapshot(committed: Batch, personas: Personas, settings) -> None:
    client = api(personas.police_ba_dinh)
    settings.POPULATION_SNAPSHOT = ""
    refused = client.post("/api/v1/matching/runs", {"batch_id": committed.batch.pk}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    settings.POPULATION_SNAPSHOT = str(committed.population)
    started = client.post("/api/v1/matching/runs", {"batch_id": committed.batch.pk}, content_type="application/json")
    assert started.status_code == 202
    status = client.get(f"/api/v1/matching/runs/jobs/{started.json()['job_id']}")
    assert status.status_code == 200 and status.json()["status"] in {"queued", "running", "succeeded"}


def test_the_queue_is_the_areas_and_a_decision_is_applied(committed: Batch, personas: Personas) -> None:
    match_run_for_batch(user=personas.police_ba_dinh, batch_id=committed.batch.pk, population_path=committed.population)
    other = api(personas.police_tay_ho).get("/api/v1/matching/queue").json()
    own = api(personas.police_ba_dinh).get("/api/v1/matching/queue", {"status": "deceased"}).json()
    assert own["count"] == 1
    assert all(r["commune_code"] != committed.batch.default_commune.code for r in other["results"])
    death = own["results"][0]
    assert (
        api(personas.auditor)
        .post(f"/api/v1/matching/results/{death['id']}/decision", {"accept": True}, content_type="application/json")
        .status_code
        == 403
    )
    decided = api(personas.culture_ba_dinh).post(
        f"/api/v1/matching/results/{death['id']}/decision", {"accept": True}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "accepted"
    assert set(Benefit.objects.filter(person_id=death["person_id"]).values_list("status", flat=True)) == {"ended"}
    again = api(personas.culture_ba_dinh).post(
        f"/api/v1/matching/results/{death['id']}/decision", {"accept": False}, content_type="application/json"
    )
    assert again.status_code == 409
