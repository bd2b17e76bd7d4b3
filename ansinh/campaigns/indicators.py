"""Named indicators: per-commune counts computed set-wise (one GROUP BY commune per query).

Each indicator says which tables it reads and how a row of each leads to a commune (`Source`), so
that the triggers of `ansinh.campaigns.freshness` know which communes a change makes stale; and how
to find the people behind one of its figures (`people`), for the dashboard's links.

Indicators over apps whose models are not there (yet) yield nothing: `_model` returns None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.payouts.models import ACCOUNT_CHANNELS, Channel, PayoutMethod, Proxy
from ansinh.registry.models import Benefit, Category, Person
from ansinh.review.models import MatchResult, MatchStatus

Row = tuple[int, str, int]  # (commune id, dimension, value)
CommuneIds = Sequence[int] | None  # None: every commune


@dataclass(frozen=True)
class Source:
    """A table an indicator reads, and the foreign keys that lead from one of its rows to a commune.

    `path` names foreign keys hop by hop, ending at a model that has a `commune`: ("person",) for a
    benefit, ("visit", "person") for a refusal, () for a person itself.
    """

    model: type[Model]
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    compute: Callable[[CommuneIds], Iterable[Row]]
    dimensions: Callable[[], list[tuple[str, str | Promise]]]
    sources: Callable[[], list[Source]]
    # Person ids behind one dimension's figure (before scoping), or None when it cannot be listed.
    people: Callable[[str], QuerySet[Any] | None] = field(default=lambda dimension: None)


INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    INDICATORS[indicator.key] = indicator
    return indicator


def _model(label: str, name: str) -> type[Model] | None:
    """A model of an app that may not have it yet."""
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


def _field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _in(queryset: QuerySet[Any], path: str, ids: CommuneIds) -> QuerySet[Any]:
    return queryset if ids is None else queryset.filter(**{f"{path}__in": list(ids)})


def _grouped(queryset: QuerySet[Any], commune: str, dimension: str | None, count: str, label: str = "") -> list[Row]:
    """Rows of (commune, dimension, count) from one GROUP BY; `label` names the dimension when fixed."""
    if dimension is None:
        pairs = queryset.order_by().values_list(commune).annotate(n=Count(count, distinct=True))
        return [(c, label, n) for c, n in pairs if n]
    triples = queryset.order_by().values_list(commune, dimension).annotate(n=Count(count, distinct=True))
    return [(c, str(d), n) for c, d, n in triples if n]


# -- beneficiaries by category ----------------------------------------------------------------------

ACTIVE = Benefit.Status.ACTIVE


def _beneficiaries(ids: CommuneIds) -> list[Row]:
    active = _in(Benefit.objects.filter(status=ACTIVE), "person__commune_id", ids)
    rows = _grouped(active, "person__commune_id", "category", "person_id")
    rows += _grouped(active, "person__commune_id", None, "person_id", "all")
    # Everyone on the lists, whatever their benefits' status: what matching works on.
    rows += _grouped(_in(Person.objects.all(), "commune_id", ids), "commune_id", None, "pk", "people")
    return rows


def _beneficiaries_people(dimension: str) -> QuerySet[Any]:
    if dimension == "people":
        return Person.objects.values("pk")
    active = Benefit.objects.filter(status=ACTIVE)
    if dimension != "all":
        active = active.filter(category=dimension)
    return active.values("person_id")


register(
    Indicator(
        key="beneficiaries",
        label=_("Beneficiaries by category"),
        compute=_beneficiaries,
        dimensions=lambda: [("all", _("with an active benefit")), *Category.choices, ("people", _("on the lists"))],
        sources=lambda: [Source(Person), Source(Benefit, ("person",))],
        people=_beneficiaries_people,
    )
)


# -- matching outcomes ------------------------------------------------------------------------------


def _latest_results(ids: CommuneIds) -> QuerySet[MatchResult]:
    """Each person's result in their latest matching run."""
    latest = _in(MatchResult.objects.all(), "person__commune_id", ids).order_by().values("person_id")
    return MatchResult.objects.filter(pk__in=latest.annotate(last=Max("pk")).values("last"))


