"""Writes of the review app: storing a matching run, and an officer's decision on one result.

Both are one transaction that ends with its audit entries. A death reported by the registry suspends
the person's active benefits in the same transaction that stores the run, so payments stop at once;
the officer then confirms it (the benefits end) or reverses it (they are active again).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.access.scoping import scope_queryset
from ansinh.audit.services import AuditEvent, audit_record, diff_fields
from ansinh.geo.models import Commune
from ansinh.imports.models import ImportBatch, ImportRow, ProposedChange
from ansinh.imports.selectors import batch_get
from ansinh.lib.text import nfc
from ansinh.matching import match_files
from ansinh.reader import PartialDate
from ansinh.registry.models import Benefit, Person
from ansinh.review import selectors
from ansinh.review.models import (
    REVIEW_STATUSES,
    Change,
    Decision,
    DuplicateCase,
    MatchResult,
    MatchRun,
    MatchStatus,
    RegistryReport,
)

# Stored reasons are data, in the language of the registry's other reasons, not translated per reader.
DEATH_REASON = "death reported by matching, pending confirmation"
DEATH_CONFIRMED_REASON = "death confirmed in review"
MOVE_REASON = "moved to a commune outside the system's area, pending review"
WRONG_DEATH_REASON = "reported dead by the population registry; alive according to the commune's review"

LIST_HEADER = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Mã xã")
_SEX_WORDS = {"M": "Nam", "F": "Nữ"}
PERSON_FIELDS = ("full_name", "birth_year", "birth_month", "birth_day", "sex", "citizen_id", "commune")


class ReviewError(Exception):
    """The request cannot be carried out; `text` says why, for the officer."""

    def __init__(self, text: Any) -> None:
        super().__init__(str(text))
        self.text = text


# -- a run ------------------------------------------------------------------------------------------------


def _birth_text(person: Person) -> str:
    """The birth date as lists write it: dd/mm/yyyy, mm/yyyy or yyyy."""
    return person.birth_date_display


def _batch_people(*, user: User, batch: ImportBatch) -> list[Person]:
    """The batch's committed people in the user's area, in the order of their first row."""
    order: dict[int, int] = {}
    rows = ImportRow.objects.filter(batch_id=batch.pk, person__isnull=False).order_by("data_row")
    for person_id in rows.values_list("person_id", flat=True):
        if person_id is not None:
            order.setdefault(person_id, len(order))
    people = scope_queryset(Person.objects.filter(pk__in=rows.values("person_id")), user).select_related("commune")
    return sorted(people, key=lambda p: order[p.pk])


def people_list_write(*, path: Path, people: Sequence[Person]) -> None:
    """Write `people` as an official-layout list the matching engine's reader understands."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LIST_HEADER)
        for number, person in enumerate(people, start=1):
            writer.writerow(
                [
                    str(number),
                    person.full_name,
                    _birth_text(person),
                    _SEX_WORDS.get(person.sex, ""),
                    person.citizen_id or person.old_id,
                    person.commune.code,
                ]
            )


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _results(run: MatchRun, people: Sequence[Person], rows: list[dict[str, Any]]) -> list[MatchResult]:
    if len(rows) != len(people):
        raise ReviewError(_("The matching engine returned a different number of rows than it was given."))
    results = []
    # The engine keeps input order, one result per data row: the n-th row is the n-th person written.
    for person, row in zip(people, rows, strict=True):
        status = str(row["status"])
        results.append(
            MatchResult(
                run=run,
                person=person,
                source_row=int(row["source_row"]),
                status=status,
                citizen_id=row["citizen_id"] or "",
                probability=float(row["match_probability"] or 0.0),
                differences=[d for d in str(row["differences"] or "").split(";") if d],
                explanation=str(row["explanation"] or ""),
                registry={
                    "full_name": _text(row["registry_full_name"]),
                    "date_of_birth": _text(row["registry_date_of_birth"]),
                    "sex": _text(row["registry_sex"]),
                    "commune_code": _text(row["registry_commune_code"]),
                    "date_of_death": _text(row["registry_date_of_death"]),
                },
                duplicate_group=row["duplicate_group"] or "",
                decision=(MatchResult.Decision.PENDING if status in REVIEW_STATUSES else MatchResult.Decision.NONE),
            )
        )
    return results


