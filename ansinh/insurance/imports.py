"""Import of participant and payment lists from Excel: stage every row, report problems by file, row and
column, commit the valid rows through the same services as the forms, keep the invalid ones in the batch.

Commit is safe to run twice: a row that became a record remembers it and is skipped.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from python_calamine import CalamineWorkbook

from ansinh.access.models import User
from ansinh.access.scoping import area_communes
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.insurance import rules, services
from ansinh.insurance.models import ImportBatch, ImportRow, Participant
from ansinh.insurance.selectors import can_write, participant_list
from ansinh.lib.text import fold

# Header (folded) -> field. Vietnamese headers as on the collection organisations' lists, and English ones.
HEADERS: dict[str, str] = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "full name": "full_name",
    "so cccd": "citizen_id",
    "so dinh danh": "citizen_id",
    "cccd": "citizen_id",
    "id number": "citizen_id",
    "gioi tinh": "sex",
    "sex": "sex",
    "nam sinh": "birth_year",
    "birth year": "birth_year",
    "ma xa": "commune_code",
    "commune code": "commune_code",
    "so dien thoai": "phone",
    "phone": "phone",
    "muc thu nhap": "monthly_income",
    "muc thu nhap lua chon": "monthly_income",
    "income": "monthly_income",
    "phuong thuc dong": "payment_mode",
    "payment mode": "payment_mode",
    "nhom ho tro": "support_group",
    "support group": "support_group",
    "ngay dang ky": "registered_on",
    "registered on": "registered_on",
    "tu thang": "from_month",
    "from month": "from_month",
    "so thang": "months",
    "months": "months",
    "ngay nop": "paid_on",
    "paid on": "paid_on",
    "so tien": "amount",
    "amount": "amount",
    "so bien lai": "receipt",
    "receipt": "receipt",
}
REQUIRED = {
    ImportBatch.Kind.PARTICIPANTS: (
        "full_name",
        "citizen_id",
        "birth_year",
        "commune_code",
        "monthly_income",
        "payment_mode",
        "support_group",
        "registered_on",
    ),
    ImportBatch.Kind.PAYMENTS: ("citizen_id", "from_month", "paid_on"),
}
MODES = {
    "hang thang": "monthly",
    "3 thang": "quarterly",
    "6 thang": "semiannual",
    "12 thang": "yearly",
    "nhieu nam": "years_ahead",
    "mot lan": "lump_sum",
}
GROUPS = {"ho ngheo": "poor", "ho can ngheo": "near_poor", "dan toc thieu so": "ethnic_minority", "khac": "other"}
SEXES = {"nam": "M", "nu": "F", "m": "M", "f": "F"}


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Parsed:
    values: dict[str, Any]
    problems: list[dict[str, str]]


def _rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    for number, cells in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        yield number, list(cells)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if len(text) >= 10 and text[4] == "-":
        return dt.date.fromisoformat(text[:10])
    day, month, year = (int(part) for part in text.split("/"))
    return dt.date(year, month, day)


def _month(value: Any) -> int:
    if isinstance(value, dt.date):
        return rules.month_of_date(value)
    text = _text(value)
    if len(text) >= 7 and text[4] == "-":
        return rules.month_index(int(text[:4]), int(text[5:7]))
    month, year = (int(part) for part in text.split("/"))
    return rules.month_index(year, month)


def _parse(kind: str, row: dict[str, tuple[str, Any]]) -> Parsed:
    """Turn one row's cells into typed values; every cell that fails is a problem with its column."""
    values: dict[str, Any] = {}
    problems: list[dict[str, str]] = []

    def problem(field: str, message: str) -> None:
        problems.append({"column": row.get(field, ("", None))[0], "field": field, "message": message})

    for field in REQUIRED[ImportBatch.Kind(kind)]:
        if field not in row or _text(row[field][1]) == "":
            problem(field, "required value is missing")
    for field, (_column, raw) in row.items():
        if raw is None or _text(raw) == "":
            continue
        try:
            if field in ("birth_year", "monthly_income", "months", "amount"):
                values[field] = int(float(_text(raw).replace(".", "").replace(",", "")))
            elif field in ("registered_on", "paid_on"):
                values[field] = _date(raw)
            elif field == "from_month":
                values[field] = _month(raw)
            elif field == "payment_mode":
                text = fold(_text(raw))
                values[field] = MODES.get(text, text)
                rules.PaymentMode(values[field])
            elif field == "support_group":
                text = fold(_text(raw))
                values[field] = GROUPS.get(text, text)
                rules.SupportGroup(values[field])
            elif field == "sex":
                values[field] = SEXES.get(fold(_text(raw)), "")
            else:
                values[field] = _text(raw)
        except (ValueError, TypeError):
            problem(field, f"cannot read {_text(raw)!r}")
    return Parsed(values, problems)


