"""Writers in parallel transactions queue on the head row, so the chain stays whole in commit order.

Runs on SQLite (a file database: WAL, BEGIN IMMEDIATE, busy timeout) and, in CI, on PostgreSQL
(row lock on the head).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections, transaction

from ansinh.access.models import User
from ansinh.audit.models import AuditEntry, AuditHead
from ansinh.audit.services import AuditEvent, audit_record
from tests.audit.conftest import verify

THREADS = 8
TRANSACTIONS = 25
EVENTS_PER_TRANSACTION = 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_one_unbroken_chain() -> None:
    actors = [User.objects.create_user(username=f"writer{n}") for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(actor: User) -> None:
        try:
            start.wait(timeout=30)
            for number in range(TRANSACTIONS):
                with transaction.atomic():
                    # Stand-in for the domain change that precedes the audit write in a real service.
                    time.sleep(0.001)
                    audit_record(
                        actor=actor,
                        entries=[
                            AuditEvent(
                                action="update",
                                object_type="tests.counter",
                                object_id=actor.username,
                                before={"value": number},
                                after={"value": number + 1},
                            ),
                            AuditEvent(action="view", object_type="tests.counter", object_ids=[actor.username, "x"]),
                        ],
                    )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    total = THREADS * TRANSACTIONS * EVENTS_PER_TRANSACTION
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    assert AuditHead.objects.get(pk=1).count == total
    # Each writer's own entries keep the order in which it committed them.
    for actor in actors:
        values = [entry.canonical for entry in AuditEntry.objects.filter(actor=actor, action="update").order_by("seq")]
        assert [f'"after":{{"value":{n + 1}}}' in text for n, text in enumerate(values)] == [True] * TRANSACTIONS
    result = verify()
    assert result.returncode == 0, result.output
    assert result.output.startswith(f"audit chain OK: {total} entries")
