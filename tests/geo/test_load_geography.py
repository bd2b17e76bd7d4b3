"""`ansinh load_geography`: the real package data, idempotence, and reconciliation with an official list."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ansinh.geo.models import Commune, LegacyUnit, Province
from tests.geo.conftest import Loaded

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_geography", *args, stdout=out)
    return out.getvalue()


def write_csv(path: Path, lines: list[str], *, bom: bool = True) -> Path:
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot() -> dict[str, int]:
    return dict(Commune.objects.values_list("package_key", "pk"))


def test_real_load_gives_34_provinces_3321_communes_and_10040_pre_2025_units(geography: Loaded) -> None:
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert LegacyUnit.objects.count() == 10040
    report = geography.report
    assert (report.provinces.created, report.communes.created, report.legacy.created) == (34, 3321, 10040)
    assert report.unlinked == 0


def test_split_old_communes_have_candidates_and_the_others_one_successor(geography: Loaded) -> None:
    split = LegacyUnit.objects.filter(is_split=True)
    assert split.count() == geography.report.split > 0
    assert not split.filter(new_commune__isnull=False).exists()
    assert all(unit.candidates.count() >= 2 for unit in split[:50])
    assert not LegacyUnit.objects.filter(is_split=False, new_commune__isnull=True).exists()


def test_island_districts_without_communes_became_special_zones(geography: Loaded) -> None:
    con_dao = LegacyUnit.objects.get(code="", district_name="Huyện Côn Đảo")
    assert con_dao.new_commune is not None
    assert con_dao.new_commune.name == "Đặc khu Côn Đảo"
    assert con_dao.new_commune.kind == Commune.Kind.SPECIAL_ZONE


def test_kind_follows_the_name_even_where_ward_type_contradicts_it(geography: Loaded) -> None:
    assert Commune.objects.get(code="10543").kind == Commune.Kind.WARD  # Phường Việt Hòa, typed "Xã"
    assert Commune.objects.get(code="31299").kind == Commune.Kind.COMMUNE  # Xã Phong Điền, typed "Phường"
    assert Commune.objects.filter(kind=Commune.Kind.SPECIAL_ZONE).count() == 13


def test_communes_carry_coordinates_and_folded_names(geography: Loaded) -> None:
    ba_dinh = Commune.objects.get(code="00004")
    assert ba_dinh.name == "Phường Ba Đình"
    assert ba_dinh.name_folded == "phuong ba dinh"
    assert ba_dinh.latitude and ba_dinh.longitude
    assert ba_dinh.province.code == "01"


def test_load_is_set_wise_not_one_query_per_unit(geography: Loaded) -> None:
    # Batches sized by the database's parameter limit (999 on SQLite): ~160, not 13,000.
    assert geography.queries < 400


def test_second_run_changes_nothing_keeps_ids_and_is_cheap(
    geography: Loaded, django_assert_max_num_queries: object
) -> None:
    before, legacy_before = snapshot(), set(LegacyUnit.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        out = run()
    assert "provinces: 0 created, 0 updated, 34 unchanged" in out
    assert "communes: 0 created, 0 updated, 3321 unchanged" in out
    assert "pre-2025 units: 0 created, 0 updated, 10040 unchanged" in out
    assert snapshot() == before
    assert set(LegacyUnit.objects.values_list("pk", flat=True)) == legacy_before


def test_official_code_swap_keeps_internal_ids(geography: Loaded, tmp_path: Path) -> None:
    ba_dinh, ngoc_ha = Commune.objects.get(code="00004"), Commune.objects.get(code="00008")
    truc_bach = LegacyUnit.objects.get(code="00004")  # went whole into Phường Ba Đình
    csv = write_csv(tmp_path / "official.csv", ["code,name,province", "00008,Phường Ba Đình,01", "4,Phường Ngọc Hà,01"])

    out = run("--official", str(csv))

    assert "2 codes changed" in out
    assert Commune.objects.get(pk=ba_dinh.pk).code == "00008"
    assert Commune.objects.get(pk=ngoc_ha.pk).code == "00004"
    truc_bach.refresh_from_db()
    assert truc_bach.new_commune_id == ba_dinh.pk
    assert "0 codes changed" in run("--official", str(csv))
    run()  # reloading the package does not undo the official codes
    assert Commune.objects.get(pk=ba_dinh.pk).code == "00008"


def test_official_list_reports_unmatched_rows_and_absent_communes(geography: Loaded, tmp_path: Path) -> None:
    csv = write_csv(
        tmp_path / "official.csv",
        ["code,province,name", "00004,Hà Nội,Ba Đình", "99999,Thành phố Hà Nội,Phường Không Có"],
        bom=False,
    )
    out = run("--official", str(csv))
    assert "1 communes matched" in out
    assert "1 rows match no commune" in out
    assert "3320 communes absent from the list" in out
    assert "row 3: 99999 Phường Không Có" in out
    assert Commune.objects.count() == 3321
    assert Commune.objects.get(code="00004").name == "Phường Ba Đình"  # the bare name kept its prefix


def test_official_spelling_replaces_the_package_spelling(geography: Loaded, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "official.csv", ["code,name,province", "00175,Phường Yên Hoà,01"])
    assert "1 names updated" in run("--official", str(csv))
    assert Commune.objects.get(code="00175").name == "Phường Yên Hoà"


def test_official_code_held_by_an_unlisted_commune_is_refused(geography: Loaded, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "official.csv", ["code,name,province", "00008,Phường Ba Đình,01"])
    with pytest.raises(CommandError, match=r"official\.csv, row 2, column code: code 00008 belongs to Phường Ngọc Hà"):
        run("--official", str(csv))
    assert Commune.objects.get(code="00004").name == "Phường Ba Đình"


def test_bad_official_csv_changes_nothing_and_names_the_row(geography: Loaded, tmp_path: Path) -> None:
    before = dict(Commune.objects.values_list("pk", "code"))
    csv = write_csv(
        tmp_path / "official.csv",
        ["code,name,province", "00008,Phường Ba Đình,01", "00004,Phường Ngọc Hà,Atlantis"],
    )
    with pytest.raises(CommandError, match=r"official\.csv, row 3, column province: no province 'Atlantis'"):
        run("--official", str(csv))
    assert dict(Commune.objects.values_list("pk", "code")) == before
    assert not Commune.objects.filter(official=True).exists()
