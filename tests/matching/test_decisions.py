"""The decision rules on scored candidates, independent of the model's weights."""

from __future__ import annotations

import duckdb
import pytest

from ansinh.matching.engine import Thresholds, _decide


def decide(candidates: list[tuple[int, int, float, float]], dead: frozenset[int] = frozenset()) -> dict[int, str]:
    """candidates: (list_id, person_id, match_weight, match_probability); returns list_id -> decision."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE candidates (list_id BIGINT, person_id BIGINT, match_weight DOUBLE, match_probability DOUBLE)"
    )
    con.executemany("INSERT INTO candidates VALUES (?, ?, ?, ?)", candidates)
    con.execute("CREATE TABLE pop (unique_id BIGINT, date_of_death VARCHAR)")
    people = {c[1] for c in candidates}
    con.executemany("INSERT INTO pop VALUES (?, ?)", [(p, "2025-01-01" if p in dead else None) for p in people])
    _decide(con, Thresholds())
    return dict(con.execute("SELECT list_id, decision FROM decided").fetchall())


def test_a_clear_favourite_with_a_high_probability_is_linked() -> None:
    assert decide([(1, 10, 20.0, 0.9999), (1, 11, 2.0, 0.2)]) == {1: "link"}


def test_two_candidates_within_the_margin_are_ambiguous_however_probable() -> None:
    assert decide([(1, 10, 20.0, 0.9999), (1, 11, 19.0, 0.9998)]) == {1: "ambiguous"}


@pytest.mark.parametrize(("probability", "decision"), [(0.5, "ambiguous"), (0.01, "not_found")])
def test_a_lone_candidate_below_the_link_threshold_is_reviewed_or_rejected(probability: float, decision: str) -> None:
    assert decide([(1, 10, 0.0, probability)]) == {1: decision}


def test_a_dead_favourite_goes_to_review_on_weaker_evidence_never_to_not_found() -> None:
    assert decide([(1, 10, -8.0, 0.004)], dead=frozenset({10})) == {1: "ambiguous"}
