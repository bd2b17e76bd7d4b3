"""Writes: campaigns from presets, step edits (audited), daily snapshots and the daily digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import has_role
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.campaigns.freshness import figures_refresh
from ansinh.campaigns.models import Campaign, CommuneFigure, DailySnapshot, Step
from ansinh.campaigns.presets import PRESETS
from ansinh.geo.models import Commune, Province
from ansinh.outbox.services import message_enqueue

PLANNER_ROLES = (RoleSlug.NATIONAL_SUPERVISOR, RoleSlug.PROVINCE_OFFICER)
STEP_FIELDS = ("title", "owner_role", "owner_label", "deadline", "measure", "target_percent")


class CampaignError(Exception):
    pass


def can_plan(user: User, province: Province | None) -> bool:
    """National supervisors plan anywhere; a province officer plans for their own province."""
    if has_role(user, RoleSlug.NATIONAL_SUPERVISOR):
        return True
    if not has_role(user, RoleSlug.PROVINCE_OFFICER) or province is None:
        return False
    return user.area_level == User.AreaLevel.PROVINCES and user.provinces.filter(pk=province.pk).exists()


def campaign_create_from_preset(
    *, user: User | None, preset: str, starts_on: dt.date, province: Province | None, name: str = ""
) -> Campaign:
    """A campaign with the preset's steps, deadlines counted from `starts_on`; `user` None: a command."""
    plan = PRESETS.get(preset)
    if plan is None:
        raise CampaignError(_("Unknown plan: %(name)s") % {"name": preset})
    if user is not None and not can_plan(user, province):
        raise CampaignError(_("You may not plan a campaign for this area."))
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name or plan.name,
            preset=plan.slug,
            province=province,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=plan.days),
            created_by=user,
        )
        Step.objects.bulk_create(
            Step(
                campaign=campaign,
                order=number,
                title=step.title,
                owner_role=step.owner_role.value,
                owner_label=step.owner_label,
                deadline=None if step.days is None else starts_on + dt.timedelta(days=step.days),
                measure=step.measure.value,
            )
            for number, step in enumerate(plan.steps, start=1)
        )
        audit_record(
            actor=user,
            entries=[
                AuditEvent(
                    action="campaign.create",
                    object_type="campaigns.campaign",
                    object_id=campaign.pk,
                    after={"name": campaign.name, "preset": plan.slug, "province": province.pk if province else None},
                )
            ],
        )
    return campaign


def step_update(*, user: User, step: Step, changes: dict[str, Any]) -> Step:
    """Edit a step's title, owner, deadline, measure or target; audited with before and after."""
    if not can_plan(user, step.campaign.province):
        raise CampaignError(_("You may not change this campaign."))
    changed = {k: v for k, v in changes.items() if k in STEP_FIELDS and getattr(step, k) != v}
    if not changed:
        return step
    with transaction.atomic():
        before = {k: getattr(step, k) for k in changed}
        for key, value in changed.items():
            setattr(step, key, value)
        step.save(update_fields=list(changed))
        audit_record(
            actor=user,
            entries=[
                AuditEvent(
                    action="campaign.step_update",
                    object_type="campaigns.step",
                    object_id=step.pk,
                    before=before,
                    after=changed,
                )
            ],
        )
    return step


def snapshot_take(*, day: dt.date | None = None) -> int:
    """Copy today's figures of every commune into the daily snapshot; a second run the same day replaces it."""
    day = day or timezone.localdate()
    figures_refresh()
    with transaction.atomic():
        DailySnapshot.objects.filter(day=day).delete()
        rows = [
            DailySnapshot(day=day, commune_id=c, indicator=k, dimension=d, value=v)
            for c, k, d, v in CommuneFigure.objects.values_list(
                "commune_id", "indicator", "dimension", "value"
            ).iterator()
            if "|" not in d
        ]
        DailySnapshot.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _recipients(campaign: Campaign, role: str, commune_ids: set[int]) -> list[User]:
    """Active users of `role` whose area covers one of the late communes."""
    users = User.objects.filter(is_active=True, role__slug=role).exclude(email="")
    area = Q(area_level=User.AreaLevel.NATION) | Q(communes__in=commune_ids)
    area |= Q(provinces__communes__in=commune_ids)
    return list(users.filter(area).distinct())


def digest_send(*, day: dt.date | None = None) -> int:
    """E-mail each responsible user the late steps and communes of the running campaigns, once a day.

    Idempotent per day: each message carries a dedupe key of campaign, user and day.
    """
    from ansinh.campaigns.selectors import campaign_progress_in

    day = day or timezone.localdate()
    queued = 0
    running = Campaign.objects.filter(starts_on__lte=day, ends_on__gte=day - dt.timedelta(days=30))
    for campaign in running.prefetch_related("steps"):
        late_by_user: dict[int, tuple[User, list[str]]] = {}
        for progress in campaign_progress_in(campaign=campaign, communes=Commune.objects.all(), day=day):
            if not progress.late_communes or not progress.step.owner_role:
                continue
            communes = {pk for pk, _name, _share in progress.late_communes}
            names = ", ".join(name for _pk, name, _share in progress.late_communes[:20])
            line = _("Step %(order)d (%(title)s), due %(deadline)s: %(share)s%% of %(target)d%%; late: %(names)s") % {
                "order": progress.step.order,
                "title": progress.step.title[:80],
                "deadline": progress.step.deadline.strftime("%d/%m/%Y") if progress.step.deadline else "",
                "share": "—" if progress.share is None else f"{progress.share:g}",
                "target": progress.step.target_percent,
                "names": names,
            }
            for user in _recipients(campaign, progress.step.owner_role, communes):
                late_by_user.setdefault(user.pk, (user, []))[1].append(line)
        with transaction.atomic():
            for user, lines in late_by_user.values():
                message_enqueue(
                    channel="email",
                    recipient=user.email,
                    subject=_("%(campaign)s: late steps on %(day)s")
                    % {"campaign": campaign.name, "day": day.strftime("%d/%m/%Y")},
                    body="\n".join(lines),
                    related=campaign,
                    dedupe_key=f"campaign-digest:{campaign.pk}:{user.pk}:{day.isoformat()}",
                )
                queued += 1
    return queued
