"""Reading codes and names from lists made before and after the 2025 reform; searching communes."""

from __future__ import annotations

import pytest

from ansinh.geo.models import Province
from ansinh.geo.selectors import Resolution, commune_by_code, commune_search, legacy_resolve
from tests.geo.conftest import Loaded

pytestmark = pytest.mark.django_db


def names(communes: list) -> list[str]:
    return [c.name for c in communes]


def test_a_bare_code_is_the_current_commune(geography: Loaded) -> None:
    result = legacy_resolve(code="00103", name=None)
    assert result.status == Resolution.CURRENT
    assert result.commune is not None and result.commune.name == "Phường Tây Hồ"
    assert commune_by_code("00103").name == "Phường Tây Hồ"  # type: ignore[union-attr]
    assert commune_by_code("103").name == "Phường Tây Hồ"  # type: ignore[union-attr]


def test_the_current_name_beside_the_code_is_current_with_or_without_prefix(geography: Loaded) -> None:
    for name in ("Phường Tây Hồ", "tay ho", "PHƯỜNG TÂY HỒ"):
        assert legacy_resolve(code="00103", name=name).status == Resolution.CURRENT


def test_the_old_name_beside_a_reused_code_is_the_pre_2025_unit(geography: Loaded) -> None:
    # 00103 was Phường Xuân La before 2025; Xuân La was divided among four new wards.
    result = legacy_resolve(code="00103", name="Phường Xuân La")
    assert result.status == Resolution.SPLIT
    assert result.legacy is not None and result.legacy.name == "Phường Xuân La"
    assert "Phường Tây Hồ" in names(result.candidates)
    assert len(result.candidates) >= 2
    assert result.needs_person


def test_an_old_commune_that_went_whole_converts_to_its_new_commune(geography: Loaded) -> None:
    result = legacy_resolve(code="00004", name="Trúc Bạch")
    assert result.status == Resolution.CONVERTED
    assert result.commune is not None and result.commune.name == "Phường Ba Đình"
    old_town = legacy_resolve(code="00874", name="Thị trấn Tam Sơn")
    assert old_town.status == Resolution.CONVERTED
    assert old_town.commune is not None and old_town.commune.name == "Xã Quản Bạ"


def test_a_code_no_current_commune_carries_can_only_be_old(geography: Loaded) -> None:
    result = legacy_resolve(code="00001", name=None)  # Phường Phúc Xá before 2025
    assert result.status == Resolution.CONVERTED
    assert result.commune is not None and result.commune.name == "Phường Hồng Hà"


def test_a_name_that_fits_neither_unit_is_unknown(geography: Loaded) -> None:
    assert legacy_resolve(code="00103", name="Phường Ba Đình").status == Resolution.UNKNOWN
    assert legacy_resolve(code="88888", name=None).status == Resolution.UNKNOWN
    assert legacy_resolve(code="", name="Phường Ba Đình").status == Resolution.UNKNOWN


def test_same_code_and_name_of_a_split_old_unit_is_current_with_the_candidates_as_a_hint(geography: Loaded) -> None:
    result = legacy_resolve(code="00127", name="Phường Việt Hưng")
    assert result.status == Resolution.CURRENT
    assert result.commune is not None and result.commune.name == "Phường Việt Hưng"
    assert result.legacy is not None and result.legacy.is_split
    assert set(names(result.candidates)) == {"Phường Việt Hưng", "Phường Phúc Lợi"}


def test_search_ignores_diacritics_and_case(geography: Loaded) -> None:
    assert names(commune_search(query="ba dinh"))[0] == "Phường Ba Đình"
    assert names(commune_search(query="BA ĐÌNH"))[0] == "Phường Ba Đình"
    assert {"Xã Văn Lang", "Xã Văn Lăng", "Xã Văn Lãng"} <= set(names(commune_search(query="van lang")))


def test_search_within_a_province_by_words_or_code(geography: Loaded) -> None:
    hanoi = Province.objects.get(code="01")
    found = commune_search(query="dinh ba", province=hanoi)
    assert names(found) == ["Phường Ba Đình"]
    assert [c.code for c in commune_search(query="0010", limit=3)] == ["00103"]
    assert commune_search(query="  ") == []
    assert len(commune_search(query="xa", limit=5)) == 5
