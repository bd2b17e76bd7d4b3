"""Home-page cards: the monthly report and who is due."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User

if TYPE_CHECKING:
    from ansinh.web.views import Card


def cards(user: User) -> list[Card]:
    from ansinh.insurance import selectors
    from ansinh.web.views import Card

    if not selectors.can_read(user):
        return []
    return [
        Card(_("Voluntary social insurance"), reverse("insurance:participant_list"), _("Participants and payments")),
        Card(_("Monthly report"), reverse("insurance:report"), _("Participants against the plan, ranked")),
        Card(_("Who is due"), reverse("insurance:due_list"), _("Payment deadlines this month and missed ones")),
    ]