def benefits_set_status(
    benefits: Iterable[Benefit], *, status: str, reason: str, action: str, commune_id: int | None
) -> list[AuditEvent]:
    """Move the benefits to `status`, returning one audit event each (the caller records them)."""
    events = []
    for benefit in benefits:
        before = {"status": benefit.status, "status_reason": benefit.status_reason}
        Benefit.objects.filter(pk=benefit.pk).update(status=status, status_reason=reason, version=F("version") + 1)
        events.append(
            AuditEvent.about(
                benefit,
                action,
                before=before,
                after={"status": status, "status_reason": reason},
                commune_id=commune_id,
            )
        )
    return events


# An area run may hold a province's people: IN lists go in chunks below the databases' bound-parameter limits.
ID_CHUNK = 5_000


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield list(ids[start : start + ID_CHUNK])


def _suspend_for_deaths(results: Sequence[MatchResult]) -> list[AuditEvent]:
    communes = {r.person_id: r.person.commune_id for r in results if r.status == MatchStatus.DECEASED}
    events = []
    benefits = [
        benefit
        for ids in _chunks(list(communes))
        for benefit in Benefit.objects.select_for_update()
        .filter(person_id__in=ids, status=Benefit.Status.ACTIVE)
        .order_by("pk")
    ]
    for benefit in benefits:
        events += benefits_set_status(
            [benefit],
            status=Benefit.Status.SUSPENDED,
            reason=DEATH_REASON,
            action="suspend",
            commune_id=communes[benefit.person_id],
        )
    events += _recover_after_deaths([r for r in results if r.status == MatchStatus.DECEASED])
    return events


def _recover_after_deaths(results: Sequence[MatchResult]) -> list[AuditEvent]:
    """Months already paid after the registry's date of death become recovery entries (truy thu)."""
    from ansinh.payments.followup import death_follow_up  # payments builds on review's outcomes, not the reverse

    events: list[AuditEvent] = []
    for result in results:
        try:
            died = dt.date.fromisoformat(str(result.registry.get("date_of_death") or ""))
        except ValueError:
            continue  # no full date: the officer confirming the death gives it
        follow_up_events, _counts = death_follow_up(person=result.person, date_of_death=died, source="matching")
        events += follow_up_events
    return events


def _compare_key(result: MatchResult) -> tuple[object, ...]:
    """What a re-match compares: the outcome and the registry's values, not the group name or the weights."""
    return (result.status, result.citizen_id, sorted(result.differences), sorted(result.registry.items()))


def _previous_results(people: Sequence[Person]) -> dict[int, MatchResult]:
    """Each person's latest result of an earlier run, if any."""
    latest: dict[int, MatchResult] = {}
    for ids in _chunks([p.pk for p in people]):
        earlier = MatchResult.objects.filter(person_id__in=ids).order_by("person_id", "-run__created_at", "-pk")
        for result in earlier.only(
            "pk", "person_id", "status", "citizen_id", "differences", "registry", "decision", "decided_by",
            "decided_at",
        ):  # fmt: skip
            latest.setdefault(result.person_id, result)
    return latest


def _compare_with_previous(results: Sequence[MatchResult], previous: dict[int, MatchResult]) -> None:
    """Mark each result new, changed or unchanged; an unchanged outcome an officer already decided keeps
    that decision, so a monthly re-match brings back to the queue only what changed."""
    for result in results:
        before = previous.get(result.person_id)
        if before is None:
            continue
        result.previous = before
        if _compare_key(before) != _compare_key(result):
            result.change = Change.CHANGED
            continue
        result.change = Change.UNCHANGED
        if result.decision == Decision.PENDING and before.decision in (Decision.ACCEPTED, Decision.REJECTED):
            result.decision = before.decision
            result.decided_by_id = before.decided_by_id
            result.decided_at = before.decided_at


