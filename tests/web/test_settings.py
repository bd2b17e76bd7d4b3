"""Production mode refuses to start without its secrets; bad values fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANSINH_") and k != "DATABASE_URL"}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; import os; os.environ['DJANGO_SETTINGS_MODULE']='ansinh.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)",
        ],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ANSINH_MODE": "production", "ANSINH_ALLOWED_HOSTS": "ansinh.example"}, "ANSINH_SECRET_KEY"),
        ({"ANSINH_MODE": "production", "ANSINH_SECRET_KEY": "k" * 40}, "ANSINH_ALLOWED_HOSTS"),
        ({"ANSINH_SESSION_SECONDS": "soon"}, "ANSINH_SESSION_SECONDS='soon'"),
        ({"DATABASE_URL": "mysql://x/y"}, "unsupported scheme"),
    ],
)
def test_bad_configuration_refuses_to_start(env: dict[str, str], message: str) -> None:
    result = start(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_mode_sets_secure_cookies_and_hsts(tmp_path) -> None:
    result = start(
        {
            "ANSINH_MODE": "production",
            "ANSINH_SECRET_KEY": "k" * 40,
            "ANSINH_ALLOWED_HOSTS": "ansinh.example",
            "ANSINH_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000"]
