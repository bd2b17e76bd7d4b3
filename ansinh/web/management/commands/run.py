"""`ansinh run`: the web server (gunicorn), the worker and the scheduler, supervised in the foreground.

Ctrl-C or SIGTERM stops all three; if one of them dies the others are stopped and the command exits
non-zero, so a supervisor (systemd, a container) sees the failure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

GRACE_SECONDS = 10


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Serve the site with gunicorn and run the background worker and the scheduler, in the foreground."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="gunicorn threads (one worker process)")
        parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not port_is_free(host, port):
            raise CommandError(
                f"Port {port} on {host} is already in use: another ansinh (or another program) is serving there. "
                f"Stop it, or choose another port: ansinh run --port {port + 1}"
            )
        ansinh = [sys.executable, "-m", "ansinh"]
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "ansinh.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--worker-class",
                "gthread",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                str(GRACE_SECONDS),
            ],
            "worker": [*ansinh, "worker"],
            "scheduler": [*ansinh, "scheduler"],
        }
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Children ignore the terminal's Ctrl-C (own process group); this process forwards SIGTERM instead,
        # so the three stop in a known order.
        for name, command in commands.items():
            children[name] = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)  # noqa: S603
        self.stdout.write(f"ansinh is serving on http://{host}:{port}/ (web, worker and scheduler). Ctrl-C stops.")
        exit_code = 0
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with status {child.returncode}; stopping the others.")
                        exit_code = 1
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop_all(children)
        if exit_code:
            raise CommandError("a component of ansinh stopped unexpectedly", returncode=exit_code)

    def _stop_all(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.stdout.write("ansinh stopped.")
