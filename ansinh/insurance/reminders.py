"""Reminders through the outbox: before a payment deadline, and once after a missed one.

Idempotent by construction: a `Reminder` row per participant, period and kind (unique), written in the
same transaction as its message, whose dedupe key is the same triple; a rerun finds both and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ansinh.audit.services import AuditEvent, audit_record
from ansinh.insurance import rules
from ansinh.insurance.models import Participant, Reminder
from ansinh.insurance.selectors import deadline_window
from ansinh.outbox.services import message_enqueue

DAYS_BEFORE = 10  # the "before" reminder goes out this many days before the deadline, or later
MISSED_WITHIN = 2  # months after a missed deadline in which the "missed" reminder still goes out


@dataclass
class ReminderSummary:
    before: int = 0
    missed: int = 0
    lapsed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"before": self.before, "missed": self.missed, "lapsed": self.lapsed}


def _body(kind: str, participant: Participant, start: int, deadline: dt.date) -> str:
    # Sent in Vietnamese, the language of every letter the system sends.
    months = rules.PERIOD_MONTHS[rules.PaymentMode(participant.payment_mode)] or 12
    amount = rules.monthly_contribution(participant.monthly_income) * months
    if kind == Reminder.Kind.BEFORE:
        return (
            f"BHXH tự nguyện: kỳ đóng từ tháng {rules.month_label(start)} của ông/bà đến hạn ngày "
            f"{deadline:%d/%m/%Y}, số tiền khoảng {amount:,} đồng (chưa trừ hỗ trợ). Xin liên hệ điểm thu gần nhất."
        ).replace(",", ".")
    return (
        f"BHXH tự nguyện: ông/bà chưa đóng kỳ từ tháng {rules.month_label(start)} (hạn {deadline:%d/%m/%Y}). "
        "Xin đóng tiếp để không gián đoạn thời gian tham gia; nhân viên thu sẽ liên hệ hỗ trợ."
    )


def reminders_send(*, today: dt.date) -> ReminderSummary:
    """Queue the reminders due today and mark payers whose deadline passed as lapsed; safe to run again."""
    current = rules.month_of_date(today)
    summary = ReminderSummary()
    people = deadline_window(Participant.objects.all(), current - MISSED_WITHIN, current + 1)
    lapsed: list[int] = []
    for participant in people.select_related(None).iterator(chunk_size=2000):
        start = participant.last_paid + 1  # type: ignore[attr-defined]
        deadline = rules.deadline(rules.PaymentMode(participant.payment_mode), start)
        if deadline < today:
            kind = Reminder.Kind.MISSED
            if participant.status == Participant.Status.ACTIVE:
                lapsed.append(participant.pk)
        elif (deadline - today).days <= DAYS_BEFORE:
            kind = Reminder.Kind.BEFORE
        else:
            continue
        if (
            not participant.phone
            or Reminder.objects.filter(participant=participant, from_month=start, kind=kind).exists()
        ):
            continue
        try:
            with transaction.atomic():
                message = message_enqueue(
                    channel="sms",
                    recipient=participant.phone,
                    body=_body(kind, participant, start, deadline),
                    related=participant,
                    dedupe_key=f"insurance:reminder:{participant.pk}:{start}:{kind}",
                )
                Reminder.objects.create(participant=participant, from_month=start, kind=kind, message_id=message.pk)
        except IntegrityError:
            continue  # another run wrote it between our look and our insert
        if kind == Reminder.Kind.BEFORE:
            summary.before += 1
        else:
            summary.missed += 1
    if lapsed:
        with transaction.atomic():
            summary.lapsed = Participant.objects.filter(pk__in=lapsed, status=Participant.Status.ACTIVE).update(
                status=Participant.Status.LAPSED, status_changed_on=today
            )
            audit_record(
                actor=None,
                entries=[
                    AuditEvent(
                        action="lapse",
                        object_type="insurance.participant",
                        object_ids=lapsed,
                        summary=f"deadline missed, {today.isoformat()}",
                    )
                ],
            )
    return summary
