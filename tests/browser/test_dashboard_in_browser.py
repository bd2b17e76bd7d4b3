"""A province officer drills down the progress dashboard to a commune and the people behind a figure."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from ansinh.campaigns import services
from ansinh.geo.models import Commune
from ansinh.payouts.models import PayoutMethod
from ansinh.registry.models import Benefit, Category
from tests import factories as f
from tests.browser.conftest import log_in, screenshot
from tests.campaigns.helpers import classified_visit
from tests.conftest import Personas, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    "Nguyễn Thị Lan",
    "Trần Văn Bình",
    "Lê Thị Cúc",
    "Phạm Văn Dũng",
    "Hoàng Thị Em",
    "Vũ Văn Phúc",
    "Đỗ Thị Giang",
]


def _province(world: World, personas: Personas) -> None:
    rng = random.Random(7)
    world.ba_dinh.latitude, world.ba_dinh.longitude = 21.034, 105.814
    world.tay_ho.latitude, world.tay_ho.longitude = 21.070, 105.818
    Commune.objects.bulk_update([world.ba_dinh, world.tay_ho], ["latitude", "longitude"])
    communes = [world.ba_dinh, world.tay_ho]
    for i, (lat, lon) in enumerate([(21.02, 105.85), (20.98, 105.79), (21.13, 105.77), (20.95, 105.90)]):
        communes.append(f.commune(f"9{i:04d}", f"Xã Thử Nghiệm {i + 1}", world.hanoi))
        Commune.objects.filter(pk=communes[-1].pk).update(latitude=lat, longitude=lon)
    for n in range(60):
        commune = communes[n % len(communes)]
        person = f.person(f"{NAMES[n % len(NAMES)]} {n}", commune)
        benefit = Benefit.objects.create(person=person, category=rng.choice(Category.values[:4]))
        if rng.random() < 0.3 + 0.1 * (n % len(communes)):
            PayoutMethod.objects.create(person=person, benefit=benefit, channel=rng.choice(["bank", "mobile_money"]))
        if rng.random() < 0.5:
            classified_visit(person, personas.police_ba_dinh, rng)
    start = timezone.localdate() - dt.timedelta(days=10)
    services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=start, province=world.hanoi
    )
    for day in range(5):
        services.snapshot_take(day=timezone.localdate() - dt.timedelta(days=4 - day))


def test_province_officer_drills_down_to_the_people_behind_a_figure_and_exports(page, world, personas) -> None:
    _province(world, personas)
    log_in(page, personas.province_hanoi.username, f.PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/campaigns/")
    page.wait_for_selector("h1:has-text('Hà Nội')")
    assert page.locator("figure.map svg circle").count() >= 6
    assert "Hải Phòng" not in page.inner_text("main")
    screenshot(page, "dashboard-province.png")
    page.click("#children >> text=Phường Ba Đình")
    page.wait_for_selector("h1:has-text('Phường Ba Đình')")
    count = page.locator("#headline tbody tr").nth(4).locator("td.num a").inner_text()
    page.locator("#headline tbody tr").nth(4).locator("td.num a").click()
    page.wait_for_selector("#people")
    rows = page.locator("#people tbody tr td a")
    assert rows.count() == int(count.replace(",", "").replace(".", ""))
    assert all("Ba Đình" in text for text in page.locator("#people tbody tr").all_inner_texts())
    page.go_back()
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as pdf:
        page.click("#export-pdf")
    assert pdf.value.suggested_filename.endswith(".pdf")
