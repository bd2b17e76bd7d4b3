"""Builders of fieldwork and payments rows for the campaign tests (those apps' own factories may follow)."""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.access.models import User
from ansinh.fieldwork.models import Classification, Refusal, Visit
from ansinh.payments.models import CashDelivery, ExportRun, Payment, PaymentAttempt, PaymentCycle
from ansinh.registry.models import Benefit, Person


def classified_visit(person: Person, officer: User, rng: random.Random | None = None, **fields: Any) -> Visit:
    rng = rng or random.Random(0)
    now = timezone.now()
    classification = fields.pop("classification", rng.choice(Classification.values))
    visit = Visit.objects.create(
        uuid=uuid.uuid4(),
        person=person,
        commune=person.commune,
        officer=officer,
        started_at=now,
        finished_at=now,
        outcome="classified",
        classification=classification,
        **fields,
    )
    if classification == Classification.DECLINED:
        Refusal.objects.create(
            visit=visit,
            reason=rng.choice(["Quen nhận tiền mặt", "Không dùng điện thoại"]),
            police_officer="Trần Văn Công",
            culture_officer="Lê Thị Văn",
        )
    return visit


def _cycle(officer: User) -> PaymentCycle:
    cycle = PaymentCycle.objects.filter(name="test cycle").first()
    return cycle or PaymentCycle.objects.create(name="test cycle", period=202601, created_by=officer)


def payment(benefit: Benefit, rng: random.Random, officer: User, *, status: str | None = None) -> Payment | None:
    """A monthly payment of a random month (None when that month is already paid to this person)."""
    person = benefit.person
    try:
        with transaction.atomic():
            made = Payment.objects.create(
                cycle=_cycle(officer),
                benefit=benefit,
                person=person,
                commune=person.commune,
                category=benefit.category,
                month=rng.choice([202512, 202601]),
                kind="regular",
                amount=500_000,
                channel=rng.choice(["bank", "cash_home"]),
                status=status or rng.choice(["planned", "paid", "failed", "cancelled"]),
            )
    except IntegrityError:
        return None
    if made.channel == "cash_home" and made.status == "paid":
        run, _ = ExportRun.objects.get_or_create(cycle=made.cycle, number=1)
        attempt = PaymentAttempt.objects.create(
            payment=made, number=1, export_run=run, channel="cash_home", amount=made.amount,
            end_to_end_id=uuid.uuid4().hex[:30], status="paid",
        )  # fmt: skip
        CashDelivery.objects.create(
            attempt=attempt, delivered_by=officer, delivered_at=timezone.now(), received_by_name=person.full_name,
            photo="payments/deliveries/x.jpg",
        )  # fmt: skip
    return made
