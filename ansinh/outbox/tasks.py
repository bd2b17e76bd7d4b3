"""The outbox's task: send what is due, in batches, until nothing due is left."""

from __future__ import annotations

from django_tasks import task

from ansinh.outbox import services

BATCH = 100


@task()
def send_pending_task() -> dict[str, int]:
    total = services.SendSummary()
    while True:
        summary = services.outbox_send_pending(limit=BATCH)
        for field in ("claimed", "sent", "retrying", "failed"):
            setattr(total, field, getattr(total, field) + getattr(summary, field))
        if summary.claimed < BATCH:
            return total.as_dict()
