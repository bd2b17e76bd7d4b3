from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from ansinh.audit.chain import canonical_text, chain_hash, jsonable
from ansinh.audit.models import GENESIS_HASH, AuditEntry, AuditHead, AuditImmutableError, AuditSubject
from ansinh.audit.services import AuditError, AuditEvent, audit_record, diff_fields, object_type_of, record_values
from ansinh.geo.models import Commune
from tests import factories as f
from tests.audit.conftest import raw_sql, verify, write

pytestmark = pytest.mark.django_db


def test_entries_written_together_are_numbered_and_linked_in_order() -> None:
    first = write(2)
    second = write(3)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert [e.pk for e in first + second] == [e.pk for e in entries]
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash


def test_hash_is_taken_over_the_stored_text_and_the_previous_hash() -> None:
    entry = write(1)[0]
    stored = AuditEntry.objects.get(seq=entry.seq)
    expected = hashlib.sha256(f"{GENESIS_HASH}\n{stored.canonical}".encode()).hexdigest()
    assert stored.hash == expected == chain_hash(GENESIS_HASH, stored.canonical)


def test_head_holds_the_count_and_the_last_hash() -> None:
    entries = write(4)
    head = AuditHead.objects.get(pk=1)
    assert head.count == 4
    assert head.last_hash == entries[-1].hash


def test_verify_passes_on_an_intact_chain() -> None:
    write(3)
    write(2, object_ids=["7", "8"], object_id="")
    result = verify()
    assert result.returncode == 0
    assert result.output.startswith("audit chain OK: 5 entries")


def test_verify_passes_on_an_empty_trail() -> None:
    assert verify().output.startswith("audit chain OK: 0 entries")


def test_stored_text_names_who_when_what_and_the_values_before_and_after() -> None:
    actor = f.user(None, username="officer_lan")
    entry = write(1, actor=actor, summary="Đổi trạng thái")[0]
    data = json.loads(AuditEntry.objects.get(seq=entry.seq).canonical)
    assert data["actor"] == actor.pk
    assert data["actor_username"] == "officer_lan"
    assert data["action"] == "update"
    assert (data["object_type"], data["object_id"]) == ("tests.thing", "1")
    assert data["before"] == {"amount": 1, "status": "draft"}
    assert data["after"] == {"amount": 2, "status": "approved"}
    assert data["summary"] == "Đổi trạng thái"
    assert dt.datetime.fromisoformat(data["at"]) == entry.at


def test_canonical_text_is_the_same_whatever_the_key_order_and_keeps_vietnamese() -> None:
    one = canonical_text({"b": 1, "a": {"y": "Nguyễn Thị Lan", "x": Decimal("1.50")}})
    two = canonical_text({"a": {"x": Decimal("1.50"), "y": "Nguyễn Thị Lan"}, "b": 1})
    assert one == two == '{"a":{"x":"1.50","y":"Nguyễn Thị Lan"},"b":1}'


def test_dates_times_and_sets_serialise_one_way() -> None:
    hanoi = dt.timezone(dt.timedelta(hours=7))
    moment = dt.datetime(2025, 7, 1, 7, 30, tzinfo=hanoi)
    assert jsonable(moment) == "2025-07-01T00:30:00+00:00"
    assert jsonable(dt.date(1948, 1, 1)) == "1948-01-01"
    assert jsonable({3, 1, 2}) == [1, 2, 3]
    assert jsonable((1, "a")) == [1, "a"]


@pytest.mark.parametrize("value", [b"bytes", float("nan"), Decimal("Infinity"), object()])
def test_values_without_one_text_form_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        jsonable({"field": value})


def test_a_bad_value_fails_before_anything_is_written() -> None:
    with pytest.raises(TypeError), transaction.atomic():
        audit_record(
            actor=None, entries=[AuditEvent(action="update", object_type="t.t", object_id=1, after={"x": b""})]
        )
    assert AuditEntry.objects.count() == 0
    assert AuditHead.objects.get(pk=1).count == 0


def test_no_events_write_nothing() -> None:
    with transaction.atomic():
        assert audit_record(actor=None, entries=[]) == []
    assert AuditHead.objects.get(pk=1).count == 0


def test_an_event_names_one_record_or_several_not_both() -> None:
    with pytest.raises(ValueError, match="not both"):
        AuditEvent(action="view", object_type="registry.person", object_id="1", object_ids=["2"])
    with pytest.raises(ValueError):
        AuditEvent(action="", object_type="registry.person")


