"""Stage 2: the Fellegi-Sunter model (Splink 5) for rows the exact stage did not settle.

The comparisons and blocking rules live here; the trained m and u probabilities live in
`model/model.json`, written by `ansinh.matching.train_model` (run once, not per match) and
read by `predict_candidates`. The prior (the chance that a list row and a random registry person are the same)
is set per run from the registry's size, so one model serves a commune and the nation alike.
"""

# ruff: noqa: S608 - SQL here is built from this package's own constants and quoted paths, never from row data

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

MODEL_PATH = Path(__file__).with_name("model") / "model.json"
SPLINK_COLUMNS = (
    "unique_id", "name_fold", "name_key", "given", "family", "birth_y", "birth_m", "birth_d", "sex",
    "commune_code", "id12", "id9",
)  # fmt: skip

# Plain-language names of the comparisons, for explanations.
COMPARISON_WORDS = {
    "full_name": "name",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "commune_code": "commune",
    "citizen_id": "ID number",
}

_ID_NULL = "(id12_l IS NULL AND id9_l IS NULL) OR (id12_r IS NULL AND id9_r IS NULL)"


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    name = cl.CustomComparison(
        output_column_name="full_name",
        comparison_levels=[
            cll.NullLevel("name_fold"),
            cll.ExactMatchLevel("name_fold", term_frequency_adjustments=True).configure(
                label_for_charts="the same name"
            ),
            cll.CustomLevel("name_key_l = name_key_r", "the same name but for i/y or a middle name like Thị/Văn"),
            cll.CustomLevel("jaro_winkler_similarity(name_key_l, name_key_r) >= 0.94", "a very similar name"),
            cll.CustomLevel(
                "given_l = given_r AND jaro_winkler_similarity(name_key_l, name_key_r) >= 0.8",
                "the same given name and a similar family name",
            ),
            cll.CustomLevel("given_l = given_r", "the same given name only"),
            cll.ElseLevel().configure(label_for_charts="a different name"),
        ],
    )
    # Splink's own date comparison treats "1940" as missing; a year-only date is evidence, only weaker.
    dob = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.CustomLevel("birth_y_l IS NULL OR birth_y_r IS NULL", "no date of birth").configure(is_null_level=True),
            cll.CustomLevel(
                "birth_y_l = birth_y_r AND birth_m_l = birth_m_r AND birth_d_l = birth_d_r", "the same date of birth"
            ),
            cll.CustomLevel(
                "birth_y_l = birth_y_r AND birth_m_l = birth_m_r AND (birth_d_l IS NULL OR birth_d_r IS NULL)",
                "the same month and year of birth",
            ),
            cll.CustomLevel(
                "birth_y_l = birth_y_r AND (birth_m_l IS NULL OR birth_m_r IS NULL)",
                "the same year of birth (year only)",
            ),
            cll.CustomLevel(
                "birth_y_l = birth_y_r AND birth_m_l = birth_d_r AND birth_d_l = birth_m_r",
                "day and month of birth swapped",
            ),
            cll.CustomLevel(
                "birth_y_l = birth_y_r AND (birth_m_l = birth_m_r OR birth_d_l = birth_d_r)",
                "a date of birth one part apart",
            ),
            cll.CustomLevel(
                "abs(birth_y_l - birth_y_r) <= 1 AND coalesce(birth_m_l = birth_m_r AND birth_d_l = birth_d_r, true)",
                "a year of birth one apart",
            ),
            cll.ElseLevel().configure(label_for_charts="a different date of birth"),
        ],
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            cll.NullLevel("sex"),
            cll.ExactMatchLevel("sex").configure(label_for_charts="the same sex"),
            cll.ElseLevel().configure(label_for_charts="a different sex"),
        ],
    )
    commune = cl.CustomComparison(
        output_column_name="commune_code",
        comparison_levels=[
            cll.NullLevel("commune_code"),
            cll.ExactMatchLevel("commune_code").configure(label_for_charts="the same commune"),
            cll.ElseLevel().configure(label_for_charts="another commune"),
        ],
    )
    citizen_id = cl.CustomComparison(
        output_column_name="citizen_id",
        comparison_levels=[
            cll.CustomLevel(_ID_NULL, "no ID number").configure(is_null_level=True),
            cll.CustomLevel("id12_l = id12_r OR id9_l = id9_r", "the same ID number"),
            cll.CustomLevel(
                "levenshtein(id12_l, id12_r) <= 1 OR levenshtein(id9_l, id9_r) <= 1", "an ID number one digit apart"
            ),
            cll.ElseLevel().configure(label_for_charts="a different ID number"),
        ],
    )
    return [name, dob, sex, commune, citizen_id]


