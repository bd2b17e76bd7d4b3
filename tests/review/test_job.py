from __future__ import annotations

import pytest

from ansinh.jobs.models import Job
from ansinh.registry.models import Benefit
from ansinh.review.models import MatchRun
from ansinh.review.tasks import match_job_start
from tests.conftest import Personas
from tests.review.conftest import Batch

pytestmark = pytest.mark.django_db


def test_a_run_started_as_a_job_fills_the_queue_and_reports_its_counts(  # type: ignore[no-untyped-def]
    committed: Batch, personas: Personas, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = match_job_start(user=personas.police_ba_dinh, batch=committed.batch, population_path=committed.population)
    job = Job.objects.get(pk=job.pk)
    run = MatchRun.objects.get()
    assert job.result == {"run_id": run.pk, **run.counts}
    assert Benefit.objects.get(person=committed.khai).status == Benefit.Status.SUSPENDED


def test_a_missing_snapshot_fails_the_job_without_a_run(  # type: ignore[no-untyped-def]
    committed: Batch, personas: Personas, settings, django_capture_on_commit_callbacks, tmp_path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = match_job_start(
            user=personas.police_ba_dinh, batch=committed.batch, population_path=tmp_path / "none.csv"
        )
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert not MatchRun.objects.exists()
