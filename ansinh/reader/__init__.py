"""The file reader for beneficiary lists: official Excel and CSV layouts, read with one set of rules.

A plain Python package (no Django): the registry importer and the matching engine both read lists
through `read_list`, so they agree on what a data row is, how it is numbered and what is wrong with it.

    from ansinh.reader import read_list, UnreadableFile

    with read_list(path) as listing:          # raises UnreadableFile with a one-line reason
        listing.columns                       # Column(index, letter, header_text, field, key)
        for row in listing.rows:              # DataRow, streamed
            row.data_row, row.sheet_row, row.values, row.raw, row.problems
        listing.problems                      # file-level problems and ignored rows (complete at the end)
"""

from __future__ import annotations

from ansinh.reader.api import read_list
from ansinh.reader.model import (
    FIELD_LABELS,
    FIELDS,
    VALUE_FIELDS,
    Column,
    DataRow,
    ListFile,
    PartialDate,
    Problem,
    UnreadableFile,
    column_letter,
)
from ansinh.reader.problems import CATALOGUE, UNREADABLE
from ansinh.reader.values import parse_amount, parse_citizen_id, parse_date

__all__ = [
    "CATALOGUE",
    "FIELDS",
    "FIELD_LABELS",
    "UNREADABLE",
    "VALUE_FIELDS",
    "Column",
    "DataRow",
    "ListFile",
    "PartialDate",
    "Problem",
    "UnreadableFile",
    "column_letter",
    "parse_amount",
    "parse_citizen_id",
    "parse_date",
    "read_list",
]
