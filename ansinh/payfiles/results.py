"""Reading what banks send back: pain.002 status reports, camt.054 notifications, and result tables.

Every reader returns a ResultFile and never raises on a bad file: a file that cannot be read, or an
entry that cannot be understood, becomes an error in `errors` (and `problems`), and the caller refuses
the whole file. Entries keep the order of the file, so statuses that arrive in sequence (accepted, then
settled or rejected) are applied in that order; deciding whether an end-to-end ID is known, whether its
amount matches, and whether it repeats is the caller's work, because only it knows the attempts.

The XML is read with lxml's iterparse, handled and dropped one transaction at a time, so a million-line
report needs little memory. Entity expansion and network access are off: these files come from outside.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from ansinh.payfiles.model import ForeignEntry, GroupStatus, ResultFile, Status, StatusEntry, gettext_noop
from ansinh.payfiles.results_table import read_result_table

__all__ = ["ISO_STATUS", "read_camt054", "read_pain002", "read_result_table"]

_ = gettext_noop

# ISO 20022 ExternalPaymentTransactionStatus1Code / ExternalPaymentGroupStatus1Code values, mapped to what
# they mean for a beneficiary: received or only technically checked is not yet a decision.
ISO_STATUS: dict[str, Status] = {
    "RCVD": "pending",
    "PDNG": "pending",
    "ACTC": "pending",
    "ACCP": "accepted",
    "ACSP": "accepted",
    "ACWC": "accepted",
    "ACWP": "accepted",
    "ACFC": "accepted",
    "ACSC": "settled",
    "ACCC": "settled",
    "RJCT": "rejected",
    "CANC": "rejected",  # cancelled before settlement: not paid, like a rejection
}
_PARTIAL = "PART"  # some accepted, some rejected: the details say which


class _Names:
    """Namespace-qualified paths, made once: lookups then run in lxml's C code, not in Python loops."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._paths: dict[str, str] = {}
        self.transaction_tags = (self("OrgnlEndToEndId"), self("TxSts"), self("StsRsnInf"), self("OrgnlTxRef"))
        self.entry_tags = (
            self("Amt"),
            self("CdtDbtInd"),
            self("RvslInd"),
            self("Sts"),
            self("NtryDtls"),
            self("AddtlNtryInf"),
            self("NtryRef"),
        )
        self.tx_tags = (self("Refs"), self("Amt"), self("AmtDtls"), self("RtrInf"), self("AddtlTxInf"))

    def __call__(self, path: str) -> str:
        found = self._paths.get(path)
        if found is None:
            found = self._paths[path] = "/".join(f"{{{self.namespace}}}{name}" for name in path.split("/"))
        return found


def _text(element: etree._Element | None, q: _Names, path: str) -> str:
    if element is None:
        return ""
    return (element.findtext(q(path)) or "").strip()


def _reason(element: etree._Element, q: _Names, info: str = "StsRsnInf") -> tuple[str, str]:
    """The first reason code (ISO or proprietary) and all additional texts of the reason blocks."""
    code = ""
    texts: list[str] = []
    for block in element.iterfind(q(info)):
        if not code:
            code = _text(block, q, "Rsn/Cd") or _text(block, q, "Rsn/Prtry")
        texts.extend(t.strip() for t in block.itertext(q("AddtlInf")) if t.strip())
    return code, " ".join(texts)


def _amount(raw: str, currency: str | None, result: ResultFile, line: int) -> int | None:
    """Whole đồng from an ISO amount; a fraction or another currency is an error, not a rounding."""
    if not raw:
        return None
    if currency not in (None, "", "VND"):
        result.problem(_("Line %(line)s: the amount is in %(currency)s, not VND."), line=line, currency=currency)
        return None
    if raw.isdigit():
        return int(raw)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value != value.to_integral_value() or value < 0:
        result.problem(_("Line %(line)s: the amount “%(value)s” is not a whole number of đồng."), line=line, value=raw)
        return None
    return int(value)


def _parse(data: bytes, tags: list[str] | None, events: tuple[str, ...] = ("end",)) -> etree.iterparse:
    return etree.iterparse(
        io.BytesIO(data),
        events=events,
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )


def _namespace(data: bytes, prefix: str, result: ResultFile) -> _Names | None:
    """The document's namespace, if the file is an ISO 20022 document of the expected kind."""
    if not data.strip():
        result.problem(_("The file is empty."))
        return None
    try:
        _event, root = next(iter(_parse(data, None, ("start",))))
    except etree.XMLSyntaxError as error:
        _syntax_error(result, error)
        return None
    except StopIteration:
        result.problem(_("The file is empty."))
        return None
    tag = str(root.tag)
    namespace, local = tag[1:].split("}", 1) if tag.startswith("{") else ("", tag)
    if local != "Document" or not namespace.startswith(f"urn:iso:std:iso:20022:tech:xsd:{prefix}."):
        result.problem(
            _("This is not an ISO 20022 %(expected)s file (it starts with “%(found)s”)."),
            expected=prefix,
            found=namespace.rsplit(":", 1)[-1] or local,
        )
        return None
    return _Names(namespace)


