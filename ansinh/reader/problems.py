"""Every problem the reader reports: a stable code, its level and its English message (a msgid)."""

from __future__ import annotations

from ansinh.reader.model import Column, Level, Problem, UnreadableFile, gettext_noop

_ = gettext_noop

CATALOGUE: dict[str, tuple[Level, str]] = {
    # rows: reading rules
    "missing_name": ("error", _("The row has no name.")),
    "birth_date_missing": ("error", _("The birth date is missing.")),
    "birth_date_unreadable": ("error", _("The birth date “%(value)s” cannot be read as a date.")),
    "birth_date_implausible": ("error", _("The birth date %(value)s is not a possible birth date.")),
    "birth_date_both_sexes": (
        "warning",
        _("A birth date is written under both Male and Female; the first one is used and the sex is left open."),
    ),
    "date_two_digit_year": ("warning", _("The year of “%(value)s” has two digits; read as %(year)s.")),
    "date_day_month_swapped": (
        "warning",
        _("“%(value)s” has no such month; read with day and month swapped, as %(date)s."),
    ),
    "date_serial": ("warning", _("The number %(value)s was read as an Excel date, %(date)s.")),
    "date_unreadable": ("warning", _("“%(value)s” cannot be read as a date.")),
    "amount_not_number": ("error", _("The amount “%(value)s” is not a whole number of đồng.")),
    "coefficient_unreadable": ("warning", _("The coefficient “%(value)s” is not a number.")),
    "id_zeros_restored": (
        "warning",
        _("The ID number was stored as a number and lost its leading zeros; restored to %(length)s digits."),
    ),
    "id_wrong_length": (
        "warning",
        _("The ID number has %(length)s digits, not 12 or 9: kept as written, not used as an ID."),
    ),
    "id_not_digits": (
        "warning",
        _("The ID number holds characters other than digits: kept as written, not used as an ID."),
    ),
    "id_province": ("warning", _("The ID number's province code %(code)s is not a valid one.")),
    "id_sex": ("warning", _("The ID number's sex digit contradicts the stated sex.")),
    "id_birth_year": ("warning", _("The ID number says born in %(id_year)s; the list says %(year)s.")),
    "id_century": ("warning", _("The ID number's century digit %(digit)s is not a valid one.")),
    "sex_unreadable": ("warning", _("“%(value)s” is not a recognised sex (Nam/Nữ, M/F, Male/Female).")),
    "sex_conflict": ("warning", _("The sex column and the column the birth date is written in disagree.")),
    "phone_unreadable": ("warning", _("The phone number is not a recognisable Vietnamese number.")),
    "duplicate_in_file": ("warning", _("The same person as data row %(data_row)s (sheet row %(sheet_row)s).")),
    # rows that are not data rows
    "row_ignored": ("warning", _("Row ignored: it holds neither a name nor an ID number.")),
    "row_not_a_name": ("warning", _("Row ignored: “%(value)s” does not look like a person's name.")),
    "row_after_signature": ("warning", _("Row after the signature block, not read as a data row.")),
    # the file
    "legacy_encoding": (
        "warning",
        _("The text was converted from the legacy %(encoding)s encoding; check the names for conversion mistakes."),
    ),
    "encoding_uncertain": (
        "warning",
        _("The file's encoding could not be recognised with confidence; it was read as Windows-1258."),
    ),
    "encoding_replaced": (
        "warning",
        _("Some bytes are not valid %(encoding)s and were replaced; check the text."),
    ),
    "field_mapped_twice": (
        "warning",
        _("Two columns hold %(field)s; the first non-empty one is used (%(columns)s)."),
    ),
    "no_name_column": ("warning", _("No column holds the name: every row will lack a name.")),
    "no_birth_date_column": ("warning", _("No column holds the birth date: every row will lack one.")),
}

# Why a file cannot be read; one line each.
UNREADABLE: dict[str, str] = {
    "empty_file": _("The file is empty."),
    "damaged_file": _("The file is damaged or is not a spreadsheet (%(detail)s)."),
    "unsupported_file": _("The file is neither an Excel workbook nor a CSV file."),
    "sheet_not_found": _("The workbook has no sheet named “%(sheet)s”."),
    "no_header": _("No recognisable header row (a name or ID number column) in %(where)s."),
    "no_data_rows": _("The list holds no data rows under its header."),
    "bad_mapping": _("The column mapping names an unknown field: %(field)s."),
}


def make_problem(
    code: str,
    *,
    file_name: str,
    sheet: str | None,
    params: dict[str, object] | None = None,
    sheet_row: int | None = None,
    data_row: int | None = None,
    column: Column | None = None,
    level: Level | None = None,
) -> Problem:
    default_level, message = CATALOGUE[code]
    return Problem(
        level=level or default_level,
        code=code,
        message=message,
        params=params or {},
        file_name=file_name,
        sheet=sheet,
        sheet_row=sheet_row,
        data_row=data_row,
        column_letter=column.letter if column else None,
        column_header=column.header_text if column else None,
        field=column.field if column else None,
    )


def unreadable(code: str, **params: object) -> UnreadableFile:
    return UnreadableFile(code, UNREADABLE[code], params or None)
