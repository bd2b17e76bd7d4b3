"""Reads for dashboards and campaigns, always limited to the user's area.

A dashboard is an area (the nation, a province or a commune) with its totals and a row per child
unit (provinces of the nation, communes of a province). Figures come from `CommuneFigure` after a
refresh of the area's stale communes, so they equal a computation from the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_READER_ROLES
from ansinh.access.scoping import area_communes, has_role
from ansinh.campaigns.freshness import figures_refresh
from ansinh.campaigns.indicators import INDICATORS
from ansinh.campaigns.measures import MEASURES, FigureKey, MeasureDef
from ansinh.campaigns.models import Campaign, CommuneFigure, DailySnapshot, Step
from ansinh.geo.models import Commune, Province
from ansinh.registry.models import Person

DASHBOARD_ROLES = REGISTRY_READER_ROLES
Figures = dict[FigureKey, int]


@dataclass
class Unit:
    level: str  # "nation", "province" or "commune"
    pk: int | None
    name: str
    latitude: float | None = None
    longitude: float | None = None
    province_id: int | None = None


@dataclass
class Dashboard:
    unit: Unit
    commune_ids: list[int]
    totals: Figures
    children: list[tuple[Unit, Figures]] = field(default_factory=list)
    points: list[tuple[Unit, Figures]] = field(default_factory=list)  # one per commune, for the map
    campaign: Campaign | None = None

    def share(self, measure: str) -> float | None:
        return MEASURES[measure].share(self.totals)


def can_see_dashboards(user: User) -> bool:
    return has_role(user, *DASHBOARD_ROLES)


def _communes(user: User) -> QuerySet[Commune]:
    if not can_see_dashboards(user):
        return Commune.objects.none()
    return area_communes(user)


def _figures_by(commune_ids: list[int], group: str | None) -> dict[int | None, Figures]:
    rows = CommuneFigure.objects.filter(commune_id__in=commune_ids)
    out: dict[int | None, Figures] = defaultdict(dict)
    if group is None:
        for indicator, dimension, value in rows.values_list("indicator", "dimension").annotate(v=Sum("value")):
            out[None][(indicator, dimension)] = value
        return out
    for key, indicator, dimension, value in (
        rows.values_list(group, "indicator", "dimension").annotate(v=Sum("value")).order_by()
    ):
        out[key][(indicator, dimension)] = value
    return out


def dashboard_get(*, user: User, province_id: int | None = None, commune_id: int | None = None) -> Dashboard | None:
    """The dashboard of an area the user may see, or None when it lies outside their area."""
    communes = _communes(user).select_related("province")
    if commune_id is not None:
        communes = communes.filter(pk=commune_id)
    elif province_id is not None:
        communes = communes.filter(province_id=province_id)
    listed = list(communes.order_by("name").values("pk", "name", "province_id", "latitude", "longitude"))
    if not listed and (commune_id is not None or province_id is not None):
        return None
    ids = [c["pk"] for c in listed]
    figures_refresh(commune_ids=ids)
    per_commune = _figures_by(ids, "commune_id")
    totals = _figures_by(ids, None).get(None, {})
    points = [
        (
            Unit("commune", c["pk"], c["name"], c["latitude"], c["longitude"], c["province_id"]),
            per_commune.get(c["pk"], {}),
        )
        for c in listed
    ]
    if commune_id is not None:
        commune = Commune.objects.select_related("province").get(pk=commune_id)
        unit = Unit("commune", commune.pk, commune.name, commune.latitude, commune.longitude, commune.province_id)
        return Dashboard(unit, ids, totals, [], points, campaign_for(user=user, province_id=commune.province_id))
    if province_id is not None:
        province = Province.objects.get(pk=province_id)
        unit = Unit("province", province.pk, province.name, province.latitude, province.longitude, province.pk)
        return Dashboard(unit, ids, totals, points, points, campaign_for(user=user, province_id=province.pk))
    per_province = _figures_by(ids, "commune__province_id")
    provinces = Province.objects.filter(pk__in={c["province_id"] for c in listed}).order_by("code")
    children = [
        (Unit("province", p.pk, p.name, p.latitude, p.longitude, p.pk), per_province.get(p.pk, {})) for p in provinces
    ]
    return Dashboard(Unit("nation", None, ""), ids, totals, children, points, campaign_for(user=user, province_id=None))


def home_area(user: User) -> tuple[int | None, int | None]:
    """Where a user's dashboard opens: their commune, their province, or the nation."""
    if user.area_level == User.AreaLevel.COMMUNES:
        communes = list(user.communes.values_list("pk", flat=True)[:2])
        if len(communes) == 1:
            return None, communes[0]
    if user.area_level == User.AreaLevel.PROVINCES:
        provinces = list(user.provinces.values_list("pk", flat=True)[:2])
        if len(provinces) == 1:
            return provinces[0], None
    return None, None


# -- trends -----------------------------------------------------------------------------------------


