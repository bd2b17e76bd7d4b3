"""The home page card: the dashboard of the user's area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.campaigns.selectors import can_see_dashboards

if TYPE_CHECKING:
    from ansinh.web.views import Card


def cards(user: User) -> list[Card]:
    from ansinh.web.views import Card

    if not can_see_dashboards(user):
        return []
    return [
        Card(
            _("Progress dashboard"),
            reverse("campaigns:home"),
            _("Campaign steps, late communes, figures against targets, maps and exports"),
        )
    ]