CLEANED = Q(status=MatchStatus.VERIFIED) | Q(
    decision__in=[MatchResult.Decision.ACCEPTED, MatchResult.Decision.REJECTED]
)


def _matching(ids: CommuneIds) -> list[Row]:
    latest = _latest_results(ids)
    rows = _grouped(latest, "person__commune_id", "status", "pk")
    rows += _grouped(latest, "person__commune_id", None, "pk", "handed_over")
    rows += _grouped(latest.filter(CLEANED), "person__commune_id", None, "pk", "cleaned")
    rows += _grouped(latest.filter(decision=MatchResult.Decision.PENDING), "person__commune_id", None, "pk", "pending")
    return rows


def _matching_people(dimension: str) -> QuerySet[Any]:
    latest = _latest_results(None)
    if dimension == "cleaned":
        latest = latest.filter(CLEANED)
    elif dimension == "pending":
        latest = latest.filter(decision=MatchResult.Decision.PENDING)
    elif dimension != "handed_over":
        latest = latest.filter(status=dimension)
    return latest.values("person_id")


register(
    Indicator(
        key="matching",
        label=_("Matching outcomes"),
        compute=_matching,
        dimensions=lambda: [
            ("handed_over", _("handed over for matching")),
            ("cleaned", _("matched and cleaned")),
            ("pending", _("waiting for review")),
            *MatchStatus.choices,
        ],
        sources=lambda: [Source(MatchResult, ("person",))],
        people=_matching_people,
    )
)


# -- payout accounts by channel ---------------------------------------------------------------------


def _methods(ids: CommuneIds) -> QuerySet[PayoutMethod]:
    methods = PayoutMethod.objects.filter(status=PayoutMethod.Status.ACTIVE, benefit__status=ACTIVE)
    return _in(methods, "person__commune_id", ids)


def _accounts(ids: CommuneIds) -> list[Row]:
    methods = _methods(ids)
    rows = _grouped(methods, "person__commune_id", "channel", "person_id")
    rows += _grouped(
        methods.filter(channel__in=ACCOUNT_CHANNELS), "person__commune_id", None, "person_id", "with_account"
    )
    rows += _grouped(methods, "person__commune_id", None, "person_id", "any")
    return rows


def _accounts_people(dimension: str) -> QuerySet[Any]:
    methods = _methods(None)
    if dimension == "with_account":
        methods = methods.filter(channel__in=ACCOUNT_CHANNELS)
    elif dimension != "any":
        methods = methods.filter(channel=dimension)
    return methods.values("person_id")


register(
    Indicator(
        key="accounts",
        label=_("Payout method by channel"),
        compute=_accounts,
        dimensions=lambda: [
            ("with_account", _("with an active account")),
            ("any", _("with a payout method")),
            *Channel.choices,
        ],
        sources=lambda: [Source(PayoutMethod, ("person",)), Source(Benefit, ("person",))],
        people=_accounts_people,
    )
)


# -- proxies ----------------------------------------------------------------------------------------


def _proxies(ids: CommuneIds) -> list[Row]:
    return _grouped(_in(Proxy.objects.all(), "person__commune_id", ids), "person__commune_id", "status", "person_id")


register(
    Indicator(
        key="proxies",
        label=_("Proxies"),
        compute=_proxies,
        dimensions=lambda: list(Proxy.Status.choices),
        sources=lambda: [Source(Proxy, ("person",))],
        people=lambda dimension: Proxy.objects.filter(status=dimension).values("person_id"),
    )
)


# -- the apps written beside this one: fieldwork and payments ---------------------------------------
# Their indicators are registered by `ansinh.campaigns.indicators_more`, which reads their models
# when they exist; imported last so that it can use the helpers above.
from ansinh.campaigns import indicators_more  # noqa: E402, F401
