"""Vietnamese normalisation for matching, written once as DuckDB macros so that the registry (millions of
rows) and the lists are folded by the same SQL, in bulk.

- `ansinh_fold(s)`: the comparison form of `ansinh.lib.text.fold` (NFC, đ→d, no marks, lower case, single
  spaces). Missing diacritics, case, spacing and old/new tone placement ("Hoà"/"Hòa") all fold alike; a test
  pins that the macro and `fold` agree.
- `ansinh_name_key(s)`: a looser key for finding candidates: the folded name with i/y spelling variants
  made equal ("Vỹ"/"Vĩ", "Quý"/"Quí") and the common middle names "Thị"/"Văn" dropped. Agreement on the key but
  not on the folded name is still a difference (`full_name`) in the result: the key only finds people.
- `ansinh_given(s)`: the given name (the last word of the key), for blocking and a given-name-only level.
"""

from __future__ import annotations

import duckdb

from ansinh.lib.text import fold

# Middle names so common that lists drop or add them at will.
COMMON_MIDDLE_NAMES = ("thi", "van")

MACROS = f"""
CREATE OR REPLACE MACRO ansinh_fold(s) AS
    nullif(lower(trim(regexp_replace(
        strip_accents(replace(replace(nfc_normalize(s), 'đ', 'd'), 'Đ', 'd')), '\\s+', ' ', 'g'))), '');
CREATE OR REPLACE MACRO ansinh_iy(s) AS
    regexp_replace(regexp_replace(s, '(^|[^aeiouy ])y(\\s|$)', '\\1i\\2', 'g'), '(^|\\s)quy(\\s|$)', '\\1qui\\2', 'g');
CREATE OR REPLACE MACRO ansinh_name_key_words(w) AS
    list_filter(w, lambda x, i: i = 1 OR i = len(w) OR x NOT IN {COMMON_MIDDLE_NAMES!r});
CREATE OR REPLACE MACRO ansinh_name_key(s) AS
    array_to_string(ansinh_name_key_words(string_split(ansinh_iy(ansinh_fold(s)), ' ')), ' ');
CREATE OR REPLACE MACRO ansinh_given(s) AS list_last(string_split(ansinh_iy(ansinh_fold(s)), ' '));
CREATE OR REPLACE MACRO ansinh_family(s) AS list_first(string_split(ansinh_iy(ansinh_fold(s)), ' '));
CREATE OR REPLACE MACRO ansinh_date_part(d, i) AS try_cast(string_split(d, '-')[i] AS INTEGER);
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET enable_progress_bar = false")
    con.execute(MACROS)


def fold_name(text: str) -> str:
    """The folded name as the engine compares it (the Python twin of `ansinh_fold`)."""
    return fold(text)
