"""The shell: login, logout, the home page per role, and a health check."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_READER_ROLES
from ansinh.access.routes import public, scoped
from ansinh.access.scoping import can_read_audit, has_role


@dataclass(frozen=True)
class Card:
    title: str | Promise
    url: str
    hint: str | Promise = ""
    figure: int | None = None


def area_label(user: User) -> str:
    if user.area_level == User.AreaLevel.NATION:
        return _("The whole nation")
    if user.area_level == User.AreaLevel.PROVINCES:
        return ", ".join(p.name for p in user.provinces.all())
    communes = list(user.communes.select_related("province")[:4])
    if len(communes) <= 3:
        return ", ".join(f"{c.name} ({c.province.name})" for c in communes)
    total = user.communes.count()
    return ngettext("%(count)d commune", "%(count)d communes", total) % {"count": total}


# Apps that add cards to the home page: each has a `cards` module with `cards(user) -> list[Card]`.
CARD_MODULES = (
    "ansinh.review.cards",
    "ansinh.payouts.cards",
    "ansinh.fieldwork.cards",
    "ansinh.payments.cards",
    "ansinh.campaigns.cards",
    "ansinh.insurance.cards",
)


def app_cards(user: User) -> list[Card]:
    cards: list[Card] = []
    for name in CARD_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        cards.extend(module.cards(user))
    return cards


def cards_for(user: User) -> list[Card]:
    from ansinh.registry.selectors import person_list

    cards: list[Card] = []
    if has_role(user, *REGISTRY_READER_ROLES):
        cards.append(
            Card(
                _("Beneficiaries"),
                reverse("registry:person_list"),
                _("People on the lists of your area"),
                person_list(user=user).count(),
            )
        )
    cards.extend(app_cards(user))
    cards.append(
        Card(_("Background jobs"), reverse("jobs:list"), _("Imports, matching and payment runs with their progress"))
    )
    if can_read_audit(user):
        cards.append(Card(_("Audit trail"), reverse("audit:list"), _("Who changed or viewed what, and when")))
    return cards


@scoped
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "web/home.html", {"cards": cards_for(user), "area_label": area_label(user)})


@public
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = public(auth_views.LogoutView.as_view())
