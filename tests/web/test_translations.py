"""The English and Spanish catalogues are complete, and the compiled files match them."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "ansinh" / "locale"


@pytest.mark.parametrize("language", ["vi", "en", "es"])
def test_catalogue_has_no_empty_or_fuzzy_entry(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 50
    empty = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert empty == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["vi", "en", "es"])
def test_compiled_catalogue_is_up_to_date(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    compiled = polib.mofile(str(folder / "django.mo"))
    expected = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in source if not e.obsolete}
    actual = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in compiled if e.msgid}
    assert actual == expected
