"""The list page's search: the trigram index stays in step with the registry, and the fast ways of
reading a page give exactly the list `person_list` gives, with a count that stops at a cap."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.registry import selectors, views
from ansinh.registry.models import Person
from tests import factories as f
from tests.conftest import Personas, World

NAMES = [
    "Nguyễn Thị Lan",
    "Nguyễn Văn Hùng",
    "Phùng Thị An",
    "Trần Hưng",
    "Lê Văn Hùng Anh",
    "Nguyễn Thị Lan Anh",
    "Đỗ Mạnh Hùng",
    "Vũ Thị Hồng",
    "Hoàng Văn Hưng",
    "Bùi Thị Lan",
]


@pytest.fixture
def many(world: World) -> list[Person]:
    return [f.person(name, world.ba_dinh if i % 2 else world.tay_ho) for i, name in enumerate(NAMES * 3)]


def page_ids(user, query: str, number: int = 1, page_size: int = 4) -> list[int]:  # type: ignore[no-untyped-def]
    page = selectors.person_page(user=user, query=query, number=number, page_size=page_size)
    return [p.pk for p in page.object_list]


@pytest.mark.parametrize("query", ["", "hung", "nguyen thi lan", "van hu", "an", "thi", "nobody here"])
@pytest.mark.parametrize(
    ("cap", "walk", "chunk"),
    [(1000, 20_000, 2000), (2, 20_000, 2000), (2, 6, 2), (2, 1, 1), (5, 4, 3), (3, 9, 4)],
)
def test_every_way_of_reading_a_page_gives_the_lists_own_order(
    personas: Personas,
    many: list[Person],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    cap: int,
    walk: int,
    chunk: int,
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", cap)
    monkeypatch.setattr(selectors, "WALK_ROWS", walk)
    monkeypatch.setattr(selectors, "WALK_CHUNK", chunk)
    user = personas.province_hanoi
    everyone = list(selectors.person_list(user=user, query=query).values_list("pk", flat=True))
    for number in (1, 2, 3, 9):
        page = selectors.person_page(user=user, query=query, number=number, page_size=4)
        shown = [p.pk for p in page.object_list]
        assert shown == everyone[(page.number - 1) * 4 : page.number * 4]
        assert page.has_next == (len(everyone) > page.number * 4)
        if page.capped:
            assert page.count == cap + 1 and len(everyone) > cap
        else:
            assert page.count == len(everyone)
        # A page past the end is the last page when the end is known, and empty when it is not.
        assert page.number == number or (not page.capped and page.number == max(1, -(-len(everyone) // 4)))


def test_a_renamed_person_is_found_by_the_new_name_only(personas: Personas, world: World) -> None:
    person = f.person("Nguyễn Thị Lan", world.ba_dinh)
    person.full_name = "Trần Thị Mai"
    person.save()
    user = personas.province_hanoi
    assert page_ids(user, "tran thi mai") == [person.pk]
    assert page_ids(user, "nguyen thi lan") == []


def test_a_deleted_person_is_no_longer_found(personas: Personas, world: World) -> None:
    person = f.person("Nguyễn Thị Lan", world.ba_dinh)
    person.delete()
    assert page_ids(personas.province_hanoi, "nguyen thi lan") == []


def test_a_long_list_says_more_than_the_cap_and_pages_without_a_total(
    personas: Personas, many: list[Person], monkeypatch: pytest.MonkeyPatch, english_pages: None
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    client = Client()
    client.force_login(personas.province_hanoi)
    response = client.get(reverse("registry:person_list"), {"page": "2"})
    body = response.content.decode()
    assert "More than 5 people" in body
    assert "Page 2" in body and "Page 2 of" not in body
    assert response.context["page"].has_next and response.context["page"].has_previous


def test_a_name_search_gives_its_exact_count_and_clamps_the_page(personas: Personas, many: list[Person]) -> None:
    client = Client()
    client.force_login(personas.province_hanoi)
    response = client.get(reverse("registry:person_list"), {"q": "nguyen thi lan", "page": "9"})
    expected = sum("Nguyễn Thị Lan" in name for name in NAMES) * 3
    assert response.context["page"].count == expected
    assert response.context["page"].number == 1
