"""`ansinh scheduler`: enqueues periodic work once per period (see `ansinh.jobs.periodic`)."""

from __future__ import annotations

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from ansinh.jobs.periodic import periodic_entries
from ansinh.jobs.services import scheduled_runs_enqueue_due

logger = logging.getLogger("ansinh.jobs.scheduler")


class Command(BaseCommand):
    help = "Enqueue daily and periodic tasks, exactly once per period, every --interval seconds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between passes (default: 30).")
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        if interval <= 0:
            raise CommandError("--interval must be greater than zero")
        names = [entry.name for entry in periodic_entries()]
        if once:
            scheduled_runs_enqueue_due()
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            # The running pass finishes (each entry is its own transaction); the loop then exits with 0.
            logger.info("scheduler: %s received, stopping", signal.strsignal(signum))
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        logger.info("scheduler: started with %d periodic tasks: %s", len(names), ", ".join(names))
        try:
            while not stop.is_set():
                self._pass()
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("scheduler: stopped")

    def _pass(self) -> None:
        close_old_connections()
        try:
            scheduled_runs_enqueue_due()
        except DatabaseError:
            # A locked or briefly unreachable database: the next pass tries again, nothing is lost.
            logger.exception("scheduler: pass failed; retrying at the next pass")
