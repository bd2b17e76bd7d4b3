"""The bank directory as data: NAPAS BINs from vietnam-qr-pay, cleaned and completed.

The package lists renamed banks twice under one BIN (Đông Á and Vikki, LienVietPostBank and LPBank,
OceanBank and MBV) and one bank without a BIN; the current name wins and the empty one is dropped.
It lacks the Bank for Social Policies, which pays much of social assistance, and the mobile-money
providers; those are added here. Loading is idempotent and never overwrites a row an administrator
edited by hand, except to fill in what is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXTRA_BANKS: tuple[dict[str, str], ...] = (
    {
        "bin": "999888",
        "code": "VBSP",
        "short_name": "VBSP",
        "name": "Ngân hàng Chính sách xã hội",
        "kind": "bank",
        "swift": "",
    },
    {
        "bin": "971005",
        "code": "VIETTELMONEY",
        "short_name": "Viettel Money",
        "name": "Tổng Công ty Dịch vụ số Viettel (Viettel Money)",
        "kind": "mobile_money",
        "swift": "",
    },
    {
        "bin": "971011",
        "code": "VNPTMONEY",
        "short_name": "VNPT Money",
        "name": "Công ty Dịch vụ Tài chính số VNPT (VNPT Money)",
        "kind": "mobile_money",
        "swift": "",
    },
)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def _is_bin(text: str) -> bool:
    return len(text) == 6 and text.isdigit()


def directory() -> list[dict[str, str]]:
    """The cleaned directory: one entry per BIN, current names over deprecated ones, extras added."""
    from vietnam_qr_pay import BanksObject

    chosen: dict[str, tuple[bool, dict[str, str]]] = {}
    for bank in BanksObject.values():
        bin_ = (bank.bin or "").strip()
        if not _is_bin(bin_):
            continue
        deprecated = bool(bank.deprecated)
        swift = (bank.swift_code or "").strip()[:11]
        entry = {
            "bin": bin_,
            "code": str(getattr(bank.code, "value", bank.code) or "")[:20],
            "short_name": bank.short_name[:100],
            "name": bank.name[:300],
            "kind": "bank",
            # A SWIFT code names its country in letters 5-6; the package gives one bank a US code.
            "swift": swift if swift[4:6] == "VN" else "",
        }
        previous = chosen.get(bin_)
        if previous is None or (previous[0] and not deprecated):
            chosen[bin_] = (deprecated, entry)
    for extra in EXTRA_BANKS:
        chosen.setdefault(extra["bin"], (False, dict(extra)))
    return sorted((entry for _, entry in chosen.values()), key=lambda e: e["bin"])


def banks_load(bank_model: Any) -> LoadResult:
    """Create the missing banks and fill empty fields of existing ones; `bank_model` may be a
    migration's historical model, so only plain queryset methods are used."""
    existing = {bank.bin: bank for bank in bank_model.objects.all()}
    created = updated = 0
    for entry in directory():
        bank = existing.get(entry["bin"])
        if bank is None:
            bank_model.objects.create(**entry)
            created += 1
            continue
        changed = [name for name, value in entry.items() if value and not getattr(bank, name)]
        for name in changed:
            setattr(bank, name, entry[name])
        if changed:
            bank.save(update_fields=changed)
            updated += 1
    return LoadResult(created=created, updated=updated)
