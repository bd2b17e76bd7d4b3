"""Reloading changed package data: codes that move between communes, and codes an official list fixed."""

from __future__ import annotations

import dataclasses

import pytest

from ansinh.geo.models import Commune, LegacyUnit
from ansinh.geo.package_data import PackageCommune, PackageData, PackageLegacyUnit, PackageProvince
from ansinh.geo.services import geography_load_package

pytestmark = pytest.mark.django_db

HANOI = PackageProvince(code="01", name="Thành phố Hà Nội", short_name="Hà Nội", latitude=21.0, longitude=105.7)


def commune(key: str, code: str, name: str) -> PackageCommune:
    return PackageCommune(
        key=key,
        code=code,
        name=name,
        short_name=name.split(" ", 1)[1],
        ward_type="Phường",
        province_code="01",
        latitude=21.0,
        longitude=105.8,
    )


def data(first_code: str, second_code: str) -> PackageData:
    old = PackageLegacyUnit(
        province_code="01",
        province_name="Thành phố Hà Nội",
        district_code="001",
        district_name="Quận Ba Đình",
        code="00007",
        name="Phường Cống Vị",
        latitude=None,
        longitude=None,
        successors=("hn_a", "hn_b"),
        is_split=True,
    )
    return PackageData(
        provinces=[HANOI],
        communes=[commune("hn_a", first_code, "Phường A"), commune("hn_b", second_code, "Phường B")],
        legacy=[
            old,
            dataclasses.replace(old, code="00001", name="Phường Phúc Xá", successors=("hn_a",), is_split=False),
        ],
    )


def test_codes_swapped_by_a_new_package_version_keep_internal_ids() -> None:
    geography_load_package(data=data("00001", "00002"))
    ids = dict(Commune.objects.values_list("name", "pk"))
    report = geography_load_package(data=data("00002", "00001"))
    assert report.communes.updated == 2
    assert dict(Commune.objects.values_list("name", "code")) == {"Phường A": "00002", "Phường B": "00001"}
    assert dict(Commune.objects.values_list("name", "pk")) == ids
    assert LegacyUnit.objects.get(code="00001").new_commune_id == ids["Phường A"]
    assert set(LegacyUnit.objects.get(code="00007").candidates.values_list("pk", flat=True)) == set(ids.values())


def test_a_code_confirmed_by_the_official_list_survives_a_package_reload() -> None:
    geography_load_package(data=data("00001", "00002"))
    Commune.objects.filter(name="Phường A").update(code="00009", name="Phường Á", official=True)
    report = geography_load_package(data=data("00001", "00002"))
    a = Commune.objects.get(package_key="hn_a")
    assert (a.code, a.name) == ("00009", "Phường Á")
    assert report.communes.unchanged == 2


def test_rows_made_before_the_package_are_adopted_by_code() -> None:
    from tests import factories as f

    existing = f.commune("00001", "Phường A", f.province("01", "Thành phố Hà Nội"))
    geography_load_package(data=data("00001", "00002"))
    assert Commune.objects.get(package_key="hn_a").pk == existing.pk
    assert Commune.objects.count() == 2
