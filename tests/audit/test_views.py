"""Who may read the audit trail, what they see of it, and the numbers they may not see."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.access.models import User
from ansinh.audit import records
from ansinh.audit.selectors import audit_entries_for_record, audit_entry_list
from tests.audit.conftest import write
from tests.conftest import Personas, World

pytestmark = pytest.mark.django_db

CITIZEN_ID = "001234567868"
MASKED_ID = "001*******68"


def page(client: Client, user: User, url: str) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.fixture
def trail(world: World, personas: Personas) -> None:
    """A change to a person in Ba Đình, one in Lê Chân, and a list view naming both (no commune)."""
    write(
        1,
        object_type="registry.person",
        object_id="101",
        commune_id=world.ba_dinh.pk,
        actor=personas.culture_ba_dinh,
        before={"citizen_id": "", "full_name": "Nguyễn Thị Lan"},
        after={"citizen_id": CITIZEN_ID, "full_name": "Nguyễn Thị Lan"},
        summary="Sửa số CCCD",
    )
    write(
        1,
        object_type="registry.person",
        object_id="202",
        commune_id=world.le_chan.pk,
        actor=personas.national,
        before={"full_name": "Trần Văn Hùng"},
        after={"full_name": "Trần Văn Hưng"},
    )
    write(
        1,
        action="view",
        object_type="registry.person",
        object_id="",
        object_ids=["101", "202"],
        actor=personas.national,
        before=None,
        after=None,
    )


@pytest.fixture
def person_check() -> Iterator[list[tuple[str, str]]]:
    """Register a record check for "tests.record" that allows ids starting with "ok"."""
    asked: list[tuple[str, str]] = []

    def can_view(user: User, object_id: str) -> bool:
        asked.append((user.username, object_id))
        return object_id.startswith("ok")

    records.register_record_type("tests.record", can_view)
    yield asked
    records._checks.pop("tests.record", None)


@pytest.mark.parametrize("who", ["auditor", "national", "province_hanoi", "culture_ba_dinh", "police_ba_dinh"])
def test_audit_readers_may_open_the_list(client: Client, personas: Personas, trail: None, who: str) -> None:
    status, _ = page(client, getattr(personas, who), reverse("audit:list"))
    assert status == 200


@pytest.mark.parametrize("who", ["agent", "insurance"])
def test_payment_agent_and_insurance_officer_may_not_read_the_trail(
    client: Client, personas: Personas, trail: None, who: str
) -> None:
    user = getattr(personas, who)
    status, body = page(client, user, reverse("audit:list"))
    assert status == 403
    assert "Nguyễn Thị Lan" not in body
    status, body = page(client, user, reverse("audit:record", args=["registry.person", "101"]))
    assert status == 403
    assert audit_entry_list(user=user).count() == 0
    assert audit_entries_for_record(user=user, object_type="registry.person", object_id="101") == []


def test_a_user_without_role_gets_no_access(client: Client, personas: Personas, trail: None) -> None:
    status, _ = page(client, personas.no_role, reverse("audit:list"))
    assert status == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client, trail: None) -> None:
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_auditor_sees_every_entry_with_numbers_masked(client: Client, personas: Personas, trail: None) -> None:
    status, body = page(client, personas.auditor, reverse("audit:list"))
    assert status == 200
    assert "Nguyễn Thị Lan" in body and "Trần Văn Hưng" in body
    assert MASKED_ID in body
    assert CITIZEN_ID not in body


def test_commune_police_see_numbers_whole(client: Client, personas: Personas, trail: None) -> None:
    status, body = page(client, personas.police_ba_dinh, reverse("audit:list"))
    assert status == 200
    assert CITIZEN_ID in body


def test_commune_officer_lists_only_entries_of_their_commune(client: Client, personas: Personas, trail: None) -> None:
    status, body = page(client, personas.police_ba_dinh, reverse("audit:list"))
    assert status == 200
    assert "Nguyễn Thị Lan" in body
    assert "Trần Văn Hưng" not in body
    assert "Trần Văn Hùng" not in body
    seqs = list(audit_entry_list(user=personas.police_ba_dinh).values_list("seq", flat=True))
    assert seqs == [1]


def test_officer_in_another_commune_lists_nothing_of_ba_dinh(personas: Personas, trail: None) -> None:
    assert audit_entry_list(user=personas.police_tay_ho).count() == 0


def test_province_officer_lists_entries_of_their_province(personas: Personas, trail: None) -> None:
    assert list(audit_entry_list(user=personas.province_hanoi).values_list("seq", flat=True)) == [1]


def test_an_officer_lists_the_entries_they_wrote_themselves(personas: Personas, world: World) -> None:
    write(1, action="view", object_id="", object_ids=["5", "6"], actor=personas.police_tay_ho, before=None, after=None)
    assert audit_entry_list(user=personas.police_tay_ho).count() == 1
    assert audit_entry_list(user=personas.police_ba_dinh).count() == 0


def test_the_list_filters_by_record_and_by_user(client: Client, personas: Personas, trail: None) -> None:
    by_record = audit_entry_list(user=personas.auditor, object_type="registry.person", object_id="101")
    # The change to person 101 and the list view that named them.
    assert sorted(by_record.values_list("seq", flat=True)) == [1, 3]
    by_user = audit_entry_list(user=personas.auditor, actor="national")
    assert sorted(by_user.values_list("seq", flat=True)) == [2, 3]
    status, body = page(client, personas.auditor, reverse("audit:list") + "?actor=culture_ba_dinh")
    assert status == 200
    assert "Nguyễn Thị Lan" in body and "Trần Văn Hưng" not in body


def test_the_list_is_paginated(client: Client, personas: Personas, world: World) -> None:
    write(60, commune_id=world.ba_dinh.pk)
    client.force_login(personas.auditor)
    first = client.get(reverse("audit:list"))
    second = client.get(reverse("audit:list"), {"page": 2})
    assert len(first.context["lines"]) == 50
    assert [line.seq for line in second.context["lines"]] == list(range(10, 0, -1))


def test_a_record_history_lists_changes_and_views_of_that_record(personas: Personas, trail: None) -> None:
    lines = audit_entries_for_record(user=personas.police_ba_dinh, object_type="registry.person", object_id=101)
    assert [line.seq for line in lines] == [3, 1]
    change = lines[1]
    assert change.actor_username == "culture_ba_dinh"
    assert [(c.field, c.before, c.after) for c in change.changes] == [
        ("citizen_id", "", CITIZEN_ID),
        ("full_name", "Nguyễn Thị Lan", "Nguyễn Thị Lan"),
    ]
    assert lines[0].object_ids == ("101", "202")


def test_a_record_history_is_masked_for_a_reader_who_may_not_see_numbers(personas: Personas, trail: None) -> None:
    lines = audit_entries_for_record(user=personas.national, object_type="registry.person", object_id="101")
    change = lines[-1]
    assert change.masked
    assert change.changes[0].after == MASKED_ID


def test_record_partial_asks_the_owning_app_whether_the_user_may_see_the_record(
    client: Client, personas: Personas, world: World, person_check: list[tuple[str, str]]
) -> None:
    write(1, object_type="tests.record", object_id="ok-1", after={"phone": "0912345678"}, before=None)
    write(1, object_type="tests.record", object_id="no-2", after={"phone": "0987654321"}, before=None)
    status, body = page(client, personas.police_tay_ho, reverse("audit:record", args=["tests.record", "ok-1"]))
    assert status == 200
    assert "0912345678" in body
    status, body = page(client, personas.police_tay_ho, reverse("audit:record", args=["tests.record", "no-2"]))
    assert status == 404
    assert "0987654321" not in body
    assert person_check == [("police_tay_ho", "ok-1"), ("police_tay_ho", "no-2")]


def test_record_partial_for_an_unregistered_type_shows_only_entries_in_the_readers_area(
    client: Client, personas: Personas, trail: None, world: World
) -> None:
    write(1, object_type="tests.unregistered", object_id="7", commune_id=world.le_chan.pk, after={"x": "Lê Chân"})
    status, body = page(client, personas.police_ba_dinh, reverse("audit:record", args=["tests.unregistered", "7"]))
    assert status == 200
    assert "Lê Chân" not in body
    status, body = page(client, personas.auditor, reverse("audit:record", args=["tests.unregistered", "7"]))
    assert "Lê Chân" in body
