from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def outbox_dir(settings, tmp_path: Path) -> Path:
    """Each test writes its outbox files under its own temporary directory."""
    settings.OUTBOX_FILE_DIR = tmp_path / "outbox"
    settings.OUTBOX_SMS_SENDER = "ansinh.outbox.senders.FileSender"
    settings.OUTBOX_EMAIL_SENDER = "ansinh.outbox.senders.FileSender"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "outbox"


def read_lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
