from __future__ import annotations

import re
from collections import Counter

from ansinh.synth import CATEGORIES, demo_people
from ansinh.synth.geography import resolve_provinces
from tests.synth.support import id_agrees


def test_demo_people_are_clean_consistent_people_of_the_province() -> None:
    people = demo_people(province_code="46", count=1_500, seed=4)
    communes = {c.code for c in resolve_provinces(["46"])}
    assert len(people) == 1_500
    assert all(p.commune_code in communes and p.province_code == "46" for p in people)
    assert all(id_agrees(p.citizen_id, p.date_of_birth, p.sex) for p in people)
    assert all(re.fullmatch(r"0[35789]\d{8}", p.phone) for p in people)
    assert set(Counter(p.category for p in people)) == set(CATEGORIES)
    assert all(p.amount > 0 and p.full_name == p.full_name.strip() for p in people)
    households = Counter(p.household_key for p in people)
    assert all(len({p.address for p in people if p.household_key == key}) == 1 for key in list(households)[:50])


def test_demo_people_are_the_same_for_the_same_seed() -> None:
    assert demo_people(province_code="46", count=300, seed=1) == demo_people(province_code="46", count=300, seed=1)