def _syntax_error(result: ResultFile, error: etree.XMLSyntaxError) -> None:
    line = error.position[0] if error.position else 0
    result.problem(_("The file is not well-formed XML (line %(line)s): %(detail)s"), line=line, detail=error.msg)


def _status(code: str, result: ResultFile, line: int) -> Status | None:
    status = ISO_STATUS.get(code)
    if status is None:
        result.problem(_("Line %(line)s: “%(code)s” is not a known ISO 20022 status."), line=line, code=code)
    return status


def _drop(element: etree._Element) -> None:
    """Frees a handled element and the one handled before it, keeping memory flat on long files."""
    parent = element.getparent()
    element.clear()
    previous = element.getprevious()
    if parent is not None and previous is not None and previous.tag == element.tag:
        parent.remove(previous)


def read_pain002(data: bytes) -> ResultFile:
    """Statuses of a pain.002 customer payment status report (written for pain.002.001.10).

    A transaction (TxInfAndSts) listed without its own TxSts takes the status of its payment-information
    block (PmtInfSts), else of the group (GrpSts). A block or group status with no transactions listed
    under it cannot be spread here, because the report does not name the attempts: it comes back in
    `groups`, and the caller applies it to the attempts of that message (or block) the file does not
    list one by one; a group-level RJCT therefore rejects every attempt of the original message. PART
    ("partially accepted") only says that the details differ, so it is never spread.
    """
    result = ResultFile(kind="pain.002")
    q = _namespace(data, "pain.002", result)
    if q is None:
        return result
    group_tag, transaction_tag, block_tag = q("OrgnlGrpInfAndSts"), q("TxInfAndSts"), q("OrgnlPmtInfAndSts")
    group: tuple[str, str, str, int] | None = None  # status code, reason code, reason text, line
    try:
        for _event, element in _parse(data, [group_tag, transaction_tag, block_tag]):
            tag = element.tag
            if tag == transaction_tag:
                _transaction(element, q, group, result)
                _drop(element)
            elif tag == group_tag:
                result.original_message_id = _text(element, q, "OrgnlMsgId")
                code = _text(element, q, "GrpSts")
                if code:
                    group = (code, *_reason(element, q), element.sourceline or 0)
                element.clear()
            else:
                _block(element, q, result)
                element.clear()
    except etree.XMLSyntaxError as error:
        _syntax_error(result, error)
        return result
    if group and group[0] != _PARTIAL:
        status = _status(group[0], result, group[3])
        if status:
            result.groups.append(GroupStatus(result.original_message_id, "", status, group[1], group[2], group[3]))
    return result


def _block(element: etree._Element, q: _Names, result: ResultFile) -> None:
    """A payment-information block's own status, when it lists no transactions (the last one handled is
    still in the tree, so an empty find means there were none)."""
    code = _text(element, q, "PmtInfSts")
    if not code or code == _PARTIAL or element.find(q("TxInfAndSts")) is not None:
        return
    line = element.sourceline or 0
    status = _status(code, result, line)
    if status:
        reason_code, reason_text = _reason(element, q)
        block = _text(element, q, "OrgnlPmtInfId")
        result.groups.append(GroupStatus(result.original_message_id, block, status, reason_code, reason_text, line))


def _transaction_fields(element: etree._Element, q: _Names) -> tuple[str, str, bool, etree._Element | None]:
    """End-to-end ID, status code, whether a reason is given, and the amount element, in one pass over the
    children: a million of these is the common case, and lxml's find() costs more than walking four."""
    e2e = code = ""
    has_reason = False
    amount_element = None
    e2e_tag, status_tag, reason_tag, reference_tag = q.transaction_tags
    for child in element:
        tag = child.tag
        if tag == e2e_tag:
            e2e = (child.text or "").strip()
        elif tag == status_tag:
            code = (child.text or "").strip()
        elif tag == reason_tag:
            has_reason = True
        elif tag == reference_tag:
            amount_element = child.find(q("Amt/InstdAmt"))
    return e2e, code, has_reason, amount_element


def _transaction(
    element: etree._Element, q: _Names, group: tuple[str, str, str, int] | None, result: ResultFile
) -> None:
    line = element.sourceline or 0
    e2e, code, has_reason, amount_element = _transaction_fields(element, q)
    if not e2e:
        result.problem(_("Line %(line)s: a transaction status without an end-to-end ID."), line=line)
        return
    reason_code, reason_text = _reason(element, q) if has_reason else ("", "")
    block = element.getparent()
    if not code and block is not None:
        code = _text(block, q, "PmtInfSts")
        if code and not reason_code:
            reason_code, reason_text = _reason(block, q)
    if (not code or code == _PARTIAL) and group:
        code = group[0]
        reason_code, reason_text = (reason_code, reason_text) if reason_code else (group[1], group[2])
    if not code or code == _PARTIAL:
        result.problem(_("Line %(line)s: no status is given for %(id)s."), line=line, id=e2e)
        return
    status = _status(code, result, line)
    if status is None:
        return
    amount = None
    if amount_element is not None:
        amount = _amount((amount_element.text or "").strip(), amount_element.get("Ccy"), result, line)
    result.entries.append(StatusEntry(e2e, status, reason_code, reason_text, amount, line))


