from __future__ import annotations

import pytest
from django.urls import reverse

from ansinh.jobs.models import Job
from ansinh.jobs.selectors import jobs_for_user


@pytest.fixture
def jobs(world, personas) -> dict[str, Job]:
    def make(title: str, **fields: object) -> Job:
        return Job.objects.create(kind="import", title=title, **fields)

    return {
        "ba_dinh": make(
            "Ba Đình import", created_by=personas.police_ba_dinh, commune=world.ba_dinh, province=world.hanoi
        ),
        "hanoi": make("Hà Nội matching", created_by=personas.province_hanoi, province=world.hanoi),
        "nation": make("National snapshot", created_by=personas.national),
        "agent": make("Agent upload", created_by=personas.agent),
    }


def visible(user) -> set[str]:
    return set(jobs_for_user(user=user).values_list("title", flat=True))


def test_each_role_sees_its_own_jobs_and_the_jobs_of_its_area(personas, jobs):
    assert visible(personas.national) == {"Ba Đình import", "Hà Nội matching", "National snapshot", "Agent upload"}
    assert visible(personas.province_hanoi) == {"Ba Đình import", "Hà Nội matching"}
    assert visible(personas.culture_ba_dinh) == {"Ba Đình import"}
    assert visible(personas.police_tay_ho) == set()
    assert visible(personas.agent) == {"Agent upload"}
    assert visible(personas.insurance) == set()
    assert visible(personas.no_role) == set()


def test_commune_officer_does_not_see_another_communes_job(client, personas, jobs):
    client.force_login(personas.police_tay_ho)
    job = jobs["ba_dinh"]

    listing = client.get(reverse("jobs:list"))
    assert listing.status_code == 200
    assert "Ba Đình import" not in listing.text
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:progress", args=[job.pk])).status_code == 404


def test_commune_officer_sees_a_colleagues_job_in_the_list(client, personas, jobs):
    client.force_login(personas.culture_ba_dinh)
    listing = client.get(reverse("jobs:list"))
    assert "Ba Đình import" in listing.text
    assert f'id="job-progress-{jobs["ba_dinh"].pk}"' in listing.text
    assert "Hà Nội matching" not in listing.text


def test_job_pages_require_a_login(client, jobs):
    response = client.get(reverse("jobs:detail", args=[jobs["nation"].pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]
