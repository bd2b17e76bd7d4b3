"""The import pages: upload, reading as a job, counts and problems, mapping, fixing a row, commit, and who sees what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ansinh.audit.models import AuditEntry
from ansinh.imports import forms as import_forms
from ansinh.imports import tasks
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.jobs.models import Job
from ansinh.registry.models import Person
from tests.conftest import Personas, World
from tests.imports.builders import official_xlsx

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def immediate(settings) -> None:  # type: ignore[no-untyped-def]
    """Jobs run as soon as their transaction commits (the tests execute the on-commit callbacks)."""
    settings.TASKS = IMMEDIATE


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    """A client logged in as `user` that chose English with the language switcher (the pages default to Vietnamese)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


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
    ["Lê Văn Tám", "12/05/1944", "Nam", 1044001234, "00004", "", "", 500000, None, None],  # zeros restored: warning
]


@pytest.fixture
def mixed_list(tmp_path: Path, world: World) -> Path:
    return official_xlsx(tmp_path / "btxh.xlsx", ROWS)


def upload(client: Client, path: Path, capture, *, commune: str = "00004", **data: str):  # type: ignore[no-untyped-def]
    """Post the upload, let its job run (on commit), then follow the redirects as a browser would."""
    with capture(execute=True), path.open("rb") as handle:
        response = client.post(
            reverse("imports:upload"), {"file": handle, "category": "social_protection", "commune": commune, **data}
        )
    return client.get(response.url, follow=True) if response.status_code == 302 else response


def fix_data(batch: ImportBatch, row: ImportRow, **changes: str) -> dict[str, str]:
    """The fix form as the page shows it for `row`, with `changes` typed in."""
    from ansinh.imports.forms import RowFixForm

    values = {**RowFixForm.initial_for(batch, row), **changes}
    return {f"row{row.pk}-{name}": value for name, value in values.items()}


