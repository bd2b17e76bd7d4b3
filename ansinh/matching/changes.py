"""Re-matching: the same lists against a newer snapshot, compared with the previous run's RESULT.csv.

Each row gets `change`: `new` (no row with the same source_file and source_row before), `changed` (another
status, linked person or set of differences) or `unchanged`; and `previous_status`. The registry changes every
month: what needs a look is what changed, not the whole list again.
"""

# ruff: noqa: S608 - SQL here is built from this package's own constants and quoted paths, never from row data

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ansinh.matching.inputs import InputError

CHANGE_COLUMNS = ("change", "previous_status")
CHANGES = ("new", "changed", "unchanged")
_COMPARED = ("source_file", "source_row", "status", "citizen_id", "differences")


def compare_with_previous(table: pa.Table, previous: Path) -> pa.Table:
    """`table` (a result, RESULT_COLUMNS first) with CHANGE_COLUMNS appended, in the same row order."""
    if not previous.is_file():
        raise InputError(f"{previous}: no such file")
    quoted = str(previous).replace("'", "''")
    con = duckdb.connect()
    try:
        source = f"read_csv('{quoted}', header = true, all_varchar = true, auto_detect = true)"
        try:
            columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        except duckdb.Error as exc:
            raise InputError(f"{previous.name}: cannot be read as a previous result ({type(exc).__name__})") from exc
        missing = [c for c in _COMPARED if c not in columns]
        if missing:
            raise InputError(f"{previous.name}: missing column(s) {', '.join(missing)}")
        keys = table.select(["source_file", "source_row", "status", "citizen_id", "differences"])
        current = keys.append_column("n", pa.array(range(table.num_rows), pa.int64()))  # noqa: F841 - read by DuckDB
        changes = con.sql(
            f"""
            WITH before AS (
                SELECT source_file, try_cast(source_row AS BIGINT) AS source_row, any_value(status) AS status,
                       any_value(coalesce(citizen_id, '')) AS citizen_id,
                       any_value(coalesce(differences, '')) AS differences
                FROM {source} GROUP BY ALL
            )
            SELECT
                CASE
                    WHEN b.status IS NULL THEN 'new'
                    WHEN b.status <> c.status OR b.citizen_id <> coalesce(c.citizen_id, '')
                         OR list_sort(string_split(b.differences, ';'))
                            <> list_sort(string_split(coalesce(c.differences, ''), ';')) THEN 'changed'
                    ELSE 'unchanged'
                END AS change,
                b.status AS previous_status
            FROM current c
            LEFT JOIN before b ON b.source_file = c.source_file AND b.source_row = c.source_row
            ORDER BY c.n
            """
        ).to_arrow_table()
    finally:
        con.close()
    for name in CHANGE_COLUMNS:
        table = table.append_column(name, changes.column(name))
    return table
