"""The outbox's periodic work: send what is due every minute, which also runs the retries."""

from __future__ import annotations

from ansinh.jobs.periodic import periodic
from ansinh.outbox.tasks import send_pending_task

periodic("outbox.send_pending", task=send_pending_task, every="minute")
