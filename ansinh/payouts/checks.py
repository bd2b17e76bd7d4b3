"""Input checks of the payouts app, shared by the services, the pages and the API: bank names, account
fields, phone and ID numbers, uploaded scans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation
from ansinh.lib.text import fold, nfc
from ansinh.payouts import selectors
from ansinh.payouts.models import CASH_CHANNELS, AccountChangeRequest, Bank, Channel
from ansinh.payouts.vietqr import account_number_normalise, account_number_valid

PHONE_PATTERN = re.compile(r"(0|84)\d{9,10}")
CITIZEN_ID_PATTERN = re.compile(r"\d{12}")
SCAN_MAX_BYTES = 5 * 1024 * 1024
# Accepted scans, recognised by their first bytes rather than by the name or the browser's claim.
SCAN_SIGNATURES = {b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png", b"%PDF-": "pdf"}
# Sources whose holder name is typed from the bank app in front of the officer, so it must be there.
NAME_REQUIRED_SOURCES = frozenset({AccountChangeRequest.Source.TYPED, AccountChangeRequest.Source.SCANNED})


def bank_resolve(text: str) -> Bank | None:
    """The directory bank a list names ("Vietcombank", "NH Chính sách xã hội", "970436"), if exactly one."""
    wanted = re.sub(r"^(ngan hang|nh)\b\s*", "", fold(text)).strip()
    if not wanted:
        return None
    banks = list(Bank.objects.filter(active=True))
    for bank in banks:
        if wanted in {bank.bin, fold(bank.code), fold(bank.short_name), fold(bank.name)}:
            return bank
    found = [b for b in banks if wanted in fold(b.name) or wanted in fold(b.short_name)]
    return found[0] if len(found) == 1 else None


@dataclass
class Cleaned:
    channel: str
    bank: Bank | None = None
    account_number: str = ""
    holder_name: str = ""
    errors: dict[str, Any] = field(default_factory=dict)


def clean_account(
    *,
    channel: str,
    bank_bin: str,
    bank_text: str,
    account_number: str,
    holder_name: str,
    organisation: Organisation | None,
    source: str,
) -> Cleaned:
    """The request's account fields in their stored form, or the errors found (all of them at once)."""
    if channel not in Channel.values:
        return Cleaned(channel, errors={"channel": _("Choose a payout channel.")})
    cleaned = Cleaned(channel, holder_name=nfc(holder_name))
    errors = cleaned.errors
    if channel in CASH_CHANNELS:
        if organisation is None or organisation.kind != Organisation.Kind.PAYMENT_SERVICE:
            errors["organisation"] = _("Choose the payment service organisation that pays in cash.")
        return cleaned
    bank = selectors.bank_by_bin(bank_bin.strip()) if bank_bin.strip() else bank_resolve(bank_text)
    if bank is None or not bank.active:
        errors["bank_bin"] = _("Choose a bank or provider from the directory.")
    elif channel == Channel.MOBILE_MONEY and bank.kind != Bank.Kind.MOBILE_MONEY:
        errors["bank_bin"] = _("A mobile-money account needs a mobile-money provider.")
    elif channel == Channel.BANK and bank.kind != Bank.Kind.BANK:
        errors["bank_bin"] = _("A bank account needs a bank; choose mobile money for a wallet.")
    cleaned.bank = bank
    number = account_number_normalise(account_number)
    if channel == Channel.MOBILE_MONEY:
        if PHONE_PATTERN.fullmatch(number) is None:
            errors["account_number"] = _("A mobile-money account is the wallet's phone number (10 digits).")
    elif not account_number_valid(number):
        errors["account_number"] = _("The account number must be 1 to 19 letters and digits.")
    cleaned.account_number = number
    if source in NAME_REQUIRED_SOURCES and not cleaned.holder_name:
        errors["holder_name"] = _("Type the account holder's name as the bank app shows it.")
    return cleaned


def scan_check(scan: UploadedFile) -> str:
    """The scan's type ("jpeg", "png", "pdf") after checking size and first bytes; ValidationError if refused."""
    if scan.size is None or scan.size > SCAN_MAX_BYTES:
        raise ValidationError({"scan": _("The scan must be at most 5 MB.")})
    scan.seek(0)
    head = scan.read(8)
    scan.seek(0)
    for signature, kind in SCAN_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise ValidationError({"scan": _("The scan must be a JPEG or PNG photo or a PDF.")})
