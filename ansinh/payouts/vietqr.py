"""Reading a VietQR string (the NAPAS EMVCo payload a bank app shows) into a bank BIN and an account.

Free of Django so that the checks can run anywhere; messages are English msgids marked with
`gettext_noop`, which the web and API layers translate. The checks, in order: the text is an EMVCo
payload at all, its CRC holds, it is a NAPAS VietQR transfer code, it names an account and not a
card, the BIN is known (the caller passes the lookup: the directory is data), and the account number
has the shape NAPAS allows (up to 19 letters and digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
ACCOUNT_PATTERN = re.compile(r"[A-Za-z0-9]{1,19}")
BIN_PATTERN = re.compile(r"\d{6}")


def gettext_noop(message: str) -> str:
    """Mark a msgid for extraction; translation happens where the message is shown."""
    return message


MESSAGES = {
    "empty": gettext_noop("The QR code is empty."),
    "not_vietqr": gettext_noop("This QR code is not a VietQR."),
    "crc": gettext_noop("The QR code's check digits (CRC) do not match: it was damaged or misread. Scan it again."),
    "not_transfer": gettext_noop("This QR code is a payment code but not a VietQR account transfer code."),
    "card": gettext_noop("This VietQR names a card, not an account. Ask for the account's QR code."),
    "service": gettext_noop("This VietQR does not name an account."),
    "bin": gettext_noop("The QR code's bank identifier (BIN) is malformed."),
    "unknown_bank": gettext_noop("The bank of this QR code (BIN %(bin)s) is not in the bank directory."),
    "account": gettext_noop("The account number must be 1 to 19 letters and digits."),
}


class VietQRError(ValueError):
    """The text is not an acceptable account VietQR; `code` is a key of MESSAGES, `params` fills it in."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(MESSAGES[code] % params if params else MESSAGES[code])
        self.code = code
        self.params = params

    @property
    def msgid(self) -> str:
        return MESSAGES[self.code]


@dataclass(frozen=True)
class VietQRAccount:
    bank_bin: str
    account_number: str
    service: str
    amount: str = ""
    purpose: str = ""


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE over the UTF-8 bytes, as four upper-case hex digits (EMVCo field 63)."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdefABCDEF" for ch in text)


def tlv_fields(text: str) -> dict[str, str]:
    """The ID -> value fields of one EMVCo level; ValueError if the lengths do not add up."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        head = text[position : position + 4]
        if len(head) < 4 or not head.isdigit():
            raise ValueError("truncated field header")
        length = int(head[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise ValueError("field runs past the end")
        fields.setdefault(head[:2], value)
        position += 4 + length
    return fields


def account_number_normalise(text: str) -> str:
    """The stored form of an account number: no spaces or separators a person may type, upper case."""
    return re.sub(r"[\s.\-]", "", text).upper()


def account_number_valid(text: str) -> bool:
    return ACCOUNT_PATTERN.fullmatch(text) is not None


def vietqr_parse(text: str, *, bank_known: Callable[[str], bool] | None = None) -> VietQRAccount:
    """The bank BIN and account number of an account VietQR, or VietQRError saying what is wrong."""
    payload = text.strip()
    if not payload:
        raise VietQRError("empty")
    # Payload format indicator first, CRC field last: anything else is some other kind of QR code.
    if not payload.startswith("000201") or len(payload) < 16 or payload[-8:-4] != "6304" or not _is_hex(payload[-4:]):
        raise VietQRError("not_vietqr")
    if crc16(payload[:-4]) != payload[-4:].upper():
        raise VietQRError("crc")
    try:
        root = tlv_fields(payload)
        merchant = tlv_fields(root.get("38", ""))
        beneficiary = tlv_fields(merchant.get("01", ""))
        extra = tlv_fields(root.get("62", ""))
    except ValueError:
        raise VietQRError("not_vietqr") from None
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError("not_transfer" if len(root) > 3 else "not_vietqr")
    service = merchant.get("02", "")
    if service == SERVICE_CARD:
        raise VietQRError("card")
    if service not in ("", SERVICE_ACCOUNT):
        raise VietQRError("service")
    bank_bin = beneficiary.get("00", "")
    if BIN_PATTERN.fullmatch(bank_bin) is None:
        raise VietQRError("bin")
    if bank_known is not None and not bank_known(bank_bin):
        raise VietQRError("unknown_bank", bin=bank_bin)
    account = beneficiary.get("01", "")
    if not account_number_valid(account):
        raise VietQRError("account")
    return VietQRAccount(
        bank_bin=bank_bin,
        account_number=account.upper(),
        service=service or SERVICE_ACCOUNT,
        amount=root.get("54", ""),
        purpose=extra.get("08", ""),
    )