def _duplicate_cases(run: MatchRun, results: Sequence[MatchResult]) -> list[DuplicateCase]:
    """One queue item per duplicate group that holds two or more of our people."""
    groups: dict[str, list[MatchResult]] = {}
    for result in results:
        if result.duplicate_group:
            groups.setdefault(result.duplicate_group, []).append(result)
    cases = []
    for group, members in groups.items():
        if len({m.person_id for m in members}) < 2:
            continue
        case = DuplicateCase.objects.create(
            run=run, group=group, citizen_id=next((m.citizen_id for m in members if m.citizen_id), "")
        )
        MatchResult.objects.filter(pk__in=[m.pk for m in members]).update(duplicate_case=case)
        cases.append(case)
    return cases


def _store_run(
    *, user: User, people: Sequence[Person], population_path: Path, batch: ImportBatch | None, area: str
) -> MatchRun:
    """Run the engine on `people` (outside any transaction: it may take a while), then store it in one."""
    with tempfile.TemporaryDirectory(prefix="ansinh-match-") as folder:
        listing = Path(folder) / (f"batch-{batch.pk}.csv" if batch else "area.csv")
        people_list_write(path=listing, people=people)
        table = match_files(population=population_path, beneficiaries=[listing])
    rows = table.to_pylist()
    with transaction.atomic():
        run = MatchRun.objects.create(
            batch=batch,
            scope=MatchRun.Scope.BATCH if batch else MatchRun.Scope.AREA,
            area=area,
            population_file=population_path.name,
            created_by=user,
        )
        results = _results(run, people, rows)
        _compare_with_previous(results, _previous_results(people))
        run.counts = dict(Counter(r.status for r in results))
        run.changes = dict(Counter(r.change for r in results))
        run.save(update_fields=["counts", "changes"])
        # Older results still waiting for these people give way to the new ones: one item per person.
        superseded = 0
        for ids in _chunks([p.pk for p in people]):
            superseded += MatchResult.objects.filter(person_id__in=ids, decision=Decision.PENDING).update(
                decision=Decision.SUPERSEDED
            )
            DuplicateCase.objects.filter(members__person_id__in=ids, decision=Decision.PENDING).update(
                decision=Decision.SUPERSEDED
            )
        MatchResult.objects.bulk_create(results, batch_size=2_000)
        cases = _duplicate_cases(run, results)
        # Only a death waiting for review stops payments: one an officer reversed stays reversed.
        events = _suspend_for_deaths([r for r in results if r.decision == Decision.PENDING])
        summary = {**run.counts, "changes": run.changes, "duplicate_cases": len(cases), "superseded": superseded}
        audit_record(
            actor=user,
            entries=[AuditEvent.about(run, "match", after=summary, summary=run.population_file), *events],
        )
    return run


def match_run_for_batch(*, user: User, batch_id: int, population_path: Path) -> MatchRun:
    """Match a committed batch's people against a registry snapshot and store the results for review.

    Steps: write the people to a temporary list, run the engine on it (outside any transaction: it may
    take a while), then in one transaction store the run and its results (each compared with the person's
    previous result), the duplicate cases, suspend the benefits of the people the registry reports dead,
    and record the audit entries.
    """
    if not selectors.can_decide(user):
        raise ReviewError(_("Only registry officers start a matching run."))
    batch = batch_get(user=user, batch_id=batch_id)
    if batch is None:
        raise ReviewError(_("This batch does not exist or is outside your area."))
    if batch.status != ImportBatch.Status.COMMITTED:
        raise ReviewError(_("Only a committed batch can be matched."))
    people = _batch_people(user=user, batch=batch)
    if not people:
        raise ReviewError(_("The batch has no committed people in your area."))
    return _store_run(user=user, people=people, population_path=population_path, batch=batch, area="")


