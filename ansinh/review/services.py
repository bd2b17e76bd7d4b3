"""Writes of the review app: storing a matching run, and an officer's decision on one result.

Both are one transaction that ends with its audit entries. A death reported by the registry suspends
the person's active benefits in the same transaction that stores the run, so payments stop at once;
the officer then confirms it (the benefits end) or reverses it (they are active again).
"""

from __future__ import annotations

import csv
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
from ansinh.review.models import REVIEW_STATUSES, MatchResult, MatchRun, MatchStatus

# Stored reasons are data, in the language of the registry's other reasons, not translated per reader.
DEATH_REASON = "death reported by matching, pending confirmation"
DEATH_CONFIRMED_REASON = "death confirmed in review"
MOVE_REASON = "moved to a commune outside the system's area, pending review"

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
    people = scope_queryset(Person.objects.filter(pk__in=list(order)), user).select_related("commune")
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


def _benefits_set_status(
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


def _suspend_for_deaths(results: Sequence[MatchResult]) -> list[AuditEvent]:
    communes = {r.person_id: r.person.commune_id for r in results if r.status == MatchStatus.DECEASED}
    benefits = Benefit.objects.select_for_update().filter(person_id__in=list(communes), status=Benefit.Status.ACTIVE)
    events = []
    for benefit in benefits.order_by("pk"):
        events += _benefits_set_status(
            [benefit],
            status=Benefit.Status.SUSPENDED,
            reason=DEATH_REASON,
            action="suspend",
            commune_id=communes[benefit.person_id],
        )
    return events


def match_run_for_batch(*, user: User, batch_id: int, population_path: Path) -> MatchRun:
    """Match a committed batch's people against a registry snapshot and store the results for review.

    Steps: write the people to a temporary list, run the engine on it (outside any transaction: it may
    take a while), then in one transaction store the run and its results, suspend the benefits of the
    people the registry reports dead, and record the audit entries.
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
    with tempfile.TemporaryDirectory(prefix="ansinh-match-") as folder:
        listing = Path(folder) / f"batch-{batch.pk}.csv"
        people_list_write(path=listing, people=people)
        table = match_files(population=population_path, beneficiaries=[listing])
    rows = table.to_pylist()
    with transaction.atomic():
        run = MatchRun.objects.create(batch=batch, population_file=population_path.name, created_by=user)
        results = _results(run, people, rows)
        run.counts = dict(Counter(r.status for r in results))
        run.save(update_fields=["counts"])
        MatchResult.objects.bulk_create(results)
        events = _suspend_for_deaths(results)
        audit_record(
            actor=user,
            entries=[AuditEvent.about(run, "match", after=run.counts, summary=run.population_file), *events],
        )
    return run


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
        events += _benefits_set_status(
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
        return _benefits_set_status(
            list(benefits),
            status=Benefit.Status.ENDED,
            reason=DEATH_CONFIRMED_REASON,
            action="end",
            commune_id=person.commune_id,
        )
    return _benefits_set_status(
        list(benefits), status=Benefit.Status.ACTIVE, reason="", action="reactivate", commune_id=person.commune_id
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
