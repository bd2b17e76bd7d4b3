"""A small paying world: banks, a paying account for Hà Nội, and beneficiaries with payout methods."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest

from ansinh.access.models import Organisation
from ansinh.geo.models import Commune
from ansinh.payments.models import PayingAccount, PaymentCycle
from ansinh.payments.services import cycle_approve, cycle_compute, cycle_create, cycle_submit
from ansinh.payouts.models import Bank, Channel, PayoutMethod
from ansinh.registry.models import Benefit, Category, Person, Subgroup
from tests import factories as f
from tests.conftest import Personas, World

_accounts = itertools.count(1000001)
PERIOD = 202611


@dataclass
class Pay:
    world: World
    personas: Personas
    vcb: Bank
    bidv: Bank
    post: Organisation

    def beneficiary(
        self,
        commune: Commune,
        *,
        name: str = "Nguyễn Văn An",
        category: str = Category.SOCIAL_PROTECTION,
        subgroup: str | None = "elderly_80_poor",
        monthly_amount: int | None = None,
        channel: str = Channel.BANK,
        bank: Bank | None = None,
        start: date = date(2020, 1, 1),
        decided: date = date(2020, 1, 1),
        phone: str = "",
    ) -> Benefit:
        person = f.person(name, commune, phone=phone, birth_year=1940)
        benefit = Benefit.objects.create(
            person=person,
            category=category,
            subgroup=Subgroup.objects.get(code=subgroup) if subgroup else None,
            monthly_amount=monthly_amount,
            start_date=start,
            decision_date=decided,
        )
        cash = channel in (Channel.CASH_HOME, Channel.CASH_POINT)
        PayoutMethod.objects.create(
            person=person,
            benefit=benefit,
            channel=channel,
            bank=None if cash else (bank or self.vcb),
            account_number="" if cash else str(next(_accounts)),
            holder_name="" if cash else person.full_name.upper(),
            organisation=self.post if cash else None,
        )
        return benefit

    def cycle(self, *, period: int = PERIOD, communes: list[Commune] | None = None, **kw: object) -> PaymentCycle:
        return cycle_create(
            user=self.personas.culture_ba_dinh if communes is None else self.personas.province_hanoi,
            name=f"Cycle {period}",
            communes=communes or [self.world.ba_dinh],
            period=period,
            **kw,  # type: ignore[arg-type]
        )

    def approved(self, cycle: PaymentCycle) -> PaymentCycle:
        maker = cycle.created_by
        cycle_compute(user=maker, cycle_id=cycle.pk)  # type: ignore[arg-type]
        cycle_submit(user=maker, cycle_id=cycle.pk)  # type: ignore[arg-type]
        return cycle_approve(user=self.personas.province_hanoi, cycle_id=cycle.pk)


@pytest.fixture
def pay(world: World, personas: Personas) -> Pay:
    vcb = Bank.objects.get(bin="970436")
    bidv = Bank.objects.get(bin="970418")
    PayingAccount.objects.create(
        province=world.hanoi, name="Sở Y tế Hà Nội - chi trả", account_number="0011000123456", bank_bin="970436"
    )
    post = Organisation.objects.get(name="Bưu điện thử nghiệm")
    return Pay(world=world, personas=personas, vcb=vcb, bidv=bidv, post=post)


def people(benefits: list[Benefit]) -> list[Person]:
    return [b.person for b in benefits]


@pytest.fixture(autouse=True)
def _english(english_pages: None) -> None:
    """These tests read pages and messages in English."""
