from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from ansinh.jobs import runner, services
from ansinh.jobs.models import Job
from ansinh.jobs.runner import JobProgress, job_progress


@pytest.fixture
def running_job(world, personas) -> Job:
    return Job.objects.create(
        kind="demo",
        title="Đếm thử",
        created_by=personas.culture_ba_dinh,
        commune=world.ba_dinh,
        province=world.hanoi,
        status=Job.Status.RUNNING,
    )


@pytest.fixture
def monotonic(monkeypatch):
    clock = SimpleNamespace(value=100.0)
    monkeypatch.setattr(runner, "time", SimpleNamespace(monotonic=lambda: clock.value))
    return clock


def test_progress_is_written_at_most_twice_a_second_but_the_end_always(running_job, monotonic):
    progress = JobProgress(running_job.pk)

    assert progress(0, 10) is True
    assert progress(3) is False
    running_job.refresh_from_db()
    assert (running_job.progress_done, running_job.progress_total) == (0, 10)

    monotonic.value += 0.6
    assert progress(5, message="Đang đọc") is True
    assert progress(10) is True  # reaching the total is written at once
    running_job.refresh_from_db()
    assert (running_job.progress_done, running_job.progress_total, running_job.message) == (10, 10, "Đang đọc")


def test_forced_progress_is_written_even_within_the_interval(running_job, monotonic):
    progress = JobProgress(running_job.pk)
    progress(1, 10)
    assert progress(2, force=True) is True
    running_job.refresh_from_db()
    assert running_job.progress_done == 2


def test_progress_by_job_id_is_throttled_per_job(running_job, monotonic):
    assert job_progress(running_job.pk, 1, 4) is True
    assert job_progress(running_job.pk, 2) is False
    assert job_progress(running_job.pk, 4) is True
    running_job.refresh_from_db()
    assert running_job.progress_done == 4
    assert running_job.percent == 100


def test_progress_of_a_finished_job_is_not_overwritten(running_job):
    services.job_succeed(job_id=running_job.pk, result={"rows": 3})
    services.job_progress_save(job_id=running_job.pk, done=1, total=9)
    running_job.refresh_from_db()
    assert running_job.progress_total == 0
    assert running_job.status == Job.Status.SUCCEEDED


def test_progress_partial_polls_while_running_and_stops_when_done(client, personas, running_job):
    services.job_progress_save(job_id=running_job.pk, done=3, total=10)
    client.force_login(personas.culture_ba_dinh)
    url = reverse("jobs:progress", args=[running_job.pk])

    running = client.get(url)
    assert running.status_code == 200
    assert 'hx-trigger="every 1s"' in running.text
    assert '<progress max="100" value="30"' in running.text
    assert "HX-Trigger" not in running.headers

    services.job_succeed(job_id=running_job.pk, result={})
    finished = client.get(url)
    assert finished.status_code == 200
    assert "hx-trigger" not in finished.text
    assert '<progress max="100" value="100"' in finished.text
    assert finished.headers["HX-Trigger"] == "job-finished"


def test_queued_job_with_no_known_total_shows_a_moving_bar(client, personas, running_job):
    Job.objects.filter(pk=running_job.pk).update(status=Job.Status.QUEUED)
    client.force_login(personas.culture_ba_dinh)
    response = client.get(reverse("jobs:progress", args=[running_job.pk]))
    assert '<progress aria-label="' in response.text
    assert 'hx-trigger="every 1s"' in response.text


def test_failed_job_shows_its_error_and_stops_polling(client, personas, running_job):
    services.job_fail(job_id=running_job.pk, error="Tệp không đúng mẫu.")
    client.force_login(personas.culture_ba_dinh)
    response = client.get(reverse("jobs:progress", args=[running_job.pk]))
    assert "Tệp không đúng mẫu." in response.text
    assert "hx-trigger" not in response.text


def test_detail_page_includes_the_progress_partial(client, personas, running_job):
    client.force_login(personas.culture_ba_dinh)
    response = client.get(reverse("jobs:detail", args=[running_job.pk]))
    assert response.status_code == 200
    assert f'id="job-progress-{running_job.pk}"' in response.text
    assert "Đếm thử" in response.text
