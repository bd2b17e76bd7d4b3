"""Background tasks of voluntary social insurance."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ansinh.insurance.reminders import reminders_send


@task()
def reminders_send_task() -> dict[str, int]:
    return reminders_send(today=timezone.localdate()).as_dict()
