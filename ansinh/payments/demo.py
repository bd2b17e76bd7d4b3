"""A demo payment cycle in the first demo commune: computed, approved, exported, half reconciled.

It leaves one transfer failed in the queue, so the failed-transfer page and the report have something to show.
"""

from __future__ import annotations

from django.utils import timezone

from ansinh.payments.compute import month_add, month_of
from ansinh.payments.exporting import export_run_create
from ansinh.payments.models import PayingAccount, PaymentAttempt, PaymentCycle
from ansinh.payments.reconcile import result_import
from ansinh.payments.services import cycle_approve, cycle_compute, cycle_create, cycle_submit
from ansinh.payouts.models import CASH_CHANNELS
from ansinh.web.demo import DemoContext

ORDER = 70
NAME = "Chi trả tháng (demo)"


def load(ctx: DemoContext) -> None:
    preparer, approver = ctx.users.get("culture"), ctx.users.get("province")
    if preparer is None or approver is None or not ctx.communes or PaymentCycle.objects.filter(name=NAME).exists():
        return
    PayingAccount.objects.get_or_create(
        province=ctx.province,
        defaults={
            "name": "Sở Y tế - tài khoản chi trả (demo)",
            "account_number": "0011000555666",
            "bank_bin": "970405",
        },
    )
    period = month_add(month_of(timezone.localdate()), -1)
    cycle = cycle_create(user=preparer, name=NAME, communes=[ctx.communes[0]], period=period)
    cycle_compute(user=preparer, cycle_id=cycle.pk)
    cycle_submit(user=preparer, cycle_id=cycle.pk)
    cycle_approve(user=approver, cycle_id=cycle.pk)
    run = export_run_create(user=approver, cycle_id=cycle.pk)
    if run is None:
        ctx.say("  payments: no payout method in the demo commune, no cycle exported")
        return
    transfers = PaymentAttempt.objects.filter(export_run=run).exclude(channel__in=list(CASH_CHANNELS)).order_by("pk")
    lines = ["Mã giao dịch,Trạng thái,Lý do,Số tiền"]
    for index, (e2e, amount) in enumerate(transfers.values_list("end_to_end_id", "amount")):
        failed = index % 9 == 4
        lines.append(
            f"{e2e},{'thất bại' if failed else 'thành công'},{'AC04 Tài khoản đã đóng' if failed else ''},{amount}"
        )
    result_import(user=approver, cycle_id=cycle.pk, content="\n".join(lines).encode(), filename="ket-qua-demo.csv")
    ctx.say(f"  payment cycle {NAME}: {run.attempts_count} payments exported, results imported")
