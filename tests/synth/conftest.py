"""One small synthetic run shared by the synth tests (a few seconds)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from ansinh.synth import synthesize
from tests.synth.support import Run


@pytest.fixture(scope="session")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("synth")
    synthesize(out_dir=out, provinces=["31"], population_size=60_000, beneficiaries=6_000, seed=7, chunk_rows=25_000)
    return Run(out, pq.read_table(out / "population.parquet"), pq.read_table(out / "truth.parquet"))
