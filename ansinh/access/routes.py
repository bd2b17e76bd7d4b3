"""Every route declares whether it is scoped to the user's area or public.

A test walks every URL pattern and API operation and fails on one that declares neither, so a new
page cannot reach data without passing through the scoping layer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ansinh.access.models import User
from ansinh.access.scoping import has_access

F = TypeVar("F", bound=Callable[..., Any])

SCOPE_ATTRIBUTE = "ansinh_route_scope"


def public(view: F) -> F:
    """Declare a route that shows no area data (login, health, static pages)."""
    setattr(view, SCOPE_ATTRIBUTE, "public")
    return view


def scoped(view: F) -> F:
    """Declare a route whose data comes through the scoping selectors; requires role and area."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_access(request.user):
            return render(request, "web/no_access.html", status=403)
        return view(request, *args, **kwargs)

    setattr(wrapper, SCOPE_ATTRIBUTE, "scoped")
    return wrapper  # type: ignore[return-value]


def api_scoped(operation: F) -> F:
    """Declare an API operation as scoped; the API's authentication already requires role and area."""
    setattr(operation, SCOPE_ATTRIBUTE, "scoped")
    return operation


def api_public(operation: F) -> F:
    setattr(operation, SCOPE_ATTRIBUTE, "public")
    return operation


def route_scope(view: Callable[..., Any]) -> str | None:
    return getattr(view, SCOPE_ATTRIBUTE, None)


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a `scoped` view (which has already refused anyone else)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("a scoped view was reached without a logged-in user")
    return user
