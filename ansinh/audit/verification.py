"""Checking the chain: every hash from its stored text, every link, the numbering and the head.

Runs beside live writers without locking anything: it reads the head first and checks the entries up
to the head's count, which were all committed by then (an entry and the head move in one
transaction); entries written meanwhile are left for the next run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from ansinh.audit.chain import chain_hash, jsonable
from ansinh.audit.models import GENESIS_HASH, HEAD_ID, AuditEntry, AuditHead, AuditSubject

# Entry columns that must say what the hashed text says (column name, key in the text).
_COLUMNS = [
    ("seq", "seq"),
    ("at", "at"),
    ("actor_id", "actor"),
    ("actor_username", "actor_username"),
    ("action", "action"),
    ("object_type", "object_type"),
    ("object_id", "object_id"),
    ("commune_id", "commune"),
    ("summary", "summary"),
]


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.message}" if self.seq is not None else self.message


@dataclass
class ChainReport:
    entries: int = 0
    last_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Subjects:
    """Subject rows streamed in entry order beside the entries (a merge, not a query per entry)."""

    def __init__(self, rows: Iterator[tuple[int, str, str]]) -> None:
        self._rows = rows
        self._next: tuple[int, str, str] | None = next(rows, None)

    def take(self, seq: int) -> tuple[list[tuple[str, str]], int]:
        """The subjects of entry `seq`, and how many rows pointed at entries before it (orphans)."""
        orphans = 0
        while self._next is not None and self._next[0] < seq:
            orphans += 1
            self._next = next(self._rows, None)
        found: list[tuple[str, str]] = []
        while self._next is not None and self._next[0] == seq:
            found.append((self._next[1], self._next[2]))
            self._next = next(self._rows, None)
        return found, orphans


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    report = ChainReport()
    head = AuditHead.objects.filter(pk=HEAD_ID).first()
    entries = AuditEntry.objects.order_by("seq")
    subject_rows = AuditSubject.objects.order_by("entry_id", "object_id")
    if head is not None:
        entries = entries.filter(seq__lte=head.count)
        subject_rows = subject_rows.filter(entry_id__lte=head.count)
    subjects = _Subjects(subject_rows.values_list("entry_id", "object_type", "object_id").iterator(chunk_size))

    expected_seq, prev = 1, GENESIS_HASH
    for entry in entries.iterator(chunk_size=chunk_size):
        _check_entry(report, entry, expected_seq=expected_seq, prev=prev, subjects=subjects)
        expected_seq, prev = entry.seq + 1, entry.hash
        report.entries += 1
    report.last_hash = prev
    _check_head(report, head, last_seq=expected_seq - 1)
    return report


def _check_entry(report: ChainReport, entry: AuditEntry, *, expected_seq: int, prev: str, subjects: _Subjects) -> None:
    problems = report.problems
    seq = entry.seq
    if seq != expected_seq:
        problems.append(
            Problem(seq, _("entries %(first)s to %(last)s are missing") % {"first": expected_seq, "last": seq - 1})
        )
    if entry.prev_hash != prev:
        problems.append(Problem(seq, _("its previous hash is not the hash of the entry before it")))
    if chain_hash(entry.prev_hash, entry.canonical) != entry.hash:
        problems.append(Problem(seq, _("its hash does not match its text (the entry was changed)")))
    try:
        data = json.loads(entry.canonical)
    except ValueError:
        problems.append(Problem(seq, _("its text is not valid JSON")))
        return
    if not isinstance(data, dict):
        problems.append(Problem(seq, _("its text is not a JSON object")))
        return
    differing = [column for column, key in _COLUMNS if jsonable(getattr(entry, column)) != data.get(key)]
    if differing:
        problems.append(Problem(seq, _("stored columns differ from its hashed text: %s") % ", ".join(differing)))
    found, orphans = subjects.take(seq)
    if orphans:
        problems.append(Problem(seq, _("%s subject rows before it point at missing entries") % orphans))
    expected = sorted((entry.object_type, str(item)) for item in data.get("object_ids") or [])
    if sorted(found) != expected:
        problems.append(Problem(seq, _("the records it names differ from its hashed text")))


def _check_head(report: ChainReport, head: AuditHead | None, *, last_seq: int) -> None:
    problems = report.problems
    if head is None:
        if report.entries:
            problems.append(Problem(None, _("the head row is missing")))
    else:
        if last_seq != head.count or report.entries != head.count:
            problems.append(
                Problem(
                    None,
                    _("the head counts %(count)s entries but %(found)s were found, the last numbered %(last)s")
                    % {"count": head.count, "found": report.entries, "last": last_seq},
                )
            )
        if report.last_hash != head.last_hash:
            problems.append(
                Problem(None, _("the last entry's hash is not the head's (entries at the end were removed)"))
            )
    # Entries past the head were either written after it was read (then the head has moved on by now)
    # or slipped in without moving it.
    highest: Any = AuditEntry.objects.aggregate(highest=Max("seq"))["highest"]
    now = AuditHead.objects.filter(pk=HEAD_ID).values_list("count", flat=True).first()
    if highest is not None and now is not None and highest > now:
        problems.append(Problem(highest, _("entries beyond the head's count %s exist") % now))
