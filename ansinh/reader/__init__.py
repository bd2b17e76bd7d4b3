"""The file reader for beneficiary lists: official Excel and CSV layouts, read with one set of rules.

A plain Python package (no Django): the registry importer and the matching engine both read lists
through `read_list`, so they agree on what a data row is, how it is numbered and what is wrong with it.

    from ansinh.reader import read_list, UnreadableFile

    try:
        listing = read_list(path, sheet=None, mapping=None)   # mapping: {column index: field or None}
    except UnreadableFile as exc:                              # exc.code, exc.text: one line
        ...
    with listing:
        listing.columns        # Column(index, letter, header_text, field, key), unknown columns included
        listing.mapping        # {column index: field} in force; listing.detected_mapping as detected
        for row in listing.rows:                 # DataRow, streamed once
            row.data_row, row.sheet_row          # 1-based among data rows; the row as Excel shows it
            row.values                           # parsed fields (see DataRow), row.raw: every cell as text
            row.problems                         # Problem(level, code, message, params, file_name, sheet,
                                                 #         sheet_row, data_row, column_letter, column_header)
    listing.problems   # file-level problems and ignored rows; complete once rows are exhausted

Rules that need the database (commune known, category known, amount against the allowance rule, old
commune conversion) are not here: `values` carries the raw commune code/name and category text for them.
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
