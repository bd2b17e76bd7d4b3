from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.audit.models import AuditEntry
from ansinh.imports.models import ProposedChange
from ansinh.registry.models import Benefit, Person
from ansinh.review.models import MatchResult, MatchRun
from ansinh.review.services import (
    DEATH_CONFIRMED_REASON,
    ReviewError,
    match_result_decide,
    match_run_for_batch,
)
from tests.conftest import Personas, World
from tests.review.conftest import Batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(committed: Batch, personas: Personas) -> MatchRun:
    return match_run_for_batch(
        user=personas.police_ba_dinh, batch_id=committed.batch.pk, population_path=committed.population
    )


def result_of(run: MatchRun, person: Person) -> MatchResult:
    return MatchResult.objects.get(run=run, person=person)


def test_accepting_a_correction_updates_the_person_and_records_an_accepted_change(
    run: MatchRun, committed: Batch, personas: Personas
) -> None:
    match_result_decide(user=personas.culture_ba_dinh, result_id=result_of(run, committed.mai).pk, accept=True)
    mai = Person.objects.get(pk=committed.mai.pk)
    assert (mai.birth_year, mai.birth_month, mai.birth_day) == (1945, 2, 10)
    change = ProposedChange.objects.get(person=mai)
    assert (change.field, change.current_value, change.proposed_value) == ("date_of_birth", "1945-10-02", "1945-02-10")
    assert change.status == ProposedChange.Status.ACCEPTED
    assert result_of(run, committed.mai).decision == MatchResult.Decision.ACCEPTED
    assert AuditEntry.objects.filter(object_type="registry.person", object_id=str(mai.pk), action="update").exists()
    assert AuditEntry.objects.filter(object_type="review.matchresult", action="accept").count() == 1


def test_accepting_a_move_hands_the_person_to_the_new_commune_with_benefits_still_active(
    run: MatchRun, committed: Batch, personas: Personas, world: World
) -> None:
    match_result_decide(user=personas.police_ba_dinh, result_id=result_of(run, committed.nam).pk, accept=True)
    assert Person.objects.get(pk=committed.nam.pk).commune == world.tay_ho
    assert Benefit.objects.get(person=committed.nam).status == Benefit.Status.ACTIVE
    assert ProposedChange.objects.get(person=committed.nam).field == "commune_id"


def test_accepting_a_move_to_a_commune_outside_the_system_suspends_the_benefits(
    run: MatchRun, committed: Batch, personas: Personas, world: World
) -> None:
    result = result_of(run, committed.nam)
    result.registry = {**result.registry, "commune_code": "99999"}
    result.save()
    match_result_decide(user=personas.police_ba_dinh, result_id=result.pk, accept=True)
    assert Person.objects.get(pk=committed.nam.pk).commune == world.ba_dinh
    assert Benefit.objects.get(person=committed.nam).status == Benefit.Status.SUSPENDED


def test_rejecting_a_correction_leaves_the_person_as_they_were(
    run: MatchRun, committed: Batch, personas: Personas
) -> None:
    match_result_decide(user=personas.culture_ba_dinh, result_id=result_of(run, committed.mai).pk, accept=False)
    assert Person.objects.get(pk=committed.mai.pk).birth_month == 10
    assert not ProposedChange.objects.exists()
    assert result_of(run, committed.mai).decision == MatchResult.Decision.REJECTED


def test_confirming_a_death_ends_the_suspended_benefits(run: MatchRun, committed: Batch, personas: Personas) -> None:
    match_result_decide(user=personas.police_ba_dinh, result_id=result_of(run, committed.khai).pk, accept=True)
    benefit = Benefit.objects.get(person=committed.khai)
    assert (benefit.status, benefit.status_reason) == (Benefit.Status.ENDED, DEATH_CONFIRMED_REASON)
    assert AuditEntry.objects.filter(object_type="registry.benefit", object_id=str(benefit.pk), action="end").exists()


