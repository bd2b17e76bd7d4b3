"""Shared fixtures: a small world of two provinces and three communes, and a persona per role.

Test groups that need a tool (Chromium, Java) skip with a message when it is missing; with CI=true
a skip of such a group is a failure, so CI cannot pass by not running them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.geo.models import Commune, Province
from tests import factories as f

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(available: bool, message: str) -> None:
    """Skip locally when a tool is missing; fail in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing tool is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Test users are many; the production hasher would spend about a second on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    hanoi: Province
    haiphong: Province
    ba_dinh: Commune  # in Hà Nội
    tay_ho: Commune  # in Hà Nội
    le_chan: Commune  # in Hải Phòng


@dataclass
class Personas:
    national: User
    province_hanoi: User
    culture_ba_dinh: User
    police_ba_dinh: User
    police_tay_ho: User
    agent: User  # payment agent serving Ba Đình and Lê Chân, across provinces
    auditor: User
    insurance: User
    no_role: User


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[object]:
    """One Playwright for the whole run: its sync API keeps an event loop in this thread, so a second
    instance started by another test module would fail. Browser fixtures launch their browsers from it."""
    require_tool(
        shutil.which("chromium") is not None, "browser tests need Debian's chromium package (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


# Data the migrations load: a transactional test's flush empties these tables for the tests after it.
REFERENCE_DATA = (
    ("ansinh.access.migrations.0002_default_roles_and_agencies", "create", "access.Role"),
    ("ansinh.registry.migrations.0002_allowance_rules", "create", "registry.Subgroup"),
    ("ansinh.payouts.migrations.0004_bank_directory", "load", "payouts.Bank"),
)


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Put back what the migrations load (roles, allowance rules, banks) when a flush has emptied it."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("db")
    from importlib import import_module

    from django.apps import apps

    for module, function, model in REFERENCE_DATA:
        if not apps.get_model(model).objects.exists():
            getattr(import_module(module), function)(apps, None)


@pytest.fixture
def english_pages(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Read pages and messages in English. The site is Vietnamese by default (LANGUAGE_CODE), so a test that
    asserts English text asks for it; apps whose tests all do so use this fixture automatically."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> World:
    hanoi = f.province("01", "Thành phố Hà Nội")
    haiphong = f.province("31", "Thành phố Hải Phòng")
    return World(
        hanoi=hanoi,
        haiphong=haiphong,
        ba_dinh=f.commune("00004", "Phường Ba Đình", hanoi),
        tay_ho=f.commune("00103", "Phường Tây Hồ", hanoi),
        le_chan=f.commune("11311", "Phường Lê Chân", haiphong),
    )


@pytest.fixture
def personas(world: World) -> Personas:
    post = f.organisation("Bưu điện thử nghiệm")
    return Personas(
        national=f.user(RoleSlug.NATIONAL_SUPERVISOR, nation=True, username="national"),
        province_hanoi=f.user(RoleSlug.PROVINCE_OFFICER, provinces=[world.hanoi], username="province_hanoi"),
        culture_ba_dinh=f.user(RoleSlug.COMMUNE_CULTURE_OFFICER, communes=[world.ba_dinh], username="culture_ba_dinh"),
        police_ba_dinh=f.user(RoleSlug.COMMUNE_POLICE, communes=[world.ba_dinh], username="police_ba_dinh"),
        police_tay_ho=f.user(RoleSlug.COMMUNE_POLICE, communes=[world.tay_ho], username="police_tay_ho"),
        agent=f.user(RoleSlug.PAYMENT_AGENT, communes=[world.ba_dinh, world.le_chan], org=post, username="agent"),
        auditor=f.user(RoleSlug.AUDITOR, nation=True, username="auditor"),
        insurance=f.user(RoleSlug.INSURANCE_OFFICER, provinces=[world.haiphong], username="insurance"),
        no_role=f.user(None, username="no_role"),
    )
