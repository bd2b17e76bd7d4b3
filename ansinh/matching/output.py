"""RESULT.csv: UTF-8 without BOM, comma-separated, a header row, RESULT_COLUMNS first."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pyarrow as pa


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "1" if value == 1.0 else "0" if value == 0.0 else f"{value:.6f}".rstrip("0")
    return str(value)


def write_result(path: Path, table: pa.Table) -> None:
    """Write the table to `path` atomically: a crash leaves no half-written result."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        for batch in table.to_batches(max_chunksize=50_000):
            columns = [column.to_pylist() for column in batch.columns]
            writer.writerows([_cell(v) for v in row] for row in zip(*columns, strict=True))
    os.replace(partial, path)