def post_job(client: Client, url: str, capture, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Post a form that starts a job, let it run, then open the page it leads to."""
    with capture(execute=True):
        response = client.post(url, data or {})
    return client.get(response.url, follow=True)


@pytest.fixture
def staged(personas: Personas, mixed_list: Path, immediate: None, django_capture_on_commit_callbacks) -> ImportBatch:  # type: ignore[no-untyped-def]
    upload(logged_in(personas.police_ba_dinh), mixed_list, django_capture_on_commit_callbacks)
    return ImportBatch.objects.get()


def test_commune_officer_uploads_checks_and_commits_a_list(
    personas: Personas, mixed_list: Path, immediate: None, django_capture_on_commit_callbacks, media: Path
) -> None:
    client = logged_in(personas.police_ba_dinh)

    response = upload(client, mixed_list, django_capture_on_commit_callbacks)

    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("imports:batch", args=[batch.pk])
    assert batch.status == ImportBatch.Status.STAGED
    assert (batch.counts["rows"], batch.counts["pending"], batch.counts["invalid"], batch.counts["warnings"]) == (
        4,
        3,
        1,
        1,
    )
    page = response.content.decode()
    assert "The birth date is missing." in page
    assert "Commit 3 valid rows" in page
    assert Person.objects.count() == 0
    assert not list((media / "uploads").iterdir())  # the temporary upload is gone; the batch keeps its copy

    response = post_job(client, reverse("imports:commit", args=[batch.pk]), django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.counts["new"], batch.counts["invalid"]) == (3, 1)
    assert Person.objects.count() == 3
    assert ImportRow.objects.get(data_row=3).outcome == ImportRow.Outcome.INVALID  # kept, not dropped
    page = response.content.decode()
    assert reverse("registry:person_list") in page
    assert "Commit 3 valid rows" not in page
    job = Job.objects.get(kind="imports.commit")
    assert job.status == Job.Status.SUCCEEDED and job.result["new"] == 3


def test_the_upload_form_offers_only_the_area_and_preselects_a_commune_officers_commune(
    personas: Personas, world: World
) -> None:
    form = logged_in(personas.police_ba_dinh).get(reverse("imports:upload")).context["form"]
    assert list(form.fields["commune"].queryset) == [world.ba_dinh]
    assert form.initial["commune"] == world.ba_dinh.code
    province_form = logged_in(personas.province_hanoi).get(reverse("imports:upload")).context["form"]
    assert set(province_form.fields["commune"].queryset) == {world.ba_dinh, world.tay_ho}
    assert "commune" not in province_form.initial


def test_a_commune_outside_the_area_is_refused(
    personas: Personas, mixed_list: Path, django_capture_on_commit_callbacks
) -> None:
    response = upload(
        logged_in(personas.police_ba_dinh), mixed_list, django_capture_on_commit_callbacks, commune="00103"
    )
    assert response.context["form"].errors["commune"]
    assert not Job.objects.exists()


def test_a_file_of_another_kind_or_too_big_is_refused_with_a_clear_message(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = logged_in(personas.police_ba_dinh)
    text = SimpleUploadedFile("list.txt", b"Ho va ten\nNguyen Van An\n")
    response = client.post(reverse("imports:upload"), {"file": text, "category": "social_protection"})
    assert "Upload an Excel (.xlsx, .xls) or CSV (.csv) file." in response.context["form"].errors["file"]

    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 10)
    big = SimpleUploadedFile("list.csv", b"Ho va ten,Ngay sinh\nNguyen Van An,1950\n")
    response = client.post(reverse("imports:upload"), {"file": big, "category": "social_protection"})
    assert "the largest file accepted is" in response.context["form"].errors["file"][0]
    assert not Job.objects.exists()


def test_an_unreadable_file_shows_the_reason_and_writes_no_batch(
    personas: Personas, tmp_path: Path, immediate: None, django_capture_on_commit_callbacks, media: Path
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")

    response = upload(logged_in(personas.police_ba_dinh), broken, django_capture_on_commit_callbacks)

    job = Job.objects.get(kind="imports.stage")
    assert job.status == Job.Status.FAILED
    assert "damaged" in job.error
    assert job.error in response.content.decode()
    assert "Nothing was imported." in response.content.decode()
    assert not ImportBatch.objects.exists() and not ImportRow.objects.exists()
    assert not list((media / "uploads").iterdir())


def test_a_commune_officer_of_another_commune_cannot_see_the_batch(personas: Personas, staged: ImportBatch) -> None:
    other = logged_in(personas.police_tay_ho)
    assert other.get(reverse("imports:list")).context["page"].paginator.count == 0
    row = staged.rows.get(data_row=3)
    assert other.get(reverse("imports:batch", args=[staged.pk])).status_code == 404
    assert other.get(reverse("imports:report", args=[staged.pk])).status_code == 404
    assert other.post(reverse("imports:commit", args=[staged.pk])).status_code == 404
    assert other.post(reverse("imports:row_fix", args=[staged.pk, row.pk]), {}).status_code == 404
    assert other.post(reverse("imports:mapping", args=[staged.pk]), {}).status_code == 404
    same = logged_in(personas.culture_ba_dinh)
    assert same.get(reverse("imports:list")).context["page"].paginator.count == 1
    assert same.get(reverse("imports:batch", args=[staged.pk])).status_code == 200


def test_the_auditor_reads_the_batch_but_cannot_commit_or_upload(personas: Personas, staged: ImportBatch) -> None:
    auditor = logged_in(personas.auditor)
    assert auditor.get(reverse("imports:list")).context["page"].paginator.count == 1
    page = auditor.get(reverse("imports:batch", args=[staged.pk]))
    assert page.status_code == 200
    assert "The birth date is missing." in page.content.decode()
    assert reverse("imports:commit", args=[staged.pk]) not in page.content.decode()
    assert auditor.post(reverse("imports:commit", args=[staged.pk])).status_code == 403
    assert auditor.get(reverse("imports:upload")).status_code == 403
    staged.refresh_from_db()
    assert staged.status == ImportBatch.Status.STAGED
    assert logged_in(personas.agent).get(reverse("imports:list")).status_code == 403


def test_the_problems_can_be_filtered_by_level_and_downloaded(personas: Personas, staged: ImportBatch) -> None:
    client = logged_in(personas.police_ba_dinh)
    errors = client.get(
        reverse("imports:batch", args=[staged.pk]),
        {"level": "error"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="problems",
    )
    assert [item["row"].data_row for item in errors.context["rows"]] == [3]
    assert errors.templates[0].name == "imports/_problems.html"
    warnings = client.get(reverse("imports:batch", args=[staged.pk]), {"level": "warning"})
    assert [item["row"].data_row for item in warnings.context["rows"]] == [4]
    assert [p["level"] for p in warnings.context["rows"][0]["problems"]] == ["warning"]
    report = client.get(reverse("imports:report", args=[staged.pk])).content.decode("utf-8-sig").splitlines()
    assert report[0] == "sheet_row,data_row,level,column,message"
    assert "12,3,error,Ngày sinh (C),The birth date is missing." in report


def test_fixing_an_invalid_row_makes_it_committable_and_keeps_the_cells_as_written(
    personas: Personas, staged: ImportBatch, django_capture_on_commit_callbacks
) -> None:
    client = logged_in(personas.police_ba_dinh)
    row = staged.rows.get(data_row=3)
    raw = dict(row.raw)
    prefix = f"row{row.pk}-"
    data = {
        prefix + "full_name": "Phạm Thị Bình",
        prefix + "date_of_birth": "05/03/1941",
        prefix + "commune_code": "00004",
        prefix + "amount": "500000",
    }

    response = client.post(
        reverse("imports:row_fix", args=[staged.pk, row.pk]),
        data,
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"row-{row.pk}",
    )

    assert response.status_code == 200 and response["HX-Trigger"] == "batch-changed"
    row.refresh_from_db()
    assert row.outcome == ImportRow.Outcome.PENDING
    assert row.values["date_of_birth"] == "1941-03-05"
    assert row.raw == raw
    fix = [p for p in row.problems if p["level"] == "fix"]
    assert fix[0]["before"] == {"date_of_birth": None} and fix[0]["after"] == {"date_of_birth": "1941-03-05"}
    assert fix[0]["params"]["user"] == "police_ba_dinh"
    assert not row.has_error
    staged.refresh_from_db()
    assert (staged.counts["pending"], staged.counts["invalid"]) == (4, 0)
    assert AuditEntry.objects.filter(action="fix", object_type="imports.importrow", object_id=str(row.pk)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[staged.pk]))
    binh = Person.objects.get(full_name="Phạm Thị Bình")
    assert (binh.birth_year, binh.birth_month, binh.birth_day) == (1941, 3, 5)


def test_a_fix_that_is_still_wrong_keeps_the_row_invalid_with_the_new_problem(
    personas: Personas, staged: ImportBatch
) -> None:
    client = logged_in(personas.police_ba_dinh)
    row = staged.rows.get(data_row=3)
    response = client.post(
        reverse("imports:row_fix", args=[staged.pk, row.pk]),
        fix_data(staged, row, date_of_birth="31/02/19xx"),
        follow=True,
    )
    row.refresh_from_db()
    assert row.outcome == ImportRow.Outcome.INVALID
    assert [p["code"] for p in row.problems if p["level"] == "error"] == ["birth_date_unreadable"]
    assert "cannot be read as a date" in response.content.decode()
    assert 'value="31/02/19xx"' in response.content.decode()  # the form shows what was typed, to correct it


def test_a_fix_cannot_move_a_row_outside_the_officers_area(personas: Personas, staged: ImportBatch) -> None:
    client = logged_in(personas.police_ba_dinh)
    row = staged.rows.get(data_row=3)
    response = client.post(
        reverse("imports:row_fix", args=[staged.pk, row.pk]),
        fix_data(staged, row, date_of_birth="1941", commune_code="00103"),
        follow=True,
    )
    assert "outside your area" in response.content.decode()
    row.refresh_from_db()
    assert row.outcome == ImportRow.Outcome.INVALID and "date_of_birth" not in row.values


def test_changing_the_mapping_reads_the_kept_file_again_into_the_same_batch(
    personas: Personas, tmp_path: Path, world: World, immediate: None, django_capture_on_commit_callbacks
) -> None:
    # "Sinh" is no header the reader knows: its column is kept unmapped and every row lacks a birth date.
    path = tmp_path / "list.csv"
    path.write_text("Họ và tên,Sinh,Mã xã\nNguyễn Văn An,01/02/1950,00004\nLê Thị Hoa,1948,00004\n", encoding="utf-8")
    client = logged_in(personas.police_ba_dinh)
    upload(client, path, django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert batch.counts["invalid"] == 2
    assert [c["field"] for c in batch.columns] == ["full_name", None, "commune_code"]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Kept as written, not mapped:" in page and "Sinh (B)" in page

    response = post_job(
        client,
        reverse("imports:mapping", args=[batch.pk]),
        django_capture_on_commit_callbacks,
        {"col_0": "full_name", "col_1": "date_of_birth", "col_2": "commune_code"},
    )

    assert ImportBatch.objects.get().pk == batch.pk  # read again in place, not a second batch
    batch.refresh_from_db()
    assert (batch.counts["pending"], batch.counts["invalid"]) == (2, 0)
    assert [c["field"] for c in batch.columns] == ["full_name", "date_of_birth", "commune_code"]
    assert batch.rows.get(data_row=1).values["date_of_birth"] == "1950-02-01"
    assert AuditEntry.objects.filter(action="remap", object_id=str(batch.pk)).exists()
    assert "Commit 2 valid rows" in response.content.decode()


def test_an_unchanged_mapping_or_one_without_a_name_starts_nothing(personas: Personas, staged: ImportBatch) -> None:
    client = logged_in(personas.police_ba_dinh)
    unchanged = {f"col_{c['index']}": c["field"] or "" for c in staged.columns}
    response = client.post(reverse("imports:mapping", args=[staged.pk]), unchanged, follow=True)
    assert "The mapping is unchanged." in response.content.decode()
    nameless = {key: "" if value in ("full_name", "citizen_id") else value for key, value in unchanged.items()}
    response = client.post(reverse("imports:mapping", args=[staged.pk]), nameless, follow=True)
    assert "Map a column to the full name or the ID number." in response.content.decode()
    assert not Job.objects.filter(kind="imports.restage").exists()


def test_a_running_commit_is_shown_and_not_started_twice(
    personas: Personas,
    staged: ImportBatch,
    settings,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not run
    client = logged_in(personas.police_ba_dinh)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[staged.pk]))
    job = Job.objects.get(kind="imports.commit")
    assert job.status == Job.Status.QUEUED

    page = client.get(reverse("imports:batch", args=[staged.pk])).content.decode()
    assert reverse("jobs:progress", args=[job.pk]) in page
    assert "Commit 3 valid rows" not in page
    response = client.post(reverse("imports:commit", args=[staged.pk]), follow=True)
    assert "still running" in response.content.decode()
    assert Job.objects.filter(kind="imports.commit").count() == 1

    tasks.commit_batch.call(job.pk, batch_id=staged.pk)  # what the worker does
    staged.refresh_from_db()
    assert staged.status == ImportBatch.Status.COMMITTED


def test_the_mapping_cannot_be_changed_once_rows_were_fixed_by_hand(personas: Personas, staged: ImportBatch) -> None:
    client = logged_in(personas.police_ba_dinh)
    row = staged.rows.get(data_row=3)
    client.post(reverse("imports:row_fix", args=[staged.pk, row.pk]), fix_data(staged, row, date_of_birth="1941"))
    changed = {f"col_{c['index']}": c["field"] or "" for c in staged.columns} | {"col_6": ""}
    response = client.post(reverse("imports:mapping", args=[staged.pk]), changed, follow=True)
    assert "fixed by hand" in response.content.decode()
    assert not Job.objects.filter(kind="imports.restage").exists()


def test_staging_sends_htmx_on_to_the_batch_once_read(personas: Personas, staged: ImportBatch) -> None:
    job = Job.objects.get(kind="imports.stage")
    response = logged_in(personas.police_ba_dinh).get(reverse("imports:staging", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("imports:batch", args=[staged.pk])
    assert logged_in(personas.police_tay_ho).get(reverse("imports:staging", args=[job.pk])).status_code == 404


def test_rows_of_several_communes_are_shown_by_area_and_committed_only_by_someone_covering_them_all(
    personas: Personas, tmp_path: Path, world: World, immediate: None, django_capture_on_commit_callbacks
) -> None:
    rows = [ROWS[0], ["Trần Văn Hòa", "", "Nam", "", "00103", "", "", 500000, None, None]]
    client = logged_in(personas.police_ba_dinh)
    upload(client, official_xlsx(tmp_path / "two.xlsx", rows), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()

    tay_ho = logged_in(personas.police_tay_ho)
    page = tay_ho.get(reverse("imports:batch", args=[batch.pk]))
    assert [item["row"].data_row for item in page.context["rows"]] == [2]  # not the Ba Đình row
    assert "Nguyễn Thị Lan" not in page.content.decode()
    assert tay_ho.post(reverse("imports:commit", args=[batch.pk])).status_code == 403
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 403  # Tây Hồ is not theirs

    with django_capture_on_commit_callbacks(execute=True):
        logged_in(personas.province_hanoi).post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
