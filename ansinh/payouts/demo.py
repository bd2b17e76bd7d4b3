"""Demo payout accounts in the first demo commune: approved accounts with history, and changes waiting for
the culture-social officer, two of them with fraud signals."""

from __future__ import annotations

import random

from ansinh.lib.text import fold
from ansinh.payouts.banks import banks_load
from ansinh.payouts.models import AccountChangeRequest, Bank, Channel
from ansinh.payouts.services import account_request_approve, account_request_create
from ansinh.registry.models import Benefit, Person
from ansinh.web.demo import DemoContext

ORDER = 40
APPROVED = 30
PENDING = 8
BANKS = ("970405", "999888", "970418", "970436", "970415")


def _holder(person: Person) -> str:
    return fold(person.full_name).upper()


def load(ctx: DemoContext) -> None:
    if AccountChangeRequest.objects.filter(source_ref__startswith="demo-").exists():
        return
    banks_load(Bank)  # a flushed development database may have lost the migration's rows
    maker, checker = ctx.users.get("police"), ctx.users.get("culture")
    if maker is None or checker is None or not ctx.communes:
        return
    people = list(
        Person.objects.filter(commune=ctx.communes[0], benefits__status=Benefit.Status.ACTIVE)
        .distinct()
        .order_by("sort_key")[: APPROVED + PENDING]
    )
    rng = random.Random(ctx.seed)

    def enter(person: Person, number: str, holder: str, ref: str, bank_bin: str = "") -> AccountChangeRequest:
        return account_request_create(
            user=maker, person=person, channel=Channel.BANK, bank_bin=bank_bin or rng.choice(BANKS),
            account_number=number, holder_name=holder, source=AccountChangeRequest.Source.SURVEY, source_ref=ref,
        )  # fmt: skip

    for index, person in enumerate(people[:APPROVED]):
        request = enter(person, f"{rng.randrange(10**9, 10**13)}", _holder(person), f"demo-{person.pk}")
        account_request_approve(user=checker, request=request)
        if index % 10 == 0:  # a changed account, so that the history shows
            again = enter(person, f"{rng.randrange(10**9, 10**13)}", _holder(person), f"demo-{person.pk}-2")
            account_request_approve(user=checker, request=again)
    pending = people[APPROVED:]
    for index, person in enumerate(pending):
        holder = _holder(people[0]) if index == 1 else _holder(person)  # a name that is not the beneficiary's
        number, bank_bin = f"{rng.randrange(10**9, 10**13)}", ""
        first = people[0].payout_methods.filter(status="active").select_related("bank").first()
        if index == 0 and first is not None and first.bank is not None:  # the account of another beneficiary
            number, bank_bin = first.account_number, first.bank.bin
        enter(person, number, holder, f"demo-{person.pk}-pending", bank_bin)
    ctx.say(f"  payouts: {len(people[:APPROVED])} approved accounts, {len(pending)} waiting for approval")
