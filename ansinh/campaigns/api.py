"""Dashboard figures over the API: an area's totals and its children, as the page shows them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ansinh.access.routes import acting_user, api_scoped
from ansinh.campaigns import selectors

router = Router(tags=["campaigns"])


class FigureOut(Schema):
    indicator: str
    dimension: str
    value: int


class AreaOut(Schema):
    level: str
    id: int | None
    name: str
    figures: list[FigureOut]


class DashboardOut(Schema):
    area: AreaOut
    children: list[AreaOut]


def _area(unit: selectors.Unit, figures: selectors.Figures) -> AreaOut:
    return AreaOut(
        level=unit.level,
        id=unit.pk,
        name=unit.name,
        figures=[FigureOut(indicator=k, dimension=d, value=v) for (k, d), v in sorted(figures.items())],
    )


@router.get("/dashboard", response=DashboardOut)
@api_scoped
def dashboard(request: HttpRequest, province: int | None = None, commune: int | None = None) -> DashboardOut:
    """Figures of the nation, a province or a commune within the caller's area, and of its children."""
    user = acting_user(request)
    if not selectors.can_see_dashboards(user):
        raise HttpError(403, "no access to dashboards")
    found = selectors.dashboard_get(user=user, province_id=province, commune_id=commune)
    if found is None:
        raise HttpError(404, "not found in your area")
    return DashboardOut(
        area=_area(found.unit, found.totals), children=[_area(unit, figures) for unit, figures in found.children]
    )
