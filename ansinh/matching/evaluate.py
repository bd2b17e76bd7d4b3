"""Quality of a result against the ground truth that `ansinh synth` writes (truth.parquet)."""

# ruff: noqa: S608 - SQL here is built from this package's own constants and quoted paths, never from row data

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa


def evaluate(result: pa.Table, truth: Path) -> dict[str, float]:
    """Wrong links, automatic resolution, deaths and duplicate pairs, as the issue measures them."""
    con = duckdb.connect()
    quoted = str(truth).replace("'", "''")
    con.register("result", result)
    row = con.execute(
        f"""
        WITH j AS (
            SELECT r.status, nullif(r.citizen_id, '') AS linked, t.citizen_id AS true_id, t.in_registry, t.died,
                   r.duplicate_group, t.person_key
            FROM result r JOIN read_parquet('{quoted}') t ON t.file = r.source_file AND t.data_row = r.source_row
        )
        SELECT
            count(*) AS rows,
            count(*) FILTER (WHERE linked IS NOT NULL AND linked IS DISTINCT FROM true_id) AS wrong_links,
            count(*) FILTER (WHERE in_registry) AS in_registry,
            count(*) FILTER (WHERE in_registry AND status IN ('verified', 'corrected', 'deceased')
                             AND linked = true_id) AS auto_resolved,
            count(*) FILTER (WHERE status = 'ambiguous') AS ambiguous,
            count(*) FILTER (WHERE in_registry AND status = 'not_found') AS missed,
            count(*) FILTER (WHERE died AND in_registry) AS deaths,
            count(*) FILTER (WHERE died AND in_registry AND status IN ('verified', 'corrected', 'not_found'))
                AS deaths_missed,
            count(*) FILTER (WHERE died AND in_registry AND status = 'ambiguous') AS deaths_ambiguous
        FROM j
        """
    ).fetchone()
    names = ["rows", "wrong_links", "in_registry", "auto_resolved", "ambiguous", "missed", "deaths",
             "deaths_missed", "deaths_ambiguous"]  # fmt: skip
    figures: dict[str, float] = dict(zip(names, [float(v or 0) for v in (row or ())], strict=True))
    pairs = con.execute(
        f"""
        WITH j AS (
            SELECT r.source_file || ':' || r.source_row AS id, nullif(r.duplicate_group, '') AS g, t.person_key AS p
            FROM result r JOIN read_parquet('{quoted}') t ON t.file = r.source_file AND t.data_row = r.source_row
        ),
        found AS (SELECT a.id AS x, b.id AS y FROM j a JOIN j b ON a.g = b.g AND a.id < b.id),
        true_ AS (SELECT a.id AS x, b.id AS y FROM j a JOIN j b ON a.p = b.p AND a.id < b.id)
        SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM true_),
               (SELECT count(*) FROM found JOIN true_ USING (x, y))
        """
    ).fetchone()
    found, true_pairs, both = (float(v or 0) for v in (pairs or (0, 0, 0)))
    figures["duplicate_precision"] = both / found if found else 1.0
    figures["duplicate_recall"] = both / true_pairs if true_pairs else 1.0
    figures["auto_resolved_share"] = figures["auto_resolved"] / figures["in_registry"] if figures["in_registry"] else 0
    con.close()
    return figures
