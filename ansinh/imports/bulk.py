"""Fast inserts for the importer's large writes (people, benefits, batch rows).

`bulk_create` spends most of its time preparing each value through the ORM (about a microsecond a
value, tens of millions of values for a city's list). Here each column's conversion is chosen once,
ids are reserved up front so the caller can link rows to them, and the rows go to the driver's
`executemany` in one statement per chunk (SQLite) or one COPY stream (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

Converter = Callable[[Any], Any]


def _converter(field: models.Field[Any, Any]) -> Converter:
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: value.isoformat() if isinstance(value, dt.date) else value
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else connection.ops.adapt_decimalfield_value(value)
    return lambda value: value


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys no other writer will use.

    PostgreSQL hands them out from the table's sequence. SQLite has one writer at a time (the import's
    transaction is IMMEDIATE), so the next ids after the current maximum are free until it commits.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - a model's own table name
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def insert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, defaults: dict[str, Any] | None = None
) -> None:
    """Insert dicts keyed by field attname (`person_id`, not `person`); missing fields take `defaults`,
    then the field's own default. Each dict must carry its `id` (see `reserve_ids`)."""
    if not rows:
        return
    fields = list(model._meta.concrete_fields)
    defaults = defaults or {}
    converters = [(f.attname, _converter(f)) for f in fields]
    # Columns the rows leave out take one value for all rows, converted once rather than per row.
    # get_default() also gives "" for a blank text column without a default, as the ORM would.
    fill = {
        name: convert(defaults[name] if name in defaults else field.get_default())
        for field, (name, convert) in zip(fields, converters, strict=True)
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    params = [[convert(row[name]) if name in row else fill[name] for name, convert in converters] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One COPY stream instead of a statement per row: the server no longer waits on each one.
            copy_sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for values in params:
                    copy.write_row(values)
            return
        cursor.executemany(sql, params)
