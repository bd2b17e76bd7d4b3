"""Who counts at a month's end, derived from payments in one set-wise SQL statement.

A payment for months `from_month`..`to_month` keeps its payer counted from `from_month` to
`to_month + grace_months` (the months of the next period whose deadline has not passed). Merging
those runs per participant (gaps and islands with window functions) and cutting them at the month
the participant stopped gives `Coverage` rows: about one per participant, so the monthly report is
a single scan of a narrow table instead of a pass over every payment.

`counts_from_payments` computes the same figures straight from the payments in Python: it is the
reference the tests compare against, and the benchmark's baseline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from ansinh.insurance.models import Coverage, Participant, Payment

CHUNK = 500

_ISLANDS = """
INSERT INTO insurance_coverage (participant_id, commune_id, organisation_id, from_month, until_month)
SELECT i.participant_id, p.commune_id, p.organisation_id, i.from_month,
       CASE WHEN p.stop_month IS NOT NULL AND p.stop_month - 1 < i.until_month
            THEN p.stop_month - 1 ELSE i.until_month END
FROM (
    SELECT participant_id, MIN(from_month) AS from_month, MAX(until_month) AS until_month
    FROM (
        SELECT participant_id, from_month, until_month,
               -- The same order as the run starts, with the id to break ties, so one sort serves both.
               SUM(starts) OVER (PARTITION BY participant_id ORDER BY from_month, to_month, id
                                 ROWS UNBOUNDED PRECEDING) AS island
        FROM (
            SELECT participant_id, id, from_month, to_month, to_month + grace_months AS until_month,
                   CASE WHEN from_month <= 1 + MAX(to_month + grace_months) OVER (
                            PARTITION BY participant_id ORDER BY from_month, to_month, id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                        THEN 0 ELSE 1 END AS starts
            FROM insurance_payment
            {where}
        ) AS runs
    ) AS numbered
    GROUP BY participant_id, island
) AS i
JOIN insurance_participant AS p ON p.id = i.participant_id
WHERE p.stop_month IS NULL OR i.from_month < p.stop_month
"""


def coverage_rebuild(participant_ids: Iterable[int] | None = None) -> None:
    """Recompute the coverage of these participants (of everyone with None) from their payments.

    Call it in the transaction that changes payments, a stop date, a commune or an organisation.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if participant_ids is None:
            Coverage.objects.all().delete()
            cursor.execute(_ISLANDS.format(where=""))
            return
        ids = sorted(set(participant_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            Coverage.objects.filter(participant_id__in=chunk).delete()
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(_ISLANDS.format(where=f"WHERE participant_id IN ({marks})"), chunk)


GroupKey = tuple[int | None, int]  # (organisation id, commune id)


def counts_from_payments(
    months: Sequence[int], participant_ids: Iterable[int] | None = None
) -> dict[int, Counter[GroupKey]]:
    """Participants counted at each month's end per (organisation, commune), read from raw payments.

    The naive way: every payment is read and tested against every month; a participant counts once.
    """
    people = Participant.objects.all()
    payments = Payment.objects.all()
    if participant_ids is not None:
        ids = list(participant_ids)
        people, payments = people.filter(pk__in=ids), payments.filter(participant_id__in=ids)
    about = {
        pk: (organisation_id, commune_id, stop_month)
        for pk, organisation_id, commune_id, stop_month in people.values_list(
            "pk", "organisation_id", "commune_id", "stop_month"
        ).iterator(chunk_size=20_000)
    }
    counted: dict[int, set[int]] = {month: set() for month in months}
    for participant_id, from_month, to_month, grace in payments.values_list(
        "participant_id", "from_month", "to_month", "grace_months"
    ).iterator(chunk_size=20_000):
        stop_month = about[participant_id][2]
        for month in months:
            if from_month <= month <= to_month + grace and (stop_month is None or month < stop_month):
                counted[month].add(participant_id)
    result: dict[int, Counter[GroupKey]] = {}
    for month, ids_counted in counted.items():
        result[month] = Counter((about[pk][0], about[pk][1]) for pk in ids_counted)
    return result
