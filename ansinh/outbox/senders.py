"""Pluggable senders: one per channel, chosen by settings (OUTBOX_SMS_SENDER, OUTBOX_EMAIL_SENDER, ...).

A sender delivers one message or raises `SendError`, whose text is stored and may be logged, so it
names what failed and never the recipient or the body. A sender for a new gateway is a class with
`send(message)` and a no-argument constructor, named by its dotted path in the setting.
"""

from __future__ import annotations

import json
import smtplib
import sys
from pathlib import Path
from typing import Protocol, TextIO

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string

from ansinh.outbox.models import Message

DEFAULT_SENDER = "ansinh.outbox.senders.FileSender"
SMTP_TIMEOUT = 30  # seconds; Django's default is to wait forever


class SendError(Exception):
    """Delivery failed. `permanent` failures (a refused address) are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


class FileSender:
    """Appends one JSON line per message to `<OUTBOX_FILE_DIR>/<channel>.jsonl`.

    The local stand-in for an SMS gateway or mail server: what would have gone out can be read
    (and tested) there. The file holds personal data and lives under the var directory.
    """

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else Path(settings.OUTBOX_FILE_DIR)

    def path_for(self, channel: str) -> Path:
        return self.directory / f"{channel}.jsonl"

    def send(self, message: Message) -> None:
        record = {
            "id": message.pk,
            "channel": message.channel,
            "recipient": message.recipient,
            "subject": message.subject,
            "body": message.body,
            "related": [message.related_type, message.related_id] if message.related_type else None,
            "written_at": timezone.now().isoformat(),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # One write of one line in append mode, so lines from two workers do not interleave.
            with self.path_for(message.channel).open("a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError as exc:
            raise SendError(f"cannot write the outbox file ({exc.strerror})") from exc


class ConsoleSender:
    """Writes each message to standard output, for a developer watching `make run`.

    Deliberately not through logging: application logs must not carry phone numbers or addresses.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: Message) -> None:
        stream = self.stream or sys.stdout
        lines = [f"--- {message.channel} #{message.pk} to {message.recipient}"]
        if message.subject:
            lines.append(f"Subject: {message.subject}")
        lines += [message.body, "---", ""]
        stream.write("\n".join(lines))
        stream.flush()


class SmtpSender:
    """Sends email through the SMTP server in settings (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ...).

    Always SMTP, whatever EMAIL_BACKEND says, so that choosing this sender means real delivery.
    """

    def send(self, message: Message) -> None:
        if message.channel != Message.Channel.EMAIL:
            raise SendError(f"the SMTP sender cannot send {message.channel} messages", permanent=True)
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", fail_silently=False, timeout=SMTP_TIMEOUT
        )
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            connection=connection,
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError("the SMTP server refused the recipient", permanent=True) from exc
        except smtplib.SMTPResponseException as exc:
            # 5xx is a final answer from the server; 4xx and connection trouble are worth a retry.
            raise SendError(f"the SMTP server answered {exc.smtp_code}", permanent=exc.smtp_code >= 500) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP delivery failed ({type(exc).__name__})") from exc


def sender_for(channel: str) -> Sender:
    """The sender configured for `channel` (setting OUTBOX_<CHANNEL>_SENDER, default `FileSender`)."""
    path = getattr(settings, f"OUTBOX_{channel.upper()}_SENDER", DEFAULT_SENDER) or DEFAULT_SENDER
    sender: Sender = import_string(path)()
    return sender
