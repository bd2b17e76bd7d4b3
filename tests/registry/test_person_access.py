"""A person is reachable only inside the user's area: by list, detail, search, export and API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.conftest import Personas, World


@pytest.fixture
def people(world: World) -> dict[str, object]:
    return {
        "ba_dinh": f.person("Nguyễn Thị Lan", world.ba_dinh, citizen_id="001190001268", phone="0912345678"),
        "tay_ho": f.person("Trần Văn Hòa", world.tay_ho, citizen_id="001080004321"),
        "le_chan": f.person("Lê Thị Thuý", world.le_chan, citizen_id="031175000111"),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def names_in_list(client: Client, query: str = "") -> set[str]:
    response = client.get(reverse("registry:person_list"), {"q": query})
    assert response.status_code == 200
    return {p.full_name for p in response.context["page"].object_list}


def test_commune_police_lists_only_their_commune(personas: Personas, people: dict) -> None:
    assert names_in_list(logged_in(personas.police_ba_dinh)) == {"Nguyễn Thị Lan"}
    assert names_in_list(logged_in(personas.police_tay_ho)) == {"Trần Văn Hòa"}


def test_province_officer_lists_their_province_only(personas: Personas, people: dict) -> None:
    assert names_in_list(logged_in(personas.province_hanoi)) == {"Nguyễn Thị Lan", "Trần Văn Hòa"}


def test_national_supervisor_and_auditor_list_everyone(personas: Personas, people: dict) -> None:
    everyone = {"Nguyễn Thị Lan", "Trần Văn Hòa", "Lê Thị Thuý"}
    assert names_in_list(logged_in(personas.national)) == everyone
    assert names_in_list(logged_in(personas.auditor)) == everyone


def test_insurance_officer_and_agent_see_no_registry(personas: Personas, people: dict) -> None:
    assert names_in_list(logged_in(personas.insurance)) == set()
    assert names_in_list(logged_in(personas.agent)) == set()


def test_commune_officer_cannot_open_another_communes_person(personas: Personas, people: dict) -> None:
    client = logged_in(personas.police_tay_ho)
    response = client.get(reverse("registry:person_detail", args=[people["ba_dinh"].pk]))
    assert response.status_code == 404
    assert client.get(reverse("registry:person_detail", args=[people["tay_ho"].pk])).status_code == 200


def test_search_ignores_diacritics_case_and_tone_placement(personas: Personas, people: dict) -> None:
    national = logged_in(personas.national)
    assert names_in_list(national, "nguyen thi lan") == {"Nguyễn Thị Lan"}
    assert names_in_list(national, "HOA") == {"Trần Văn Hòa"}
    assert names_in_list(national, "Hoà") == {"Trần Văn Hòa"}
    assert names_in_list(national, "Thúy") == {"Lê Thị Thuý"}


def test_search_does_not_reach_around_the_area(personas: Personas, people: dict) -> None:
    assert names_in_list(logged_in(personas.police_tay_ho), "nguyen thi lan") == set()


def test_export_holds_only_the_area(personas: Personas, people: dict) -> None:
    response = logged_in(personas.police_ba_dinh).get(reverse("registry:person_export"))
    text = response.content.decode("utf-8-sig")
    assert "Nguyễn Thị Lan" in text
    assert "Trần Văn Hòa" not in text and "Lê Thị Thuý" not in text


def test_export_masks_numbers_for_the_auditor(personas: Personas, people: dict) -> None:
    text = logged_in(personas.auditor).get(reverse("registry:person_export")).content.decode("utf-8-sig")
    assert "001*******68" in text
    assert "001190001268" not in text


def test_export_neutralises_formulas(personas: Personas, world: World) -> None:
    f.person("=HYPERLINK(1)", world.ba_dinh)
    text = logged_in(personas.police_ba_dinh).get(reverse("registry:person_export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_list_is_sorted_by_given_name(personas: Personas, world: World) -> None:
    for name in ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Ân"]:
        f.person(name, world.ba_dinh)
    response = logged_in(personas.police_ba_dinh).get(reverse("registry:person_list"))
    assert [p.full_name for p in response.context["page"].object_list] == [
        "Trần Thị An",
        "Lê Văn Ân",
        "Nguyễn Văn Bình",
    ]


def test_api_answers_only_inside_the_area(personas: Personas, people: dict) -> None:
    token = f.api_token(personas.police_tay_ho)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    found = client.get("/api/v1/registry/people", {"q": "lan"}).json()
    assert found["count"] == 0
    assert client.get(f"/api/v1/registry/people/{people['ba_dinh'].pk}").status_code == 404
    own = client.get(f"/api/v1/registry/people/{people['tay_ho'].pk}")
    assert own.status_code == 200 and own.json()["full_name"] == "Trần Văn Hòa"


def test_api_masks_numbers_for_the_auditor(personas: Personas, people: dict) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.auditor)}")
    body = client.get(f"/api/v1/registry/people/{people['ba_dinh'].pk}").json()
    assert body["citizen_id"] == "001*******68"


def test_api_refuses_a_user_without_role_in_the_error_shape(personas: Personas) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(personas.no_role)}")
    response = client.get("/api/v1/registry/people")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_user_without_role_sees_the_no_access_page(personas: Personas, people: dict) -> None:
    response = logged_in(personas.no_role).get(reverse("registry:person_list"))
    assert response.status_code == 403
    assert "Nguyễn Thị Lan" not in response.content.decode()


def test_listing_records_one_audit_entry_naming_the_people_shown(personas: Personas, people: dict) -> None:
    from ansinh.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    logged_in(personas.province_hanoi).get(reverse("registry:person_list"))
    entries = list(AuditEntry.objects.order_by("-seq")[: AuditEntry.objects.count() - before])
    assert len(entries) == 1
    assert str(people["ba_dinh"].pk) in entries[0].canonical and entries[0].action == "view"


def test_revealing_a_number_is_audited_and_refused_to_the_auditor(personas: Personas, people: dict) -> None:
    from ansinh.audit.models import AuditEntry

    url = reverse("registry:person_reveal", args=[people["ba_dinh"].pk, "citizen_id"])
    assert logged_in(personas.auditor).post(url).status_code == 403
    response = logged_in(personas.police_ba_dinh).post(url)
    assert response.content.decode().strip() == "001190001268"
    assert AuditEntry.objects.filter(action="reveal").count() == 1


def test_excel_export_is_the_official_layout_and_reads_back(personas: Personas, world: World, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    from ansinh.reader import read_list

    f.person("Nguyễn Thị Lan", world.ba_dinh, citizen_id="001190001268", birth_year=1990)
    f.person("Trần Văn Hòa", world.ba_dinh, birth_year=1950)
    f.person("=HYPERLINK(1)", world.ba_dinh, birth_year=1950)
    response = logged_in(personas.police_ba_dinh).get(reverse("registry:person_export_xlsx"))
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    cells = [c for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python() for c in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    with read_list(path) as listing:
        rows = {r.values["full_name"]: r for r in listing.rows}
    assert {"Nguyễn Thị Lan", "Trần Văn Hòa"} <= set(rows)
    assert rows["Nguyễn Thị Lan"].values["citizen_id"] == "001190001268"


def test_list_filters_by_commune_and_category_inside_the_area(personas: Personas, world: World) -> None:
    from ansinh.registry.models import Benefit

    lan = f.person("Nguyễn Thị Lan", world.ba_dinh)
    f.person("Trần Văn Hòa", world.tay_ho)
    f.person("Lê Thị Thuý", world.le_chan)
    Benefit.objects.create(person=lan, category="meritorious")
    province = logged_in(personas.province_hanoi)
    by_commune = province.get(reverse("registry:person_list"), {"commune": world.tay_ho.pk})
    assert {p.full_name for p in by_commune.context["page"].object_list} == {"Trần Văn Hòa"}
    outside = province.get(reverse("registry:person_list"), {"commune": world.le_chan.pk})
    assert list(outside.context["page"].object_list) == []
    by_category = province.get(reverse("registry:person_list"), {"category": "meritorious"})
    assert {p.full_name for p in by_category.context["page"].object_list} == {"Nguyễn Thị Lan"}


def test_list_can_sort_by_family_name(personas: Personas, world: World) -> None:
    for name in ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Ân"]:
        f.person(name, world.ba_dinh)
    response = logged_in(personas.police_ba_dinh).get(reverse("registry:person_list"), {"sort": "family"})
    assert [p.full_name for p in response.context["page"].object_list] == [
        "Lê Văn Ân",
        "Nguyễn Văn Bình",
        "Trần Thị An",
    ]
