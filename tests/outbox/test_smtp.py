from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from ansinh.outbox.models import Message
from ansinh.outbox.services import message_enqueue, outbox_send_pending

SUBJECT = "Thông báo kỳ chi trả tháng 7"
BODY = "Kính gửi bà Nguyễn Thị Lan,\nkhoản trợ cấp xã hội tháng 7 của bà đã được chuyển. Trân trọng!"
REFUSED = "nobody@example.test"


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox(settings) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "ansinh@example.test"
    settings.OUTBOX_EMAIL_SENDER = "ansinh.outbox.senders.SmtpSender"
    try:
        yield handler
    finally:
        controller.stop()


def queue_email(recipient: str) -> Message:
    with transaction.atomic():
        return message_enqueue(channel="email", recipient=recipient, subject=SUBJECT, body=BODY)


def test_smtp_sender_delivers_vietnamese_text_intact(db, inbox):
    message = queue_email("lan@example.test")

    assert outbox_send_pending().sent == 1

    [(recipients, received)] = inbox.received
    assert recipients == ["lan@example.test"]
    assert received["Subject"] == SUBJECT
    assert received["From"] == "ansinh@example.test"
    assert received.get_content().replace("\r\n", "\n").strip() == BODY  # SMTP carries CRLF line ends
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_refused_address_fails_without_retry_and_without_naming_it(db, inbox):
    message = queue_email(REFUSED)

    assert outbox_send_pending().failed == 1

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert REFUSED not in message.last_error
    assert inbox.received == []


def test_an_unreachable_smtp_server_is_retried(db, settings):
    settings.OUTBOX_EMAIL_SENDER = "ansinh.outbox.senders.SmtpSender"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    message = queue_email("lan@example.test")

    assert outbox_send_pending().retrying == 1

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert "SMTP" in message.last_error
