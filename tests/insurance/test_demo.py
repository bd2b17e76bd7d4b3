"""The demo data loads, counts and reports."""

from __future__ import annotations

from django.utils import timezone

from ansinh.access.roles import RoleSlug
from ansinh.insurance import demo, rules
from ansinh.insurance.models import Coverage, Participant
from ansinh.insurance.selectors import monthly_report
from ansinh.web.demo import DemoContext
from tests import factories as f
from tests.conftest import World


def test_demo_loads_participants_who_count_in_the_report(world: World) -> None:
    ngo_quyen = f.commune("11320", "Phường Ngô Quyền", world.haiphong)
    ctx = DemoContext(province=world.haiphong, communes=[world.le_chan, ngo_quyen], seed=7, say=lambda _m: None)
    demo.load(ctx)
    demo.load(ctx)  # a second run adds nothing
    assert Participant.objects.count() == demo.PARTICIPANTS
    assert Coverage.objects.exists()
    officer = f.user(RoleSlug.INSURANCE_OFFICER, provinces=[world.haiphong])
    year, month = rules.year_month(rules.month_of_date(timezone.localdate()) - 1)
    report = monthly_report(officer, year, month)
    assert 0 < report.total.count <= demo.PARTICIPANTS
    assert report.total.target == demo.PARTICIPANTS
