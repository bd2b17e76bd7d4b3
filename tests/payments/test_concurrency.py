"""Two cycle runs at once over the same people: each month is paid once (PostgreSQL row locks, SQLite's
IMMEDIATE transactions, and underneath both the unique constraint that ON CONFLICT leans on)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ansinh.payments.models import Payment
from ansinh.payments.services import cycle_compute
from tests.payments.conftest import Pay


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_cycle_runs_never_pay_a_month_twice(pay: Pay) -> None:
    benefits = [pay.beneficiary(pay.world.ba_dinh, name=f"Người {i}") for i in range(40)]
    ba_dinh = pay.cycle()
    both = pay.cycle(communes=[pay.world.ba_dinh, pay.world.tay_ho])
    runs = [(pay.personas.culture_ba_dinh, ba_dinh.pk), (pay.personas.province_hanoi, both.pk)]
    barrier = threading.Barrier(len(runs))
    errors: list[BaseException] = []

    def run(user, cycle_id: int) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            cycle_compute(user=user, cycle_id=cycle_id)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    counts = list(Payment.objects.values_list("benefit_id", flat=True))
    assert sorted(counts) == sorted(b.pk for b in benefits), connection.vendor
