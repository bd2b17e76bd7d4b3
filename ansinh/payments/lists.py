"""Excel payment lists, cash lists and bank bulk files of a run, through `ansinh.payfiles`' writers.

The lists are Vietnamese administrative documents whatever the officer's language, so their labels are
taken in Vietnamese; one list per commune (payment list) and per organisation and commune (cash list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import translation

from ansinh.access.models import Organisation
from ansinh.geo.models import Commune
from ansinh.lib.masking import mask_number
from ansinh.payfiles.lists import ListRow, cash_list_xlsx, payment_list_xlsx
from ansinh.payfiles.model import Debtor, Transfer
from ansinh.payfiles.templates import BankTemplate, load_templates, write_bank_file
from ansinh.payments.models import ExportFile, ExportRun
from ansinh.payouts.models import Channel
from ansinh.registry.models import Category

if TYPE_CHECKING:
    from ansinh.payments.files import OutputFile, Row

PAYMENT_SIGNATURES = ("Người lập biểu", "Kế toán", "Thủ trưởng đơn vị")
CASH_SIGNATURES = ("Người lập biểu", "Đại diện tổ chức dịch vụ chi trả", "Thủ trưởng đơn vị")


def _labels() -> dict[str, str]:
    with translation.override("vi"):
        return {c.value: str(c.label) for c in Category}


def _created(run: ExportRun) -> datetime:
    return run.created_at.replace(microsecond=0, tzinfo=None)


def _rows(rows: Sequence[Row], labels: dict[str, str], *, accounts: bool) -> list[ListRow]:
    return [
        ListRow(
            number=index,
            full_name=r.person_name,
            birth_year=int(r.birth) if r.birth else None,
            address=r.address,
            category_label=labels.get(r.category, r.category),
            amount=r.amount,
            account_masked=mask_number(r.account) if accounts and r.account else "",
            home_delivery=r.channel == Channel.CASH_HOME,
            note=r.month,
        )
        for index, r in enumerate(rows, start=1)
    ]


def _period(run: ExportRun) -> str:
    cycle = run.cycle
    label = f"Kỳ {cycle.period_label}"
    return label if run.number == 1 else f"{label} - lần xuất {run.number}"


def payment_lists(*, run: ExportRun, by_commune: dict[int, list[Row]], day: date) -> list[OutputFile]:
    from ansinh.payments.files import OutputFile

    labels = _labels()
    communes = Commune.objects.select_related("province").in_bulk(list(by_commune))
    outputs = []
    for commune_id in sorted(by_commune):
        commune, rows = communes[commune_id], by_commune[commune_id]
        content = payment_list_xlsx(
            agency_lines=[commune.province.name.upper(), f"UBND {commune.name}"],
            title="DANH SÁCH CHI TRẢ TRỢ CẤP",
            commune_name=commune.name,
            period_label=_period(run),
            rows=_rows(rows, labels, accounts=True),
            signatures=PAYMENT_SIGNATURES,
            created=_created(run),
        )
        outputs.append(
            OutputFile(
                ExportFile.Kind.PAYMENT_LIST, f"danh-sach-chi-tra-{commune.code}.xlsx", content, scope=commune.name,
                rows=len(rows), total=sum(r.amount for r in rows),
            )
        )  # fmt: skip
    return outputs


def cash_lists(*, run: ExportRun, by_organisation: dict[int | None, list[Row]], day: date) -> list[OutputFile]:
    from ansinh.payments.files import OutputFile

    labels = _labels()
    organisations = Organisation.objects.in_bulk([pk for pk in by_organisation if pk is not None])
    split: dict[tuple[int | None, int], list[Row]] = defaultdict(list)
    for organisation_id, rows in by_organisation.items():
        for row in rows:
            split[(organisation_id, row.commune_id)].append(row)
    communes = Commune.objects.select_related("province").in_bulk({c for _, c in split})
    outputs = []
    for (organisation_id, commune_id), rows in sorted(split.items(), key=lambda item: (item[0][0] or 0, item[0][1])):
        commune = communes[commune_id]
        organisation = organisations.get(organisation_id) if organisation_id is not None else None
        name = organisation.name if organisation else "—"
        content = cash_list_xlsx(
            agency_lines=[commune.province.name.upper(), f"UBND {commune.name}"],
            title="DANH SÁCH CHI TRẢ BẰNG TIỀN MẶT",
            organisation_name=name,
            commune_name=commune.name,
            period_label=_period(run),
            rows=_rows(rows, labels, accounts=False),
            signatures=CASH_SIGNATURES,
            created=_created(run),
        )
        outputs.append(
            OutputFile(
                ExportFile.Kind.CASH_LIST, f"chi-tien-mat-{organisation_id or 0}-{commune.code}.xlsx", content,
                scope=f"{name} · {commune.name}", rows=len(rows), total=sum(r.amount for r in rows),
            )
        )  # fmt: skip
    return outputs


def bank_templates_for(bank_bin: str) -> list[BankTemplate]:
    """The templates made for this paying bank; the generic ones (for any bank) when none is."""
    templates = list(load_templates().values())
    own = [t for t in templates if bank_bin in t.bank_bins]
    return own or [t for t in templates if not t.bank_bins]


def bank_files(
    *, run: ExportRun, debtor: Debtor, index: int, part: int, transfers: Sequence[Transfer], day: date
) -> list[OutputFile]:
    """The paying bank's own bulk file for one debtor account, in each template that fits the bank."""
    from ansinh.payments.files import OutputFile

    outputs = []
    for template in bank_templates_for(debtor.bank_bin):
        content = write_bank_file(template, debtor, transfers, execution_date=day)
        name = (
            f"ANS-C{run.cycle_id}-R{run.number}-{debtor.bank_bin}-{part}-{index}-{template.key}.{template.file_format}"
        )
        outputs.append(
            OutputFile(
                ExportFile.Kind.BANK, name, content, scope=debtor.bank_bin, rows=len(transfers),
                total=sum(t.amount for t in transfers),
            )
        )  # fmt: skip
    return outputs