BLOCKING_RULES: list[BlockingRuleCreator | dict[str, Any]] = [
    block_on("id12"),
    block_on("id9"),
    block_on("name_key", "birth_y"),
    block_on("given", "birth_y", "commune_code"),
    block_on("birth_y", "birth_m", "birth_d", "commune_code"),
    block_on("family", "given", "birth_d", "birth_m"),
    block_on("family", "birth_y", "commune_code"),
    block_on("given", "birth_y", "birth_m", "birth_d"),
    # A swapped day and month together with a typo in the name: found by the swap itself.
    {
        "blocking_rule": "l.birth_y = r.birth_y AND l.birth_m = r.birth_d AND l.birth_d = r.birth_m"
        " AND l.commune_code = r.commune_code",
        "sql_dialect": "duckdb",
    },
]


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        probability_two_random_records_match=1e-5,
    )


def _linker(con: duckdb.DuckDBPyConnection, model: dict[str, Any] | SettingsCreator) -> Linker:
    api = DuckDBAPI(connection=con)
    columns = ", ".join(SPLINK_COLUMNS)
    con.execute(f"CREATE OR REPLACE VIEW splink_registry AS SELECT {columns} FROM pop")
    con.execute(f"CREATE OR REPLACE VIEW splink_list AS SELECT {columns} FROM stage2_rows")
    registry = api.register("splink_registry", dataset_display_name="registry")
    listed = api.register("splink_list", dataset_display_name="list")
    # Splink logs each step at INFO; a match run's standard error is for the one-line reason only.
    return Linker([registry, listed], model, log_level=logging.WARNING)


def load_model(path: Path = MODEL_PATH) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def prepared_settings(population: int, model: dict[str, Any] | None = None) -> dict[str, Any]:
    """The saved model with the prior set from the registry's size; any backend predicts with it."""
    settings_dict = dict(model or load_model())
    # The prior: about one person in the registry is the one a list row stands for.
    settings_dict["probability_two_random_records_match"] = 1.0 / max(population, 1)
    return settings_dict


def store_candidates(con: duckdb.DuckDBPyConnection, pairs: str) -> str:
    """Turn Splink's predictions (a table or view `pairs` in `con`) into the table `candidates`."""
    weights = ", ".join(f"mw_{c}" for c in COMPARISON_WORDS)
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {pairs}").fetchall()}
    tf_select = ", mw_tf_adj_full_name" if "mw_tf_adj_full_name" in columns else ", 0.0 AS mw_tf_adj_full_name"
    # Splink puts the lower source dataset name on the left: "list" < "registry".
    con.execute(
        f"""
        CREATE OR REPLACE TABLE candidates AS
        SELECT
            CASE WHEN source_dataset_l = 'list' THEN unique_id_l ELSE unique_id_r END AS list_id,
            CASE WHEN source_dataset_l = 'list' THEN unique_id_r ELSE unique_id_l END AS person_id,
            match_weight, match_probability, {weights}{tf_select}
        FROM {pairs}
        """
    )
    return "candidates"


def predict_candidates(con: duckdb.DuckDBPyConnection, *, population: int, model: dict[str, Any] | None = None) -> str:
    """Score the blocked pairs of `stage2_rows` x `pop`; returns the name of a table of candidate pairs.

    The table has list_id, person_id, match_weight, match_probability and each comparison's weight (mw_...).
    """
    linker = _linker(con, prepared_settings(population, model))
    pairs = linker.inference.predict(threshold_match_weight=-10)
    return store_candidates(con, pairs.physical_name)


def level_labels(model: dict[str, Any] | None = None) -> dict[str, list[tuple[float, str]]]:
    """For each comparison, its levels' (match weight, label); a null level weighs 0.

    Splink 5 returns each comparison's weight but not its level, so the level is found by its weight.
    """
    data = model or load_model()
    labels: dict[str, list[tuple[float, str]]] = {}
    for comparison in data["comparisons"]:
        levels: list[tuple[float, str]] = []
        for level in comparison["comparison_levels"]:
            label = str(level.get("label_for_charts") or level.get("sql_condition"))
            if level.get("is_null_level"):
                levels.append((0.0, label))
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m and u:
                levels.append((math.log2(m / u), label))
        labels[comparison["output_column_name"]] = levels
    return labels


def level_of(levels: list[tuple[float, str]], weight: float) -> str:
    """The label of the level whose weight is nearest to `weight`."""
    if not levels:
        return ""
    return min(levels, key=lambda level: abs(level[0] - weight))[1]
