from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ansinh.access.models import Organisation, User
from ansinh.access.roles import RoleSlug
from ansinh.geo.models import Commune
from ansinh.insurance import services
from ansinh.insurance.models import Participant
from tests import factories as f
from tests.conftest import World


@dataclass
class Insurance:
    officer: User
    agent_a: User
    agent_b: User
    org_a: Organisation
    org_b: Organisation
    ngo_quyen: Commune
    lan: Participant  # org A, Lê Chân, quarterly
    minh: Participant  # org B, Ngô Quyền, monthly


@pytest.fixture
def ins(world: World) -> Insurance:
    org_a = f.organisation("Bưu điện Hải Phòng", Organisation.Kind.COLLECTION)
    org_b = f.organisation("Đại lý thu Ngô Quyền", Organisation.Kind.COLLECTION)
    ngo_quyen = f.commune("11320", "Phường Ngô Quyền", world.haiphong)
    officer = f.user(RoleSlug.INSURANCE_OFFICER, provinces=[world.haiphong], username="bhxh_haiphong")
    agent_a = f.user(RoleSlug.COLLECTION_AGENT, communes=[world.le_chan, ngo_quyen], org=org_a, username="agent_a")
    agent_b = f.user(RoleSlug.COLLECTION_AGENT, communes=[world.le_chan, ngo_quyen], org=org_b, username="agent_b")
    lan = services.participant_register(
        user=officer,
        full_name="Nguyễn Thị Lan",
        citizen_id="031185000123",
        sex="F",
        birth_year=1985,
        commune=world.le_chan,
        monthly_income=1_500_000,
        payment_mode="quarterly",
        support_group="near_poor",
        registered_on=dt.date(2024, 1, 5),
        phone="0912345678",
        organisation=org_a,
    )
    minh = services.participant_register(
        user=officer,
        full_name="Trần Văn Minh",
        citizen_id="031079000456",
        sex="M",
        birth_year=1979,
        commune=ngo_quyen,
        monthly_income=3_000_000,
        payment_mode="monthly",
        support_group="other",
        registered_on=dt.date(2024, 3, 1),
        phone="0987654321",
        organisation=org_b,
    )
    return Insurance(officer, agent_a, agent_b, org_a, org_b, ngo_quyen, lan, minh)


@pytest.fixture(autouse=True)
def _english(english_pages: None) -> None:
    """These tests read pages and messages in English."""
