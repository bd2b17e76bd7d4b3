from __future__ import annotations

from ansinh.payfiles.results import read_camt054
from tests.payfiles.builders import Movement, camt054, pain002


def ours(e2e: str) -> bool:
    return e2e.startswith("AS")


def test_booked_debits_of_ours_are_settled_and_other_movements_are_listed_as_foreign() -> None:
    data = camt054(
        [
            Movement("500000", e2e="AS000001-1"),
            Movement("1200000", e2e="INV-778", note="Tiền điện tháng 12"),
            Movement("360000.00", e2e="AS000002-1"),
            Movement("50000", direction="CRDT", details=False, note="Lãi tiền gửi"),
        ]
    )
    result = read_camt054(data, ours)
    assert [(e.end_to_end_id, e.status, e.amount) for e in result.entries] == [
        ("AS000001-1", "settled", 500_000),
        ("AS000002-1", "settled", 360_000),
    ]
    assert [(f.amount, f.description) for f in result.foreign] == [
        (1_200_000, "INV-778 Tiền điện tháng 12"),
        (50_000, "Lãi tiền gửi"),
    ]
    assert all(f.source_line > 0 for f in result.foreign)
    assert result.errors == []


def test_money_that_comes_back_rejects_the_attempt_with_the_return_reason() -> None:
    data = camt054(
        [
            Movement("500000", direction="CRDT", e2e="AS000003-1", return_reason="AC04"),
            Movement("500000", e2e="AS000004-1", reversal=True),
        ]
    )
    result = read_camt054(data, ours)
    assert [(e.end_to_end_id, e.status, e.reason_code) for e in result.entries] == [
        ("AS000003-1", "rejected", "AC04"),
        ("AS000004-1", "rejected", ""),
    ]
    assert result.entries[0].reason_text == "Returned by the beneficiary's bank"


def test_a_pending_debit_is_pending() -> None:
    result = read_camt054(camt054([Movement("500000", booking="PDNG", e2e="AS000005-1")]), ours)
    assert [e.status for e in result.entries] == ["pending"]


def test_an_amount_of_ours_with_a_fraction_is_an_error_but_a_foreign_one_is_not() -> None:
    result = read_camt054(camt054([Movement("10.5", e2e="AS1"), Movement("10.5", e2e="OTHER")]), ours)
    assert len(result.errors) == 1
    assert result.foreign[0].amount is None


def test_a_status_report_is_not_read_as_a_notification() -> None:
    result = read_camt054(pain002("R", "ACCP"), ours)
    assert result.errors and result.entries == []


def test_malformed_notification_gives_an_error() -> None:
    result = read_camt054(b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.08'><Ntfctn>", ours)
    assert result.errors
