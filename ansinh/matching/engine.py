"""The matching run: exact stage, probabilistic stage, one status per row, differences, duplicate groups.

Everything between reading the inputs and writing the result happens in DuckDB, on Arrow tables; with the
Spark engine, stage 2's scoring alone runs on Spark (`ansinh.matching.spark`).
"""

# ruff: noqa: S608 - SQL here is built from this package's own constants and quoted paths, never from row data

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from ansinh.matching import probabilistic
from ansinh.matching.inputs import InputError, load_lists, load_population, read_lists
from ansinh.matching.normalise import install_macros

Engine = Literal["duckdb", "spark"]
STATUSES = ("verified", "corrected", "deceased", "ambiguous", "not_found", "invalid")
RESULT_COLUMNS = (
    "source_file", "source_row", "status", "citizen_id", "match_probability", "duplicate_group", "differences",
)  # fmt: skip
EXTRA_COLUMNS = (
    "explanation", "registry_full_name", "registry_date_of_birth", "registry_sex", "registry_commune_code",
    "registry_date_of_death",
)  # fmt: skip
DIFFERENCE_FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "commune_code")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where a candidate becomes a link, a case for review, or nobody.

    `link`: the best candidate's probability needed to link; `review`: below it, not found; `margin`: the
    match weight (log2 of the odds) by which the best must beat the runner-up, else the row is ambiguous.
    """

    link: float = 0.95
    review: float = 0.05
    margin: float = 6.0
    # A missed death pays a dead person: a dead best candidate goes to review on far weaker evidence.
    dead_review: float = 1e-4


# A list date agrees with a registry date when every part both give is equal ("1940" agrees with 1940-03-05).
_DOB_AGREES = (
    "(l.birth_y IS NULL OR (l.birth_y = p.birth_y"
    " AND coalesce(l.birth_m = p.birth_m, true) AND coalesce(l.birth_d = p.birth_d, true)))"
)
# coalesce: a comparison with a missing side is NULL, and NOT NULL would hide the difference.
_ID_AGREES = "(l.listed_id IS NULL OR coalesce(l.id12 = p.id12, false) OR coalesce(l.id9 = p.id9, false))"


def _exact_stage(con: duckdb.DuckDBPyConnection, *, enabled: bool = True) -> None:
    """Links by ID (12-digit, or 9-digit against old_id) where name and birth date agree after folding."""
    if not enabled:
        con.execute(
            "CREATE OR REPLACE TABLE exact AS SELECT NULL::BIGINT AS list_id, NULL::BIGINT AS person_id LIMIT 0"
        )
        return
    agree = f"NOT l.invalid AND l.name_fold = p.name_fold AND {_DOB_AGREES}"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE exact AS
        WITH hits AS (
            SELECT l.unique_id AS list_id, p.unique_id AS person_id
            FROM list_rows l JOIN pop p ON l.id12 = p.id12 WHERE {agree}
            UNION
            SELECT l.unique_id, p.unique_id FROM list_rows l JOIN pop p ON l.id9 = p.id9 WHERE {agree}
        )
        SELECT list_id, any_value(person_id) AS person_id FROM hits GROUP BY list_id HAVING count(*) = 1
        """
    )


def _probabilistic_stage(
    con: duckdb.DuckDBPyConnection,
    population: int,
    model: dict[str, Any] | None,
    engine: Engine,
    threads: int | None,
    *,
    enabled: bool = True,
) -> None:
    con.execute(
        """
        CREATE OR REPLACE TABLE stage2_rows AS
        SELECT * FROM list_rows WHERE NOT invalid AND unique_id NOT IN (SELECT list_id FROM exact)
        """
    )
    count = con.execute("SELECT count(*) FROM stage2_rows").fetchone()
    if not enabled or not count or count[0] == 0:
        con.execute(
            "CREATE OR REPLACE TABLE candidates AS SELECT NULL::BIGINT AS list_id, NULL::BIGINT AS person_id, "
            "NULL::DOUBLE AS match_weight, NULL::DOUBLE AS match_probability LIMIT 0"
        )
        return
    if engine == "spark":
        # Lazily: pyspark and its JVM load only for the Spark engine.
        from ansinh.matching import spark

        spark.predict_candidates(con, population=population, model=model, threads=threads)
    else:
        probabilistic.predict_candidates(con, population=population, model=model)


