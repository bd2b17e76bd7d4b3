"""The home-page card of payments: the cycles of the user's area, and what waits for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.access.scoping import has_role
from ansinh.payments import selectors, services
from ansinh.payments.models import PaymentCycle

if TYPE_CHECKING:
    from ansinh.web.views import Card


def cards(user: User) -> list[Card]:
    from ansinh.web.views import Card

    if has_role(user, RoleSlug.PAYMENT_AGENT):
        waiting = selectors.cash_to_deliver(user=user).count()
        return [Card(_("Cash to deliver"), reverse("payments:delivery_list"), _("Payments to hand over"), waiting)]
    if not selectors.can_read(user):
        return []
    cycles = selectors.cycle_list(user=user)
    hint: object
    if services.can_approve(user):
        waiting = cycles.filter(state=PaymentCycle.State.SUBMITTED).count()
        hint = _("Payment cycles; waiting for your approval: %(count)d") % {"count": waiting}
    else:
        hint = _("Monthly and one-off payments of your area")
    open_cycles = cycles.exclude(state=PaymentCycle.State.CLOSED).count()
    return [Card(_("Payment cycles"), reverse("payments:cycle_list"), hint, open_cycles)]
