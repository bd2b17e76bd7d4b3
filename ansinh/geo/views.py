"""The commune search that forms call to fill a commune field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from ansinh.access.routes import public
from ansinh.geo.models import Province
from ansinh.geo.selectors import commune_search


@public  # public geography only; login keeps it from being an open API, no area is needed
@login_required
@require_GET
def commune_search_view(request: HttpRequest) -> JsonResponse:
    province = None
    if province_code := request.GET.get("province", "").strip():
        province = Province.objects.filter(code=province_code).first()
        if province is None:
            return JsonResponse({"results": []})
    try:
        limit = int(request.GET.get("limit", "20"))
    except ValueError:
        limit = 20
    communes = commune_search(query=request.GET.get("q", ""), province=province, limit=limit)
    return JsonResponse(
        {
            "results": [
                {
                    "id": c.pk,
                    "code": c.code,
                    "name": c.name,
                    "province": c.province.name,
                    "label": f"{c.name}, {c.province.name} ({c.code})",
                }
                for c in communes
            ]
        }
    )
