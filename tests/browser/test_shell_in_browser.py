"""The foundation seen through a real browser on a phone-sized screen."""

from __future__ import annotations

import pytest

from ansinh.access.roles import RoleSlug
from tests import factories as f
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.conftest import Personas, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_police_sees_only_their_commune_and_switches_language(page, world: World) -> None:
    f.user(RoleSlug.COMMUNE_POLICE, communes=[world.ba_dinh], username="police")
    f.person("Nguyễn Thị Lan", world.ba_dinh, birth_year=1940, birth_month=3, birth_day=5, hamlet="Tổ 3")
    f.person("Phạm Văn Bình", world.ba_dinh, birth_year=1938, hamlet="Tổ 4", house_number="12")
    f.person("Lê Thị Hoà", world.ba_dinh, birth_year=1945, birth_month=7, hamlet="Tổ 1")
    f.person("Trần Văn Hòa", world.tay_ho)
    log_in(page, "police", f.PASSWORD)
    assert "Công an xã" in page.inner_text("main")
    page.click("text=Đối tượng")
    page.wait_for_selector("text=Nguyễn Thị Lan")
    assert "Trần Văn Hòa" not in page.inner_text("main")
    page.select_option("#language-select", "en")
    page.click(".lang button")
    page.wait_for_selector("h1:has-text('Beneficiaries')")
    screenshot(page, "beneficiaries-commune-police-en.png")
    page.select_option("#language-select", "vi")
    page.click(".lang button")
    page.wait_for_selector("h1:has-text('Đối tượng')")
    screenshot(page, "beneficiaries-commune-police.png")


@pytest.mark.parametrize(
    "persona",
    ["national", "province_hanoi", "culture_ba_dinh", "police_ba_dinh", "agent", "insurance", "auditor"],
)
def test_home_page_of_every_role_has_no_serious_accessibility_violation(page, personas: Personas, persona: str) -> None:
    log_in(page, getattr(personas, persona).username, f.PASSWORD)
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_login_page_has_no_serious_accessibility_violation(page) -> None:
    page.goto("/login/")
    assert axe_violations(page) == []
