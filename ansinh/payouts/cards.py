"""Home-page card: account changes waiting for the user's approval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User

if TYPE_CHECKING:
    from ansinh.web.views import Card


def cards(user: User) -> list[Card]:
    from ansinh.payouts import selectors
    from ansinh.web.views import Card

    if not selectors.can_approve_any(user):
        return []
    return [
        Card(
            _("Account changes"),
            reverse("payouts:queue"),
            _("New and changed payout accounts waiting for a second officer"),
            selectors.pending_count(user=user),
        )
    ]
