"""Matching beneficiary lists against the population registry: a plain Python package (no Django).

    from ansinh.matching import match_files, write_result, train_model, InputError

    table = match_files(population=Path("population.parquet"), beneficiaries=[Path("list.xlsx")])
    write_result(Path("result.csv"), table)      # RESULT_COLUMNS first, then EXTRA_COLUMNS

Stage 1 links on the ID (12-digit, or a 9-digit old ID against `old_id`) where name and birth date agree after
Vietnamese normalisation; stage 2 scores the rest with a Fellegi-Sunter model (Splink 5, saved in
`model/model.json`, retrained by `train_model`). Each row gets one of STATUSES, the registry columns that
differ, a duplicate group and an explanation in words.
"""

from __future__ import annotations

from ansinh.matching.engine import (
    DIFFERENCE_FIELDS,
    EXTRA_COLUMNS,
    RESULT_COLUMNS,
    STATUSES,
    Engine,
    Thresholds,
    match_files,
)
from ansinh.matching.inputs import InputError
from ansinh.matching.output import write_result
from ansinh.matching.probabilistic import MODEL_PATH, load_model
from ansinh.matching.training import train_model

__all__ = [
    "DIFFERENCE_FIELDS",
    "EXTRA_COLUMNS",
    "MODEL_PATH",
    "RESULT_COLUMNS",
    "STATUSES",
    "Engine",
    "InputError",
    "Thresholds",
    "load_model",
    "match_files",
    "train_model",
    "write_result",
]
