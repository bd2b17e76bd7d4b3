"""Reads of the registry, always through the scoping layer."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Func, QuerySet, Window
from django.db.models.expressions import RawSQL

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_READER_ROLES
from ansinh.access.scoping import has_role, scope_queryset
from ansinh.lib.text import fold
from ansinh.registry import search
from ansinh.registry.models import Benefit, Person

SORTS = {
    "given": ("sort_key", "pk"),  # the Vietnamese way: given name, then family and middle names
    "family": ("full_name_folded", "pk"),
    "commune": ("commune__name", "sort_key", "pk"),
}
# The list page counts matches up to this many and then says "more than"; an exact count of a
# province's million people on every keystroke costs more than everything else on the page.
COUNT_CAP = 1000
# How far the list page reads in Vietnamese order for the first page of a name that matches many
# people before it sorts the matches instead (see `_page_ids`).
WALK_ROWS = 20_000
WALK_CHUNK = 2_000
SORT_INDEX = "person_sort_walk"


def _people(*, user: User, query: str, commune_id: int | None, category: str) -> QuerySet[Person]:
    people = scope_queryset(Person.objects.all(), user, inline_communes=True)
    folded = fold(query)
    if folded:
        people = people.filter(full_name_folded__contains=folded)
        if search.uses_fts(connection) and len(folded) >= search.MIN_FTS_QUERY:
            # SQLite: the trigram table finds the rows; the LIKE above keeps the result exactly as it was.
            people = people.filter(pk__in=RawSQL(*search.fts_rowids_sql(folded)))  # noqa: S611 - a constant, bound
    if commune_id is not None:
        people = people.filter(commune_id=commune_id)
    if category:
        people = people.filter(pk__in=Benefit.objects.filter(category=category).values("person_id"))
    return people


def person_list(
    *, user: User, query: str = "", commune_id: int | None = None, category: str = "", sort: str = "given"
) -> QuerySet[Person]:
    """People in the user's area, filtered by a name that ignores diacritics, case and tone placement,
    by commune and by category; sorted the Vietnamese way unless another sort is asked for."""
    if not has_role(user, *REGISTRY_READER_ROLES):
        return Person.objects.none()
    people = _people(user=user, query=query, commune_id=commune_id, category=category)
    return people.select_related("commune", "commune__province").order_by(*SORTS.get(sort, SORTS["given"]))


def person_get(*, user: User, person_id: int) -> Person | None:
    """One person, or None when it does not exist or lies outside the user's area."""
    return person_list(user=user).filter(pk=person_id).first()


@dataclass
class PersonPage:
    """One page of the list, with a count that stops at COUNT_CAP (`capped` when there are more)."""

    object_list: list[Person]
    number: int
    count: int
    capped: bool
    has_next: bool
    page_size: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages, unknown (None) when the count is capped."""
        return None if self.capped else max(1, math.ceil(self.count / self.page_size))


def person_page(
    *,
    user: User,
    query: str = "",
    commune_id: int | None = None,
    category: str = "",
    sort: str = "given",
    number: int = 1,
    page_size: int = 50,
) -> PersonPage:
    """A page of `person_list`, read the way that is fast for this search (see `_page_ids`), then the
    people of the page with their commune, in that order."""
    people = person_list(user=user, query=query, commune_id=commune_id, category=category, sort=sort)
    number = max(1, number)
    ids, count = _page_ids(
        people, user=user, query=query, commune_id=commune_id, category=category, sort=sort,
        offset=(number - 1) * page_size, wanted=page_size + 1,
    )  # fmt: skip
    capped = count is not None and count < 0  # more than COUNT_CAP, found without counting
    if count is None:
        count = people.order_by()[: COUNT_CAP + 1].count()
        capped = count > COUNT_CAP
    elif capped:
        count = COUNT_CAP + 1
    last = max(1, math.ceil(count / page_size))
    if not ids and count and number > last and not capped:
        return person_page(
            user=user, query=query, commune_id=commune_id, category=category, sort=sort, number=last,
            page_size=page_size,
        )  # fmt: skip
    # The ids come from the scoped, filtered list: fetching them again needs none of its filters.
    found = Person.objects.select_related("commune", "commune__province").in_bulk(ids[:page_size])
    return PersonPage(
        object_list=[found[pk] for pk in ids[:page_size] if pk in found],
        number=number,
        count=count,
        capped=capped,
        has_next=len(ids) > page_size,
        page_size=page_size,
    )


def _walk(people: QuerySet[Person], limit: int) -> Iterator[list[tuple[int, str]]]:
    """(id, folded name) of the first `limit` people in Vietnamese order, read along the index in chunks
    so that the caller may stop early.

    Written out because the ORM orders a values() query by column position ("ORDER BY sort_key, 1"),
    which SQLite does not recognise as the order of the (sort_key, id, ...) index.
    """
    sql, params = people.order_by().values_list("pk", "full_name_folded").query.sql_with_params()
    table = connection.ops.quote_name(Person._meta.db_table)
    order = f" ORDER BY {table}.{connection.ops.quote_name('sort_key')}, {table}.{connection.ops.quote_name('id')}"
    if connection.vendor == "sqlite":
        # For thousands of rows SQLite's planner would rather sort the whole area than walk an index.
        sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {SORT_INDEX}", 1)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql}{order} LIMIT %s", [*params, limit])
        while rows := cursor.fetchmany(WALK_CHUNK):
            yield rows


def _page_ids(
    people: QuerySet[Person],
    *,
    user: User,
    query: str,
    commune_id: int | None,
    category: str,
    sort: str,
    offset: int,
    wanted: int,
) -> tuple[list[int], int | None]:
    """The ids of one page in list order, and the number of matches when that came for free (-1 for
    "more than COUNT_CAP", None for unknown).

    Two ways to read a page of a name search in Vietnamese order, each fast where the other is slow.
    Walking the (sort_key, id) index and stopping at a page of matches is cheap when matches are
    common and spread out (a given name such as "hung"), but reads half the registry when they are
    few or gathered late in the order ("nguyen thi lan" gathers under L). Taking the matches from the
    trigram index and sorting them costs in proportion to their number. So the first WALK_ROWS people
    in order are looked through first (a few milliseconds); when they do not hold the page, the matches
    are sorted, counted in the same query.
    """
    folded = fold(query)
    ordered = people.values_list("pk", flat=True)
    if not folded or sort not in ("given", "family"):
        return list(ordered[offset : offset + wanted]), None
    if sort == "given":
        # The walk may stop early once it holds the page and more than the cap (then nothing is counted).
        matches: list[int] = []
        read = 0
        for rows in _walk(_people(user=user, query="", commune_id=commune_id, category=category), WALK_ROWS):
            read += len(rows)
            matches += [pk for pk, name in rows if folded in name]
            if len(matches) > max(COUNT_CAP, offset + wanted):
                break
        if len(matches) > COUNT_CAP and len(matches) >= offset + wanted:
            return matches[offset : offset + wanted], -1
        if read < WALK_ROWS:  # it ran out of people: that was everyone
            return matches[offset : offset + wanted], len(matches)
        if len(matches) >= offset + wanted:
            return matches[offset : offset + wanted], None
    # The list's order through an expression no index serves, so that the planner sorts the matches it
    # finds with the trigram index rather than walking the sort index past every person.
    unindexed = Func(F(SORTS[sort][0]), function="", template="(%(expressions)s || '')")
    page = list(
        people.annotate(total=Window(Count("pk")))
        .order_by(unindexed, "pk")
        .values_list("pk", "total")[offset : offset + wanted]
    )
    return [pk for pk, _ in page], (page[0][1] if page else None)
