"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Locally they skip with a message when chromium is missing; with CI=true that is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

# The live server runs in a thread beside async Playwright internals; Django must allow sync DB access.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser(playwright_session) -> Iterator[object]:  # type: ignore[no-untyped-def]
    instance = playwright_session.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
    yield instance
    instance.close()


_warmed: set[str] = set()


def warm_up(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """The live server's first answer loads every URLconf and template (20 s on a busy 2-core machine);
    pay that once with a generous timeout so each test's own timeouts measure the page, not the start-up."""
    if base_url not in _warmed:
        page.goto("/login/", timeout=180_000)
        _warmed.add(base_url)


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    warm_up(page, live_server.url)
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/")


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:  # type: ignore[no-untyped-def]
    # Evaluated through the devtools protocol, which the page's content-security policy does not govern
    # (a script tag would be refused, as it should be).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in impacts]


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
