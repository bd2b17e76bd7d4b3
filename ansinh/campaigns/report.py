"""What a dashboard shows, built once for the page, the Excel file and the PDF: rows, charts, the map.

Charts are SVG text from `ansinh.lib.svgchart`; the page inlines them and the PDF embeds the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.campaigns.indicators import INDICATORS
from ansinh.campaigns.indicators_more import period_of
from ansinh.campaigns.measures import MEASURES, FigureKey
from ansinh.campaigns.selectors import Dashboard, Figures, Unit, as_rows, trend
from ansinh.lib.svgchart import Point, Series, bar_chart, line_chart, point_map

# The measures shown per area and on the map, in the order of the work.
HEADLINE = (
    "lists_handed_over",
    "matched_cleaned",
    "visited",
    "classified",
    "with_account",
    "accounts_updated",
    "paid",
    "delivered",
)
CHILD_MEASURES = ("matched_cleaned", "visited", "classified", "with_account", "paid")
SECTIONS = (
    "beneficiaries",
    "matching",
    "visits",
    "classification",
    "accounts",
    "refusals",
    "proxies",
    "home_deliveries",
    "payments",
)
CHARTED = {"beneficiaries", "classification", "accounts", "payments", "matching"}
TREND_KEYS: tuple[FigureKey, ...] = (
    ("beneficiaries", "all"),
    ("visits", "visited"),
    ("classification", "any"),
    ("accounts", "with_account"),
)


@dataclass
class HeadlineRow:
    key: str
    label: Any
    value: int
    whole: int
    share: float | None
    target: int
    url: str

    @property
    def behind(self) -> bool:
        return self.share is not None and self.share < self.target


@dataclass
class SectionRow:
    label: Any
    value: int
    url: str


@dataclass
class Section:
    key: str
    title: Any
    rows: list[SectionRow]
    chart: str = ""


@dataclass
class ChildRow:
    unit: Unit
    url: str
    beneficiaries: int
    shares: list[float | None]


@dataclass
class Report:
    dashboard: Dashboard
    title: str
    headline: list[HeadlineRow]
    sections: list[Section]
    children: list[ChildRow]
    child_labels: list[Any]
    map_svg: str
    map_measure: str
    trend_svg: str
    period: str = ""
    query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def area_query(dashboard: Dashboard) -> dict[str, int]:
    unit = dashboard.unit
    if unit.level == "commune":
        return {"commune": unit.pk or 0}
    if unit.level == "province":
        return {"province": unit.pk or 0}
    return {}


def people_url(dashboard: Dashboard, indicator: str, dimension: str) -> str:
    return f"{_people_prefix()}{indicator}/?{urlencode({'d': dimension, **area_query(dashboard)})}"


@lru_cache(maxsize=1)
def _people_prefix() -> str:
    # One reverse for the prefix: a page has a hundred of these links.
    return reverse("campaigns:people", kwargs={"indicator": "-"}).removesuffix("-/")


def unit_url(unit: Unit) -> str:
    if unit.level == "commune":
        return reverse("campaigns:commune", kwargs={"commune_id": unit.pk})
    if unit.level == "province":
        return reverse("campaigns:province", kwargs={"province_id": unit.pk})
    return reverse("campaigns:nation")


def latest_period(figures: Figures) -> str:
    periods = {period_of(d)[0] for (k, d) in figures if k == "payments" and "|" in d}
    months = sorted(p for p in periods if p.isdigit())
    return months[-1] if months else (sorted(periods)[-1] if periods else "")


def _targets(dashboard: Dashboard) -> dict[str, int]:
    campaign = dashboard.campaign
    if campaign is None:
        return {}
    return {step.measure: step.target_percent for step in campaign.steps.all() if step.measure}


def build(dashboard: Dashboard, *, map_measure: str = "with_account") -> Report:
    totals = dashboard.totals
    targets = _targets(dashboard)
    headline = []
    for key in HEADLINE:
        measure = MEASURES[key]
        headline.append(
            HeadlineRow(
                key=key,
                label=measure.label,
                value=totals.get(measure.numerator, 0),
                whole=totals.get(measure.denominator, 0),
                share=measure.share(totals),
                target=targets.get(key, 100),
                url=people_url(dashboard, *measure.numerator),
            )
        )
    sections = []
    for key in SECTIONS:
        rows = [
            SectionRow(label, value, people_url(dashboard, key, dimension))
            for dimension, label, value in as_rows(totals, key)
        ]
        chart = ""
        if key in CHARTED:
            shown = [r for r in rows if r.value] or rows[:1]
            chart = bar_chart(
                labels=[str(r.label) for r in shown],
                series=[Series(str(INDICATORS[key].label), [r.value for r in shown])],
                title=str(INDICATORS[key].label),
                width=560,
                height=260,
            )
        sections.append(Section(key, INDICATORS[key].label, rows, chart))
    period = latest_period(totals)
    if period:
        payments = next(s for s in sections if s.key == "payments")
        labels = dict(INDICATORS["payments"].dimensions())
        for status in ("planned", "paid", "failed"):
            payments.rows.append(
                SectionRow(
                    _("%(status)s in %(period)s") % {"status": labels.get(status, status), "period": period},
                    totals.get(("payments", f"{period}|{status}"), 0),
                    people_url(dashboard, "payments", f"{period}|{status}"),
                )
            )
    children = [
        ChildRow(
            unit=unit,
            url=unit_url(unit),
            beneficiaries=figures.get(("beneficiaries", "all"), 0),
            shares=[MEASURES[m].share(figures) for m in CHILD_MEASURES],
        )
        for unit, figures in dashboard.children
    ]
    measure = MEASURES.get(map_measure) or MEASURES["with_account"]
    map_svg = point_map(
        points=[
            Point(unit.longitude or 0.0, unit.latitude or 0.0, measure.share(figures), unit.name)
            for unit, figures in dashboard.points
        ],
        title=f"{measure.label} (%)",
        width=440,
        height=480,
    )
    days, series = trend(commune_ids=dashboard.commune_ids, keys=list(TREND_KEYS))
    trend_svg = ""
    if days:
        trend_svg = line_chart(
            labels=[d.strftime("%d/%m") for d in days],
            series=[Series(_label(key), values) for key, values in series.items()],
            title=_("Trend (daily snapshots)"),
        )
    title = dashboard.unit.name or _("The whole nation")
    return Report(
        dashboard=dashboard,
        title=title,
        headline=headline,
        sections=sections,
        children=children,
        child_labels=[MEASURES[m].label for m in CHILD_MEASURES],
        map_svg=map_svg,
        map_measure=measure.key,
        trend_svg=trend_svg,
        period=period,
        query=urlencode(area_query(dashboard)),
    )


def _label(key: FigureKey) -> str:
    indicator, dimension = key
    return str(dict(INDICATORS[indicator].dimensions()).get(dimension, dimension))
