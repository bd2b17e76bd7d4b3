from __future__ import annotations

import pytest

from ansinh.payfiles.results import read_pain002
from tests.payfiles.builders import Block, Movement, Tx, camt054, pain002


def test_accepted_then_settled_or_rejected_reports_read_in_sequence() -> None:
    first = read_pain002(
        pain002("RUN-1", "ACCP", [Block("RUN-1-1", transactions=[Tx("E1", "ACCP"), Tx("E2", "ACSP")])])
    )
    second = read_pain002(
        pain002("RUN-1", "PART", [Block("RUN-1-1", transactions=[Tx("E1", "ACSC"), Tx("E2", "RJCT", "AC04")])])
    )
    assert [(e.end_to_end_id, e.status) for e in first.entries] == [("E1", "accepted"), ("E2", "accepted")]
    assert [(e.end_to_end_id, e.status, e.reason_code) for e in second.entries] == [
        ("E1", "settled", ""),
        ("E2", "rejected", "AC04"),
    ]
    assert first.errors == [] and second.errors == []
    assert second.original_message_id == "RUN-1"


def test_rejected_transaction_carries_reason_code_text_and_amount() -> None:
    report = read_pain002(
        pain002(
            "RUN-2",
            "PART",
            [
                Block(
                    "B",
                    transactions=[
                        Tx("E9", "RJCT", "AC04", info=["Tài khoản đã đóng", "closed 2025-12"], amount="500000.00")
                    ],
                )
            ],
        )
    )
    (entry,) = report.entries
    assert (entry.status, entry.reason_code, entry.reason_text, entry.amount) == (
        "rejected",
        "AC04",
        "Tài khoản đã đóng closed 2025-12",
        500_000,
    )
    assert entry.source_line > 0


def test_settled_codes_acsc_and_accc_both_mean_settled() -> None:
    report = read_pain002(pain002("R", None, [Block("B", transactions=[Tx("E1", "ACSC"), Tx("E2", "ACCC")])]))
    assert {e.status for e in report.entries} == {"settled"}


def test_group_rejection_without_transactions_is_returned_for_the_whole_message() -> None:
    report = read_pain002(pain002("RUN-3", "RJCT", group_reason="FF01"))
    assert report.entries == []
    (group,) = report.groups
    assert (group.original_message_id, group.original_payment_info_id, group.status, group.reason_code) == (
        "RUN-3",
        "",
        "rejected",
        "FF01",
    )


def test_block_rejection_without_transactions_names_its_block() -> None:
    report = read_pain002(pain002("RUN-4", "PART", [Block("RUN-4-2", "RJCT", "AM04")]))
    (group,) = report.groups
    assert (group.original_payment_info_id, group.status, group.reason_code) == ("RUN-4-2", "rejected", "AM04")


def test_transactions_listed_without_their_own_status_take_the_block_or_group_status() -> None:
    report = read_pain002(
        pain002(
            "RUN-5",
            "RJCT",
            [
                Block("B1", "RJCT", "AM04", [Tx("E1")]),
                Block("B2", None, None, [Tx("E2")]),
            ],
            group_reason="DS02",
        )
    )
    assert [(e.end_to_end_id, e.status, e.reason_code) for e in report.entries] == [
        ("E1", "rejected", "AM04"),
        ("E2", "rejected", "DS02"),
    ]


def test_partial_group_status_is_never_spread() -> None:
    report = read_pain002(pain002("RUN-6", "PART", [Block("B", transactions=[Tx("E1", "ACSC")])]))
    assert report.groups == []


def test_unknown_status_and_missing_id_are_errors() -> None:
    report = read_pain002(pain002("R", None, [Block("B", transactions=[Tx("E1", "XXXX"), Tx(None, "ACSC")])]))
    assert report.entries == []
    assert len(report.errors) == 2
    assert "XXXX" in report.errors[0]


@pytest.mark.parametrize(("amount", "currency"), [("500000.50", "VND"), ("500000", "USD"), ("abc", "VND")])
def test_an_amount_that_is_not_whole_dong_is_an_error(amount: str, currency: str) -> None:
    report = read_pain002(
        pain002("R", None, [Block("B", transactions=[Tx("E1", "ACSC", amount=amount, currency=currency)])])
    )
    assert report.errors
    assert report.problems[0].line > 0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<Document><unclosed>",
        b"not xml at all",
        b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'/>",
        camt054([Movement("1", e2e="E1")]),
    ],
)
def test_a_file_that_is_not_a_status_report_gives_an_error_and_no_exception(data: bytes) -> None:
    report = read_pain002(data)
    assert report.entries == []
    assert report.errors


def test_external_entities_are_not_read() -> None:
    data = pain002("R", None, [Block("B", transactions=[Tx("PLACEHOLDER", "ACSC")])])
    data = data.replace(b"PLACEHOLDER", b"&x;").replace(
        b"?>", b'?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/hostname">]>', 1
    )
    report = read_pain002(data)
    assert report.entries == []
    assert report.errors  # the ID stays empty instead of taking the file's content


def test_a_malformed_file_names_the_line() -> None:
    data = pain002("R", None, [Block("B", transactions=[Tx("E1", "ACSC")])]).replace(b"</TxInfAndSts>", b"</TxInf>")
    report = read_pain002(data)
    assert report.errors and "line" in report.errors[0].lower()


def test_many_transactions_keep_the_order_of_the_file() -> None:
    ids = [f"E{i:05d}" for i in range(3000)]
    report = read_pain002(
        pain002("R", "PART", [Block("B", transactions=[Tx(i, "ACSC" if n % 2 else "RJCT") for n, i in enumerate(ids)])])
    )
    assert [e.end_to_end_id for e in report.entries] == ids
    assert [e.source_line for e in report.entries] == sorted(e.source_line for e in report.entries)
