"""Each way of tampering with the trail is found by `ansinh audit verify`, which then exits 1.

The append-only triggers are dropped first (fixture `unguarded`), as a tamperer with database
rights would; the test's rollback puts them back.
"""

from __future__ import annotations

import json

import pytest

from ansinh.audit.chain import chain_hash
from ansinh.audit.models import AuditEntry
from tests.audit.conftest import raw_sql, verify, write

pytestmark = pytest.mark.usefixtures("unguarded")


def test_an_edited_entry_text_is_detected() -> None:
    write(3)
    text = json.loads(AuditEntry.objects.get(seq=2).canonical)
    text["after"]["amount"] = 1_000_000
    raw_sql(
        "UPDATE audit_auditentry SET canonical = %s WHERE seq = 2",
        [json.dumps(text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))],
    )
    result = verify()
    assert result.returncode == 1
    assert "entry 2: its hash does not match its text" in result.output


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link() -> None:
    write(3)
    entry = AuditEntry.objects.get(seq=2)
    forged = entry.canonical.replace('"status":"approved"', '"status":"rejected"')
    raw_sql(
        "UPDATE audit_auditentry SET canonical = %s, hash = %s WHERE seq = 2",
        [forged, chain_hash(entry.prev_hash, forged)],
    )
    result = verify()
    assert result.returncode == 1
    assert "entry 3: its previous hash is not the hash of the entry before it" in result.output


def test_an_edited_column_beside_an_intact_text_is_detected() -> None:
    write(2)
    raw_sql("UPDATE audit_auditentry SET action = 'view', actor_username = 'someone' WHERE seq = 1")
    result = verify()
    assert result.returncode == 1
    assert "entry 1: stored columns differ from its hashed text: actor_username, action" in result.output


def test_a_deleted_middle_entry_is_detected() -> None:
    write(5)
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 3")
    result = verify()
    assert result.returncode == 1
    assert "entry 4: entries 3 to 3 are missing" in result.output
    assert "entry 4: its previous hash is not the hash of the entry before it" in result.output


def test_a_deleted_tail_is_detected_by_the_head() -> None:
    write(5)
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    result = verify()
    assert result.returncode == 1
    assert "the head counts 5 entries but 3 were found" in result.output
    assert "entries at the end were removed" in result.output


def test_a_deleted_tail_with_the_head_count_wound_back_is_still_detected() -> None:
    write(5)
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 5")
    raw_sql("UPDATE audit_audithead SET count = 4 WHERE id = 1")
    result = verify()
    assert result.returncode == 1
    assert "the last entry's hash is not the head's" in result.output


def test_an_entry_slipped_in_past_the_head_is_detected() -> None:
    write(2)
    last = AuditEntry.objects.get(seq=2)
    raw_sql(
        "INSERT INTO audit_auditentry (seq, at, actor_username, action, object_type, object_id, summary, canonical,"
        " prev_hash, hash) SELECT 3, at, actor_username, action, object_type, object_id, summary, canonical,"
        " %s, %s FROM audit_auditentry WHERE seq = 2",
        [last.hash, chain_hash(last.hash, last.canonical)],
    )
    result = verify()
    assert result.returncode == 1
    assert "entries beyond the head's count 2 exist" in result.output


def test_a_removed_name_from_a_list_view_entry_is_detected() -> None:
    write(1, action="view", object_id="", object_ids=["11", "12"], before=None, after=None)
    raw_sql("DELETE FROM audit_auditsubject WHERE object_id = '12'")
    result = verify()
    assert result.returncode == 1
    assert "entry 1: the records it names differ from its hashed text" in result.output


def test_a_missing_head_is_detected() -> None:
    write(2)
    raw_sql("DELETE FROM audit_audithead")
    result = verify()
    assert result.returncode == 1
    assert "the head row is missing" in result.output
