"""Re-matching reports only what changed; whole-area runs; duplicates as their own item; reversed deaths reported."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.audit.models import AuditEntry
from ansinh.registry.models import Benefit, Category, Person
from ansinh.review import selectors
from ansinh.review.case_services import duplicate_case_decide
from ansinh.review.models import Change, Decision, DuplicateCase, MatchResult, MatchRun, RegistryReport
from ansinh.review.services import ReviewError, match_result_decide, match_run_for_area, match_run_for_batch
from tests import factories as f
from tests.conftest import Personas, World
from tests.review.conftest import Batch

pytestmark = pytest.mark.django_db


def _run(committed: Batch, personas: Personas, population: Path | None = None) -> MatchRun:
    return match_run_for_batch(
        user=personas.police_ba_dinh, batch_id=committed.batch.pk, population_path=population or committed.population
    )


def _result(run: MatchRun, person: Person) -> MatchResult:
    return MatchResult.objects.get(run=run, person=person)


def _snapshot_where_lan_died(committed: Batch, tmp_path: Path) -> Path:
    text = committed.population.read_text(encoding="utf-8")
    lan = '"001140001268",,"Nguyễn Thị Lan","1940-03-05","F","01","00004","Tổ 1",'
    assert lan in text
    newer = tmp_path / "population-next-month.csv"
    newer.write_text(text.replace(lan, lan + '"2026-11-01"'), encoding="utf-8")
    return newer


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_second_run_on_the_same_snapshot_changes_nothing_and_keeps_the_decisions(
    committed: Batch, personas: Personas
) -> None:
    first = _run(committed, personas)
    match_result_decide(user=personas.police_ba_dinh, result_id=_result(first, committed.nam).pk, accept=False)
    second = _run(committed, personas)
    assert second.changes == {"unchanged": 4}
    assert _result(second, committed.nam).decision == Decision.REJECTED
    assert _result(second, committed.nam).previous == _result(first, committed.nam)
    # Mai's correction still waits, once: the newer result replaced the older one in the queue.
    assert _result(first, committed.mai).decision == Decision.SUPERSEDED
    queue = selectors.result_queue(user=personas.police_ba_dinh)
    assert sorted(r.person_id for r in queue) == sorted([committed.mai.pk, committed.khai.pk])
    assert set(queue.values_list("run_id", flat=True)) == {second.pk}
    assert not selectors.run_changes(user=personas.police_ba_dinh, run=second).exists()


def test_a_newer_snapshot_lists_only_the_outcomes_that_changed(
    committed: Batch, personas: Personas, tmp_path: Path
) -> None:
    _run(committed, personas)
    second = _run(committed, personas, _snapshot_where_lan_died(committed, tmp_path))
    assert second.changes == {"changed": 1, "unchanged": 3}
    changed = list(selectors.run_changes(user=personas.police_ba_dinh, run=second))
    assert [(r.person_id, r.previous.status if r.previous else None, r.status) for r in changed] == [
        (committed.lan.pk, "verified", "deceased")
    ]
    assert Benefit.objects.get(person=committed.lan).status == Benefit.Status.SUSPENDED
    page = client_for(personas.police_ba_dinh).get(reverse("review:run", args=[second.pk])).content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "Vũ Thị Mai" not in page
    assert "1 changed, 3 unchanged" in page


def test_a_reversed_death_is_written_as_a_correction_to_report_and_not_suspended_again(
    committed: Batch, personas: Personas
) -> None:
    first = _run(committed, personas)
    match_result_decide(user=personas.police_ba_dinh, result_id=_result(first, committed.khai).pk, accept=False)
    report = RegistryReport.objects.get(person=committed.khai)
    assert (report.field, report.registry_value, report.correct_value) == ("date_of_death", "2025-10-01", "")
    assert report.citizen_id == "001135006666"
    assert AuditEntry.objects.filter(object_type="review.registryreport", object_id=str(report.pk)).exists()
    second = _run(committed, personas)
    assert _result(second, committed.khai).decision == Decision.REJECTED
    assert Benefit.objects.get(person=committed.khai).status == Benefit.Status.ACTIVE


def test_a_confirmed_death_writes_no_correction(committed: Batch, personas: Personas) -> None:
    first = _run(committed, personas)
    match_result_decide(user=personas.police_ba_dinh, result_id=_result(first, committed.khai).pk, accept=True)
    assert not RegistryReport.objects.exists()


def test_the_corrections_export_lists_reversed_deaths_of_the_area_only(committed: Batch, personas: Personas) -> None:
    first = _run(committed, personas)
    match_result_decide(user=personas.police_ba_dinh, result_id=_result(first, committed.khai).pk, accept=False)
    response = client_for(personas.police_ba_dinh).get(reverse("review:reports_csv"))
    rows = list(csv.reader(StringIO(response.content.decode("utf-8"))))
    assert rows[0][:3] == ["citizen_id", "field", "registry_value"]
    assert [r[:3] for r in rows[1:]] == [["001135006666", "date_of_death", "2025-10-01"]]
    other = client_for(personas.police_tay_ho).get(reverse("review:reports_csv")).content.decode("utf-8")
    assert "001135006666" not in other
    assert client_for(personas.auditor).get(reverse("review:reports_csv")).status_code == 403


def _duplicate_of_lan(world: World) -> Person:
    """Lan again, on another list without her ID: the import could not tell it was her."""
    twin = f.person("Nguyễn Thị Lan", world.ba_dinh, birth_year=1940, birth_month=3, birth_day=5, sex="F")
    Benefit.objects.create(person=twin, category=Category.SOCIAL_PENSION, monthly_amount=360_000)
    return twin


def test_an_area_run_matches_everyone_of_the_area_whatever_their_list(
    committed: Batch, personas: Personas, world: World
) -> None:
    twin = _duplicate_of_lan(world)
    elsewhere = f.person("Hoàng Văn Nam", world.tay_ho, birth_year=1950, birth_month=11, birth_day=30, sex="M")
    run = match_run_for_area(user=personas.police_ba_dinh, population_path=committed.population)
    assert run.scope == MatchRun.Scope.AREA and run.batch is None
    people = set(MatchResult.objects.filter(run=run).values_list("person_id", flat=True))
    assert people == {committed.lan.pk, committed.mai.pk, committed.nam.pk, committed.khai.pk, twin.pk}
    assert elsewhere.pk not in people


def test_an_area_run_can_be_limited_to_communes_of_the_area(committed: Batch, personas: Personas, world: World) -> None:
    elsewhere = f.person("Hoàng Văn Nam", world.tay_ho, birth_year=1950, birth_month=11, birth_day=30, sex="M")
    run = match_run_for_area(
        user=personas.province_hanoi, population_path=committed.population, commune_codes=[world.tay_ho.code]
    )
    assert list(MatchResult.objects.filter(run=run).values_list("person_id", flat=True)) == [elsewhere.pk]
    assert run.area == world.tay_ho.code
    with pytest.raises(ReviewError):
        match_run_for_area(user=personas.police_tay_ho, population_path=committed.population, commune_codes=["00004"])


def test_two_of_our_people_who_are_one_person_become_one_duplicate_case(
    committed: Batch, personas: Personas, world: World
) -> None:
    twin = _duplicate_of_lan(world)
    run = match_run_for_area(user=personas.police_ba_dinh, population_path=committed.population)
    case = DuplicateCase.objects.get(run=run)
    assert set(case.members.values_list("person_id", flat=True)) == {committed.lan.pk, twin.pk}
    assert case.citizen_id == "001140001268"
    assert list(selectors.duplicate_queue(user=personas.police_ba_dinh)) == [case]
    assert not selectors.duplicate_queue(user=personas.police_tay_ho).exists()
    with pytest.raises(ReviewError):
        duplicate_case_decide(user=personas.auditor, case_id=case.pk, accept=True)
    decided = duplicate_case_decide(user=personas.police_ba_dinh, case_id=case.pk, accept=True)
    assert decided.decision == Decision.ACCEPTED
    assert AuditEntry.objects.filter(object_type="review.duplicatecase", action="accept").exists()
    with pytest.raises(ReviewError):
        duplicate_case_decide(user=personas.police_ba_dinh, case_id=case.pk, accept=False)


def test_the_duplicates_page_shows_the_case_and_decides_it_with_htmx(
    committed: Batch, personas: Personas, world: World
) -> None:
    _duplicate_of_lan(world)
    match_run_for_area(user=personas.police_ba_dinh, population_path=committed.population)
    client = client_for(personas.police_ba_dinh)
    page = client.get(reverse("review:duplicates")).content.decode()
    assert page.count("Nguyễn Thị Lan") >= 2
    case = DuplicateCase.objects.get()
    response = client.post(
        reverse("review:duplicate_decide", args=[case.pk]), {"decision": "reject"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.decision == Decision.REJECTED
    assert (
        client_for(personas.police_tay_ho)
        .post(reverse("review:duplicate_decide", args=[case.pk]), {"decision": "accept"})
        .status_code
        == 404
    )


def test_the_api_starts_an_area_run_and_reports_a_runs_changes(
    committed: Batch, personas: Personas, settings, tmp_path: Path
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.police_ba_dinh)}")
    settings.POPULATION_SNAPSHOT = str(committed.population)
    started = client.post("/api/v1/matching/runs", {}, content_type="application/json")
    assert started.status_code == 202
    _run(committed, personas)
    second = _run(committed, personas, _snapshot_where_lan_died(committed, tmp_path))
    body = client.get(f"/api/v1/matching/runs/{second.pk}").json()
    assert body["changes"] == {"changed": 1, "unchanged": 3}
    assert [(r["person_name"], r["change"], r["previous_status"]) for r in body["changed_results"]] == [
        ("Nguyễn Thị Lan", Change.CHANGED, "verified")
    ]
    hidden = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.police_tay_ho)}")
    assert hidden.get(f"/api/v1/matching/runs/{second.pk}").status_code == 404


def test_the_runs_page_lists_the_areas_runs(committed: Batch, personas: Personas) -> None:
    run = _run(committed, personas)
    page = client_for(personas.police_ba_dinh).get(reverse("review:runs")).content.decode()
    assert reverse("review:run", args=[run.pk]) in page
    assert (
        reverse("review:run", args=[run.pk])
        not in client_for(personas.police_tay_ho).get(reverse("review:runs")).content.decode()
    )


def test_an_officer_starts_an_area_run_from_the_runs_page(committed: Batch, personas: Personas, settings) -> None:
    from ansinh.jobs.models import Job

    client = client_for(personas.police_ba_dinh)
    settings.POPULATION_SNAPSHOT = ""
    assert client.post(reverse("review:area_run_start")).status_code == 409
    settings.POPULATION_SNAPSHOT = str(committed.population)
    response = client.post(reverse("review:area_run_start"))
    job = Job.objects.get(kind="review.match")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert client_for(personas.auditor).post(reverse("review:area_run_start")).status_code == 403


def test_a_rematch_of_more_people_than_one_query_takes_works_in_chunks(
    committed: Batch, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ansinh.review import services

    monkeypatch.setattr(services, "ID_CHUNK", 1)
    first = _run(committed, personas)
    second = _run(committed, personas)
    assert second.changes == {"unchanged": 4}
    assert MatchResult.objects.filter(run=first, decision=Decision.SUPERSEDED).count() == 3
    assert Benefit.objects.get(person=committed.khai).status == Benefit.Status.SUSPENDED
