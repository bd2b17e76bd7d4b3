"""The import API: upload, batch status, problems and commit with a token, limited to the caller's area."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ansinh.imports import api as imports_api
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.registry.models import Person
from tests import factories as f
from tests.conftest import Personas, World
from tests.imports.builders import official_xlsx

BASE = "/api/v1/imports"
ROWS: list[list[object]] = [
    [
        "Nguyễn Thị Lan",
        dt.date(1940, 3, 5),
        "Nữ",
        "001140001268",
        "00004",
        "Phường Ba Đình",
        "Tổ 3",
        500000,
        None,
        None,
    ],
    ["Tran Van Hoa", "1938", "Nam", "", "00004", "", "Tổ 4", "500.000", None, None],
    ["Phạm Thị Bình", "", "Nữ", "", "00004", "", "", 500000, None, None],  # no birth date: invalid
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def mixed_list(tmp_path: Path, world: World) -> Path:
    return official_xlsx(tmp_path / "btxh.xlsx", ROWS)


class Api:
    def __init__(self, user) -> None:  # type: ignore[no-untyped-def]
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(user)}")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English (Vietnamese by default)

    def upload(self, path: Path, **fields: str) -> Any:
        with path.open("rb") as handle:
            return self.client.post(f"{BASE}/batches", {"file": handle, "category": "social_protection", **fields})

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(f"{BASE}{url}", params)

    def post(self, url: str) -> Any:
        return self.client.post(f"{BASE}{url}")


@pytest.fixture
def police(personas: Personas) -> Api:
    return Api(personas.police_ba_dinh)


def test_a_small_upload_is_staged_in_the_request_and_then_committed(police: Api, mixed_list: Path) -> None:
    response = police.upload(mixed_list, commune="00004")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "staged" and body["default_commune"] == "00004"
    assert (body["counts"]["rows"], body["counts"]["pending"], body["counts"]["invalid"]) == (3, 2, 1)
    assert {"letter": "B", "header": "Họ và tên", "field": "full_name"} in body["columns"]

    status = police.get(f"/batches/{body['id']}").json()
    assert status["status"] == "staged" and status["job"] is None

    committed = police.post(f"/batches/{body['id']}/commit")
    assert committed.status_code == 200
    assert committed.json()["status"] == "committed"
    assert (committed.json()["counts"]["new"], committed.json()["counts"]["invalid"]) == (2, 1)
    assert Person.objects.count() == 2

    again = police.post(f"/batches/{body['id']}/commit")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert Person.objects.count() == 2


def test_problems_come_in_pages_with_rows_level_column_and_message(police: Api, mixed_list: Path) -> None:
    batch_id = police.upload(mixed_list, commune="00004").json()["id"]
    errors = police.get(f"/batches/{batch_id}/problems", level="error").json()
    assert errors["results"] == [
        {
            "sheet_row": 12,
            "data_row": 3,
            "level": "error",
            "code": "birth_date_missing",
            "column": "Ngày sinh (C)",
            "message": "The birth date is missing.",
        }
    ]
    assert errors["next_offset"] is None
    everything = police.get(f"/batches/{batch_id}/problems").json()["results"]
    first = police.get(f"/batches/{batch_id}/problems", limit=1).json()
    assert first["results"] == everything[:1]
    assert first["next_offset"] == (1 if len(everything) > 1 else None)
    assert police.get(f"/batches/{batch_id}/problems", level="fatal").status_code == 400


def test_a_big_upload_is_read_by_a_job_that_names_its_batch(
    police: Api,
    mixed_list: Path,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(imports_api, "SYNC_UPLOAD_BYTES", 100)
    with django_capture_on_commit_callbacks(execute=True):
        response = police.upload(mixed_list, commune="00004")
    assert response.status_code == 202
    job = police.get(f"/jobs/{response.json()['id']}").json()
    assert job["status"] == "succeeded" and job["kind"] == "imports.stage"
    assert ImportBatch.objects.get().pk == job["batch_id"]


def test_a_big_commit_runs_as_a_job(
    police: Api,
    mixed_list: Path,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    batch_id = police.upload(mixed_list, commune="00004").json()["id"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(imports_api, "SYNC_COMMIT_ROWS", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = police.post(f"/batches/{batch_id}/commit")
    assert response.status_code == 202 and response.json()["kind"] == "imports.commit"
    assert police.get(f"/batches/{batch_id}").json()["status"] == "committed"


def test_an_unreadable_file_is_refused_and_writes_nothing(police: Api, tmp_path: Path, world: World) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    response = police.upload(broken)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unreadable_file" and error["details"] == {"reason": "damaged_file"}
    assert "damaged" in error["message"]
    assert not ImportBatch.objects.exists() and not ImportRow.objects.exists()

    text = tmp_path / "list.txt"
    text.write_text("Họ và tên\n", encoding="utf-8")
    assert police.upload(text).json()["error"]["code"] == "file_refused"


def test_a_commune_or_category_outside_the_rules_is_a_bad_request(police: Api, mixed_list: Path) -> None:
    outside = police.upload(mixed_list, commune="00103")
    assert outside.status_code == 400 and outside.json()["error"]["code"] == "bad_request"
    assert police.upload(mixed_list, category="pension").status_code == 400
    assert not ImportBatch.objects.exists()


def test_another_communes_officer_cannot_reach_the_batch(police: Api, personas: Personas, mixed_list: Path) -> None:
    batch_id = police.upload(mixed_list, commune="00004").json()["id"]
    other = Api(personas.police_tay_ho)
    assert other.get("/batches").json()["count"] == 0
    for response in (
        other.get(f"/batches/{batch_id}"),
        other.get(f"/batches/{batch_id}/problems"),
        other.post(f"/batches/{batch_id}/commit"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert ImportBatch.objects.get().status == ImportBatch.Status.STAGED


def test_the_auditor_reads_but_cannot_commit_or_upload(police: Api, personas: Personas, mixed_list: Path) -> None:
    batch_id = police.upload(mixed_list, commune="00004").json()["id"]
    auditor = Api(personas.auditor)
    assert auditor.get(f"/batches/{batch_id}").status_code == 200
    assert auditor.get("/batches").json()["count"] == 1
    refused = auditor.post(f"/batches/{batch_id}/commit")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert auditor.upload(mixed_list).status_code == 403
    assert ImportBatch.objects.get().status == ImportBatch.Status.STAGED


def test_without_a_token_nothing_is_answered(mixed_list: Path) -> None:
    response = Client().get(f"{BASE}/batches")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
