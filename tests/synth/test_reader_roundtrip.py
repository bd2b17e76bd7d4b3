"""The lists are meant to be read by ansinh.reader exactly as the truth numbers them."""

from __future__ import annotations

from ansinh.reader import read_list
from tests.synth.support import Run


def test_the_reader_finds_every_data_row_of_every_list_with_the_truths_numbering(run: Run) -> None:
    for path in sorted((run.out / "lists").iterdir()):
        truth = [(t["data_row"], t["sheet_row"], t["listed_full_name"]) for t in run.truth.to_pylist()
                 if t["file"] == path.name]  # fmt: skip
        with read_list(path) as listing:
            read = [(row.data_row, row.sheet_row, row.values.get("full_name")) for row in listing.rows]
        assert read == truth, path.name
