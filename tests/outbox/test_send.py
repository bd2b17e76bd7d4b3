from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from ansinh.outbox.models import Message
from ansinh.outbox.senders import ConsoleSender, SendError
from ansinh.outbox.services import MAX_ATTEMPTS, message_claim, message_enqueue, outbox_send_pending
from ansinh.outbox.tasks import send_pending_task
from tests.outbox.conftest import read_lines

PHONE = "0912345678"
BODY = "Bà Nguyễn Thị Lan ơi, kỳ chi trả tháng 7 bắt đầu ngày 10/7 tại bưu điện xã."


class GatewayDown:
    def send(self, message: Message) -> None:
        raise SendError("the SMS gateway did not answer")


class NumberRefused:
    def send(self, message: Message) -> None:
        raise SendError("the SMS gateway refused the number", permanent=True)


class LeakySender:
    """A buggy sender whose exception quotes the recipient."""

    def send(self, message: Message) -> None:
        raise RuntimeError(f"cannot reach {message.recipient}")


def queue(channel: str = "sms", recipient: str = PHONE) -> Message:
    with transaction.atomic():
        return message_enqueue(channel=channel, recipient=recipient, body=BODY, subject="Thông báo")


def test_pending_sms_is_written_to_the_sms_file_and_marked_sent(db, outbox_dir):
    message = queue()

    summary = outbox_send_pending()

    assert (summary.sent, summary.retrying, summary.failed) == (1, 0, 0)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    [line] = read_lines(outbox_dir / "sms.jsonl")
    assert line["recipient"] == PHONE
    assert line["body"] == BODY
    assert line["id"] == message.pk


def test_each_channel_goes_to_its_own_file(db, outbox_dir):
    queue()
    queue(channel="email", recipient="lan@example.test")
    outbox_send_pending()
    assert len(read_lines(outbox_dir / "sms.jsonl")) == 1
    assert read_lines(outbox_dir / "email.jsonl")[0]["recipient"] == "lan@example.test"


def test_a_failed_send_is_retried_later_with_growing_waits(db, settings):
    settings.OUTBOX_SMS_SENDER = "tests.outbox.test_send.GatewayDown"
    message = queue()
    start = timezone.now()

    assert outbox_send_pending(now=start).retrying == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "the SMS gateway did not answer"
    first_wait = message.next_attempt_at - start
    assert first_wait >= timedelta(seconds=50)

    assert outbox_send_pending(now=start).claimed == 0  # not due yet
    assert outbox_send_pending(now=message.next_attempt_at).retrying == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - timezone.now() > first_wait


def test_a_message_fails_for_good_after_the_last_attempt(db, settings):
    settings.OUTBOX_SMS_SENDER = "tests.outbox.test_send.GatewayDown"
    message = queue()
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(days=1)
        outbox_send_pending(now=later)

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert outbox_send_pending(now=later + timedelta(days=1)).claimed == 0


def test_a_refused_number_is_not_retried(db, settings):
    settings.OUTBOX_SMS_SENDER = "tests.outbox.test_send.NumberRefused"
    message = queue()
    assert outbox_send_pending().failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 1)


def test_a_message_can_be_claimed_by_one_worker_only(db):
    message = queue()
    assert message_claim(message_id=message.pk) is True
    assert message_claim(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENDING, 1)


def test_two_workers_never_send_one_message_twice(db, outbox_dir):
    taken = queue()
    free = queue(recipient="0987654321")
    # Worker A has claimed the first message and is still sending it when worker B runs.
    assert message_claim(message_id=taken.pk)

    summary_b = outbox_send_pending()
    summary_again = outbox_send_pending()

    assert (summary_b.claimed, summary_again.claimed) == (1, 0)
    assert [line["id"] for line in read_lines(outbox_dir / "sms.jsonl")] == [free.pk]


def test_a_message_left_sending_by_a_stopped_worker_is_sent_again(db, outbox_dir):
    message = queue()
    message_claim(message_id=message.pk, now=timezone.now() - timedelta(hours=1))

    assert outbox_send_pending().sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 2)


def test_sender_errors_and_logs_never_carry_the_recipient(db, settings, caplog):
    settings.OUTBOX_SMS_SENDER = "tests.outbox.test_send.LeakySender"
    message = queue()

    with caplog.at_level(logging.DEBUG):
        outbox_send_pending()

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert "RuntimeError" in message.last_error
    assert PHONE not in message.last_error
    assert caplog.records
    assert PHONE not in caplog.text
    assert BODY not in caplog.text


def test_console_sender_writes_to_its_stream_and_not_to_the_log(db, caplog):
    message = queue()
    stream = io.StringIO()
    with caplog.at_level(logging.DEBUG):
        ConsoleSender(stream=stream).send(message)
    assert PHONE in stream.getvalue()
    assert BODY in stream.getvalue()
    assert PHONE not in caplog.text


def test_the_send_task_sends_everything_due(db, outbox_dir):
    for number in ("0911111111", "0922222222", "0933333333"):
        queue(recipient=number)
    assert send_pending_task.call() == {"claimed": 3, "sent": 3, "retrying": 0, "failed": 0}
    assert len(read_lines(outbox_dir / "sms.jsonl")) == 3


def test_an_unwritable_outbox_directory_is_a_send_error(db, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.OUTBOX_FILE_DIR = blocker
    message = queue()
    assert outbox_send_pending().retrying == 1
    message.refresh_from_db()
    assert message.last_error.startswith("cannot write the outbox file")


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_each_channel_uses_the_sender_named_in_settings(db, settings, channel):
    setattr(settings, f"OUTBOX_{channel.upper()}_SENDER", "tests.outbox.test_send.NumberRefused")
    queue(channel=channel, recipient=PHONE if channel == "sms" else "lan@example.test")
    assert outbox_send_pending().failed == 1
