"""The files of an export run, built from its attempts by the Django-free writers in `ansinh.payfiles`.

Attempts are read once, streamed in order of commune, channel and id; the writers get plain values.
A run's files are: per paying bank, pain.001 (parts of at most `PAIN001_PART` transfers) and the bulk
file of that bank's template when there is one; per commune, the official payment list; per payment
service organisation, the cash list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ansinh.payfiles.model import Debtor, Transfer
from ansinh.payfiles.pain001 import pain001
from ansinh.payments import lists
from ansinh.payments.models import ExportFile, ExportRun, PayingAccount, PaymentAttempt, month_label
from ansinh.payouts.models import CASH_CHANNELS, Bank

PAIN001_PART = 250_000
INITIATING_PARTY = "ANSINH"


@dataclass
class OutputFile:
    kind: str
    name: str
    content: bytes
    scope: str = ""
    rows: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """One attempt with what every file needs about it."""

    e2e: str
    amount: int
    channel: str
    bank_bin: str
    account: str
    holder: str
    organisation_id: int | None
    person_name: str
    person_id: int
    birth: str
    address: str
    commune_id: int
    commune_name: str
    province_id: int
    category: str
    month: str
    kind: str


@dataclass
class Groups:
    by_debtor_bank: dict[str, dict[int, list[Row]]] = field(default_factory=lambda: defaultdict(dict))
    by_commune: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    by_organisation: dict[int | None, list[Row]] = field(default_factory=lambda: defaultdict(list))


FIELDS = (
    "end_to_end_id", "amount", "channel", "bank_bin", "account_number", "holder_name", "organisation_id",
    "payment__person__full_name", "payment__person_id", "payment__person__birth_year",
    "payment__person__hamlet", "payment__commune_id", "payment__commune__name", "payment__commune__province_id",
    "payment__category", "payment__month", "payment__occasion", "payment__kind",
)  # fmt: skip


def run_rows(run: ExportRun) -> Iterator[Row]:
    attempts = PaymentAttempt.objects.filter(export_run=run).order_by("payment__commune_id", "pk")
    for values in attempts.values_list(*FIELDS).iterator(chunk_size=20_000):
        (e2e, amount, channel, bank_bin, account, holder, org, name, person_id, birth_year, hamlet, commune_id,
         commune_name, province_id, category, month, occasion, kind) = values  # fmt: skip
        yield Row(
            e2e, amount, channel, bank_bin, account, holder, org, name, person_id,
            str(birth_year or ""), hamlet, commune_id, commune_name, province_id, category,
            month_label(month) if month else occasion, kind,
        )  # fmt: skip


def remittance(row: Row) -> str:
    return f"ANSINH {row.category} {row.month}"


def _pain001_files(run: ExportRun, groups: Groups, debtors: dict[int, Debtor], day: date) -> list[OutputFile]:
    outputs = []
    bank_names = dict(Bank.objects.values_list("bin", "short_name"))
    for bank_bin, by_province in sorted(groups.by_debtor_bank.items()):
        transfers = [
            (
                debtors[province],
                Transfer(
                    r.e2e, r.amount, r.holder, r.account, r.bank_bin, remittance(r), bank_names.get(r.bank_bin, "")
                ),
            )
            for province, rows in sorted(by_province.items())
            for r in rows
        ]
        for part, start in enumerate(range(0, len(transfers), PAIN001_PART), start=1):
            chunk = transfers[start : start + PAIN001_PART]
            batches: list[tuple[Debtor, date, list[Transfer]]] = []
            for debtor, transfer in chunk:
                if not batches or batches[-1][0] != debtor:
                    batches.append((debtor, day, []))
                batches[-1][2].append(transfer)
            message_id = f"ANS-C{run.cycle_id}-R{run.number}-{bank_bin}-{part}"
            content = pain001(
                message_id=message_id, created_at=run.created_at, initiating_party=INITIATING_PARTY, batches=batches
            )
            outputs.append(
                OutputFile(
                    ExportFile.Kind.PAIN001, f"{message_id}.xml", content, scope=bank_bin,
                    rows=len(chunk), total=sum(t.amount for _, t in chunk),
                )
            )  # fmt: skip
            for index, (debtor, _day, block) in enumerate(batches, start=1):
                outputs += lists.bank_files(run=run, debtor=debtor, index=index, part=part, transfers=block, day=day)
    return outputs


def run_files(run: ExportRun) -> list[OutputFile]:
    """Every file of the run, in a fixed order (the same run always gives the same bytes)."""
    accounts = {a.province_id: a for a in PayingAccount.objects.all()}
    debtors = {pk: Debtor(a.name, a.account_number, a.bank_bin) for pk, a in accounts.items()}
    groups = Groups()
    missing: set[int] = set()
    for row in run_rows(run):
        groups.by_commune[row.commune_id].append(row)
        if row.channel in CASH_CHANNELS:
            groups.by_organisation[row.organisation_id].append(row)
            continue
        debtor = debtors.get(row.province_id)
        if debtor is None:
            missing.add(row.province_id)
            continue
        groups.by_debtor_bank[debtor.bank_bin].setdefault(row.province_id, []).append(row)
    if missing:
        raise MissingPayingAccount(sorted(missing))
    day = timezone.localdate(run.created_at)
    outputs = _pain001_files(run, groups, debtors, day)
    outputs += lists.payment_lists(run=run, by_commune=groups.by_commune, day=day)
    outputs += lists.cash_lists(run=run, by_organisation=groups.by_organisation, day=day)
    return outputs


class MissingPayingAccount(Exception):
    """A province has transfers to send but no paying account is recorded for it."""

    def __init__(self, province_ids: list[int]) -> None:
        super().__init__(f"no paying account for provinces {province_ids}")
        self.province_ids = province_ids
