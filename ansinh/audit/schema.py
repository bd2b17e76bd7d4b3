"""Database guards for the audit tables: triggers that refuse changes, and the head row.

PostgreSQL refuses UPDATE and DELETE of entries and subjects, DELETE of the head and a head count
going down. SQLite refuses the same UPDATEs but allows DELETE, because Django's flush (used between
transactional tests) empties SQLite tables with DELETE, where PostgreSQL uses TRUNCATE, which row
triggers do not see; a deleted entry is still found by `ansinh audit verify`.

`install` is idempotent. It runs from the migration and again after every `migrate` (post_migrate),
because SQLite's table rebuild in a later migration would silently drop the triggers.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

ENTRY_TABLE = "audit_auditentry"
SUBJECT_TABLE = "audit_auditsubject"
HEAD_TABLE = "audit_audithead"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;
"""

# (trigger name, table, timing and events, condition or "")
_PG_TRIGGERS = [
    ("audit_entry_append_only", ENTRY_TABLE, "BEFORE UPDATE OR DELETE", ""),
    ("audit_subject_append_only", SUBJECT_TABLE, "BEFORE UPDATE OR DELETE", ""),
    ("audit_head_keep", HEAD_TABLE, "BEFORE DELETE", ""),
    ("audit_head_forward_only", HEAD_TABLE, "BEFORE UPDATE", "WHEN (NEW.count < OLD.count)"),
]

_SQLITE_TRIGGERS = [
    ("audit_entry_append_only", ENTRY_TABLE, "BEFORE UPDATE", ""),
    ("audit_subject_append_only", SUBJECT_TABLE, "BEFORE UPDATE", ""),
    ("audit_head_forward_only", HEAD_TABLE, "BEFORE UPDATE", "WHEN NEW.count < OLD.count"),
]

TRIGGER_NAMES = sorted({name for name, *_ in _PG_TRIGGERS + _SQLITE_TRIGGERS})


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (if missing) and the head row (if there are no entries yet)."""
    tables = set(connection.introspection.table_names())
    if not {ENTRY_TABLE, SUBJECT_TABLE, HEAD_TABLE} <= tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for name, table, when, condition in _PG_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW {condition} "
                    "EXECUTE FUNCTION audit_refuse_change()"
                )
        elif connection.vendor == "sqlite":
            for name, table, when, condition in _SQLITE_TRIGGERS:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON {table} FOR EACH ROW {condition} "
                    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
                )
        _ensure_head(cursor)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers: for the migration's reverse and for tests that tamper on purpose."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table, *_ in _PG_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        elif connection.vendor == "sqlite":
            for name, *_ in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _ensure_head(cursor: Any) -> None:
    # Table names below are this module's constants, never input (hence the S608 exemptions).
    # Only on an empty trail: a missing head beside existing entries is damage for `verify` to report.
    from ansinh.audit.models import GENESIS_HASH, HEAD_ID

    cursor.execute(f"SELECT 1 FROM {HEAD_TABLE} WHERE id = %s", [HEAD_ID])  # noqa: S608
    if cursor.fetchone() is not None:
        return
    cursor.execute(f"SELECT 1 FROM {ENTRY_TABLE} LIMIT 1")  # noqa: S608
    if cursor.fetchone() is not None:
        return
    cursor.execute(
        f"INSERT INTO {HEAD_TABLE} (id, count, last_hash, updated_at) VALUES (%s, 0, %s, NULL)",  # noqa: S608
        [HEAD_ID, GENESIS_HASH],
    )
