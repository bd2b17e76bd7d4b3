"""Writes for the outbox: queue a message with the change that causes it; send what is pending.

Delivery is at least once: a message is claimed by one worker (a conditional UPDATE), sent, then
marked. A worker that dies between sending and marking leaves the message "sending"; after
`STALE_CLAIM` it is sent again, since a repeated notice does less harm than a lost one.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from ansinh.lib.logredact import redact
from ansinh.outbox.models import Message
from ansinh.outbox.senders import Sender, SendError, sender_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Waits after the 1st, 2nd, 3rd and 4th failed attempt.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
STALE_CLAIM = timedelta(minutes=15)

Related = models.Model | tuple[str, str | int] | None


class OutsideTransactionError(RuntimeError):
    """message_enqueue was called in autocommit mode, so the message would not commit with its cause."""


def message_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    related: Related = None,
    dedupe_key: str | None = None,
) -> Message:
    """Queue a message in the caller's transaction and send it once that transaction commits.

    Call it inside the `transaction.atomic()` that makes the change the message is about, so the
    message exists exactly when the change does. `related` is the object it is about (a model
    instance or an (object type, id) pair). With a `dedupe_key` ("payment:123:paid"), a second call
    returns the message already queued instead of adding one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransactionError("message_enqueue must be called inside the transaction of the change")
    channel = Message.Channel(channel).value
    recipient = recipient.strip()
    if not recipient:
        raise ValueError("a message needs a recipient")
    if dedupe_key is not None:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    related_type, related_id = _related(related)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                channel=channel,
                recipient=recipient,
                subject=unicodedata.normalize("NFC", subject.strip())[:200],
                body=unicodedata.normalize("NFC", body),
                related_type=related_type,
                related_id=related_id,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        # Another transaction queued the same dedupe key between our look and our insert.
        existing = Message.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    _send_after_commit()
    return message


def _related(related: Related) -> tuple[str, str]:
    if related is None:
        return "", ""
    if isinstance(related, models.Model):
        return related._meta.label_lower, str(related.pk)
    object_type, object_id = related
    return object_type, str(object_id)


def _send_after_commit() -> None:
    # One send task per transaction, however many messages it queues.
    connection = transaction.get_connection()
    if any(callback is _enqueue_send for _, callback, _ in connection.run_on_commit):
        return
    # Robust: a queue hiccup must not fail the request whose change is already committed; the
    # scheduler's minutely send picks the message up anyway.
    transaction.on_commit(_enqueue_send, robust=True)


def _enqueue_send() -> None:
    from ansinh.outbox.tasks import send_pending_task

    send_pending_task.enqueue()


def message_claim(*, message_id: int, now: datetime | None = None) -> bool:
    """Take a pending message for sending; False when another worker took it first."""
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.PENDING).update(
        status=Message.Status.SENDING, claimed_at=now or timezone.now(), attempts=F("attempts") + 1
    )
    return claimed == 1


@dataclass
class SendSummary:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def outbox_send_pending(*, limit: int = 100, now: datetime | None = None) -> SendSummary:
    """Send up to `limit` due messages through their channel's sender; retry failures with backoff."""
    now = now or timezone.now()
    summary = SendSummary()
    _release_stale_claims(now)
    due = (
        Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    senders: dict[str, Sender] = {}
    for message_id in list(due):
        if not message_claim(message_id=message_id, now=now):
            continue
        summary.claimed += 1
        message = Message.objects.get(pk=message_id)
        try:
            if message.channel not in senders:
                senders[message.channel] = sender_for(message.channel)
            senders[message.channel].send(message)
        except SendError as exc:
            outcome = _record_failure(message, str(exc), permanent=exc.permanent)
        except Exception as exc:
            # A bug in a sender: its message may quote the recipient, so only the class is kept.
            outcome = _record_failure(message, f"unexpected sender error ({type(exc).__name__})", permanent=False)
        else:
            Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
                status=Message.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            summary.sent += 1
            continue
        if outcome == Message.Status.FAILED:
            summary.failed += 1
        else:
            summary.retrying += 1
    if summary.claimed:
        logger.info("outbox: %d sent, %d to retry, %d failed", summary.sent, summary.retrying, summary.failed)
    return summary


def _record_failure(message: Message, error: str, *, permanent: bool) -> str:
    error = redact(error)[:300]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = Message.Status.FAILED, message.next_attempt_at
    else:
        delay = RETRY_DELAYS[min(message.attempts, len(RETRY_DELAYS)) - 1]
        status, next_attempt_at = Message.Status.PENDING, timezone.now() + delay
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=status, last_error=error, next_attempt_at=next_attempt_at
    )
    logger.warning(
        "outbox: %s attempt %d failed (%s): %s",
        message,
        message.attempts,
        "final" if status == "failed" else "retry",
        error,
    )
    return status


def _release_stale_claims(now: datetime) -> None:
    stale = Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    released = stale.update(status=Message.Status.PENDING, next_attempt_at=now)
    if released:
        logger.warning("outbox: %d messages left sending by a stopped worker are queued again", released)
