"""Result files: statuses applied in order, a conflicting file refused whole with every reason,
others' entries ignored."""

from __future__ import annotations

import pytest

from ansinh.payments import reconcile
from ansinh.payments.exporting import export_run_create
from ansinh.payments.models import ExportRun, Payment, PaymentAttempt, PaymentCycle, ResultImport
from ansinh.payments.reconcile import result_import
from ansinh.payments.services import (
    PaymentError,
    cycle_close,
    payment_reroute,
    payment_retry,
    payment_write_off,
)
from ansinh.payouts.models import Channel, PayoutMethod
from tests.payments.conftest import Pay
from tests.payments.test_export import media  # noqa: F401 - the autouse storage fixture

pytestmark = pytest.mark.django_db

PAIN002 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-11-20T10:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>{msg}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>{msg}-1</OrgnlPmtInfId>{tx}</OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>"""
TX = "<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>{reason}</TxInfAndSts>"
REASON = "<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>{text}</AddtlInf></StsRsnInf>"


def _exported(pay: Pay) -> tuple[PaymentCycle, ExportRun, list[PaymentAttempt]]:
    for name in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"):
        pay.beneficiary(pay.world.ba_dinh, name=name, phone="0912345678")
    cycle = pay.approved(pay.cycle())
    run = export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert run is not None
    return cycle, run, list(PaymentAttempt.objects.filter(export_run=run).order_by("pk"))


def _csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    lines = ["Mã giao dịch,Trạng thái,Lý do,Số tiền", *(",".join(row) for row in rows)]
    return "\n".join(lines).encode()


def _pain002(run: ExportRun, *transactions: str) -> bytes:
    message = f"ANS-C{run.cycle_id}-R{run.number}-970436-1"
    return PAIN002.format(msg=message, tx="".join(transactions)).encode()


def _tx(e2e: str, status: str, code: str = "", text: str = "") -> str:
    return TX.format(e2e=e2e, status=status, reason=REASON.format(code=code, text=text) if code else "")


def _state() -> list[tuple[str, str]]:
    return list(PaymentAttempt.objects.order_by("pk").values_list("status", "payment__status"))


def test_pain002_statuses_apply_in_order_and_the_cycle_is_reconciled(pay: Pay) -> None:
    cycle, run, (a, b, c) = _exported(pay)
    content = _pain002(
        run,
        _tx(a.end_to_end_id, "ACCP"),
        _tx(b.end_to_end_id, "ACCP"),
        _tx(c.end_to_end_id, "ACSC"),
        _tx(a.end_to_end_id, "ACSC"),
        _tx(b.end_to_end_id, "RJCT", "AC04", "Closed account"),
    )
    result = result_import(user=pay.personas.province_hanoi, cycle_id=cycle.pk, content=content, filename="r.xml")
    assert result.status == ResultImport.Status.APPLIED and result.counts["paid"] == 2 and result.counts["failed"] == 1
    assert _state() == [("paid", "paid"), ("failed", "failed"), ("paid", "paid")]
    failed = Payment.objects.get(pk=b.payment_id)
    assert failed.status_reason == "AC04 Closed account"
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.RECONCILED
    again = result_import(user=pay.personas.province_hanoi, cycle_id=cycle.pk, content=content, filename="r.xml")
    assert again.pk == result.pk and _state() == [("paid", "paid"), ("failed", "failed"), ("paid", "paid")]


def test_a_file_with_unknown_ids_or_wrong_amounts_changes_nothing_and_says_why(pay: Pay) -> None:
    cycle, _run, (a, b, c) = _exported(pay)
    content = _csv(
        [
            (a.end_to_end_id, "thành công", "", str(a.amount)),
            (b.end_to_end_id, "thành công", "", str(b.amount + 1000)),
            ("ASP999999N1", "thành công", "", "500000"),
            (c.end_to_end_id, "thành công", "", ""),
            (c.end_to_end_id, "thất bại", "AC01 Sai số tài khoản", ""),
        ]
    )
    result = result_import(user=pay.personas.province_hanoi, cycle_id=cycle.pk, content=content, filename="kq.csv")
    assert result.status == ResultImport.Status.REFUSED
    reasons = {p["end_to_end_id"]: p["problem"] for p in result.problems}
    assert set(reasons) == {b.end_to_end_id, "ASP999999N1", c.end_to_end_id}
    assert "differs" in reasons[b.end_to_end_id] and "No payment attempt" in reasons["ASP999999N1"]
    assert _state() == [("sent", "planned")] * 3
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.EXPORTED


def test_entries_that_are_not_ours_are_listed_and_ignored(pay: Pay) -> None:
    cycle, _run, (a, _b, _c) = _exported(pay)
    content = _csv([(a.end_to_end_id, "thành công", "", ""), ("SALARY-2026-11", "thành công", "", "9000000")])
    result = result_import(user=pay.personas.province_hanoi, cycle_id=cycle.pk, content=content, filename="kq.csv")
    assert result.status == ResultImport.Status.APPLIED
    assert [i["description"] for i in result.ignored] == ["SALARY-2026-11"]
    assert _state() == [("paid", "paid"), ("sent", "planned"), ("sent", "planned")]
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.EXPORTED


def test_a_file_contradicting_a_recorded_status_is_refused(pay: Pay) -> None:
    cycle, _run, (a, _b, _c) = _exported(pay)
    user = pay.personas.province_hanoi
    result_import(user=user, cycle_id=cycle.pk, content=_csv([(a.end_to_end_id, "paid", "", "")]), filename="1.csv")
    late = result_import(
        user=user, cycle_id=cycle.pk, content=_csv([(a.end_to_end_id, "failed", "AC04", "")]), filename="2.csv"
    )
    assert late.status == ResultImport.Status.REFUSED and "already paid" in late.problems[0]["problem"]


def test_an_interrupted_reconciliation_leaves_nothing_half_written(pay: Pay, monkeypatch: pytest.MonkeyPatch) -> None:
    cycle, _run, (a, b, c) = _exported(pay)
    monkeypatch.setattr(reconcile, "CHUNK", 1)
    real = PaymentAttempt.objects.filter

    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "pk__in" in kwargs:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("the worker died here")
        return real(*args, **kwargs)

    monkeypatch.setattr(PaymentAttempt.objects, "filter", flaky)
    content = _csv([(x.end_to_end_id, "thành công", "", "") for x in (a, b, c)])
    with pytest.raises(RuntimeError):
        result_import(user=pay.personas.province_hanoi, cycle_id=cycle.pk, content=content, filename="kq.csv")
    monkeypatch.undo()
    assert _state() == [("sent", "planned")] * 3 and not ResultImport.objects.exists()


def test_failed_transfers_are_retried_rerouted_or_written_off_before_the_cycle_closes(pay: Pay) -> None:
    cycle, _run, (a, b, c) = _exported(pay)
    officer, preparer = pay.personas.province_hanoi, pay.personas.culture_ba_dinh
    content = _csv(
        [
            (a.end_to_end_id, "paid", "", ""),
            (b.end_to_end_id, "failed", "AC04", ""),
            (c.end_to_end_id, "failed", "", ""),
        ]
    )
    result_import(user=officer, cycle_id=cycle.pk, content=content, filename="kq.csv")
    with pytest.raises(PaymentError):
        cycle_close(user=officer, cycle_id=cycle.pk)
    with pytest.raises(PaymentError, match="not been corrected"):
        payment_retry(user=preparer, payment_id=b.payment_id)
    # The account is corrected (in the payouts app, under four-eyes): a new active method.
    old = PayoutMethod.objects.get(pk=Payment.objects.get(pk=b.payment_id).payout_method_id)
    PayoutMethod.objects.filter(pk=old.pk).update(status=PayoutMethod.Status.SUPERSEDED)
    PayoutMethod.objects.create(person=old.person, benefit=old.benefit, channel=Channel.BANK, bank=pay.bidv,
                                account_number="99887766", holder_name=old.holder_name)  # fmt: skip
    payment_retry(user=preparer, payment_id=b.payment_id)
    payment_reroute(user=preparer, payment_id=c.payment_id, organisation_id=pay.post.pk, at_home=True)
    retry = export_run_create(user=officer, cycle_id=cycle.pk)
    assert retry is not None and retry.number == 2 and retry.attempts_count == 2
    numbers = dict(PaymentAttempt.objects.filter(export_run=retry).values_list("payment_id", "number"))
    assert numbers == {b.payment_id: 2, c.payment_id: 2}
    assert Payment.objects.filter(cycle=cycle).count() == 3
    second = PaymentAttempt.objects.get(export_run=retry, payment_id=b.payment_id)
    content = _csv([(second.end_to_end_id, "failed", "AC01", "")])
    result_import(user=officer, cycle_id=cycle.pk, content=content, filename="kq2.csv")
    with pytest.raises(PaymentError):
        payment_write_off(user=preparer, payment_id=b.payment_id, reason="moved abroad")
    payment_write_off(user=officer, payment_id=b.payment_id, reason="moved abroad, no account")
    closed = cycle_close(user=officer, cycle_id=cycle.pk)
    assert closed.state == PaymentCycle.State.CLOSED