def trend(
    *, commune_ids: list[int], keys: list[FigureKey], days: int = 60
) -> tuple[list[dt.date], dict[FigureKey, list[int | None]]]:
    """Daily totals of the area for each figure key, from the snapshots of the last `days` days."""
    since = timezone.localdate() - dt.timedelta(days=days)
    wanted = Q()
    for indicator, dimension in keys:
        wanted |= Q(indicator=indicator, dimension=dimension)
    rows = (
        DailySnapshot.objects.filter(wanted, commune_id__in=commune_ids, day__gte=since)
        .values_list("day", "indicator", "dimension")
        .annotate(v=Sum("value"))
        .order_by("day")
    )
    by_day: dict[dt.date, dict[FigureKey, int]] = defaultdict(dict)
    for day, indicator, dimension, value in rows:
        by_day[day][(indicator, dimension)] = value
    day_list = sorted(by_day)
    return day_list, {key: [by_day[day].get(key, 0) for day in day_list] for key in keys}


# -- people behind a figure -------------------------------------------------------------------------


def people_behind(*, user: User, indicator: str, dimension: str, commune_ids: list[int]) -> QuerySet[Person] | None:
    """The people counted in one figure of these communes, within the user's area (None: not listable)."""
    from ansinh.registry.selectors import person_list

    spec = INDICATORS.get(indicator)
    if spec is None:
        return None
    ids = spec.people(dimension)
    if ids is None:
        return None
    return person_list(user=user).filter(commune_id__in=commune_ids, pk__in=ids)


# -- campaigns --------------------------------------------------------------------------------------


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """Campaigns of the nation, and of the provinces the user's area touches."""
    if not can_see_dashboards(user):
        return Campaign.objects.none()
    provinces = _communes(user).values("province_id")
    return Campaign.objects.filter(Q(province__isnull=True) | Q(province__in=provinces)).prefetch_related("steps")


def campaign_get(*, user: User, campaign_id: int) -> Campaign | None:
    return campaign_list(user=user).filter(pk=campaign_id).first()


def campaign_for(*, user: User, province_id: int | None, day: dt.date | None = None) -> Campaign | None:
    """The running campaign of a province (or of the nation), the most recent first."""
    day = day or timezone.localdate()
    campaigns = campaign_list(user=user).filter(starts_on__lte=day, ends_on__gte=day - dt.timedelta(days=30))
    if province_id is not None:
        local = campaigns.filter(province_id=province_id).first()
        if local is not None:
            return local
    return campaigns.filter(province__isnull=True).first()


@dataclass
class StepProgress:
    step: Step
    measure: MeasureDef | None
    share: float | None
    late: bool
    late_communes: list[tuple[int, str, float | None]]


def campaign_progress(*, user: User, campaign: Campaign, day: dt.date | None = None) -> list[StepProgress]:
    """Each step's progress in the campaign's area (as far as the user sees it), with late communes."""
    return campaign_progress_in(campaign=campaign, communes=_communes(user), day=day)


def campaign_progress_in(
    *, campaign: Campaign, communes: QuerySet[Commune], day: dt.date | None = None
) -> list[StepProgress]:
    """Progress over the given communes, for the system's own work (the digest); views use `campaign_progress`."""
    if campaign.province_id is not None:
        communes = communes.filter(province_id=campaign.province_id)
    listed = dict(communes.values_list("pk", "name"))
    ids = list(listed)
    figures_refresh(commune_ids=ids)
    per_commune = _figures_by(ids, "commune_id")
    totals = _figures_by(ids, None).get(None, {})
    return progress_of(campaign=campaign, names=listed, per_commune=per_commune, totals=totals, day=day)


def dashboard_progress(*, dashboard: Dashboard, day: dt.date | None = None) -> list[StepProgress]:
    """The progress of the dashboard's campaign over the dashboard's own area, from figures already read."""
    if dashboard.campaign is None:
        return []
    names = {unit.pk: unit.name for unit, _figures in dashboard.points if unit.pk is not None}
    per_commune: dict[int | None, Figures] = {unit.pk: figures for unit, figures in dashboard.points}
    return progress_of(
        campaign=dashboard.campaign, names=names, per_commune=per_commune, totals=dashboard.totals, day=day
    )


def progress_of(
    *,
    campaign: Campaign,
    names: dict[int, str],
    per_commune: dict[int | None, Figures],
    totals: Figures,
    day: dt.date | None = None,
) -> list[StepProgress]:
    """Each step's share against its target; after its deadline, the communes still below it."""
    day = day or timezone.localdate()
    listed = names
    result = []
    for step in campaign.steps.all():
        measure = MEASURES.get(step.measure)
        share = measure.share(totals) if measure else None
        due = step.deadline is not None and step.deadline < day
        late_communes: list[tuple[int, str, float | None]] = []
        if measure and due:
            for pk, name in sorted(listed.items(), key=lambda item: item[1]):
                value = measure.share(per_commune.get(pk, {}))
                if value is not None and value < step.target_percent:
                    late_communes.append((pk, name, value))
        late = due and share is not None and share < step.target_percent
        result.append(StepProgress(step, measure, share, late, late_communes))
    return result


def figure_value(figures: Figures, key: FigureKey) -> int:
    return figures.get(key, 0)


def as_rows(figures: Figures, indicator: str) -> list[tuple[str, Any, int]]:
    """(dimension, label, value) of one indicator, in the indicator's own order."""
    spec = INDICATORS[indicator]
    labels = dict(spec.dimensions())
    known = [(d, label, figures.get((indicator, d), 0)) for d, label in labels.items()]
    extra = sorted(
        (d, d.removeprefix("reason:"), v) for (k, d), v in figures.items() if k == indicator and d not in labels
    )
    return known + [row for row in extra if "|" not in row[0]]
