"""Keeping `CommuneFigure` equal to a full recomputation after every change, whoever makes it.

Triggers on every table an indicator reads write the communes a change touches (before and after
it) to `StaleCommune`, in the writer's transaction: bulk inserts, `update()`, raw SQL and other apps'
services are all seen, with no code of theirs involved. Writers only append, so they never wait on a
row lock of ours. A read of the figures first refreshes the stale communes it needs:

1. take the refresh lock (PostgreSQL: an advisory lock; SQLite: the write lock of the transaction),
   so that two refreshes never write figures computed from different moments in the wrong order;
2. `DELETE ... RETURNING` the stale rows of those communes: exactly the rows it takes, so a change
   committed meanwhile leaves its row for the next refresh;
3. recompute the indicators of those communes from the data and replace their figures; commit.

A change committed after step 2 is still stale; one committed before it is in the data that step 3
reads. Installing the triggers (after every `migrate`, as SQLite's table rebuilds drop them) marks
every commune stale when any trigger was missing, since changes made without it were not seen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from ansinh.campaigns.indicators import INDICATORS, Row, Source
from ansinh.campaigns.models import CommuneFigure, StaleCommune
from ansinh.geo.models import Commune

logger = logging.getLogger(__name__)

STALE_TABLE = "campaigns_stalecommune"
LOCK_KEY = 7_107_001  # the advisory lock of the refresh (PostgreSQL)
CHUNK = 900  # ids per IN list: below SQLite's old limit on parameters
PREFIX = "campaigns_stale_"


def sources() -> list[Source]:
    """Every table an indicator reads, once per (table, path)."""
    seen: dict[tuple[str, tuple[str, ...]], Source] = {}
    for indicator in INDICATORS.values():
        for source in indicator.sources():
            seen.setdefault((source.model._meta.db_table, source.path), source)
    return list(seen.values())


def _commune_sql(source: Source, rows: str, *, quote: Any) -> str:
    """SQL selecting `commune_id` for the rows of `rows` (a transition table, or NEW/OLD)."""
    model, alias, joins = source.model, "r", []
    column_of_row = rows if rows in ("NEW", "OLD") else alias
    current = column_of_row
    for i, name in enumerate(source.path):
        field = model._meta.get_field(name)
        target = field.related_model
        next_alias = f"j{i}"
        joins.append(
            f"JOIN {quote(target._meta.db_table)} {next_alias} "  # type: ignore[union-attr]
            f"ON {next_alias}.{quote(target._meta.pk.column)} = {current}.{quote(field.column)}"  # type: ignore[union-attr]
        )
        model, current = target, next_alias  # type: ignore[assignment]
    commune_column = quote(model._meta.get_field("commune").column)  # type: ignore[union-attr]
    if rows in ("NEW", "OLD"):
        if not joins:
            return f"SELECT {rows}.{commune_column} AS commune_id"
        first, *rest = joins
        # In a SQLite row trigger the first hop reads NEW/OLD directly: no FROM for the row itself.
        table_alias = first.removeprefix("JOIN ").split(" ON ")[0]
        condition = first.split(" ON ", 1)[1]
        joined = " ".join(rest)
        return f"SELECT {current}.{commune_column} AS commune_id FROM {table_alias} {joined} WHERE {condition}"  # noqa: S608
    return f"SELECT {current}.{commune_column} AS commune_id FROM {rows} {alias} {' '.join(joins)}"  # noqa: S608


def _trigger_name(table: str, op: str, index: int) -> str:
    return f"{PREFIX}{table}_{index}_{op}"[:63]


def _existing_triggers(db: BaseDatabaseWrapper) -> set[str]:
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s", [PREFIX + "%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"])
        return {row[0] for row in cursor.fetchall()}


def install(db: BaseDatabaseWrapper) -> list[str]:
    """Create (or replace) the triggers on the source tables that exist; return their names."""
    tables = set(db.introspection.table_names())
    if STALE_TABLE not in tables or db.vendor not in ("postgresql", "sqlite"):
        return []
    existing = _existing_triggers(db)
    quote = db.ops.quote_name
    names: list[str] = []
    statements: list[str] = []
    for index, source in enumerate(sorted(sources(), key=lambda s: (s.model._meta.db_table, s.path))):
        table = source.model._meta.db_table
        needed = [table] + [_path_table(source, i) for i in range(len(source.path))]
        if not set(needed) <= tables:
            continue
        for op in ("insert", "update", "delete"):
            name = _trigger_name(table, op, index)
            names.append(name)
            statements += (_pg if db.vendor == "postgresql" else _sqlite)(source, table, op, name, quote)
    with db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        missing = set(names) - existing
        if missing:
            # Changes made while a trigger was missing were not recorded: every commune is stale.
            cursor.execute(f"INSERT INTO {STALE_TABLE} (commune_id) SELECT id FROM {quote(Commune._meta.db_table)}")  # noqa: S608
    return names


def _path_table(source: Source, upto: int) -> str:
    model = source.model
    for name in source.path[: upto + 1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return str(model._meta.db_table)


def _pg(source: Source, table: str, op: str, name: str, quote: Any) -> list[str]:
    transitions = {"insert": ["new_rows"], "update": ["old_rows", "new_rows"], "delete": ["old_rows"]}[op]
    referencing = " ".join(f"{'OLD' if t == 'old_rows' else 'NEW'} TABLE AS {t}" for t in transitions)
    selects = " UNION ".join(_commune_sql(source, t, quote=quote) for t in transitions)
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {STALE_TABLE} (commune_id)
    SELECT DISTINCT s.commune_id FROM ({selects}) s WHERE s.commune_id IS NOT NULL;
    RETURN NULL;
END
$$""",  # noqa: S608
        f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}",
        f"CREATE TRIGGER {name} AFTER {op.upper()} ON {quote(table)} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def _sqlite(source: Source, table: str, op: str, name: str, quote: Any) -> list[str]:
    rows = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}[op]
    # SQLite has one writer at a time, so "not yet listed" is a safe way to keep the list short.
    body = "".join(
        f"INSERT INTO {STALE_TABLE} (commune_id) SELECT x.commune_id FROM ({_commune_sql(source, r, quote=quote)}) x "  # noqa: S608
        f"WHERE x.commune_id IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {STALE_TABLE} s WHERE s.commune_id = x.commune_id); "
        for r in rows
    )
    return [
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} AFTER {op.upper()} ON {quote(table)} FOR EACH ROW BEGIN {body}END",
    ]