def _decide(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    has_weights = "mw_full_name" in {r[0] for r in con.execute("DESCRIBE candidates").fetchall()}
    names = [*(f"mw_{c}" for c in probabilistic.COMPARISON_WORDS), "mw_tf_adj_full_name"]
    extra = ", ".join(f"b.{n} AS {n}" for n in names) if has_weights else "NULL AS no_weights"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE decided AS
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY list_id ORDER BY match_weight DESC, person_id) AS rk
            FROM candidates
        )
        SELECT
            b.list_id, b.person_id, b.match_probability, {extra},
            b.match_weight AS best_weight, s.match_weight AS second_weight,
            CASE
                WHEN b.match_probability >= {thresholds.link}
                     AND (s.match_weight IS NULL OR b.match_weight - s.match_weight >= {thresholds.margin})
                     THEN 'link'
                WHEN b.match_probability >= {thresholds.review} THEN 'ambiguous'
                WHEN p.date_of_death IS NOT NULL AND b.match_probability >= {thresholds.dead_review} THEN 'ambiguous'
                ELSE 'not_found'
            END AS decision
        FROM ranked b LEFT JOIN ranked s ON s.list_id = b.list_id AND s.rk = 2
        LEFT JOIN pop p ON p.unique_id = b.person_id
        WHERE b.rk = 1
        """
    )


def _assemble(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    differences = ", ".join(
        f"CASE WHEN {cond} THEN '{name}' END"
        for name, cond in (
            ("full_name", "l.name_fold IS NOT NULL AND l.name_fold IS DISTINCT FROM p.name_fold"),
            ("date_of_birth", f"NOT {_DOB_AGREES}"),
            ("sex", "l.sex IS NOT NULL AND p.sex IS NOT NULL AND l.sex <> p.sex"),
            ("citizen_id", f"NOT {_ID_AGREES}"),
            (
                "commune_code",
                "l.commune_code IS NOT NULL AND p.commune_code IS NOT NULL AND l.commune_code <> p.commune_code",
            ),
        )
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE linked AS
        SELECT
            l.unique_id AS list_id,
            CASE
                WHEN l.invalid THEN 'invalid'
                WHEN e.list_id IS NOT NULL THEN 'exact'
                WHEN d.decision IS NULL THEN 'not_found'
                ELSE d.decision
            END AS how,
            coalesce(e.person_id, CASE WHEN d.decision = 'link' THEN d.person_id END) AS person_id,
            CASE WHEN e.list_id IS NOT NULL THEN 1.0 ELSE coalesce(d.match_probability, 0.0) END AS probability
        FROM list_rows l LEFT JOIN exact e ON e.list_id = l.unique_id LEFT JOIN decided d ON d.list_id = l.unique_id
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE result AS
        WITH joined AS (
            SELECT l.*, k.how, k.person_id, k.probability,
                   p.id12 AS p_id12, p.name AS p_name, p.dob AS p_dob, p.sex AS p_sex,
                   p.commune_code AS p_commune, p.date_of_death AS p_death,
                   concat_ws(';', {differences}) AS diff
            FROM list_rows l JOIN linked k ON k.list_id = l.unique_id
            LEFT JOIN pop p ON p.unique_id = k.person_id
        ),
        linked_keys AS (
            SELECT *, CASE WHEN person_id IS NOT NULL THEN 'p' || person_id END AS linked_key FROM joined
        ),
        -- An unlinked row without an ID that lists the name and the full birth date (or its swap) of rows
        -- linked to one person is most likely that person again, listed without the ID that settled the
        -- other row. A year alone is not enough: namesakes born the same year are common.
        adopted AS (
            SELECT u.unique_id, min(k.linked_key) AS adopted_key
            FROM linked_keys u JOIN linked_keys k
                ON k.linked_key IS NOT NULL AND u.linked_key IS NULL AND NOT u.invalid AND u.listed_id IS NULL
                AND u.name_key = k.name_key AND u.birth_y = k.birth_y AND coalesce(u.sex = k.sex, true)
                AND ((u.birth_m = k.birth_m AND u.birth_d = k.birth_d)
                     OR (u.birth_m = k.birth_d AND u.birth_d = k.birth_m))
            GROUP BY u.unique_id
            HAVING count(DISTINCT k.linked_key) = 1
        ),
        -- An ambiguous row whose clear favourite is linked by another row: that row corroborates it.
        adopted_best AS (
            SELECT u.unique_id, 'p' || d.person_id AS adopted_key
            FROM linked_keys u JOIN decided d ON d.list_id = u.unique_id
            WHERE u.linked_key IS NULL AND u.how = 'ambiguous'
                AND (d.second_weight IS NULL OR d.best_weight - d.second_weight >= {thresholds.margin})
                AND d.person_id IN (SELECT person_id FROM linked_keys WHERE linked_key IS NOT NULL)
        ),
        keyed AS (
            SELECT j.*,
                coalesce(
                    j.linked_key, b.adopted_key, a.adopted_key,
                    -- Unlinked rows alike: the same name and full birth date (or its swap), or the same ID.
                    CASE
                        WHEN j.invalid THEN NULL
                        WHEN j.birth_d IS NOT NULL THEN concat_ws('|', 'u', j.name_key, j.birth_y,
                            least(j.birth_m, j.birth_d), greatest(j.birth_m, j.birth_d), j.sex)
                        WHEN j.listed_id IS NOT NULL THEN concat_ws('|', 'i', j.name_key, j.listed_id)
                    END
                ) AS person_key
            FROM linked_keys j LEFT JOIN adopted a USING (unique_id) LEFT JOIN adopted_best b USING (unique_id)
        ),
        grouped AS (
            SELECT *, count(*) OVER (PARTITION BY person_key) AS group_size,
                   min(unique_id) OVER (PARTITION BY person_key) AS group_first
            FROM keyed
        )
        SELECT
            unique_id, source_file, source_row,
            CASE
                WHEN how IN ('invalid', 'ambiguous', 'not_found') THEN how
                WHEN p_death IS NOT NULL THEN 'deceased'
                WHEN diff <> '' THEN 'corrected'
                ELSE 'verified'
            END AS status,
            CASE WHEN person_id IS NOT NULL THEN p_id12 END AS citizen_id,
            round(CASE WHEN how IN ('invalid', 'not_found') THEN 0.0 ELSE probability END, 6) AS match_probability,
            CASE WHEN person_key IS NOT NULL AND group_size > 1 THEN 'D' || group_first END AS duplicate_group,
            CASE WHEN person_id IS NOT NULL THEN diff ELSE '' END AS differences,
            how, person_id, p_name, p_dob, p_sex, p_commune, p_death
        FROM grouped
        ORDER BY unique_id
        """
    )


