"""Committing valid rows to the registry, a chunk at a time, inside the caller's transaction.

A row is the same person as one already in the registry when the ID agrees and the folded name or the
birth date agrees too; without a usable ID, when folded name, birth date and commune agree. An ID that
agrees while name and birth date both differ is a conflict: the row becomes its own person with a
warning, for matching to settle. A matched row with different values becomes proposed changes, never
an overwrite; a correction already accepted is not proposed back by a list that still has the old value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext_noop

from ansinh.imports.bulk import insert, reserve_ids
from ansinh.imports.models import ImportBatch, ImportRow, ProposedChange
from ansinh.imports.validation import problem
from ansinh.lib.text import fold, nfc
from ansinh.payouts.models import AccountChangeRequest
from ansinh.reader import PartialDate
from ansinh.registry.models import Benefit, Household, Person
from ansinh.registry.search import bulk_person_inserts

CHUNK = 5000
PERSON_FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "old_id", "commune_id", "hamlet", "phone")
BENEFIT_FIELDS = ("monthly_amount", "subgroup_id", "start_date", "decision_number", "decision_date")


@dataclass
class RowState:
    """One valid row on its way into the registry; the outcome and links are filled in here."""

    row_id: int | None
    data_row: int
    values: dict[str, Any]
    problems: list[dict[str, Any]]
    commune_id: int
    outcome: str = ImportRow.Outcome.PENDING
    person_id: int | None = None
    benefit_id: int | None = None


@dataclass
class Counts:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    invalid: int = 0
    warnings: int = 0
    pending: int = 0  # valid rows of a staged batch, not committed yet

    def line(self) -> str:
        return (
            f"rows={self.rows} new={self.new} changed={self.changed} unchanged={self.unchanged} "
            f"invalid={self.invalid} warnings={self.warnings}"
        )


def _birth(person: dict[str, Any]) -> str:
    year, month, day = person["birth_year"], person["birth_month"], person["birth_day"]
    return PartialDate(year, month, day).iso if year else ""


def person_values(values: dict[str, Any], commune_id: int) -> dict[str, Any]:
    """The registry's person fields from a row's values (only what the list gives)."""
    out: dict[str, Any] = {"full_name": nfc(values["full_name"]), "commune_id": commune_id}
    for source, target in (
        ("date_of_birth", "date_of_birth"),
        ("sex", "sex"),
        ("citizen_id", "citizen_id"),
        ("old_id", "old_id"),
        ("address", "hamlet"),
        ("phone", "phone"),
    ):
        if values.get(source):
            out[target] = values[source]
    return out


def benefit_values(values: dict[str, Any], subgroups: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if values.get("amount") is not None:
        out["monthly_amount"] = values["amount"]
    if values.get("subgroup_code"):
        out["subgroup_id"] = subgroups.get(values["subgroup_code"])
    start = values.get("start_date")
    if isinstance(start, str) and len(start) == 10:
        out["start_date"] = start
    if values.get("decision_number"):
        out["decision_number"] = values["decision_number"]
    decided = values.get("decision_date")
    if isinstance(decided, str) and len(decided) == 10:
        out["decision_date"] = decided
    return out


@dataclass
class Committer:
    batch: ImportBatch
    subgroups: dict[str, int]
    # Within-file identity: a later row repeating an earlier one is `unchanged`, with a warning.
    seen: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)  # key -> (person_id, data_row)
    created_people: list[int] = field(default_factory=list)
    created_benefits: list[int] = field(default_factory=list)
    created_households: list[int] = field(default_factory=list)
    households: dict[tuple[int, str], int] = field(default_factory=dict)  # (commune, text) -> household
    proposed: int = 0

    def commit_chunk(self, rows: list[RowState]) -> None:
        people = self._candidates(rows)
        benefits = self._benefits({p["id"] for ps in people.values() for p in ps})
        known = {p["id"] for ps in people.values() for p in ps}
        accepted, pending = self._reviewed(known)
        new_people: list[tuple[RowState, dict[str, Any]]] = []
        followers: list[tuple[RowState, RowState]] = []  # (repeat, first row) when the first is new in this chunk
        fresh: dict[tuple[Any, ...], RowState] = {}
        for row in rows:
            key = self._key(row)
            if key in self.seen or key in fresh:
                first_row = self.seen[key][1] if key in self.seen else fresh[key].data_row
                row.outcome = ImportRow.Outcome.UNCHANGED
                if key in self.seen:
                    row.person_id = self.seen[key][0]
                else:
                    followers.append((row, fresh[key]))
                if not any(p["code"] == "duplicate_in_file" for p in row.problems):
                    row.problems.append(
                        problem(
                            "warning",
                            "duplicate_in_file",
                            gettext_noop("The same person as data row %(data_row)s."),
                            data_row=first_row,
                        )
                    )
                continue
            match = self._match(row, people)
            if match is None:
                new_people.append((row, self._new_person(row)))
                fresh[key] = row
            else:
                row.person_id = match["id"]
                self._compare(row, match, benefits.get((match["id"], self.batch.category)), accepted, pending)
                self.seen[key] = (match["id"], row.data_row)
        if new_people:
            for (row, person), pk in zip(new_people, reserve_ids(Person, len(new_people)), strict=True):
                person["id"] = row.person_id = pk
                row.outcome = ImportRow.Outcome.NEW
                self.seen[self._key(row)] = (pk, row.data_row)
                self.created_people.append(pk)
            self._link_households(new_people)
            people_rows = [person for _, person in new_people]
            with bulk_person_inserts(connection, people_rows):
                insert(Person, people_rows)
        for repeat, first in followers:
            repeat.person_id = first.person_id
        self._create_benefits([r for r in rows if r.outcome == ImportRow.Outcome.NEW and r.benefit_id is None])
        self._account_requests(rows)

    # -- identity -------------------------------------------------------------------------------------

    @staticmethod
    def _key(row: RowState) -> tuple[Any, ...]:
        values = row.values
        if values.get("citizen_id"):
            return ("id", values["citizen_id"])
        if values.get("old_id"):
            return ("old", values["old_id"])
        return ("nb", fold(values["full_name"]), values.get("date_of_birth", ""), row.commune_id)

    def _candidates(self, rows: list[RowState]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
        """Registry people that may be the rows' people, keyed like `_key`, in a few queries."""
        columns = (
            "id",
            "full_name",
            "full_name_folded",
            "birth_year",
            "birth_month",
            "birth_day",
            "sex",
            "citizen_id",
            "old_id",
            "commune_id",
            "hamlet",
            "phone",
        )
        ids = {r.values["citizen_id"] for r in rows if r.values.get("citizen_id")}
        old_ids = {r.values["old_id"] for r in rows if r.values.get("old_id")}
        names = {
            fold(r.values["full_name"]) for r in rows if not r.values.get("citizen_id") and not r.values.get("old_id")
        }
        found: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for person in Person.objects.filter(citizen_id__in=ids).values(*columns):
            found[("id", person["citizen_id"])].append(person)
        for person in Person.objects.filter(old_id__in=old_ids).values(*columns):
            found[("old", person["old_id"])].append(person)
        communes = {r.commune_id for r in rows}
        for person in Person.objects.filter(full_name_folded__in=names, commune_id__in=communes).values(*columns):
            found[("nb", person["full_name_folded"], _birth(person), person["commune_id"])].append(person)
        return found

    def _match(self, row: RowState, people: dict[tuple[Any, ...], list[dict[str, Any]]]) -> dict[str, Any] | None:
        key = self._key(row)
        candidates = people.get(key, [])
        if key[0] == "nb":
            return candidates[0] if candidates else None
        name, birth = fold(row.values["full_name"]), row.values.get("date_of_birth", "")
        for person in candidates:
            if person["full_name_folded"] == name or (birth and _birth(person) == birth):
                return person
        if candidates:
            other = candidates[0]
            row.problems.append(
                problem(
                    "warning",
                    "id_conflict",
                    gettext_noop(
                        "The ID number belongs to %(name)s in the registry, whose name and birth date differ: "
                        "kept as a separate person."
                    ),
                    field="citizen_id",
                    name=other["full_name"],
                )
            )
        return None

    def _new_person(self, row: RowState) -> dict[str, Any]:
        """The new person's columns (by attname), for `bulk.insert`."""
        fields = person_values(row.values, row.commune_id)
        birth = fields.pop("date_of_birth", None)
        date = PartialDate.from_iso(birth) if birth else None
        return {
            **fields,
            **Person.name_fields(fields.pop("full_name")),
            "birth_year": date.year if date else None,
            "birth_month": date.month if date else None,
            "birth_day": date.day if date else None,
            # The row's warnings stay open on the person until matching or a reviewer settles them.
            "checks": sorted({p["code"] for p in row.problems if p["level"] == "warning"}),
        }

    # -- comparison -----------------------------------------------------------------------------------

    def _benefits(self, person_ids: set[int]) -> dict[tuple[int, str], dict[str, Any]]:
        rows = (
            Benefit.objects.filter(person_id__in=person_ids)
            .exclude(status=Benefit.Status.ENDED)
            .values("id", "person_id", "category", *BENEFIT_FIELDS)
        )
        return {(b["person_id"], b["category"]): b for b in rows}

    def _reviewed(self, person_ids: set[int]) -> tuple[set[tuple[int, str, str]], set[tuple[int, str, str]]]:
        """Values a reviewer already corrected away (person, field, old value), and proposals still
        waiting (person, field, proposed value), so a re-import neither undoes nor repeats them."""
        reviewed = ProposedChange.objects.filter(person_id__in=person_ids).exclude(
            status=ProposedChange.Status.REJECTED
        )
        accepted, pending = set(), set()
        for person_id, name, old, new, status in reviewed.values_list(
            "person_id", "field", "current_value", "proposed_value", "status"
        ):
            if status == ProposedChange.Status.ACCEPTED:
                accepted.add((person_id, name, old))
            else:
                pending.add((person_id, name, new))
        return accepted, pending

    def _compare(
        self,
        row: RowState,
        person: dict[str, Any],
        benefit: dict[str, Any] | None,
        accepted: set[tuple[int, str, str]],
        pending: set[tuple[int, str, str]],
    ) -> None:
        current = {**person, "date_of_birth": _birth(person)}
        differences = [
            (None, *d) for d in self._differences(person_values(row.values, row.commune_id), current, PERSON_FIELDS)
        ]
        if benefit is None:
            row.outcome = ImportRow.Outcome.NEW  # a known person with a benefit new to the registry
        else:
            row.benefit_id = benefit["id"]
            current_benefit = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in benefit.items()}
            differences += [
                (benefit["id"], *d)
                for d in self._differences(benefit_values(row.values, self.subgroups), current_benefit, BENEFIT_FIELDS)
            ]
        person_id = person["id"]
        differences = [d for d in differences if (person_id, d[1], d[3]) not in accepted]
        changes = [
            ProposedChange(
                person_id=person_id,
                benefit_id=benefit_id,
                field=name,
                current_value=old,
                proposed_value=new,
                row_id=row.row_id,
            )
            for benefit_id, name, old, new in differences
            if (person_id, name, new) not in pending
        ]
        ProposedChange.objects.bulk_create(changes)
        self.proposed += len(changes)
        if benefit is not None:
            row.outcome = ImportRow.Outcome.CHANGED if differences else ImportRow.Outcome.UNCHANGED

    @staticmethod
    def _differences(
        wanted: dict[str, Any], current: dict[str, Any], fields: Iterable[str]
    ) -> list[tuple[str, str, str]]:
        """(field, registry value, list value) for each field the list gives with another value."""
        found = []
        for name in fields:
            if wanted.get(name) in (None, ""):
                continue
            new, old = str(wanted[name]), "" if current.get(name) is None else str(current[name])
            if new != old:
                found.append((name, old, new))
        return found

    # -- households -----------------------------------------------------------------------------------

    def _link_households(self, new_people: list[tuple[RowState, dict[str, Any]]]) -> None:
        """Put new people in the household their row names ("Chủ hộ", "Mã hộ"), one per commune and text.

        The text is kept as the household's head (the model has no other field for it); a household of
        that commune with that head, already in the registry or made earlier in this import, is reused.
        People already in the registry keep their household: a list does not move them silently.
        """
        wanted: dict[tuple[int, str], RowState] = {}
        for row, _person in new_people:
            text = nfc(str(row.values.get("household") or ""))[:200]
            if text and (row.commune_id, text) not in self.households:
                wanted.setdefault((row.commune_id, text), row)
        if wanted:
            existing = Household.objects.filter(
                commune_id__in={commune for commune, _ in wanted}, head_name__in={text for _, text in wanted}
            ).values_list("commune_id", "head_name", "id")
            for commune_id, head_name, pk in existing:
                self.households.setdefault((commune_id, head_name), pk)
            missing = [key for key in wanted if key not in self.households]
            created = []
            for key, pk in zip(missing, reserve_ids(Household, len(missing)), strict=True):
                self.households[key] = pk
                self.created_households.append(pk)
                row = wanted[key]
                created.append({
                    "id": pk, "commune_id": key[0], "head_name": key[1],
                    "hamlet": str(row.values.get("address") or "")[:200],
                })  # fmt: skip
            insert(Household, created)
        for row, person in new_people:
            text = nfc(str(row.values.get("household") or ""))[:200]
            if text:
                person["household_id"] = self.households[(row.commune_id, text)]

    # -- benefits and accounts ------------------------------------------------------------------------

    def _create_benefits(self, rows: list[RowState]) -> None:
        rows = [row for row in rows if row.person_id is not None]
        source = f"{self.batch.file_name} #{self.batch.pk}"
        benefits = []
        for row, pk in zip(rows, reserve_ids(Benefit, len(rows)), strict=True):
            row.benefit_id = pk
            self.created_benefits.append(pk)
            benefits.append({
                "id": pk, "person_id": row.person_id, "category": row.values.get("category") or self.batch.category,
                "source": source, "source_batch_id": self.batch.pk, **benefit_values(row.values, self.subgroups),
            })  # fmt: skip
        insert(Benefit, benefits)

    def _account_requests(self, rows: list[RowState]) -> None:
        wanted = [(r, r.person_id) for r in rows if r.values.get("account_number") and r.person_id is not None]
        if not wanted:
            return
        existing = set(
            AccountChangeRequest.objects.filter(person_id__in={person_id for _, person_id in wanted})
            .exclude(status=AccountChangeRequest.Status.REJECTED)
            .values_list("person_id", "account_number")
        )
        requests: list[dict[str, Any]] = []
        for row, person_id in wanted:
            number = str(row.values["account_number"])[:19]
            if (person_id, number) in existing:
                continue
            existing.add((person_id, number))
            requests.append(
                {
                    "person_id": person_id,
                    "benefit_id": row.benefit_id,
                    "bank_text": str(row.values.get("bank") or "")[:200],
                    "account_number": number,
                    "source": AccountChangeRequest.Source.IMPORT,
                    "source_batch_id": self.batch.pk,
                    "maker_id": self.batch.created_by_id,
                }
            )
        for request, pk in zip(requests, reserve_ids(AccountChangeRequest, len(requests)), strict=True):
            request["id"] = pk
        insert(AccountChangeRequest, requests)
