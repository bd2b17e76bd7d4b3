"""Indicators over fieldwork (visits, classifications, refusals, home deliveries) and payments.

Those apps are written beside this one: every model is looked up by name, and an indicator whose
models are missing yields nothing and reads no table.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Model, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from ansinh.campaigns.indicators import (
    ACTIVE,
    CommuneIds,
    Indicator,
    Row,
    Source,
    _grouped,
    _in,
    _model,
    register,
)
from ansinh.payouts.models import Channel, PayoutMethod

PERSON_COMMUNE = "person__commune_id"


def _visit() -> type[Model] | None:
    return _model("fieldwork", "Visit")


# -- visits and classifications ---------------------------------------------------------------------


def _latest_visits(model: type[Model], ids: CommuneIds, **filters: Any) -> QuerySet[Any]:
    """Each person's latest visit (among those matching `filters`): the one that counts."""
    visits = _in(model.objects.filter(**filters), PERSON_COMMUNE, ids).order_by().values("person_id")  # type: ignore[attr-defined]
    return model.objects.filter(pk__in=visits.annotate(last=Max("pk")).values("last"))  # type: ignore[attr-defined]


def _visits(ids: CommuneIds) -> list[Row]:
    model = _visit()
    if model is None:
        return []
    visits = _in(model.objects.all(), PERSON_COMMUNE, ids)  # type: ignore[attr-defined]
    rows = _grouped(visits, PERSON_COMMUNE, None, "person_id", "visited")
    rows += _grouped(visits, PERSON_COMMUNE, None, "pk", "visits")
    unfinished = _latest_visits(model, ids).filter(outcome="not_finished")
    rows += _grouped(unfinished, PERSON_COMMUNE, "reason", "person_id")
    return rows


def _visits_people(dimension: str) -> QuerySet[Any] | None:
    model = _visit()
    if model is None:
        return None
    if dimension in ("visited", "visits"):
        return model.objects.values("person_id")  # type: ignore[attr-defined]
    return _latest_visits(model, None).filter(outcome="not_finished", reason=dimension).values("person_id")


def _visit_reasons() -> list[tuple[str, Any]]:
    model = _model("fieldwork", "Visit")
    if model is None:
        return []
    return list(model._meta.get_field("reason").choices or [])  # type: ignore[union-attr]


register(
    Indicator(
        key="visits",
        label=_("Visits done"),
        compute=_visits,
        dimensions=lambda: [
            ("visited", _("people visited")),
            ("visits", _("visits made")),
            *_visit_reasons(),
        ],
        sources=lambda: [Source(m, ("person",)) for m in [_visit()] if m is not None],
        people=_visits_people,
    )
)

# The four types of the national guidance; type 2 is persuaded or declined.
TYPES = {"registered": "type_1", "persuaded": "type_2", "declined": "type_2", "no_account": "type_3"}
TYPES["force_majeure"] = "type_4"


def _classifications(ids: CommuneIds) -> list[Row]:
    model = _visit()
    if model is None:
        return []
    latest = _latest_visits(model, ids, outcome="classified")
    rows = _grouped(latest, PERSON_COMMUNE, "classification", "person_id")
    totals: dict[tuple[int, str], int] = {}
    for commune, value, count in rows:
        key = (commune, TYPES.get(value, "type_unknown"))
        totals[key] = totals.get(key, 0) + count
    rows += [(commune, kind, count) for (commune, kind), count in totals.items()]
    rows += _grouped(latest, PERSON_COMMUNE, None, "person_id", "any")
    return rows


def _classification_people(dimension: str) -> QuerySet[Any] | None:
    model = _visit()
    if model is None:
        return None
    latest = _latest_visits(model, None, outcome="classified")
    if dimension.startswith("type_"):
        latest = latest.filter(classification__in=[c for c, t in TYPES.items() if t == dimension])
    elif dimension != "any":
        latest = latest.filter(classification=dimension)
    return latest.values("person_id")


def _classification_dimensions() -> list[tuple[str, Any]]:
    model = _visit()
    choices = list(model._meta.get_field("classification").choices or []) if model is not None else []  # type: ignore[union-attr]
    return [
        ("any", _("classified")),
        ("type_1", _("type 1: registered")),
        ("type_2", _("type 2: persuaded or declined")),
        ("type_3", _("type 3: no account, channel chosen")),
        ("type_4", _("type 4: cash at home")),
        *choices,
    ]


register(
    Indicator(
        key="classification",
        label=_("Classification after the visit"),
        compute=_classifications,
        dimensions=_classification_dimensions,
        sources=lambda: [Source(m, ("person",)) for m in [_visit()] if m is not None],
        people=_classification_people,
    )
)


# -- refusals and their reasons ---------------------------------------------------------------------

REFUSAL_COMMUNE = "visit__person__commune_id"
REASON_LENGTH = 50


def _refusals(ids: CommuneIds) -> list[Row]:
    model = _model("fieldwork", "Refusal")
    if model is None:
        return []
    refusals = _in(model.objects.all(), REFUSAL_COMMUNE, ids)  # type: ignore[attr-defined]
    rows = _grouped(refusals, REFUSAL_COMMUNE, None, "visit__person_id", "all")
    rows += _grouped(refusals, REFUSAL_COMMUNE, "status", "visit__person_id")
    # Reasons are free text: grouped on their opening words, as officers tend to write the same ones.
    reasons = refusals.annotate(opening=Substr("reason", 1, REASON_LENGTH))
    rows += [(c, f"reason:{d}", n) for c, d, n in _grouped(reasons, REFUSAL_COMMUNE, "opening", "visit__person_id")]
    return rows