def test_rejecting_a_death_makes_the_benefits_active_again(run: MatchRun, committed: Batch, personas: Personas) -> None:
    match_result_decide(user=personas.police_ba_dinh, result_id=result_of(run, committed.khai).pk, accept=False)
    benefit = Benefit.objects.get(person=committed.khai)
    assert (benefit.status, benefit.status_reason) == (Benefit.Status.ACTIVE, "")


def test_a_result_is_decided_only_once(run: MatchRun, committed: Batch, personas: Personas) -> None:
    pk = result_of(run, committed.khai).pk
    match_result_decide(user=personas.police_ba_dinh, result_id=pk, accept=True)
    with pytest.raises(ReviewError):
        match_result_decide(user=personas.culture_ba_dinh, result_id=pk, accept=False)
    assert Benefit.objects.get(person=committed.khai).status == Benefit.Status.ENDED


def test_an_officer_of_another_commune_cannot_decide(run: MatchRun, committed: Batch, personas: Personas) -> None:
    with pytest.raises(ReviewError):
        match_result_decide(user=personas.police_tay_ho, result_id=result_of(run, committed.khai).pk, accept=False)
    assert Benefit.objects.get(person=committed.khai).status == Benefit.Status.SUSPENDED


def test_the_auditor_cannot_decide(run: MatchRun, committed: Batch, personas: Personas) -> None:
    with pytest.raises(ReviewError):
        match_result_decide(user=personas.auditor, result_id=result_of(run, committed.khai).pk, accept=False)
    assert result_of(run, committed.khai).decision == MatchResult.Decision.PENDING


# -- the pages ----------------------------------------------------------------------------------------------


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_queue_shows_the_communes_results_side_by_side(run: MatchRun, committed: Batch, personas: Personas) -> None:
    page = client_for(personas.police_ba_dinh).get(reverse("review:queue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vũ Thị Mai" in text and "Đỗ Văn Khải" in text
    assert "Nguyễn Thị Lan" not in text  # verified: nothing to decide
    assert "02/10/1945" in text and "10/02/1945" in text
    assert reverse("review:decide", args=[result_of(run, committed.khai).pk]) in text


def test_the_queue_filters_by_status(run: MatchRun, committed: Batch, personas: Personas) -> None:
    page = client_for(personas.police_ba_dinh).get(reverse("review:queue"), {"status": "deceased"})
    text = page.content.decode()
    assert "Đỗ Văn Khải" in text and "Vũ Thị Mai" not in text


def test_an_officer_of_another_commune_sees_nothing_and_cannot_post(
    run: MatchRun, committed: Batch, personas: Personas
) -> None:
    client = client_for(personas.police_tay_ho)
    assert "Đỗ Văn Khải" not in client.get(reverse("review:queue")).content.decode()
    pk = result_of(run, committed.khai).pk
    response = client.post(reverse("review:decide", args=[pk]), {"decision": "reject"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert result_of(run, committed.khai).decision == MatchResult.Decision.PENDING


def test_the_auditor_reads_the_queue_with_masked_numbers_but_cannot_post(
    run: MatchRun, committed: Batch, personas: Personas
) -> None:
    client = client_for(personas.auditor)
    text = client.get(reverse("review:queue")).content.decode()
    assert "Đỗ Văn Khải" in text
    assert "001135006666" not in text
    pk = result_of(run, committed.khai).pk
    assert reverse("review:decide", args=[pk]) not in text
    assert client.post(reverse("review:decide", args=[pk]), {"decision": "accept"}).status_code == 403
    assert result_of(run, committed.khai).decision == MatchResult.Decision.PENDING


def test_one_htmx_post_decides_and_returns_the_row(run: MatchRun, committed: Batch, personas: Personas) -> None:
    pk = result_of(run, committed.khai).pk
    response = client_for(personas.police_ba_dinh).post(
        reverse("review:decide", args=[pk]), {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="result-{pk}"' in response.content.decode()
    assert Benefit.objects.get(person=committed.khai).status == Benefit.Status.ENDED


def test_a_payment_agent_cannot_open_the_queue(personas: Personas) -> None:
    assert client_for(personas.agent).get(reverse("review:queue")).status_code == 403
