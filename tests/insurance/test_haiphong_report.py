"""The acceptance test: Hai Phong's report of October 2024 comes out of the counting code."""

from __future__ import annotations

import time

import pytest

from ansinh.access.models import Organisation
from ansinh.access.roles import RoleSlug
from ansinh.insurance import rules
from ansinh.insurance.coverage import counts_from_payments
from ansinh.insurance.models import Plan
from ansinh.insurance.selectors import monthly_report
from tests import factories as f
from tests.conftest import World
from tests.insurance import haiphong


@pytest.fixture
def haiphong_world(world: World):  # type: ignore[no-untyped-def]
    communes = [world.le_chan, f.commune("11320", "Phường Ngô Quyền", world.haiphong)]
    organisations = [
        f.organisation("Bưu điện Hải Phòng", Organisation.Kind.COLLECTION),
        f.organisation("Đại lý thu Hồng Bàng", Organisation.Kind.COLLECTION),
    ]
    started = time.perf_counter()
    people = haiphong.build(communes=communes, organisations=organisations)
    Plan.objects.create(
        year=2024,
        province=world.haiphong,
        target_participants=haiphong.PLAN_2024,
        net_increase_target=haiphong.NET_INCREASE_TARGET_2024,
    )
    officer = f.user(RoleSlug.INSURANCE_OFFICER, provinces=[world.haiphong])
    return officer, organisations, people, time.perf_counter() - started


def test_october_2024_report_reproduces_hai_phong_figures(haiphong_world) -> None:  # type: ignore[no-untyped-def]
    officer, _organisations, people, _seconds = haiphong_world
    report = monthly_report(officer, 2024, 10)
    total = report.total
    assert people > total.count  # some constructed people do not count: the figure is not the row count
    assert total.count == 36_421
    assert total.target == 40_499
    assert total.plan_percent == 89.93
    assert (total.change_month, total.change_month_percent) == (128, 0.35)
    assert total.change_december == 1_588
    assert total.change_year == 10_472
    assert total.net_target == 4_335
    assert total.still_needed == 2_747


def test_report_rows_add_up_and_agree_with_a_recount_from_raw_payments(haiphong_world) -> None:  # type: ignore[no-untyped-def]
    officer, organisations, _people, _seconds = haiphong_world
    report = monthly_report(officer, 2024, 10)
    assert sum(row.count for row in report.organisations) == report.total.count
    assert sum(row.count for row in report.communes) == report.total.count
    assert [row.rank for row in report.communes] == [1, 2]
    recount = counts_from_payments(report.months)
    for position, month in enumerate(report.months):
        assert sum(recount[month].values()) == report.total.trend[position], rules.month_label(month)
    by_org = {row.key: row.count for row in report.organisations}
    october = recount[rules.month_index(2024, 10)]
    for organisation in organisations:
        assert by_org[organisation.pk] == sum(n for (org, _c), n in october.items() if org == organisation.pk)