def _refusals_people(dimension: str) -> QuerySet[Any] | None:
    model = _model("fieldwork", "Refusal")
    if model is None:
        return None
    refusals = model.objects.all()  # type: ignore[attr-defined]
    if dimension.startswith("reason:"):
        refusals = refusals.filter(reason__startswith=dimension.removeprefix("reason:"))
    elif dimension != "all":
        refusals = refusals.filter(status=dimension)
    return refusals.values("visit__person_id")


def _refusal_dimensions() -> list[tuple[str, Any]]:
    model = _model("fieldwork", "Refusal")
    choices = list(model._meta.get_field("status").choices or []) if model is not None else []  # type: ignore[union-attr]
    return [("all", _("declined, with minutes")), *choices]


register(
    Indicator(
        key="refusals",
        label=_("Refusals and their reasons"),
        compute=_refusals,
        dimensions=_refusal_dimensions,
        sources=lambda: [Source(m, ("visit", "person")) for m in [_model("fieldwork", "Refusal")] if m is not None],
        people=_refusals_people,
    )
)


# -- home deliveries --------------------------------------------------------------------------------


def _home_methods(ids: CommuneIds) -> QuerySet[Any]:
    methods = PayoutMethod.objects.filter(status=PayoutMethod.Status.ACTIVE, benefit__status=ACTIVE)
    return _in(methods.filter(channel=Channel.CASH_HOME), PERSON_COMMUNE, ids)


DELIVERY_COMMUNE = "attempt__payment__person__commune_id"


def _home_deliveries(ids: CommuneIds) -> list[Row]:
    rows = _grouped(_home_methods(ids), PERSON_COMMUNE, None, "person_id", "to_deliver")
    delivery = _model("payments", "CashDelivery")
    if delivery is not None:
        delivered = _in(delivery.objects.all(), DELIVERY_COMMUNE, ids)  # type: ignore[attr-defined]
        rows += _grouped(delivered, DELIVERY_COMMUNE, None, "attempt__payment__person_id", "delivered")
    return rows


def _home_people(dimension: str) -> QuerySet[Any] | None:
    if dimension == "to_deliver":
        return _home_methods(None).values("person_id")
    delivery = _model("payments", "CashDelivery")
    return None if delivery is None else delivery.objects.values("attempt__payment__person_id")  # type: ignore[attr-defined]


def _home_sources() -> list[Source]:
    sources = [Source(PayoutMethod, ("person",))]
    delivery, attempt = _model("payments", "CashDelivery"), _model("payments", "PaymentAttempt")
    if delivery is not None and attempt is not None:
        sources.append(Source(delivery, ("attempt", "payment", "person")))
        sources.append(Source(attempt, ("payment", "person")))
    return sources


register(
    Indicator(
        key="home_deliveries",
        label=_("Cash delivered at home"),
        compute=_home_deliveries,
        dimensions=lambda: [("to_deliver", _("paid in cash at home")), ("delivered", _("deliveries recorded"))],
        sources=_home_sources,
        people=_home_people,
    )
)


# -- payments ---------------------------------------------------------------------------------------
# Per month (YYYYMM) or occasion and status, so that a dashboard can show the latest period.


def _payment() -> type[Model] | None:
    return _model("payments", "Payment")


def period_of(dimension: str) -> tuple[str, str]:
    """("202601", "paid") from "202601|paid"; ("", "paid") from a total."""
    period, _sep, status = dimension.rpartition("|")
    return period, status


def _payments(ids: CommuneIds) -> list[Row]:
    model = _payment()
    if model is None:
        return []
    payments = _in(model.objects.exclude(status="cancelled"), PERSON_COMMUNE, ids)  # type: ignore[attr-defined]
    rows = _grouped(payments, PERSON_COMMUNE, "status", "pk")
    rows += _grouped(payments, PERSON_COMMUNE, None, "pk", "planned")
    by_period = payments.order_by().values_list(PERSON_COMMUNE, "month", "occasion", "status").annotate(n=Count("pk"))
    per: dict[tuple[int, str], int] = {}
    for commune, month, occasion, status, count in by_period:
        period = str(month) if month else str(occasion)
        for key in (f"{period}|{status}", f"{period}|planned"):
            per[(commune, key)] = per.get((commune, key), 0) + count
    rows += [(commune, key, count) for (commune, key), count in per.items()]
    return rows


def _payments_people(dimension: str) -> QuerySet[Any] | None:
    model = _payment()
    if model is None:
        return None
    payments = model.objects.exclude(status="cancelled")  # type: ignore[attr-defined]
    period, status = period_of(dimension)
    if period:
        payments = payments.filter(month=int(period)) if period.isdigit() else payments.filter(occasion=period)
    if status != "planned":
        payments = payments.filter(status=status)
    return payments.values("person_id")


def _payment_dimensions() -> list[tuple[str, Any]]:
    model = _payment()
    choices = list(model._meta.get_field("status").choices or []) if model is not None else []  # type: ignore[union-attr]
    return [("planned", _("planned")), *[(v, label) for v, label in choices if v not in ("planned", "cancelled")]]


register(
    Indicator(
        key="payments",
        label=_("Payments planned, paid, failed"),
        compute=_payments,
        dimensions=_payment_dimensions,
        sources=lambda: [Source(m, ("person",)) for m in [_payment()] if m is not None],
        people=_payments_people,
    )
)