def match_run_for_area(*, user: User, population_path: Path, commune_codes: Sequence[str] = ()) -> MatchRun:
    """Match everyone of the user's area (or of the named communes in it), whatever list they came from."""
    if not selectors.can_decide(user):
        raise ReviewError(_("Only registry officers start a matching run."))
    people_qs = scope_queryset(Person.objects.all(), user)
    if commune_codes:
        people_qs = people_qs.filter(commune__code__in=list(commune_codes))
    people = list(people_qs.select_related("commune").order_by("commune__code", "pk"))
    if not people:
        raise ReviewError(_("There is nobody to match in this area."))
    codes = sorted({p.commune.code for p in people})
    area = ", ".join(codes) if len(codes) <= 10 else f"{len(codes)} communes"
    return _store_run(user=user, people=people, population_path=population_path, batch=None, area=area[:200])


# -- a decision ---------------------------------------------------------------------------------------------


def _partial(text: str | None) -> PartialDate | None:
    if not text:
        return None
    try:
        return PartialDate.from_iso(text[:10])
    except (TypeError, ValueError):
        return None


def _birth_iso(person: Person) -> str:
    if person.birth_year is None:
        return ""
    return PartialDate(person.birth_year, person.birth_month, person.birth_day).iso


def _correction(result: MatchResult, person: Person) -> tuple[dict[str, Any], list[tuple[str, str, str]], bool]:
    """The person's new field values, the (field, old, new) triples to record, and whether the person
    moved outside the system's area (their benefits then wait for review).

    Field names and value forms of the triples are the importer's, so that a re-import of the old list
    recognises an accepted correction and does not propose the old value again.
    """
    registry = result.registry
    changes: dict[str, Any] = {}
    recorded: list[tuple[str, str, str]] = []
    moved_out = False
    for field in result.differences:
        if field == "full_name" and registry.get("full_name"):
            name = nfc(str(registry["full_name"]))
            changes.update(Person.name_fields(name))
            recorded.append(("full_name", person.full_name, name))
        elif field == "date_of_birth" and (date := _partial(registry.get("date_of_birth"))) is not None:
            changes.update(birth_year=date.year, birth_month=date.month, birth_day=date.day)
            recorded.append(("date_of_birth", _birth_iso(person), date.iso))
        elif field == "sex" and registry.get("sex") in ("M", "F"):
            changes["sex"] = registry["sex"]
            recorded.append(("sex", person.sex, str(registry["sex"])))
        elif field == "citizen_id" and result.citizen_id:
            changes["citizen_id"] = result.citizen_id
            recorded.append(("citizen_id", person.citizen_id, result.citizen_id))
        elif field == "commune_code" and registry.get("commune_code"):
            commune = Commune.objects.filter(code=registry["commune_code"]).first()
            if commune is None:
                moved_out = True
            else:
                changes["commune_id"] = commune.pk
                recorded.append(("commune_id", str(person.commune_id), str(commune.pk)))
    return changes, recorded, moved_out


def _apply_correction(*, user: User, result: MatchResult, person: Person) -> list[AuditEvent]:
    changes, recorded, moved_out = _correction(result, person)
    events: list[AuditEvent] = []
    now = timezone.now()
    if changes:
        before = {name: getattr(person, name if name != "commune" else "commune_id") for name in PERSON_FIELDS}
        Person.objects.filter(pk=person.pk).update(**changes, version=F("version") + 1, updated_at=now)
        person.refresh_from_db()
        after = {name: getattr(person, name if name != "commune" else "commune_id") for name in PERSON_FIELDS}
        old, new = diff_fields(before, after)
        events.append(
            AuditEvent.about(person, "update", before=old, after=new, summary="matching", commune_id=person.commune_id)
        )
        ProposedChange.objects.bulk_create(
            ProposedChange(
                person_id=person.pk,
                field=field,
                current_value=old_value[:300],
                proposed_value=new_value[:300],
                status=ProposedChange.Status.ACCEPTED,
                decided_by=user,
                decided_at=now,
            )
            for field, old_value, new_value in recorded
        )
    if moved_out:
        benefits = Benefit.objects.select_for_update().filter(person_id=person.pk, status=Benefit.Status.ACTIVE)
        events += benefits_set_status(
            list(benefits),
            status=Benefit.Status.SUSPENDED,
            reason=MOVE_REASON,
            action="suspend",
            commune_id=person.commune_id,
        )
    return events


