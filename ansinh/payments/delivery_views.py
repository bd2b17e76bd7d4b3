"""The cash-delivery page: a payment service organisation's agent records who received the money, when, with proof."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ansinh.access.routes import acting_user, scoped
from ansinh.payments import selectors
from ansinh.payments.cash import can_record_delivery, cash_delivery_record
from ansinh.payments.services import PaymentError


@scoped
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not can_record_delivery(user):
        return render(request, "payments/forbidden.html", status=403)
    attempts = list(selectors.cash_to_deliver(user=user)[:300])
    return render(request, "payments/delivery_list.html", {"attempts": attempts, "now": timezone.localtime()})


@scoped
@require_POST
def delivery_record(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = acting_user(request)
    if not selectors.cash_to_deliver(user=user).filter(pk=attempt_id).exists():
        messages.error(request, _("This payment is not waiting for a delivery of yours."))
        return redirect("payments:delivery_list")
    try:
        moment = datetime.fromisoformat(request.POST.get("delivered_at", ""))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        cash_delivery_record(
            user=user,
            attempt_id=attempt_id,
            delivered_at=moment,
            received_by_name=request.POST.get("received_by_name", ""),
            signature=request.FILES.get("signature"),
            photo=request.FILES.get("photo"),
            note=request.POST.get("note", ""),
        )
    except ValueError:
        messages.error(request, _("Write the date and time of the delivery."))
    except PaymentError as exc:
        messages.error(request, str(exc.text))
    else:
        messages.success(request, _("The delivery was recorded."))
    return redirect("payments:delivery_list")
