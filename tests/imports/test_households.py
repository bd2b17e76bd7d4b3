"""A household column ("Chủ hộ", "Mã hộ") puts the new people of a list in their households."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ansinh.audit.models import AuditEntry
from ansinh.registry.models import Household, Person
from ansinh.registry.selectors import person_list
from tests import factories as f
from tests.conftest import Personas, World

pytestmark = pytest.mark.django_db

LIST = """Họ và tên,Ngày sinh,Giới tính,Mã xã,Thôn/tổ,Chủ hộ
Nguyễn Văn Ba,1950,Nam,00004,Tổ 3,Nguyễn Văn Ba
Trần Thị Tư,1952,Nữ,00004,Tổ 3,Nguyễn Văn Ba
Lê Văn Năm,1948,Nam,00004,Tổ 5,Lê Văn Năm
Phạm Thị Sáu,1960,Nữ,00004,Tổ 6,
"""


def import_list(tmp_path: Path, text: str = LIST) -> None:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import", str(path), "--category", "social_protection", stdout=StringIO())


def test_people_of_one_household_share_it_and_a_row_without_one_has_none(tmp_path: Path, world: World) -> None:
    import_list(tmp_path)
    ba, tu, nam, sau = (
        Person.objects.get(full_name=name) for name in ("Nguyễn Văn Ba", "Trần Thị Tư", "Lê Văn Năm", "Phạm Thị Sáu")
    )
    assert ba.household_id is not None and ba.household_id == tu.household_id
    assert nam.household_id not in (None, ba.household_id)
    assert sau.household_id is None
    household = Household.objects.get(pk=ba.household_id)
    assert (household.head_name, household.commune_id) == ("Nguyễn Văn Ba", world.ba_dinh.pk)
    assert AuditEntry.objects.filter(action="create", object_type="registry.household").exists()


def test_a_household_already_in_the_registry_is_reused_not_doubled(tmp_path: Path, world: World) -> None:
    existing = Household.objects.create(commune=world.ba_dinh, head_name="Nguyễn Văn Ba")
    import_list(tmp_path)
    assert Person.objects.get(full_name="Trần Thị Tư").household_id == existing.pk
    assert Household.objects.filter(head_name="Nguyễn Văn Ba").count() == 1


def test_a_person_already_in_the_registry_keeps_their_household(tmp_path: Path, world: World) -> None:
    own = Household.objects.create(commune=world.ba_dinh, head_name="Someone Else")
    f.person("Nguyễn Văn Ba", world.ba_dinh, birth_year=1950, household=own)
    import_list(tmp_path)
    assert Person.objects.get(full_name="Nguyễn Văn Ba").household_id == own.pk


def test_imported_people_are_found_by_the_registry_search(tmp_path: Path, personas: Personas) -> None:
    import_list(tmp_path)
    found = person_list(user=personas.province_hanoi, query="tran thi tu")
    assert [p.full_name for p in found] == ["Trần Thị Tư"]