def uninstall(db: BaseDatabaseWrapper) -> None:
    with db.cursor() as cursor:
        for name in _existing_triggers(db):
            if db.vendor == "postgresql":
                cursor.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                    [name],
                )
                for (table,) in cursor.fetchall():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {db.ops.quote_name(table)}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


# -- computing --------------------------------------------------------------------------------------


def compute(commune_ids: Sequence[int] | None = None) -> dict[tuple[int, str, str], int]:
    """Every indicator of these communes (None: all), straight from the data."""
    figures: dict[tuple[int, str, str], int] = {}
    chunks: Iterable[Sequence[int] | None] = (
        [None] if commune_ids is None else [commune_ids[i : i + CHUNK] for i in range(0, len(commune_ids), CHUNK)]
    )
    for chunk in chunks:
        for key, indicator in INDICATORS.items():
            rows: Iterable[Row] = indicator.compute(chunk)
            for commune, dimension, value in rows:
                if value:
                    figures[(commune, key, dimension[:60])] = value
    return figures


def _stale_exists(commune_ids: Sequence[int] | None) -> bool:
    stale = StaleCommune.objects.all()
    if commune_ids is None:
        return stale.exists()
    return any(
        stale.filter(commune_id__in=commune_ids[i : i + CHUNK]).exists() for i in range(0, len(commune_ids), CHUNK)
    )


def _take_stale(commune_ids: Sequence[int] | None) -> set[int]:
    taken: set[int] = set()
    with connection.cursor() as cursor:
        if commune_ids is None:
            cursor.execute(f"DELETE FROM {STALE_TABLE} RETURNING commune_id")  # noqa: S608
            return {row[0] for row in cursor.fetchall()}
        for i in range(0, len(commune_ids), CHUNK):
            chunk = list(commune_ids[i : i + CHUNK])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {STALE_TABLE} WHERE commune_id IN ({marks}) RETURNING commune_id", chunk)  # noqa: S608
            taken.update(row[0] for row in cursor.fetchall())
    return taken


def figures_refresh(*, commune_ids: Sequence[int] | None = None) -> int:
    """Recompute the stale communes among `commune_ids` (None: all stale); return how many."""
    if not _stale_exists(commune_ids):
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        stale = sorted(_take_stale(commune_ids))
        if not stale:
            return 0
        fresh = compute(stale)
        for i in range(0, len(stale), CHUNK):
            CommuneFigure.objects.filter(commune_id__in=stale[i : i + CHUNK]).delete()
        CommuneFigure.objects.bulk_create(
            [CommuneFigure(commune_id=c, indicator=k, dimension=d, value=v) for (c, k, d), v in fresh.items()],
            batch_size=2000,
        )
    logger.debug("campaigns: figures of %d communes recomputed", len(stale))
    return len(stale)


def figures_rebuild() -> int:
    """Recompute every commune (after a restore, or to check): marks all stale, then refreshes."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Commune._meta.db_table)
            cursor.execute(f"INSERT INTO {STALE_TABLE} (commune_id) SELECT id FROM {table}")  # noqa: S608
    return figures_refresh()