def batch_stage(*, user: User, kind: str, file_name: str, data: bytes) -> ImportBatch:
    """Read the first sheet: its first row with a known header is the header; every later non-empty row is staged."""
    if not can_write(user):
        raise PermissionError("this role may not import insurance lists")
    header: dict[int, str] | None = None
    staged: list[ImportRow] = []
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind=kind, file_name=file_name[:255], uploaded_by=user)
        for number, cells in _rows(data):
            if header is None:
                found = {i: HEADERS[fold(_text(c))] for i, c in enumerate(cells) if fold(_text(c)) in HEADERS}
                if len(found) >= 2:
                    header = found
                continue
            if all(_text(c) == "" for c in cells):
                continue
            row = {field: (_letter(i), cells[i] if i < len(cells) else None) for i, field in header.items()}
            parsed = _parse(kind, row)
            raw = {field: _text(value) for field, (_c, value) in row.items() if value is not None}
            staged.append(ImportRow(batch=batch, row_number=number, values=raw, problems=parsed.problems))
        if header is None:
            raise ValidationError({"file": "no header row with known columns was found"})
        ImportRow.objects.bulk_create(staged, batch_size=1000)
        audit_record(actor=user, entries=[AuditEvent.about(batch, "stage", summary=f"{len(staged)} rows")])
    return batch


def batch_commit(*, user: User, batch: ImportBatch) -> dict[str, int]:
    """Create the records of the batch's valid rows; rows that fail a service check get that problem too."""
    communes = {c.code: c for c in area_communes(user)}
    done = failed = 0
    with transaction.atomic():
        for row in batch.rows.filter(record_id__isnull=True).select_for_update():
            if row.problems:
                failed += 1
                continue
            parsed = _parse(batch.kind, {field: ("", value) for field, value in row.values.items()})
            try:
                record_id = _commit_row(user, batch.kind, parsed.values, communes)
            except (ValidationError, PermissionError, ValueError) as error:
                messages = getattr(error, "messages", [str(error)])
                row.problems = [{"column": "", "field": "", "message": m} for m in messages]
                row.save(update_fields=["problems"])
                failed += 1
                continue
            row.record_id = record_id
            row.save(update_fields=["record_id"])
            done += 1
        batch.status = ImportBatch.Status.COMMITTED
        batch.save(update_fields=["status"])
        audit_record(actor=user, entries=[AuditEvent.about(batch, "commit", summary=f"{done} created, {failed} kept")])
    return {"created": done, "kept": failed}


def _commit_row(user: User, kind: str, values: dict[str, Any], communes: dict[str, Any]) -> int:
    if kind == ImportBatch.Kind.PARTICIPANTS:
        commune = communes.get(values["commune_code"])
        if commune is None:
            raise ValidationError(f"commune {values['commune_code']} is not in your area")
        registered = services.participant_register(
            user=user,
            full_name=values["full_name"],
            citizen_id=values["citizen_id"],
            sex=values.get("sex", ""),
            birth_year=values["birth_year"],
            commune=commune,
            monthly_income=values["monthly_income"],
            payment_mode=values["payment_mode"],
            support_group=values["support_group"],
            registered_on=values["registered_on"],
            phone=values.get("phone", ""),
        )
        return registered.pk
    participant: Participant | None = participant_list(user=user).filter(citizen_id=values["citizen_id"]).first()
    if participant is None:
        raise ValidationError("no participant with this ID number in your area")
    payment = services.payment_record(
        user=user,
        participant=participant,
        from_month=values["from_month"],
        months=values.get("months"),
        paid_on=values["paid_on"],
        amount=values.get("amount"),
        receipt=values.get("receipt", ""),
    )
    return payment.pk
