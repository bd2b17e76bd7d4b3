"""Home-page cards of fieldwork: the survey for the officers who visit, progress for those who follow it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ansinh.fieldwork import selectors, services

if TYPE_CHECKING:
    from ansinh.access.models import User
    from ansinh.web.views import Card


def cards(user: User) -> list[Card]:
    from ansinh.web.views import Card

    if not selectors.can_read_fieldwork(user):
        return []
    rows = selectors.progress(user=user)
    total = sum(r["total"] for r in rows)
    classified = sum(r["classified"] for r in rows)
    found: list[Card] = [
        Card(
            title=_("Home visits"),
            url=reverse("fieldwork:index") + "?all=1",
            hint=_("people classified of %(total)d to visit") % {"total": total},
            figure=classified,
        )
    ]
    if services.can_survey(user):
        found.append(Card(title=_("Household survey"), url=reverse("fieldwork:survey"),
                          hint=_("works offline on a phone")))  # fmt: skip
    waiting = selectors.submissions_waiting(user=user).count()
    if waiting:
        found.append(Card(title=_("Lists handed over"), url=reverse("fieldwork:index") + "?all=1",
                          hint=_("waiting for the paying office"), figure=waiting))  # fmt: skip
    return found
