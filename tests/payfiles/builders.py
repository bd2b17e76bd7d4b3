"""Bank files built in the tests with lxml: what a bank would send back (synthetic data only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"
CAMT054 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"


def _sub(parent: etree._Element, ns: str, path: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = parent
    for name in path.split("/"):
        element = etree.SubElement(element, f"{{{ns}}}{name}")
    for key, value in attrs.items():
        element.set(key, value)
    if text is not None:
        element.text = text
    return element


@dataclass
class Tx:
    e2e: str | None
    status: str | None = None
    reason: str | None = None
    info: Sequence[str] = ()
    amount: str | None = None
    currency: str = "VND"


@dataclass
class Block:
    payment_info_id: str
    status: str | None = None
    reason: str | None = None
    transactions: list[Tx] = field(default_factory=list)


def pain002(message_id: str, group_status: str | None, blocks: Sequence[Block] = (), group_reason: str = "") -> bytes:
    """A pain.002.001.10 report on the original message `message_id`."""
    root = etree.Element(f"{{{PAIN002}}}Document", nsmap={None: PAIN002})
    report = _sub(root, PAIN002, "CstmrPmtStsRpt")
    header = _sub(report, PAIN002, "GrpHdr")
    _sub(header, PAIN002, "MsgId", "STS-" + message_id)
    _sub(header, PAIN002, "CreDtTm", "2026-01-07T09:00:00")
    group = _sub(report, PAIN002, "OrgnlGrpInfAndSts")
    _sub(group, PAIN002, "OrgnlMsgId", message_id)
    _sub(group, PAIN002, "OrgnlMsgNmId", "pain.001.001.09")
    if group_status:
        _sub(group, PAIN002, "GrpSts", group_status)
    if group_reason:
        _sub(group, PAIN002, "StsRsnInf/Rsn/Cd", group_reason)
    for block in blocks:
        element = _sub(report, PAIN002, "OrgnlPmtInfAndSts")
        _sub(element, PAIN002, "OrgnlPmtInfId", block.payment_info_id)
        if block.status:
            _sub(element, PAIN002, "PmtInfSts", block.status)
        if block.reason:
            _sub(element, PAIN002, "StsRsnInf/Rsn/Cd", block.reason)
        for tx in block.transactions:
            item = _sub(element, PAIN002, "TxInfAndSts")
            if tx.e2e is not None:
                _sub(item, PAIN002, "OrgnlEndToEndId", tx.e2e)
            if tx.status:
                _sub(item, PAIN002, "TxSts", tx.status)
            if tx.reason or tx.info:
                reason = _sub(item, PAIN002, "StsRsnInf")
                if tx.reason:
                    _sub(reason, PAIN002, "Rsn/Cd", tx.reason)
                for text in tx.info:
                    _sub(reason, PAIN002, "AddtlInf", text)
            if tx.amount:
                _sub(item, PAIN002, "OrgnlTxRef/Amt/InstdAmt", tx.amount, Ccy=tx.currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass
class Movement:
    amount: str
    direction: str = "DBIT"
    booking: str = "BOOK"
    e2e: str | None = None
    reversal: bool = False
    return_reason: str | None = None
    details: bool = True
    note: str = ""


def camt054(movements: Sequence[Movement], account: str = "1234567890") -> bytes:
    """A camt.054.001.08 notification on the paying office's account."""
    root = etree.Element(f"{{{CAMT054}}}Document", nsmap={None: CAMT054})
    body = _sub(root, CAMT054, "BkToCstmrDbtCdtNtfctn")
    header = _sub(body, CAMT054, "GrpHdr")
    _sub(header, CAMT054, "MsgId", "NTF-1")
    _sub(header, CAMT054, "CreDtTm", "2026-01-07T17:00:00")
    notification = _sub(body, CAMT054, "Ntfctn")
    _sub(notification, CAMT054, "Id", "N1")
    _sub(notification, CAMT054, "Acct/Id/Othr/Id", account)
    for movement in movements:
        entry = _sub(notification, CAMT054, "Ntry")
        _sub(entry, CAMT054, "Amt", movement.amount, Ccy="VND")
        _sub(entry, CAMT054, "CdtDbtInd", movement.direction)
        if movement.reversal:
            _sub(entry, CAMT054, "RvslInd", "true")
        _sub(entry, CAMT054, "Sts/Cd", movement.booking)
        _sub(entry, CAMT054, "BkTxCd/Prtry/Cd", "TRF")
        if movement.details:
            tx = _sub(entry, CAMT054, "NtryDtls/TxDtls")
            if movement.e2e:
                _sub(tx, CAMT054, "Refs/EndToEndId", movement.e2e)
            _sub(tx, CAMT054, "Amt", movement.amount, Ccy="VND")
            if movement.return_reason:
                _sub(tx, CAMT054, "RtrInf/Rsn/Cd", movement.return_reason)
                _sub(tx, CAMT054, "RtrInf/AddtlInf", "Returned by the beneficiary's bank")
            if movement.note:
                _sub(tx, CAMT054, "AddtlTxInf", movement.note)
        elif movement.note:
            _sub(entry, CAMT054, "AddtlNtryInf", movement.note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
