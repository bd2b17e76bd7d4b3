"""Ba Đình beneficiaries with benefits, for account changes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ansinh.payouts.banks import banks_load
from ansinh.payouts.models import Bank
from ansinh.registry.models import Benefit, Category, Person
from tests import factories as f
from tests.conftest import World

VCB = "970436"  # Vietcombank
VBSP = "999888"  # Bank for Social Policies
VIETTEL_MONEY = "971005"


@dataclass
class People:
    lan: Person  # two active benefits, a phone number
    nam: Person  # one active benefit, no phone
    hoa: Person  # in Tây Hồ
    lan_benefits: list[Benefit]
    nam_benefit: Benefit


def benefit(person: Person, category: str = Category.SOCIAL_PROTECTION) -> Benefit:
    return Benefit.objects.create(person=person, category=category, monthly_amount=500_000)


@pytest.fixture
def banks(db: None) -> None:
    """The directory the migration loads; loaded again because a transactional test elsewhere may have
    flushed the tables since."""
    banks_load(Bank)


@pytest.fixture
def people(world: World, banks: None) -> People:
    lan = f.person("Nguyễn Thị Lan", world.ba_dinh, citizen_id="001140001268", phone="0912345678")
    nam = f.person("Hoàng Văn Nam", world.ba_dinh, citizen_id="001050005555")
    hoa = f.person("Trần Thị Hoa", world.tay_ho, citizen_id="001160007777")
    lan_benefits = [benefit(lan), benefit(lan, Category.SOCIAL_PENSION)]
    nam_benefit = benefit(nam)
    benefit(hoa)
    return People(lan=lan, nam=nam, hoa=hoa, lan_benefits=lan_benefits, nam_benefit=nam_benefit)


@pytest.fixture(autouse=True)
def _english(english_pages: None) -> None:
    """These tests read pages and messages in English."""
