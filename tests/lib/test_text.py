from __future__ import annotations

import unicodedata

from ansinh.lib.text import fold, nfc, vietnamese_sort_key


def test_fold_ignores_diacritics_case_spacing_and_tone_placement() -> None:
    assert fold("Nguyễn  Thị LAN ") == "nguyen thi lan"
    assert fold("Hoà") == fold("Hòa") == "hoa"
    assert fold("Thuý") == fold("Thúy")
    assert fold("Đặng Đức") == "dang duc"


def test_nfc_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert nfc(decomposed) == "Nguyễn" and len(nfc(decomposed)) == 6


def test_sort_key_orders_by_given_name_then_family_name() -> None:
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Phạm Đức", "Hà Dũng"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Lê Văn An",
        "Trần Thị An",
        "Nguyễn Văn Bình",
        "Hà Dũng",
        "Phạm Đức",
    ]


def test_sort_key_puts_shaped_letters_after_their_base() -> None:
    # Vietnamese alphabet: a < ă < â, d < đ, o < ô < ơ, u < ư.
    assert sorted(["Âu", "Ăn", "An"], key=vietnamese_sort_key) == ["An", "Ăn", "Âu"]
    assert sorted(["Ưng", "Uy"], key=vietnamese_sort_key) == ["Uy", "Ưng"]
