"""Vietnamese normalisation for matching, written once as DuckDB macros so that the registry (millions of
rows) and the lists are folded by the same SQL, in bulk.

- `ansinh_fold(s)`: the comparison form of `ansinh.lib.text.fold` (NFC, đ→d, no marks, lower case, single
  spaces; `ansinh_fold_nfc(s)` for text already in NFC). Missing diacritics, case, spacing and old/new tone
  placement ("Hoà"/"Hòa") all fold alike; a test pins that the macro and `fold` agree.
- `ansinh_name_key(s)`: a looser key for finding candidates: the folded name with i/y spelling variants
  made equal ("Vỹ"/"Vĩ", "Quý"/"Quí") and the common middle names "Thị"/"Văn" dropped. Agreement on the key but
  not on the folded name is still a difference (`full_name`) in the result: the key only finds people.
- `ansinh_given(s)`: the given name (the last word of the key), for blocking and a given-name-only level.
"""

from __future__ import annotations

import duckdb

# Middle names so common that lists drop or add them at will.
COMMON_MIDDLE_NAMES = ("thi", "van")

# The middle names are dropped from everything but the last word (the given name: "Vân" folds to "van").
_drops = "' ' || head || ' '"
for _word in COMMON_MIDDLE_NAMES:
    _drops = f"replace({_drops}, ' {_word} ', ' ')"

MACROS = f"""
CREATE OR REPLACE MACRO ansinh_fold_nfc(s) AS
    nullif(lower(trim(regexp_replace(strip_accents(replace(replace(s, 'đ', 'd'), 'Đ', 'd')), '\\s+', ' ', 'g'))), '');
CREATE OR REPLACE MACRO ansinh_fold(s) AS ansinh_fold_nfc(nfc_normalize(s));
CREATE OR REPLACE MACRO ansinh_iy(s) AS
    regexp_replace(regexp_replace(s, '(^|[^aeiouy ])y(\\s|$)', '\\1i\\2', 'g'), '(^|\\s)quy(\\s|$)', '\\1qui\\2', 'g');
CREATE OR REPLACE MACRO ansinh_drop_middle(head) AS
    nullif(trim({_drops}), '');
CREATE OR REPLACE MACRO ansinh_key_of(k) AS
    CASE WHEN position(' ' IN k) = 0 THEN k
         ELSE concat_ws(' ', ansinh_drop_middle(regexp_extract(k, '^(.*) [^ ]+$', 1)), regexp_extract(k, '[^ ]+$'))
    END;
CREATE OR REPLACE MACRO ansinh_name_key(s) AS ansinh_key_of(ansinh_iy(ansinh_fold(s)));
CREATE OR REPLACE MACRO ansinh_given(s) AS nullif(regexp_extract(ansinh_iy(ansinh_fold(s)), '[^ ]+$'), '');
CREATE OR REPLACE MACRO ansinh_family(s) AS nullif(regexp_extract(ansinh_iy(ansinh_fold(s)), '^[^ ]+'), '');
CREATE OR REPLACE MACRO ansinh_date_part(d, i) AS try_cast(string_split(d, '-')[i] AS INTEGER);
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET enable_progress_bar = false")
    con.execute(MACROS)
