"""The real geography, loaded once per test module inside a transaction that is rolled back after it.

Each test still runs in its own savepoint (pytest-django's `db`), so a test that changes codes
leaves the loaded data as it found it, and nothing outlives the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoDbBlocker

from ansinh.geo.services import LoadReport, geography_load_package


@dataclass
class Loaded:
    report: LoadReport
    queries: int  # statements the first load needed


@pytest.fixture(scope="module")
def geography(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Loaded]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with CaptureQueriesContext(connection) as captured:
                report = geography_load_package()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield Loaded(report=report, queries=len(captured.captured_queries))
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
