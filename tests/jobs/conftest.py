from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import datetime

import pytest
from django.utils import timezone

from ansinh.jobs.periodic import SCHEDULE_ZONE


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """The worker and the scheduler install their own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = datetime(2025, 7, 1, 10, 15, 20, tzinfo=SCHEDULE_ZONE)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=SCHEDULE_ZONE)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Vietnam local time frozen at 1 July 2025 10:15:20; `clock.set(y, m, d, h, mi)` moves it."""
    return Clock(monkeypatch)
