"""Realistic synthetic data: a population-registry snapshot and beneficiary lists with known mistakes.

No Django here: the management command `ansinh synth`, the demo loader and the benchmarks call this API.

    from ansinh.synth import generate_population, generate_lists, write_lists, synthesize, demo_people

- `generate_population(provinces=, size=, seed=)` yields pyarrow RecordBatches with POPULATION_COLUMNS;
  `write_population(path, batches)` / `stream_to_parquet(path, batches)` write them as Parquet row groups.
- `generate_lists(batches, beneficiaries=, seed=, rates=, categories=)` draws the lists from those batches
  (or `ListBuilder` to feed them one at a time); `write_lists(out_dir, lists)` writes the official-layout
  files and returns the ground truth; `write_truth(path, truth)`.
- `synthesize(out_dir=, ...)` does all of it in one streamed pass; `demo_people(...)` gives clean people.
"""

from __future__ import annotations

from ansinh.synth.categories import CATEGORIES
from ansinh.synth.demo import SyntheticPerson, demo_people
from ansinh.synth.layout import TRUTH_SCHEMA, write_lists, write_truth
from ansinh.synth.lists import ListBuilder, generate_lists
from ansinh.synth.mistakes import Rates
from ansinh.synth.population import (
    AS_OF,
    POPULATION_COLUMNS,
    POPULATION_SCHEMA,
    generate_population,
    stream_to_parquet,
    write_population,
)
from ansinh.synth.rows import BeneficiaryLists, ListRow
from ansinh.synth.run import SynthSummary, synthesize

__all__ = [
    "AS_OF",
    "CATEGORIES",
    "POPULATION_COLUMNS",
    "POPULATION_SCHEMA",
    "TRUTH_SCHEMA",
    "BeneficiaryLists",
    "ListBuilder",
    "ListRow",
    "Rates",
    "SynthSummary",
    "SyntheticPerson",
    "demo_people",
    "generate_lists",
    "generate_population",
    "stream_to_parquet",
    "synthesize",
    "write_lists",
    "write_population",
    "write_truth",
]
