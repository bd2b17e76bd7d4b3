"""Reminders before a deadline and after a missed one: once each, and who the collectors see."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from ansinh.insurance import rules, services
from ansinh.insurance.models import Participant, Reminder
from ansinh.insurance.reminders import reminders_send
from ansinh.jobs.periodic import periodic_entries
from ansinh.outbox.models import Message
from tests.insurance.conftest import Insurance

M = rules.month_index


def test_a_reminder_goes_out_before_the_deadline_once(ins: Insurance) -> None:
    # Lan paid Jan-Mar 2024 quarterly: Apr-Jun is due by 30 June.
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 5))
    assert reminders_send(today=dt.date(2024, 6, 19)).before == 0  # eleven days before: not yet
    assert reminders_send(today=dt.date(2024, 6, 20)).before == 1
    assert reminders_send(today=dt.date(2024, 6, 21)).before == 0
    message = Message.objects.get(recipient=ins.lan.phone)
    assert "30/06/2024" in message.body
    assert Reminder.objects.filter(participant=ins.lan, kind="before").count() == 1


def test_a_missed_deadline_reminds_once_and_marks_the_payer_lapsed(ins: Insurance) -> None:
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 5))
    summary = reminders_send(today=dt.date(2024, 7, 2))
    assert (summary.missed, summary.lapsed) == (1, 1)
    assert reminders_send(today=dt.date(2024, 7, 3)).missed == 0
    ins.lan.refresh_from_db()
    assert ins.lan.status == Participant.Status.LAPSED
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 4), paid_on=dt.date(2024, 7, 9))
    ins.lan.refresh_from_db()
    assert ins.lan.status == Participant.Status.ACTIVE


def test_stopped_participants_get_no_reminder(ins: Insurance) -> None:
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=M(2024, 1), paid_on=dt.date(2024, 1, 5))
    services.participant_stop(
        user=ins.officer, participant=ins.lan, stopped_on=dt.date(2024, 5, 1), reason="moved abroad"
    )
    assert reminders_send(today=dt.date(2024, 6, 25)).before == 0


def test_reminders_are_a_daily_periodic_task() -> None:
    entry = next(e for e in periodic_entries() if e.name == "insurance.reminders")
    assert entry.every == "day"


def test_collectors_see_who_is_due_in_their_area(ins: Insurance, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    current = rules.month_of_date(today)
    services.payment_record(user=ins.officer, participant=ins.lan, from_month=current - 3, paid_on=today)
    services.payment_record(user=ins.officer, participant=ins.minh, from_month=current - 1, paid_on=today)
    client = Client()
    client.force_login(ins.agent_a)
    body = client.get(reverse("insurance:due_list")).content.decode()
    assert "Nguyễn Thị Lan" in body
    assert "Trần Văn Minh" not in body  # another organisation's payer
