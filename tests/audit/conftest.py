"""Helpers for audit tests: writing entries, running `audit verify`, tampering on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ansinh.audit import schema
from ansinh.audit.models import AuditEntry
from ansinh.audit.services import AuditEvent, audit_record


def write(
    count: int = 1, *, actor: object = None, object_type: str = "tests.thing", **fields: object
) -> list[AuditEntry]:
    """Write `count` update entries in one transaction (one per record 1..count unless object_id is given)."""
    events = [
        AuditEvent(
            **{  # type: ignore[arg-type]
                "action": "update",
                "object_type": object_type,
                "object_id": str(number),
                "before": {"status": "draft", "amount": number},
                "after": {"status": "approved", "amount": number + 1},
                **fields,
            }
        )
        for number in range(1, count + 1)
    ]
    with transaction.atomic():
        return audit_record(actor=actor, entries=events)  # type: ignore[arg-type]


@dataclass
class VerifyResult:
    returncode: int
    output: str


def verify() -> VerifyResult:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return VerifyResult(exc.returncode, err.getvalue() + str(exc))
    return VerifyResult(0, out.getvalue())


def raw_sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.fixture
def unguarded(db: None) -> Iterator[None]:
    """Drop the append-only triggers so a test can tamper; the test's rollback restores them."""
    schema.uninstall(connection)
    yield
