"""The demo step: approved accounts with history and pending changes with signals, loaded once."""

from __future__ import annotations

import pytest

from ansinh.payouts import demo
from ansinh.payouts.models import AccountChangeRequest, PayoutMethod
from ansinh.web.demo import DemoContext
from tests import factories as f
from tests.conftest import Personas, World
from tests.payouts.conftest import benefit

pytestmark = pytest.mark.django_db


def test_the_demo_loads_accounts_and_flagged_changes_once(world: World, personas: Personas) -> None:
    for n in range(demo.APPROVED + demo.PENDING):
        benefit(f.person(f"Người Thử {n:02d}", world.ba_dinh))
    ctx = DemoContext(
        province=world.hanoi, communes=[world.ba_dinh], seed=1, say=lambda _: None,
        users={"police": personas.police_ba_dinh, "culture": personas.culture_ba_dinh},
    )  # fmt: skip
    demo.load(ctx)
    demo.load(ctx)
    pending = AccountChangeRequest.objects.filter(status="pending")
    assert pending.count() == demo.PENDING
    assert {s["code"] for r in pending for s in r.signals} >= {"shared_account", "holder_mismatch"}
    assert PayoutMethod.objects.filter(status="superseded").exists()
    assert PayoutMethod.objects.filter(status="active").count() == demo.APPROVED