def read_camt054(data: bytes, is_ours: Callable[[str], bool]) -> ResultFile:
    """Our payments and others' movements in a camt.054 debit/credit notification (camt.054.001.08).

    A transaction (Ntry/NtryDtls/TxDtls) whose Refs/EndToEndId passes `is_ours` is one of ours: a booked
    debit of the paying account means settled, a pending one pending; a credit, a reversal (RvslInd) or a
    return reason (RtrInf) means the money came back, so the attempt is rejected with that reason. Every
    other movement, and every entry with no transaction details, is listed in `foreign` and changes nothing.
    """
    result = ResultFile(kind="camt.054")
    q = _namespace(data, "camt.054", result)
    if q is None:
        return result
    try:
        for _event, element in _parse(data, [q("Ntry")]):
            _entry(element, q, is_ours, result)
            _drop(element)
    except etree.XMLSyntaxError as error:
        _syntax_error(result, error)
    return result


@dataclass(slots=True)
class _Entry:
    line: int
    direction: str = ""
    booking: str = ""
    note: str = ""
    reference: str = ""
    reversal: bool = False
    amount: etree._Element | None = None
    transactions: list[etree._Element] = field(default_factory=list)


def _entry_fields(entry: etree._Element, q: _Names) -> _Entry:
    """An entry's fields in one pass over its children (cheaper than a find() per field)."""
    found = _Entry(entry.sourceline or 0)
    amount_tag, direction_tag, reversal_tag, status_tag, details_tag, note_tag, reference_tag = q.entry_tags
    for child in entry:
        tag = child.tag
        if tag == amount_tag:
            found.amount = child
        elif tag == direction_tag:
            found.direction = (child.text or "").strip()
        elif tag == reversal_tag:
            found.reversal = (child.text or "").strip().lower() == "true"
        elif tag == status_tag:
            found.booking = _text(child, q, "Cd") or (child.text or "").strip()
        elif tag == details_tag:
            found.transactions.extend(child.iterchildren(q("TxDtls")))
        elif tag == note_tag:
            found.note = (child.text or "").strip()
        elif tag == reference_tag:
            found.reference = (child.text or "").strip()
    return found


def _entry(element: etree._Element, q: _Names, is_ours: Callable[[str], bool], result: ResultFile) -> None:
    entry = _entry_fields(element, q)
    if not entry.transactions:
        description = entry.note or entry.reference or entry.direction
        result.foreign.append(ForeignEntry(description, _foreign_amount(entry.amount), entry.line))
        return
    for tx in entry.transactions:
        _entry_transaction(tx, entry, q, is_ours, result)


def _entry_transaction(
    tx: etree._Element, entry: _Entry, q: _Names, is_ours: Callable[[str], bool], result: ResultFile
) -> None:
    line = tx.sourceline or entry.line
    e2e = detail = ""
    amount_element = returned_info = None
    refs_tag, amount_tag, details_tag, return_tag, info_tag = q.tx_tags
    for child in tx:  # one pass, as for the entry itself
        tag = child.tag
        if tag == refs_tag:
            e2e = _text(child, q, "EndToEndId")
        elif tag == amount_tag:
            amount_element = child
        elif tag == details_tag and amount_element is None:
            amount_element = child.find(q("TxAmt/Amt"))
        elif tag == return_tag:
            returned_info = child
        elif tag == info_tag:
            detail = (child.text or "").strip()
    if amount_element is None and len(entry.transactions) == 1:
        amount_element = entry.amount
    if not e2e or not is_ours(e2e):
        detail = detail or _text(tx, q, "RmtInf/Ustrd") or entry.note
        description = " ".join(part for part in (e2e, detail) if part and part != "NOTPROVIDED")
        result.foreign.append(ForeignEntry(description or entry.direction, _foreign_amount(amount_element), line))
        return
    amount = None
    if amount_element is not None:
        amount = _amount((amount_element.text or "").strip(), amount_element.get("Ccy"), result, line)
    returned = entry.direction == "CRDT" or entry.reversal or returned_info is not None
    reason_code, reason_text = _reason(tx, q, "RtrInf") if returned_info is not None else ("", "")
    status: Status = "rejected" if returned else "settled" if entry.booking == "BOOK" else "pending"
    result.entries.append(StatusEntry(e2e, status, reason_code, reason_text, amount, line))


def _foreign_amount(element: etree._Element | None) -> int | None:
    if element is None:
        return None
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        return None
    return int(value) if value.is_finite() and value == value.to_integral_value() else None