def _death_decided(*, person: Person, accept: bool) -> list[AuditEvent]:
    benefits = Benefit.objects.select_for_update().filter(
        person_id=person.pk, status=Benefit.Status.SUSPENDED, status_reason=DEATH_REASON
    )
    if accept:
        return benefits_set_status(
            list(benefits),
            status=Benefit.Status.ENDED,
            reason=DEATH_CONFIRMED_REASON,
            action="end",
            commune_id=person.commune_id,
        )
    return benefits_set_status(
        list(benefits), status=Benefit.Status.ACTIVE, reason="", action="reactivate", commune_id=person.commune_id
    )


def _report_wrong_death(*, user: User, result: MatchResult, person: Person) -> AuditEvent:
    """A reversed death is a mistake in the population registry: record it as a correction to report."""
    report = RegistryReport.objects.create(
        person=person,
        result=result,
        citizen_id=result.citizen_id,
        field="date_of_death",
        registry_value=str(result.registry.get("date_of_death") or ""),
        correct_value="",
        reason=WRONG_DEATH_REASON,
        created_by=user,
    )
    return AuditEvent.about(
        report,
        "create",
        after={"field": report.field, "registry_value": report.registry_value, "reason": report.reason},
        commune_id=person.commune_id,
    )


def match_result_decide(*, user: User, result_id: int, accept: bool) -> MatchResult:
    """Accept or reject one result waiting for review, applying what it means to the registry; audited.

    Accepting a correction writes the registry's values to the person (a move hands them to the new
    commune, or suspends their benefits when that commune is outside the system); a death confirmed
    ends the benefits it suspended, a death rejected makes them active again. Accepting an ambiguous or
    not-found result only marks it confirmed for follow-up.
    """
    if not selectors.can_decide(user):
        raise ReviewError(_("Only registry officers decide on matching results."))
    with transaction.atomic():
        # Lock the row so that two officers deciding at once cannot both apply it.
        result = (
            selectors.results_in_area(user=user)
            .select_for_update(of=("self",))
            .select_related("person")
            .filter(pk=result_id)
            .first()
        )
        if result is None:
            raise ReviewError(_("This result does not exist or is outside your area."))
        if result.decision != MatchResult.Decision.PENDING:
            raise ReviewError(_("This result has already been decided."))
        person = Person.objects.select_for_update().get(pk=result.person_id)
        commune_id = person.commune_id
        events: list[AuditEvent] = []
        if result.status == MatchStatus.CORRECTED and accept:
            events += _apply_correction(user=user, result=result, person=person)
        elif result.status == MatchStatus.DECEASED:
            events += _death_decided(person=person, accept=accept)
            if not accept:
                events.append(_report_wrong_death(user=user, result=result, person=person))
        result.decision = MatchResult.Decision.ACCEPTED if accept else MatchResult.Decision.REJECTED
        result.decided_by = user
        result.decided_at = timezone.now()
        result.save(update_fields=["decision", "decided_by", "decided_at"])
        events.insert(
            0,
            AuditEvent.about(
                result,
                "accept" if accept else "reject",
                after={"status": result.status, "decision": result.decision},
                commune_id=commune_id,
            ),
        )
        audit_record(actor=user, entries=events)
    return result
