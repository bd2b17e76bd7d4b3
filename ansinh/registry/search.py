"""The database side of the name search: a trigram index on the folded name, per database.

A name is searched as a substring of `full_name_folded` (`LIKE '%nguyen thi lan%'`), which no B-tree
index can serve. PostgreSQL gets a pg_trgm GIN index, which its planner uses for that very LIKE. SQLite
gets an FTS5 table with the trigram tokenizer (SQLite 3.34+) over the same column, kept in step with
`registry_person` by triggers; the selector asks it for the matching rowids with a phrase query, which
with trigrams is a substring match, and keeps the LIKE as well so that the result is the same either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TRGM_INDEX = "registry_person_folded_trgm"
FTS_TABLE = "registry_person_trgm"
# FTS5's trigram tokenizer finds nothing shorter than a trigram: shorter queries use the LIKE alone.
MIN_FTS_QUERY = 3

# Names written out (not formatted in) so that every statement here is a constant.
_FTS_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_person_trgm USING fts5(full_name_folded, "
    "content='registry_person', content_rowid='id', tokenize='trigram')"
)
_FTS_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS registry_person_trgm_ai AFTER INSERT ON registry_person BEGIN
        INSERT INTO registry_person_trgm(rowid, full_name_folded) VALUES (new.id, new.full_name_folded);
    END""",
    """CREATE TRIGGER IF NOT EXISTS registry_person_trgm_ad AFTER DELETE ON registry_person BEGIN
        INSERT INTO registry_person_trgm(registry_person_trgm, rowid, full_name_folded)
        VALUES ('delete', old.id, old.full_name_folded);
    END""",
    """CREATE TRIGGER IF NOT EXISTS registry_person_trgm_au AFTER UPDATE OF full_name_folded ON registry_person BEGIN
        INSERT INTO registry_person_trgm(registry_person_trgm, rowid, full_name_folded)
        VALUES ('delete', old.id, old.full_name_folded);
        INSERT INTO registry_person_trgm(rowid, full_name_folded) VALUES (new.id, new.full_name_folded);
    END""",
)
_FTS_INSERT = "INSERT INTO registry_person_trgm(rowid, full_name_folded) VALUES (%s, %s)"
_FTS_REBUILD = "INSERT INTO registry_person_trgm(registry_person_trgm) VALUES ('rebuild')"
_FTS_ROWIDS = "SELECT rowid FROM registry_person_trgm WHERE registry_person_trgm MATCH %s"


def uses_fts(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "sqlite"


def ensure_index(connection: BaseDatabaseWrapper) -> None:
    """Create the name index of this database if it is missing (idempotent).

    On SQLite it is also called after every migrate: Django rebuilds a table to alter it there, which
    drops the table's triggers, so the FTS table would silently fall behind; if a trigger is missing the
    triggers are made again and the FTS table rebuilt from `registry_person`.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # pg_trgm is a trusted extension: the database owner may create it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON registry_person USING gin (full_name_folded gin_trgm_ops)"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'registry_person'")
            if cursor.fetchone() is None:
                return
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'registry_person_trgm_%'"
            )
            if int(cursor.fetchone()[0]) == len(_FTS_TRIGGERS):
                return
            cursor.execute(_FTS_CREATE)
            for trigger in _FTS_TRIGGERS:
                cursor.execute(trigger)
            cursor.execute(_FTS_REBUILD)


def drop_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
        elif connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def fts_phrase(folded: str) -> str:
    """An FTS5 phrase that matches `folded` as a substring (quotes doubled, everything else literal)."""
    return '"' + folded.replace('"', '""') + '"'


def fts_rowids_sql(folded: str) -> tuple[str, list[Any]]:
    return _FTS_ROWIDS, [fts_phrase(folded)]


@contextmanager
def bulk_person_inserts(connection: BaseDatabaseWrapper, people: Sequence[dict[str, Any]]) -> Iterator[None]:
    """Around a bulk insert of `people` (dicts with `id` and `full_name_folded`): on SQLite, index them
    in the FTS table in one statement instead of through the insert trigger.

    The trigger costs about ten times the insert itself (FTS5 flushes its pending terms at the end of
    every trigger statement). It is dropped and made again inside one transaction, which SQLite's
    single writer makes safe: no other connection can insert a person in between, and a failure rolls
    the drop back with everything else.
    """
    if not uses_fts(connection) or not people:
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS registry_person_trgm_ai")
        yield
        cursor.executemany(_FTS_INSERT, [(person["id"], person["full_name_folded"]) for person in people])
        cursor.execute(_FTS_TRIGGERS[0])
