"""Reading the inputs into DuckDB: the registry snapshot (Parquet or CSV, read by DuckDB itself) and the
beneficiary lists (read by `ansinh.reader`, the importer's own reader, then handed over as one Arrow table).

Both end up as tables with the same derived columns, so that the exact stage, Splink and the differences
all compare the same normalised values:

    unique_id, name, name_fold, name_key, given, family, dob, birth_y, birth_m, birth_d, sex, commune_code, id12, id9
"""

# ruff: noqa: S608 - SQL here is built from this package's own constants and quoted paths, never from row data

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from ansinh.reader import UnreadableFile, read_list

POPULATION_COLUMNS = (
    "citizen_id", "old_id", "full_name", "date_of_birth", "sex",
    "province_code", "commune_code", "address", "date_of_death",
)  # fmt: skip
LIST_SCHEMA = pa.schema(
    [
        ("file_index", pa.int32()),
        ("source_file", pa.string()),
        ("source_row", pa.int64()),
        ("full_name", pa.string()),
        ("date_of_birth", pa.string()),
        ("sex", pa.string()),
        ("citizen_id", pa.string()),
        ("commune_code", pa.string()),
    ]
)


class InputError(Exception):
    """An input cannot be read, or holds no data rows: one line for standard error."""


def _normalised(source: str, columns: str, name: str, dob: str) -> str:
    """SELECT `columns` of `source` plus the normalised columns shared by both sides.

    `name` is the raw name column. Folding is the costly part (Unicode normalisation and several regular
    expressions) and names repeat a lot (a city of 8.5 million has well under a million distinct ones), so
    each distinct name is folded once and joined back. The key, given and family names are cut from the fold.
    """
    return f"""
        WITH src AS (SELECT {columns}, {name} AS raw_name, nullif(trim({dob}), '') AS dob FROM {source}),
        distinct_names AS (SELECT DISTINCT raw_name FROM src WHERE raw_name IS NOT NULL),
        nfc_names AS (SELECT raw_name, nfc_normalize(trim(raw_name)) AS name FROM distinct_names),
        folded AS (SELECT *, ansinh_fold_nfc(name) AS name_fold FROM nfc_names),
        keyed AS (SELECT *, ansinh_iy(name_fold) AS name_iy FROM folded),
        names AS (
            SELECT raw_name, name, name_fold,
                ansinh_key_of(name_iy) AS name_key,
                nullif(regexp_extract(name_iy, '[^ ]+$'), '') AS given,
                nullif(regexp_extract(name_iy, '^[^ ]+'), '') AS family
            FROM keyed
        )
        SELECT src.* EXCLUDE (raw_name, dob), n.name, n.name_fold, src.dob,
            n.name_key, n.given, n.family,
            ansinh_date_part(src.dob, 1) AS birth_y,
            ansinh_date_part(src.dob, 2) AS birth_m,
            ansinh_date_part(src.dob, 3) AS birth_d
        FROM src LEFT JOIN names n ON n.raw_name = src.raw_name
    """


