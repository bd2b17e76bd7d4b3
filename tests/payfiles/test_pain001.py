from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from lxml import etree

from ansinh.payfiles.model import Debtor, Transfer
from ansinh.payfiles.pain001 import CLEARING_SYSTEM, NAMESPACE, pain001, write_pain001

SCHEMA_PATH = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"
NS = {"p": NAMESPACE}
CREATED = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def transfers(prefix: str, count: int, start_amount: int = 500_000) -> list[Transfer]:
    return [
        Transfer(
            end_to_end_id=f"{prefix}{i:06d}-1",
            amount=start_amount + 1_000 * i,
            creditor_name=["Nguyễn Thị Lan", "Trần Văn Đức & Con", "Lê <Văn> Bình\x07", "  Phạm   Thị  Hoa "][i % 4],
            creditor_account=f"00{i:010d}",
            creditor_bank_bin=["970436", "970405", "971005", "999888"][i % 4],
            remittance="Trợ cấp xã hội tháng 01/2026" if i % 3 else "",
        )
        for i in range(count)
    ]


OFFICE_A = Debtor("Phòng Văn hóa - Xã hội xã Tân Lập", "3600205001234", "970405", "VBAAVNVX")
OFFICE_B = Debtor("UBND xã Hòa Bình", "0011004455667", "970436")


def two_blocks() -> list[tuple[Debtor, date, list[Transfer]]]:
    return [(OFFICE_A, date(2026, 1, 6), transfers("A", 7)), (OFFICE_B, date(2026, 1, 6), transfers("B", 5, 360_000))]


def build() -> bytes:
    return pain001(message_id="ANSINH-C12-R1", created_at=CREATED, initiating_party="Sở Y tế", batches=two_blocks())


def test_pain001_validates_against_the_pain_001_001_09_schema(schema: etree.XMLSchema) -> None:
    document = etree.fromstring(build())
    assert schema.validate(document), schema.error_log


def test_control_sums_and_counts_match_the_transactions_at_group_and_block_level() -> None:
    document = etree.fromstring(build())
    amounts = [int(a) for a in document.xpath("//p:InstdAmt/text()", namespaces=NS)]
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == str(len(amounts))
    assert Decimal(document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == sum(amounts)
    for block in document.iterfind("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS):
        block_amounts = [int(a) for a in block.xpath("p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS)]
        assert block.findtext("p:NbOfTxs", namespaces=NS) == str(len(block_amounts))
        assert Decimal(block.findtext("p:CtrlSum", namespaces=NS)) == sum(block_amounts)


def test_amounts_accounts_and_banks_read_back_equal_the_transfers() -> None:
    document = etree.fromstring(build())
    read = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): (
            int(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)),
            tx.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS),
            tx.findtext("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", namespaces=NS),
        )
        for tx in document.iterfind(".//p:CdtTrfTxInf", namespaces=NS)
    }
    expected = {
        t.end_to_end_id: (t.amount, t.creditor_account, t.creditor_bank_bin)
        for _debtor, _day, block in two_blocks()
        for t in block
    }
    assert read == expected


def test_amounts_are_whole_dong_in_vnd_and_the_account_is_not_an_iban() -> None:
    document = etree.fromstring(build())
    for amount in document.iterfind(".//p:InstdAmt", namespaces=NS):
        assert amount.get("Ccy") == "VND"
        assert amount.text is not None and amount.text.isdigit()
    assert document.find(".//p:IBAN", namespaces=NS) is None


def test_creditor_bank_is_named_by_its_bin_as_a_napas_member() -> None:
    document = etree.fromstring(build())
    systems = set(document.xpath("//p:CdtrAgt//p:ClrSysId/p:Prtry/text()", namespaces=NS))
    assert systems == {CLEARING_SYSTEM}


def test_one_payment_information_block_per_debtor_account_with_its_own_debtor() -> None:
    document = etree.fromstring(build())
    blocks = document.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)
    accounts = [b.findtext("p:DbtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) for b in blocks]
    assert accounts == [OFFICE_A.account, OFFICE_B.account]
    ids = [b.findtext("p:PmtInfId", namespaces=NS) for b in blocks]
    assert len(set(ids)) == len(ids)


def test_names_are_escaped_cleaned_and_kept_in_vietnamese() -> None:
    names = etree.fromstring(build()).xpath("//p:Cdtr/p:Nm/text()", namespaces=NS)
    assert "Trần Văn Đức & Con" in names
    assert "Lê <Văn> Bình" in names  # the bell character is dropped, the brackets survive escaping
    assert "Phạm Thị Hoa" in names


def test_same_input_gives_the_same_bytes() -> None:
    assert build() == build()


def test_streaming_to_a_file_gives_the_same_document(tmp_path: Path) -> None:
    path = tmp_path / "run.xml"
    with path.open("wb") as out:
        write_pain001(
            out, message_id="ANSINH-C12-R1", created_at=CREATED, initiating_party="Sở Y tế", batches=two_blocks()
        )
    assert path.read_bytes() == build()


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        ([Transfer("X-1", 1, "A", "1", "970436"), Transfer("X-1", 2, "B", "2", "970436")], "twice"),
        ([Transfer("X-1", 0, "A", "1", "970436")], "positive"),
        ([Transfer("X-1", 10, "A", "1", "97043")], "6 digits"),
        ([Transfer("X" * 36, 10, "A", "1", "970436")], "35"),
        ([Transfer("X-1", 10, "A", "1" * 35, "970436")], "34"),
        ([Transfer("X-1", 10, " \x01 ", "1", "970436")], "name"),
        ([], "no transfers"),
    ],
)
def test_input_no_bank_would_accept_is_refused(batch: list[Transfer], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pain001(message_id="M", created_at=CREATED, initiating_party="X", batches=[(OFFICE_B, date(2026, 1, 6), batch)])


def test_a_naive_creation_time_is_written_with_a_time_zone(schema: etree.XMLSchema) -> None:
    data = pain001(
        message_id="M",
        created_at=datetime(2026, 1, 5, 8, 30),
        initiating_party="X",
        batches=[(OFFICE_B, date(2026, 1, 6), transfers("N", 1))],
    )
    document = etree.fromstring(data)
    assert document.findtext(".//p:CreDtTm", namespaces=NS).endswith("+00:00")
    assert schema.validate(document)
