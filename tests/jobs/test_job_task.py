from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ansinh.jobs.models import Job
from ansinh.jobs.runner import JobFailed, JobProgress, job_task
from ansinh.jobs.services import job_create, jobs_housekeep
from ansinh.jobs.tasks import housekeeping, sleep_demo

SECRET_ID = "001234567890"


@task()
@job_task
def exploding(job: Job, progress: JobProgress) -> None:
    progress(1, 2)
    raise ValueError(f"row 7: ID {SECRET_ID} is not valid")


def test_job_is_enqueued_only_when_its_transaction_commits(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_create(kind="demo", title="Demo", user=personas.national, task=sleep_demo, task_kwargs={"steps": 2})
    assert DBTaskResult.objects.count() == 0
    assert job.status == Job.Status.QUEUED

    for callback in callbacks:
        callback()
    job.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert job.task_result_id == str(queued.pk)
    assert queued.task_path == "ansinh.jobs.tasks.sleep_demo"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {"steps": 2}}


def test_job_in_a_rolled_back_transaction_leaves_nothing_behind(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            job_create(kind="demo", title="Demo", user=personas.national, task=sleep_demo)
            raise RuntimeError("the change failed")
    assert callbacks == []
    assert not Job.objects.exists()


def test_job_arguments_must_be_json(personas):
    with pytest.raises(TypeError):
        job_create(kind="demo", title="Demo", user=personas.national, task=sleep_demo, task_kwargs={"who": personas})


def test_commune_job_is_also_filed_under_its_province(world, personas):
    job = job_create(kind="demo", title="Demo", user=personas.national, task=sleep_demo, commune=world.le_chan)
    assert job.province == world.haiphong


def test_wrapped_task_marks_the_job_running_then_succeeded_with_its_result(personas):
    job = Job.objects.create(kind="demo", title="Demo", created_by=personas.national)

    assert sleep_demo.call(job.pk, steps=5) == {"counted": 5}

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.result == {"counted": 5}
    assert job.started_at is not None
    assert job.finished_at >= job.started_at


def test_failed_job_keeps_the_tasks_own_message_and_the_queue_sees_a_failure(personas):
    job = Job.objects.create(kind="demo", title="Demo", created_by=personas.national)

    with pytest.raises(JobFailed):
        sleep_demo.call(job.pk, steps=5, fail_at=3)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "3" in job.error
    assert job.progress_done == 2
    assert job.finished_at is not None


def test_unexpected_error_is_recorded_without_its_personal_data(personas, caplog):
    job = Job.objects.create(kind="demo", title="Demo", created_by=personas.national)

    with caplog.at_level(logging.INFO), pytest.raises(JobFailed) as raised:
        exploding.call(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ValueError" in job.error
    assert SECRET_ID not in job.error
    assert SECRET_ID not in str(raised.value)
    assert raised.value.__suppress_context__
    assert "ValueError" in caplog.text
    assert "test_job_task.py" in caplog.text  # the stack is logged for the administrator
    assert SECRET_ID not in caplog.text


def test_a_job_runs_only_once(personas):
    job = Job.objects.create(kind="demo", title="Demo", created_by=personas.national)
    sleep_demo.call(job.pk, steps=2)

    assert sleep_demo.call(job.pk, steps=2) is None
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_housekeeping_prunes_old_finished_task_results_and_keeps_the_rest(db):
    old, recent, waiting = (housekeeping.enqueue() for _ in range(3))
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(status="SUCCESSFUL", finished_at=now - timedelta(days=30))
    DBTaskResult.objects.filter(pk=recent.id).update(status="FAILED", finished_at=now - timedelta(days=1))

    assert jobs_housekeep(now=now) == {"task_results": 1, "scheduled_runs": 0}
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {UUID(recent.id), UUID(waiting.id)}