def load_population(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Create table `pop` from a Parquet or CSV snapshot; returns its row count."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() in {".parquet", ".pq"}:
        source = f"read_parquet('{quoted}')"
    else:
        source = f"read_csv('{quoted}', header = true, all_varchar = true, auto_detect = true)"
    try:
        columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    except duckdb.Error as exc:
        raise InputError(f"{path.name}: cannot be read as a population snapshot ({type(exc).__name__})") from exc
    missing = [c for c in POPULATION_COLUMNS if c not in columns]
    if missing:
        raise InputError(f"{path.name}: missing column(s) {', '.join(missing)}")
    # An ID that went through a spreadsheet may have lost its leading zeros: pad the digits back.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW pop_source AS
        WITH raw AS (
            SELECT
                row_number() OVER () AS unique_id,
                CAST(citizen_id AS VARCHAR) AS cid, CAST(old_id AS VARCHAR) AS oid,
                CAST(full_name AS VARCHAR) AS full_name,
                CAST(date_of_birth AS VARCHAR) AS date_of_birth,
                nullif(upper(trim(CAST(sex AS VARCHAR))), '') AS sex,
                CAST(province_code AS VARCHAR) AS province_code,
                nullif(trim(CAST(commune_code AS VARCHAR)), '') AS commune_code,
                CAST(address AS VARCHAR) AS address,
                nullif(trim(CAST(date_of_death AS VARCHAR)), '') AS date_of_death
            FROM {source}
        ),
        ids AS (
            SELECT * EXCLUDE (cid, oid, date_of_birth),
                CASE WHEN length(trim(cid)) BETWEEN 10 AND 12 THEN lpad(trim(cid), 12, '0') END AS id12,
                CASE WHEN length(trim(oid)) BETWEEN 8 AND 9 THEN lpad(trim(oid), 9, '0') END AS id9,
                date_of_birth
            FROM raw
        )
        SELECT * FROM ids
        """
    )
    con.execute(
        "CREATE OR REPLACE TABLE pop AS "
        + _normalised("pop_source", "* EXCLUDE (full_name, date_of_birth)", "full_name", "date_of_birth")
    )
    count = con.execute("SELECT count(*) FROM pop").fetchone()
    rows = int(count[0]) if count else 0
    if rows == 0:
        raise InputError(f"{path.name}: no data rows")
    return rows


@dataclass(frozen=True, slots=True)
class ListRows:
    """The data rows of all lists, in input order, as Arrow columns (LIST_SCHEMA)."""

    table: pa.Table

    def __len__(self) -> int:
        return self.table.num_rows


def read_lists(paths: Sequence[Path]) -> ListRows:
    """Read every list with the importer's reader; numbering is the reader's `data_row`."""
    columns: dict[str, list[object]] = {name: [] for name in LIST_SCHEMA.names}
    for index, path in enumerate(paths):
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        try:
            listing = read_list(path)
        except UnreadableFile as exc:
            raise InputError(f"{path.name}: {exc.text}") from exc
        with listing:
            for row in listing.rows:
                dob = row.date_of_birth
                columns["file_index"].append(index)
                columns["source_file"].append(path.name)
                columns["source_row"].append(row.data_row)
                columns["full_name"].append(row.full_name)
                columns["date_of_birth"].append(dob.iso if dob else None)
                columns["sex"].append(row.sex)
                columns["citizen_id"].append(row.citizen_id)
                code = row.values.get("commune_code")
                columns["commune_code"].append(code if isinstance(code, str) and code else None)
        if listing.data_rows == 0:
            raise InputError(f"{path.name}: no data rows")
    return ListRows(pa.Table.from_pydict(columns, schema=LIST_SCHEMA))


def load_lists(con: duckdb.DuckDBPyConnection, rows: ListRows) -> None:
    """Create table `list_rows` (one per data row, input order kept in `unique_id`)."""
    arrow_rows = rows.table  # noqa: F841 - DuckDB reads the local Arrow table by name
    con.execute(
        """
        CREATE OR REPLACE TEMP VIEW list_source AS
        WITH numbered AS (
            SELECT
                row_number() OVER (ORDER BY file_index, source_row) AS unique_id,
                file_index, source_file, source_row,
                full_name, date_of_birth,
                sex, commune_code,
                CASE WHEN length(citizen_id) = 12 THEN citizen_id END AS id12,
                CASE WHEN length(citizen_id) = 9 THEN citizen_id END AS id9,
                citizen_id AS listed_id,
                full_name IS NULL OR (date_of_birth IS NULL AND citizen_id IS NULL) AS invalid
            FROM arrow_rows
        )
        SELECT * FROM numbered
        """
    )
    con.execute(
        "CREATE OR REPLACE TABLE list_rows AS "
        + _normalised("list_source", "* EXCLUDE (full_name, date_of_birth)", "full_name", "date_of_birth")
    )