def test_an_event_too_long_for_its_columns_is_refused_on_every_database() -> None:
    with pytest.raises(ValueError, match="summary"):
        AuditEvent(action="update", object_type="registry.person", object_id="1", summary="x" * 501)
    with pytest.raises(ValueError, match="object_ids"):
        AuditEvent(action="view", object_type="registry.person", object_ids=["1", "9" * 65])


def test_a_list_view_is_one_entry_naming_each_person_shown() -> None:
    entry = write(1, action="view", object_id="", object_ids=[11, 12, 13], before=None, after=None)[0]
    assert AuditEntry.objects.count() == 1
    named = AuditSubject.objects.filter(entry_id=entry.seq).order_by("object_id")
    assert [(s.object_type, s.object_id) for s in named] == [
        ("tests.thing", "11"),
        ("tests.thing", "12"),
        ("tests.thing", "13"),
    ]
    assert json.loads(entry.canonical)["object_ids"] == ["11", "12", "13"]


def test_diff_fields_keeps_only_the_changed_fields() -> None:
    before = {"name": "Lan", "phone": "0912345678", "status": "active"}
    after = {"name": "Lan", "phone": "0987654321", "status": "active", "note": "moved"}
    assert diff_fields(before, after) == (
        {"note": None, "phone": "0912345678"},
        {"note": "moved", "phone": "0987654321"},
    )
    assert diff_fields(before, dict(before)) == ({}, {})


def test_an_event_about_an_instance_takes_its_type_id_and_commune(world: object) -> None:
    ba_dinh = Commune.objects.get(code="00004")
    person = f.person("Nguyễn Thị Lan", ba_dinh, citizen_id="001234567868")
    event = AuditEvent.about(person, "update", before={"phone": ""}, after={"phone": "0912345678"})
    assert (event.object_type, event.object_id, event.commune_id) == ("registry.person", str(person.pk), ba_dinh.pk)
    assert object_type_of(Commune) == "geo.commune"
    assert record_values(person, fields=["full_name", "commune"]) == {
        "full_name": "Nguyễn Thị Lan",
        "commune": ba_dinh.pk,
    }


def test_entries_refuse_to_be_saved_changed_or_deleted_through_the_orm() -> None:
    entry = write(1)[0]
    stored = AuditEntry.objects.get(seq=entry.seq)
    stored.summary = "rewritten"
    with pytest.raises(AuditImmutableError):
        stored.save()
    with pytest.raises(AuditImmutableError):
        stored.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(seq=entry.seq).update(summary="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditHead.objects.get(pk=1).delete()
    assert verify().returncode == 0


def test_the_database_refuses_to_change_an_entry() -> None:
    write(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("UPDATE audit_auditentry SET summary = 'rewritten' WHERE seq = 1")
    assert AuditEntry.objects.get(seq=1).summary == ""


def test_the_database_refuses_to_move_the_head_back() -> None:
    write(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("UPDATE audit_audithead SET count = 2 WHERE id = 1")
    assert AuditHead.objects.get(pk=1).count == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite allows DELETE so Django's test flush works")
def test_postgresql_refuses_to_delete_an_entry_or_the_head() -> None:
    write(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("DELETE FROM audit_auditentry WHERE seq = 2")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("DELETE FROM audit_audithead")
    assert AuditEntry.objects.count() == 2


def test_the_trail_starts_again_after_a_flush_removed_the_head(unguarded: None) -> None:
    # Django's flush between transactional tests empties every table, the head row included.
    raw_sql("DELETE FROM audit_audithead")
    entries = write(2)
    assert [e.seq for e in entries] == [1, 2]
    assert AuditHead.objects.get(pk=1).count == 2


def test_writing_refuses_when_the_head_is_gone_but_entries_remain(unguarded: None) -> None:
    write(2)
    raw_sql("DELETE FROM audit_audithead")
    with pytest.raises(AuditError, match="head row is missing"):
        write(1)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_entry_and_no_head_change() -> None:
    write(2)
    head_before = AuditHead.objects.values_list("count", "last_hash").get(pk=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, entries=[AuditEvent(action="delete", object_type="tests.thing", object_id="9")])
        raise RuntimeError("the domain change failed after the audit write")
    assert AuditEntry.objects.count() == 2
    assert AuditHead.objects.values_list("count", "last_hash").get(pk=1) == head_before
    assert verify().returncode == 0


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditError, match=r"transaction\.atomic"):
        audit_record(actor=None, entries=[AuditEvent(action="view", object_type="tests.thing", object_id="1")])
    assert AuditEntry.objects.count() == 0
