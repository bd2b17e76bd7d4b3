"""Background work of payments: computing, exporting and reconciling as jobs; telling beneficiaries.

A task fetches by id and calls a service; job titles and errors name the cycle, never a person.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext
from django_tasks import task

from ansinh.access.models import User
from ansinh.jobs.models import Job
from ansinh.jobs.runner import JobError, JobProgress, job_task
from ansinh.jobs.services import job_create
from ansinh.outbox.services import message_enqueue
from ansinh.payments.models import ExportRun, PaymentAttempt, PaymentCycle, ResultImport, month_label

NOTIFY_CHUNK = 500


def _user(job: Job) -> User:
    if job.created_by is None:
        raise JobError(gettext("The user who started this job no longer exists."))
    return job.created_by


@task()
@job_task
def compute_cycle(job: Job, progress: JobProgress, *, cycle_id: int) -> dict[str, Any]:
    from ansinh.payments.services import PaymentError, cycle_compute

    progress(0, message=gettext("Computing the cycle"), force=True)
    try:
        cycle = cycle_compute(user=_user(job), cycle_id=cycle_id)
    except PaymentError as exc:
        raise JobError(str(exc.text)) from None
    return dict(cycle.totals.get("all", {}))


@task()
@job_task
def export_cycle(job: Job, progress: JobProgress, *, cycle_id: int) -> dict[str, Any]:
    from ansinh.payments.exporting import export_run_create
    from ansinh.payments.files import MissingPayingAccount
    from ansinh.payments.services import PaymentError

    progress(0, message=gettext("Writing the payment files"), force=True)
    try:
        run = export_run_create(user=_user(job), cycle_id=cycle_id)
    except PaymentError as exc:
        raise JobError(str(exc.text)) from None
    except MissingPayingAccount:
        raise JobError(gettext("A province of this cycle has no paying account recorded.")) from None
    if run is None:
        return {"run": None, "message": gettext("Nothing new to send.")}
    return {"run": run.number, "attempts": run.attempts_count, "amount": run.total_amount}


@task()
@job_task
def import_results(job: Job, progress: JobProgress, *, cycle_id: int, stored: str, filename: str) -> dict[str, Any]:
    from ansinh.payments.reconcile import result_import
    from ansinh.payments.services import PaymentError

    progress(0, message=gettext("Reading the result file"), force=True)
    with default_storage.open(stored, "rb") as handle:
        content = handle.read()
    try:
        result = result_import(user=_user(job), cycle_id=cycle_id, content=content, filename=filename)
    except PaymentError as exc:
        raise JobError(str(exc.text)) from None
    return {"import": result.pk, "status": result.status, **result.counts}


def _job(*, kind: str, title: str, user: User, cycle: PaymentCycle, job_task: Any, **kwargs: Any) -> Job:
    with transaction.atomic():
        return job_create(
            kind=kind, title=title, user=user, task=job_task, task_kwargs={"cycle_id": cycle.pk, **kwargs},
            province=cycle.province,
        )  # fmt: skip


def compute_job_start(*, user: User, cycle: PaymentCycle) -> Job:
    title = gettext("Computing cycle %(name)s") % {"name": cycle.name}
    return _job(kind="payments.compute", title=title, user=user, cycle=cycle, job_task=compute_cycle)


def export_job_start(*, user: User, cycle: PaymentCycle) -> Job:
    title = gettext("Payment files of cycle %(name)s") % {"name": cycle.name}
    return _job(kind="payments.export", title=title, user=user, cycle=cycle, job_task=export_cycle)


def import_job_start(*, user: User, cycle: PaymentCycle, content: bytes, filename: str) -> Job:
    stored = default_storage.save(f"payments/cycle-{cycle.pk}/results/{filename[-100:]}", ContentFile(content))
    title = gettext("Bank results for cycle %(name)s") % {"name": cycle.name}
    return _job(
        kind="payments.results", title=title, user=user, cycle=cycle, job_task=import_results,
        stored=stored, filename=filename,
    )  # fmt: skip


# -- telling beneficiaries --------------------------------------------------------------------------


def _body(outcome: str, amount: int, period: str) -> str:
    figures = f"{amount:,}".replace(",", ".")
    if outcome == "sent":
        return gettext("Your allowance for %(period)s, %(amount)s VND, has been sent.") % {
            "period": period,
            "amount": figures,
        }
    return gettext(
        "Your allowance for %(period)s, %(amount)s VND, could not be paid to your account. "
        "The commune office will contact you."
    ) % {"period": period, "amount": figures}


def attempts_notify(*, attempts: Any, outcome: str, progress: JobProgress | None = None) -> int:
    """Queue one SMS per attempt to beneficiaries with a phone; dedupe keys make a rerun harmless."""
    rows = attempts.exclude(payment__person__phone="").values_list(
        "pk", "amount", "payment__person__phone", "payment__month", "payment__occasion"
    )
    queued = 0
    batch: list[tuple[int, int, str, int | None, str]] = []

    def flush() -> None:
        nonlocal queued
        with transaction.atomic():
            for pk, amount, phone, month, occasion in batch:
                message_enqueue(
                    channel="sms",
                    recipient=phone,
                    body=_body(outcome, amount, month_label(month) if month else occasion),
                    related=("payments.paymentattempt", pk),
                    dedupe_key=f"payment-attempt:{pk}:{outcome}",
                )
        queued += len(batch)
        batch.clear()
        if progress is not None:
            progress(queued)

    for row in rows.iterator(chunk_size=5000):
        batch.append(row)
        if len(batch) >= NOTIFY_CHUNK:
            flush()
    if batch:
        flush()
    return queued


@task()
@job_task
def notify(job: Job, progress: JobProgress, *, run_id: int = 0, import_id: int = 0) -> dict[str, Any]:
    if run_id:
        attempts = PaymentAttempt.objects.filter(export_run_id=run_id)
        return {"queued": attempts_notify(attempts=attempts, outcome="sent", progress=progress)}
    attempts = PaymentAttempt.objects.filter(result_import_id=import_id, status=PaymentAttempt.Status.FAILED)
    return {"queued": attempts_notify(attempts=attempts, outcome="failed", progress=progress)}


def notify_job_start(*, user: User, run: ExportRun, outcome: str) -> Job:
    """Called inside the export's transaction: the job exists exactly when the run does."""
    return job_create(
        kind="payments.notify",
        title=gettext("Messages for export run %(number)d") % {"number": run.number},
        user=user,
        task=notify,
        task_kwargs={"run_id": run.pk},
    )


def notify_failed_job_start(*, user: User, result: ResultImport) -> Job:
    return job_create(
        kind="payments.notify",
        title=gettext("Messages for failed transfers"),
        user=user,
        task=notify,
        task_kwargs={"import_id": result.pk},
    )
