"""Training the Fellegi-Sunter model on synthetic data (`ansinh.synth`), where the truth is known.

u probabilities come from random pairs; m probabilities from the true pairs (the truth file tells which
registry person each list row stands for), which is steadier than expectation maximisation on lists whose
mistakes are deliberately frequent. Run once; the result is committed as `model/model.json`.
"""

# ruff: noqa: S608 - SQL here is built from this package's own constants and quoted paths, never from row data

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from ansinh.matching import probabilistic
from ansinh.matching.inputs import load_lists, load_population, read_lists
from ansinh.matching.normalise import install_macros
from ansinh.synth import synthesize

log = logging.getLogger(__name__)

# Levels the synthetic mistakes never produce still happen in real lists; give them modest m (and u) values
# instead of leaving them untrained, which Splink would score as no evidence at all.
FALLBACK_M = {
    ("date_of_birth", "the same month and year of birth"): 0.01,
    ("date_of_birth", "a date of birth one part apart"): 0.01,
    ("date_of_birth", "a year of birth one apart"): 0.005,
    ("date_of_birth", "a different date of birth"): 0.003,
    ("sex", "a different sex"): 0.005,
}
FALLBACK_U = {("date_of_birth", "the same month and year of birth"): 0.0005}
DEFAULT_M, DEFAULT_U = 0.001, 0.01


def fill_untrained(data: dict[str, Any]) -> dict[str, Any]:
    """Give every non-null level an m and a u, keeping each comparison's m values summing to one."""
    for comparison in data["comparisons"]:
        name = comparison["output_column_name"]
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        filled = 0.0
        trained = []
        for level in levels:
            key = (name, level.get("label_for_charts"))
            if level.get("m_probability") is None:
                level["m_probability"] = FALLBACK_M.get(key, DEFAULT_M)
                filled += level["m_probability"]
            else:
                trained.append(level)
            if level.get("u_probability") is None:
                level["u_probability"] = FALLBACK_U.get(key, DEFAULT_U)
        if filled:
            total = sum(lvl["m_probability"] for lvl in trained)
            for level in trained:
                level["m_probability"] *= (1.0 - filled) / total
    return data


def train_model(
    *,
    out: Path = probabilistic.MODEL_PATH,
    population_size: int = 60_000,
    beneficiaries: int = 6_000,
    provinces: tuple[str, ...] = ("01",),
    seed: int = 7,
    u_pairs: float = 3e6,
) -> Path:
    """Generate synthetic data, estimate u and m, and save the model as JSON at `out`."""
    with tempfile.TemporaryDirectory(prefix="ansinh-train-") as work:
        folder = Path(work)
        synthesize(
            out_dir=folder, provinces=provinces, population_size=population_size, beneficiaries=beneficiaries,
            seed=seed,
        )  # fmt: skip
        lists = sorted((folder / "lists").iterdir())
        con = duckdb.connect()
        install_macros(con)
        load_population(con, folder / "population.parquet")
        load_lists(con, read_lists(lists))
        con.execute("CREATE TABLE stage2_rows AS SELECT * FROM list_rows WHERE NOT invalid")
        truth = str(folder / "truth.parquet").replace("'", "''")
        con.execute(
            f"""
            CREATE TABLE labels AS
            SELECT 'list' AS source_dataset_l, l.unique_id AS unique_id_l,
                   'registry' AS source_dataset_r, p.unique_id AS unique_id_r
            FROM read_parquet('{truth}') t
            JOIN list_rows l ON l.source_file = t.file AND l.source_row = t.data_row AND NOT l.invalid
            JOIN pop p ON p.id12 = t.citizen_id
            WHERE t.in_registry
            """
        )
        linker = probabilistic._linker(con, probabilistic.settings())
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        linker.training.estimate_m_from_pairwise_labels("labels")
        data = fill_untrained(linker.misc.save_model_to_json(None))
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log.info("model written to %s", out)
    return out
