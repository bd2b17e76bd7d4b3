"""One call for everything `ansinh synth` writes: the registry snapshot, the lists and their ground truth."""

from __future__ import annotations

import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ansinh.synth.categories import CATEGORIES
from ansinh.synth.layout import Layout, ListFormat, write_lists, write_truth
from ansinh.synth.lists import ListBuilder
from ansinh.synth.mistakes import Rates
from ansinh.synth.population import AS_OF, CHUNK_ROWS, generate_population, stream_to_parquet


@dataclass(frozen=True, slots=True)
class SynthSummary:
    population_rows: int
    list_rows: int
    people: int
    files: int
    seconds: float
    peak_rss_mb: float
    out_dir: Path

    def line(self) -> str:
        """The one-line summary the command prints."""
        return (
            f"population={self.population_rows} list_rows={self.list_rows} people={self.people} "
            f"files={self.files} seconds={self.seconds:.1f} peak_rss_mb={self.peak_rss_mb:.0f} out={self.out_dir}"
        )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthesize(
    *,
    out_dir: Path,
    provinces: Sequence[str],
    population_size: int,
    beneficiaries: int,
    seed: int,
    rates: Rates | None = None,
    categories: Sequence[str] = CATEGORIES,
    list_format: ListFormat = "xlsx",
    layout: Layout = "standard",
    chunk_rows: int = CHUNK_ROWS,
    as_of: date = AS_OF,
) -> SynthSummary:
    """Write out_dir/population.parquet, out_dir/lists/<category>.<format> and out_dir/truth.parquet.

    The population is generated, written and offered to the list builder chunk by chunk, so memory holds one
    chunk plus the chosen beneficiaries, whatever the population size.
    """
    started = time.perf_counter()
    builder = ListBuilder(beneficiaries=beneficiaries, seed=seed, rates=rates, categories=categories, as_of=as_of)
    batches = generate_population(
        provinces=provinces, size=population_size, seed=seed, chunk_rows=chunk_rows, as_of=as_of
    )
    population_rows = 0
    for batch in stream_to_parquet(out_dir / "population.parquet", batches):
        builder.add(batch)
        population_rows += len(batch)
    lists = builder.finish()
    truth = write_lists(out_dir / "lists", lists, list_format=list_format, layout=layout)
    write_truth(out_dir / "truth.parquet", truth)
    people = len({row.person_key for rows in lists.rows.values() for row in rows})
    return SynthSummary(
        population_rows=population_rows,
        list_rows=len(lists),
        people=people,
        files=len(lists.rows),
        seconds=time.perf_counter() - started,
        peak_rss_mb=peak_rss_mb(),
        out_dir=out_dir,
    )