def _weight_words(weight: float) -> str:
    if weight >= 10:
        return "very strong evidence for"
    if weight >= 4:
        return "strong evidence for"
    if weight > 0.5:
        return "some evidence for"
    if weight >= -0.5:
        return "no evidence either way"
    if weight > -4:
        return "some evidence against"
    return "strong evidence against"


def _explanations(con: duckdb.DuckDBPyConnection, model: dict[str, Any] | None) -> list[str]:
    """One sentence per row: which fields agreed or differed, and the weight of each."""
    rows = con.execute("SELECT unique_id, how FROM result ORDER BY unique_id").fetchall()
    details: dict[int, dict[str, Any]] = {}
    if "mw_full_name" in {r[0] for r in con.execute("DESCRIBE decided").fetchall()}:
        labels = probabilistic.level_labels(model)
        table = con.sql("SELECT * FROM decided").to_arrow_table().to_pylist()
        for record in table:
            details[int(record["list_id"])] = record
    out: list[str] = []
    for unique_id, how in rows:
        if how == "invalid":
            out.append("no name, or neither a readable date of birth nor an ID number")
        elif how == "exact":
            out.append("exact stage: the same ID number, name and date of birth")
        elif unique_id in details:
            record = details[unique_id]
            parts = []
            for column, words in probabilistic.COMPARISON_WORDS.items():
                base = float(record.get(f"mw_{column}") or 0.0)
                label = probabilistic.level_of(labels.get(column, []), base)
                weight = base + (float(record.get("mw_tf_adj_full_name") or 0.0) if column == "full_name" else 0.0)
                parts.append(f"{words}: {label} ({weight:+.1f}, {_weight_words(weight)})")
            prefix = {
                "link": "linked",
                "ambiguous": "best candidate, not sure",
                "not_found": "best candidate, rejected",
            }
            out.append(f"{prefix.get(how, how)}: " + "; ".join(parts))
        else:
            out.append("no candidate in the registry")
    return out


