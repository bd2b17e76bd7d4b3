from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ansinh.jobs.models import Job
from ansinh.jobs.services import job_create
from ansinh.jobs.tasks import sleep_demo

# The worker closes old connections between tasks, as a long-running process must, so these tests
# run outside the test transaction; on_commit callbacks then run as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def test_worker_runs_an_enqueued_job_to_the_end(personas, restore_signals):
    job = job_create(kind="demo", title="Demo", user=personas.national, task=sleep_demo, task_kwargs={"steps": 4})

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (4, 4)
    assert job.result == {"counted": 4}
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"


def test_worker_records_a_failed_job_in_the_job_and_the_queue(personas, restore_signals):
    job = job_create(
        kind="demo", title="Demo", user=personas.national, task=sleep_demo, task_kwargs={"steps": 4, "fail_at": 2}
    )

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.status == "FAILED"
    assert queued.exception_class_path == "ansinh.jobs.runner.JobFailed"
