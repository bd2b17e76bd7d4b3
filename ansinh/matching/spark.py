"""Stage 2 on Spark: the same saved model, scored by Splink's Spark backend, for registries too big for one machine.

Reading, normalisation and the exact stage stay in DuckDB (cheap, and identical for both engines); only the
blocked pairs and their scoring run on Spark. The predictions come back as Arrow into the same DuckDB
connection, so the decisions, differences and duplicate groups are the DuckDB engine's own code.

Imported only for `engine="spark"`: pyspark (and its JVM) must not load otherwise.
"""

# ruff: noqa: S608 - SQL here is built from this package's own constants, never from row data

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import uuid
import warnings
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ansinh.matching import probabilistic

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MIN_JAVA = 17  # pyspark 4 runs on Java 17 or later


def _java_executable() -> str | None:
    # Spark's launcher prefers $JAVA_HOME/bin/java and falls back to `java` on PATH: check the same one.
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def _java_major(java: str) -> int | None:
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        return None
    major = int(found.group(1))
    # Java 8 and older report "1.8": the major version is the second number.
    return int(found.group(2) or 0) if major == 1 else major


def unavailable_reason() -> str | None:
    """Why the Spark engine cannot run here (one line), or None when it can."""
    if find_spec("pyspark") is None:
        return "the Spark engine needs pyspark, which is not installed"
    java = _java_executable()
    if java is None:
        return "the Spark engine needs Java 17 or later: no java found (JAVA_HOME or PATH)"
    major = _java_major(java)
    if major is None or major < MIN_JAVA:
        return f"the Spark engine needs Java {MIN_JAVA} or later: {java} is not usable"
    return None


def _to_spark_sql(condition: str) -> str:
    import sqlglot

    if condition.strip().upper() == "ELSE":
        return condition
    sql = sqlglot.transpile(condition, read="duckdb", write="spark")[0]
    # DuckDB's jaro_winkler_similarity is the similarity jar's jaro_winkler on Spark (both 0..1, same formula).
    return re.sub(r"\bJAROWINKLER_SIMILARITY\(", "jaro_winkler(", sql, flags=re.IGNORECASE)


def spark_settings(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """The saved (DuckDB) model with its SQL translated to Spark SQL; m, u and the prior are untouched.

    Splink reads a saved model's conditions in the backend's own dialect, where DuckDB's "quoted" names
    would be string literals: left as they are, every exact-match level would compare two constants.
    """
    out = dict(settings_dict, sql_dialect="spark")
    out["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {**level, "sql_condition": _to_spark_sql(level["sql_condition"])}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in settings_dict["comparisons"]
    ]
    out["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": _to_spark_sql(rule["blocking_rule"]), "sql_dialect": "spark"}
        for rule in settings_dict["blocking_rules_to_generate_predictions"]
    ]
    return out


def _quiet_pandas_warning() -> None:
    # pyspark warns that it was tested with an older pandas; neither a match run nor its user can act on it.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)


def session(threads: int | None = None) -> SparkSession:
    """The active Spark session, or a local one with Splink's similarity functions on its class path."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # Local mode stays on the loopback interface: no network needed, nothing exposed.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with warnings.catch_warnings():
        _quiet_pandas_warning()
        created = (
            SparkSession.builder.master(f"local[{threads or '*'}]")
            .appName("ansinh-match")
            .config("spark.jars", similarity_jar_location())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(max(2, 2 * (threads or os.cpu_count() or 1))))
            .getOrCreate()
        )
    # Standard error of a match run is for its one-line reason; Spark's warnings are not for the user.
    created.sparkContext.setLogLevel("ERROR")
    logging.getLogger("py4j").setLevel(logging.WARNING)
    return created


def predict_candidates(
    con: duckdb.DuckDBPyConnection,
    *,
    population: int,
    model: dict[str, Any] | None = None,
    spark: SparkSession | None = None,
    threads: int | None = None,
) -> str:
    """As `probabilistic.predict_candidates`, scored on Spark; the table `candidates` lands in `con`."""
    with warnings.catch_warnings():
        _quiet_pandas_warning()
        return _predict(con, population=population, model=model, spark=spark or session(threads))


def _predict(
    con: duckdb.DuckDBPyConnection, *, population: int, model: dict[str, Any] | None, spark: SparkSession
) -> str:
    from splink import Linker
    from splink.backends.spark import SparkAPI

    columns = ", ".join(probabilistic.SPLINK_COLUMNS)
    # A cursor of its own: the caller's connection may hold an unfinished result, which blocks new work on it.
    # Its tables are the caller's (one database), so `candidates` lands where the decisions read it.
    with con.cursor() as cursor:
        registry = spark.createDataFrame(cursor.sql(f"SELECT {columns} FROM pop").to_arrow_table())
        listed = spark.createDataFrame(cursor.sql(f"SELECT {columns} FROM stage2_rows").to_arrow_table())
        # persist: Splink's default on Spark writes Parquet checkpoints, which need a checkpoint directory.
        api = SparkAPI(spark_session=spark, break_lineage_method="persist")
        # Names of their own: a session outlives a run, and Splink refuses a name already registered.
        run_id = uuid.uuid4().hex[:12]
        tables = [
            api.register(registry, dataset_display_name="registry", table_name=f"ansinh_registry_{run_id}"),
            api.register(listed, dataset_display_name="list", table_name=f"ansinh_list_{run_id}"),
        ]
        settings_dict = spark_settings(probabilistic.prepared_settings(population, model))
        linker = Linker(tables, settings_dict, log_level=logging.WARNING)
        pairs = linker.inference.predict(threshold_match_weight=-10)
        try:
            cursor.register("spark_predictions", pairs.as_spark_dataframe().toArrow())
            return probabilistic.store_candidates(cursor, "spark_predictions")
        finally:
            pairs.drop_table_from_database_and_remove_from_cache()
            for table in tables:
                spark.catalog.dropTempView(table.physical_name)
