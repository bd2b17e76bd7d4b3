"""`ansinh run` supervises web, worker and scheduler: one signal stops all three, one death stops the rest."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database of its own (the run command serves the real settings, not the test DB)."""
    path = tmp_path_factory.mktemp("run-var")
    env = {**os.environ, "ANSINH_VAR_DIR": str(path)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "ansinh", "migrate", "--noinput"], env=env, check=True, capture_output=True, timeout=300
    )
    return path


def start(var_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "ANSINH_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "ansinh", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not become healthy")


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); its state in ps is Z.
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


def test_sigterm_stops_web_worker_and_scheduler(var_dir: Path) -> None:
    port = free_port()
    process = start(var_dir, port)
    try:
        wait_healthy(port)
        children = children_of(process.pid)
        assert len(children) == 3
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        time.sleep(0.5)
        assert [pid for pid in children if alive(pid)] == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_when_one_component_dies_the_others_stop_and_it_exits_non_zero(var_dir: Path) -> None:
    port = free_port()
    process = start(var_dir, port)
    try:
        wait_healthy(port)
        children = children_of(process.pid)
        os.kill(children[-1], signal.SIGKILL)  # the scheduler
        assert process.wait(timeout=30) != 0
        time.sleep(0.5)
        assert [pid for pid in children if alive(pid)] == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_busy_port_is_a_clear_message(var_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = start(var_dir, port)
        output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert f"Port {port}" in output and "already in use" in output
