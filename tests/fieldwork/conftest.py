"""Ba Đình beneficiaries on a worklist, and a helper that builds a visit as the phone sends it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ansinh.access.models import Organisation, User
from ansinh.fieldwork.models import DeviceToken
from ansinh.fieldwork.services import device_token_issue
from ansinh.registry.models import Benefit, Category, Person
from tests import factories as f
from tests.browser.conftest import browser, page  # noqa: F401 - the browser fixtures, for the survey test
from tests.conftest import World

VCB = "970436"


@dataclass
class Street:
    lan: Person  # Ngõ 5, house 12
    nam: Person  # Ngõ 5, house 2
    mai: Person  # Ngõ 5, house 12A
    binh: Person  # Thôn Đông, no house number
    hoa: Person  # Tây Hồ
    post: Organisation


def _benefit(person: Person, category: str = Category.SOCIAL_PROTECTION) -> Benefit:
    return Benefit.objects.create(person=person, category=category, monthly_amount=500_000)


@pytest.fixture
def street(world: World) -> Street:
    lan = f.person("Nguyễn Thị Lan", world.ba_dinh, citizen_id="001140001268", phone="0912345678",
                   hamlet="Ngõ 5 Đội Cấn", house_number="12", birth_year=1940)  # fmt: skip
    nam = f.person("Hoàng Văn Nam", world.ba_dinh, citizen_id="001050005555", hamlet="Ngõ 5 Đội Cấn",
                   house_number="2", birth_year=1950)  # fmt: skip
    mai = f.person("Lê Thị Mai", world.ba_dinh, hamlet="Ngõ 5 Đội Cấn", house_number="12A")
    binh = f.person("Đỗ Văn Bình", world.ba_dinh, hamlet="Thôn Đông", citizen_id="001045001111")
    hoa = f.person("Trần Thị Hoa", world.tay_ho, citizen_id="001160007777")
    for person in (lan, nam, mai, binh, hoa):
        _benefit(person)
    return Street(lan=lan, nam=nam, mai=mai, binh=binh, hoa=hoa, post=f.organisation("Bưu điện thử nghiệm"))


def visit_payload(person: Person, **fields: Any) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    payload: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "person_id": person.pk,
        "started_at": (now - dt.timedelta(minutes=10)).isoformat(),
        "finished_at": now.isoformat(),
        "outcome": "classified",
        "identity_confirmed": True,
    }
    payload.update(fields)
    return payload


def device_client(user: User) -> tuple[Client, DeviceToken]:
    token, secret = device_token_issue(user=user, name="test phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), token


@pytest.fixture(autouse=True)
def _english(english_pages: None) -> None:
    """These tests read pages and messages in English."""
