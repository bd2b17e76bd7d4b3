from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    from ansinh.web.navigation import menu_for

    user = getattr(request, "user", None)
    return {"nav_items": menu_for(user) if user is not None else []}