@contextmanager
def _timed(timings: dict[str, float] | None, phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - started


def match_files(
    *,
    population: Path,
    beneficiaries: Sequence[Path],
    engine: Engine = "duckdb",
    model: dict[str, Any] | None = None,
    thresholds: Thresholds | None = None,
    threads: int | None = None,
    exact_stage: bool = True,
    probabilistic_stage: bool = True,
    timings: dict[str, float] | None = None,
) -> pa.Table:
    """Match every data row of `beneficiaries` against the `population` snapshot.

    Returns an Arrow table, one row per data row in input order, with RESULT_COLUMNS then EXTRA_COLUMNS.
    `engine="spark"` scores stage 2 on Spark (the active session, else a local one): check
    `ansinh.matching.spark.unavailable_reason()` first.
    Raises InputError (an input cannot be read or holds no data rows) before any matching.
    `exact_stage=False` or `probabilistic_stage=False` switch a stage off (for measuring each alone: rows the
    remaining stage leaves are `not_found`); `timings`, when given, receives the seconds of each phase.
    """
    limits = thresholds or Thresholds()
    con = duckdb.connect()
    # The lists are read in Python while DuckDB loads the snapshot (it releases the GIL): on two cores the
    # reading costs almost nothing extra. A list that cannot be read is reported first, as when read alone.
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ansinh-read-lists")
    try:
        started = time.perf_counter()
        future = reader.submit(read_lists, beneficiaries)
        con.execute(f"SET threads = {threads or os.cpu_count() or 1}")
        install_macros(con)
        population_error: InputError | None = None
        with _timed(timings, "load_population"):
            try:
                people = load_population(con, population)
            except InputError as exc:
                population_error = exc
        rows = future.result()
        if timings is not None:
            timings["read_lists_waited"] = time.perf_counter() - started - timings["load_population"]
        if population_error is not None:
            raise population_error
        with _timed(timings, "load_lists"):
            load_lists(con, rows)
        with _timed(timings, "exact_stage"):
            _exact_stage(con, enabled=exact_stage)
        with _timed(timings, "probabilistic_stage"):
            _probabilistic_stage(con, people, model, engine, threads, enabled=probabilistic_stage)
        with _timed(timings, "decide_and_group"):
            _decide(con, limits)
            _assemble(con, limits)
        with _timed(timings, "explain"):
            explanations = _explanations(con, model)
        table = con.sql(
            """
            SELECT source_file, source_row, status, citizen_id, match_probability, duplicate_group, differences,
                   p_name AS registry_full_name, p_dob AS registry_date_of_birth, p_sex AS registry_sex,
                   p_commune AS registry_commune_code, p_death AS registry_date_of_death
            FROM result ORDER BY unique_id
            """
        ).to_arrow_table()
    finally:
        reader.shutdown(wait=True, cancel_futures=True)
        con.close()
    table = table.add_column(7, "explanation", pa.array(explanations, pa.string()))
    return table
