"""Campaign plans: presets, step edits, progress from data, late communes and the daily digest."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ansinh.audit.models import AuditEntry
from ansinh.campaigns import selectors, services
from ansinh.campaigns.models import Campaign, Measure
from ansinh.campaigns.presets import PRESETS
from ansinh.outbox.models import Message
from ansinh.payouts.models import PayoutMethod
from ansinh.registry.models import Benefit, Category
from tests import factories as f

pytestmark = pytest.mark.django_db

START = dt.date(2024, 1, 7)


def test_hanoi_preset_has_five_steps_due_from_9_to_16_january(world, personas) -> None:
    campaign = services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.hanoi
    )
    steps = list(campaign.steps.all())
    assert [s.deadline.day for s in steps] == [9, 10, 15, 15, 16]
    assert steps[-1].measure == Measure.ACCOUNTS_UPDATED
    assert AuditEntry.objects.filter(action="campaign.create").count() == 1


def test_national_preset_has_seven_steps_and_a_continual_last_one(world, personas) -> None:
    campaign = services.campaign_create_from_preset(
        user=personas.national, preset="c06-2024", starts_on=dt.date(2024, 1, 1), province=None
    )
    steps = list(campaign.steps.all())
    assert len(steps) == len(PRESETS["c06-2024"].steps) == 7
    assert steps[0].deadline == dt.date(2024, 1, 12) and steps[-1].deadline is None


def test_preset_command_creates_a_campaign_for_a_province(world) -> None:
    call_command("campaign_preset", "hanoi-2024", "2024-01-07", "--province", world.hanoi.code)
    assert Campaign.objects.get().province == world.hanoi


def test_province_officer_cannot_plan_for_another_province(world, personas) -> None:
    with pytest.raises(services.CampaignError):
        services.campaign_create_from_preset(
            user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.haiphong
        )


def test_step_edit_is_audited_with_before_and_after(world, personas) -> None:
    campaign = services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.hanoi
    )
    step = campaign.steps.get(order=3)
    services.step_update(user=personas.province_hanoi, step=step, changes={"target_percent": 90})
    entry = AuditEntry.objects.get(action="campaign.step_update")
    data = json.loads(entry.canonical)
    assert data["before"] == {"target_percent": 100} and data["after"] == {"target_percent": 90}


def test_commune_police_cannot_edit_a_step_through_the_page(world, personas) -> None:
    campaign = services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.hanoi
    )
    step = campaign.steps.get(order=1)
    client = Client()
    client.force_login(personas.police_ba_dinh)
    client.post(reverse("campaigns:step_edit", kwargs={"step_id": step.pk}), {f"s{step.pk}-title": "changed"})
    step.refresh_from_db()
    assert step.title != "changed"


def _accounts_in_ba_dinh_only(world) -> None:  # type: ignore[no-untyped-def]
    for commune, with_account in ((world.ba_dinh, True), (world.tay_ho, False)):
        person = f.person("Nguyễn Văn Sơn", commune)
        benefit = Benefit.objects.create(person=person, category=Category.SOCIAL_PROTECTION)
        if with_account:
            PayoutMethod.objects.create(person=person, benefit=benefit, channel="bank")


def test_progress_comes_from_data_and_flags_late_communes_after_the_deadline(world, personas) -> None:
    _accounts_in_ba_dinh_only(world)
    campaign = services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.hanoi
    )
    before = selectors.campaign_progress(user=personas.province_hanoi, campaign=campaign, day=dt.date(2024, 1, 16))
    after = selectors.campaign_progress(user=personas.province_hanoi, campaign=campaign, day=dt.date(2024, 1, 17))
    accounts_before, accounts_after = before[4], after[4]
    assert accounts_before.share == accounts_after.share == 50.0
    assert not accounts_before.late and accounts_after.late
    assert [name for _, name, _ in accounts_after.late_communes] == [world.tay_ho.name]


def test_daily_digest_goes_to_the_responsible_role_once_a_day(world, personas) -> None:
    _accounts_in_ba_dinh_only(world)
    personas.police_tay_ho.email = "police.tayho@example.test"
    personas.police_tay_ho.save()
    personas.police_ba_dinh.email = "police.badinh@example.test"
    personas.police_ba_dinh.save()
    services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.hanoi
    )
    day = dt.date(2024, 1, 17)
    assert services.digest_send(day=day) >= 1
    services.digest_send(day=day)
    messages = Message.objects.filter(recipient="police.tayho@example.test")
    assert messages.count() == 1
    assert world.tay_ho.name in messages.get().body
    assert not Message.objects.filter(recipient="police.badinh@example.test", body__contains="Step 5").exists()


def test_campaign_page_shows_progress_to_the_province_officer(world, personas) -> None:
    campaign = services.campaign_create_from_preset(
        user=personas.province_hanoi, preset="hanoi-2024", starts_on=START, province=world.hanoi
    )
    client = Client()
    client.force_login(personas.province_hanoi)
    response = client.get(reverse("campaigns:campaign", kwargs={"campaign_id": campaign.pk}))
    assert response.status_code == 200
    assert "Công an xã" in response.content.decode()


def test_home_page_card_links_to_the_dashboard(world, personas) -> None:
    from ansinh.campaigns.cards import cards

    assert [c.url for c in cards(personas.province_hanoi)] == [reverse("campaigns:home")]
    assert cards(personas.insurance) == []
