"""Reconciliation: a bank's result file applied to a cycle's attempts, all of it or none of it.

Steps: read the file (pain.002, camt.054 or a simple table); set aside entries that are not ours
(another movement on the account) and list them; fold each of our end-to-end IDs' statuses in file
order (accepted, then settled or rejected); check every entry against the attempt it names. Any
conflict — an unknown attempt, a wrong amount, a duplicate or contradicting status — refuses the whole
file with every reason, and nothing changes. Otherwise the attempts and their payments are updated
set-wise in one transaction, with the audit entry; the same file applied twice changes nothing more.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.payfiles.model import ResultFile, StatusEntry
from ansinh.payments.exporting import E2E_PREFIX, export_file_content
from ansinh.payments.models import ExportFile, Payment, PaymentAttempt, PaymentCycle, ResultImport
from ansinh.payments.services import (
    PaymentError,
    _cycle_locked,
    can_approve,
    can_prepare,
    cycle_reconciled_if_settled,
)

OURS = re.compile(rf"^{E2E_PREFIX}\d+N\d+$")
FINAL = {"settled": PaymentAttempt.Status.PAID, "rejected": PaymentAttempt.Status.FAILED}
CHUNK = 20_000
MAX_PROBLEMS = 1000


def read_result(content: bytes, filename: str) -> ResultFile:
    """Parse a result file by what it is: pain.002, camt.054, or a CSV/Excel table."""
    from ansinh.payfiles import results

    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        if b"pain.002" in head:
            return results.read_pain002(content)
        if b"camt.054" in head:
            return results.read_camt054(content, lambda e2e: OURS.match(e2e) is not None)
    return results.read_result_table(content, filename)


@dataclass(frozen=True)
class Outcome:
    status: str
    reason_code: str
    reason_text: str


def _group_entries(cycle: PaymentCycle, parsed: ResultFile, problems: list[dict[str, str]]) -> list[StatusEntry]:
    """Entries for a status given to a whole message or block: every transfer of that stored file."""
    own = {e.end_to_end_id for e in parsed.entries}
    expanded: list[StatusEntry] = []
    for group in parsed.groups:
        stored = ExportFile.objects.filter(
            run__cycle=cycle, kind=ExportFile.Kind.PAIN001, name=f"{group.original_message_id}.xml"
        ).first()
        if stored is None:
            problems.append({"end_to_end_id": "", "problem": gettext("The file answers a message we did not send.")})
            continue
        for e2e in _file_e2e_ids(export_file_content(stored), group.original_payment_info_id):
            if e2e not in own:
                expanded.append(StatusEntry(e2e, group.status, group.reason_code, group.reason_text))
    return expanded


def _file_e2e_ids(content: bytes, block: str) -> Iterator[str]:
    current = ""
    for match in re.finditer(rb"<PmtInfId>([^<]*)</PmtInfId>|<EndToEndId>([^<]*)</EndToEndId>", content):
        if match.group(1) is not None:
            current = match.group(1).decode()
        elif not block or current == block:
            yield match.group(2).decode()


def fold_entries(
    entries: Iterable[StatusEntry], attempts: dict[str, tuple[int, int, str]], problems: list[dict[str, str]]
) -> dict[int, Outcome]:
    """Our entries folded per attempt in file order, checked against the attempts; problems are appended."""
    finals: dict[str, StatusEntry] = {}
    for entry in entries:
        e2e = entry.end_to_end_id
        found = attempts.get(e2e)
        if found is None:
            problems.append({"end_to_end_id": e2e, "problem": gettext("No payment attempt of this cycle has this ID.")})
            continue
        _pk, amount, _status = found
        if entry.amount is not None and entry.amount != amount:
            problems.append(
                {
                    "end_to_end_id": e2e,
                    "problem": gettext("The amount %(theirs)s differs from the %(ours)s sent.")
                    % {"theirs": f"{entry.amount:,}", "ours": f"{amount:,}"},
                }
            )
            continue
        if entry.status not in FINAL:
            continue  # accepted or pending: a step on the way, nothing to record
        if e2e in finals:
            problems.append({"end_to_end_id": e2e, "problem": gettext("The file gives a final status twice.")})
            continue
        finals[e2e] = entry
    outcomes: dict[int, Outcome] = {}
    for e2e, entry in finals.items():
        pk, _amount, recorded = attempts[e2e]
        target = FINAL[entry.status]
        if recorded == target:
            continue  # already applied by an earlier file
        if recorded != PaymentAttempt.Status.SENT:
            problems.append(
                {
                    "end_to_end_id": e2e,
                    "problem": gettext("This attempt is already %(recorded)s; the file says %(status)s.")
                    % {"recorded": recorded, "status": target},
                }
            )
            continue
        outcomes[pk] = Outcome(target, entry.reason_code[:10], entry.reason_text[:300])
    return outcomes


def _cycle_attempts(cycle: PaymentCycle) -> dict[str, tuple[int, int, str]]:
    rows = PaymentAttempt.objects.filter(payment__cycle=cycle).values_list("end_to_end_id", "pk", "amount", "status")
    return {e2e: (pk, amount, status) for e2e, pk, amount, status in rows.iterator(chunk_size=50_000)}


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _apply(result: ResultImport, outcomes: dict[int, Outcome]) -> dict[str, int]:
    now = timezone.now()
    by_outcome: dict[Outcome, list[int]] = {}
    for pk, outcome in outcomes.items():
        by_outcome.setdefault(outcome, []).append(pk)
    for outcome, pks in by_outcome.items():
        for chunk in _chunks(pks):
            PaymentAttempt.objects.filter(pk__in=chunk, status=PaymentAttempt.Status.SENT).update(
                status=outcome.status,
                reason_code=outcome.reason_code,
                reason_text=outcome.reason_text,
                result_import=result,
                settled_at=now,
            )
    mine = PaymentAttempt.objects.filter(result_import=result)
    paid = Payment.objects.filter(pk__in=mine.filter(status=PaymentAttempt.Status.PAID).values("payment_id")).update(
        status=Payment.Status.PAID, status_reason=""
    )
    failed = 0
    for outcome, _pks in by_outcome.items():
        if outcome.status != PaymentAttempt.Status.FAILED:
            continue
        reason = " ".join(part for part in (outcome.reason_code, outcome.reason_text) if part)[:300]
        failed += Payment.objects.filter(
            pk__in=mine.filter(
                status=PaymentAttempt.Status.FAILED, reason_code=outcome.reason_code, reason_text=outcome.reason_text
            ).values("payment_id")
        ).update(status=Payment.Status.FAILED, status_reason=reason)
    return {"paid": paid, "failed": failed}


def result_import(*, user: User, cycle_id: int, content: bytes, filename: str) -> ResultImport:
    """Apply a bank's result file to an exported cycle, or refuse it whole with every reason."""
    if not (can_prepare(user) or can_approve(user)):
        raise PaymentError(_("Only social-affairs officers import bank results."))
    digest = hashlib.sha256(content).hexdigest()
    parsed = read_result(content, filename)
    with transaction.atomic():
        cycle = _cycle_locked(user=user, cycle_id=cycle_id)
        if cycle.state not in (PaymentCycle.State.EXPORTED, PaymentCycle.State.RECONCILED):
            raise PaymentError(_("Results can only be imported into an exported cycle."))
        earlier = ResultImport.objects.filter(cycle=cycle, sha256=digest, status=ResultImport.Status.APPLIED).first()
        if earlier is not None:
            return earlier
        problems = [{"end_to_end_id": "", "problem": gettext(p.message) % p.params if p.params else gettext(p.message)}
                    for p in parsed.problems]  # fmt: skip
        entries = [*parsed.entries, *_group_entries(cycle, parsed, problems)]
        ignored: list[dict[str, Any]] = [
            {"description": f.description, "amount": f.amount, "line": f.source_line} for f in parsed.foreign
        ]
        ours = []
        for entry in entries:
            if OURS.match(entry.end_to_end_id):
                ours.append(entry)
            else:
                ignored.append({"description": entry.end_to_end_id, "amount": entry.amount, "line": entry.source_line})
        outcomes = fold_entries(ours, _cycle_attempts(cycle), problems) if not problems else {}
        result = ResultImport.objects.create(
            cycle=cycle,
            file_name=filename[:200],
            file_format=parsed.kind or "table",
            sha256=digest,
            status=ResultImport.Status.REFUSED if problems else ResultImport.Status.APPLIED,
            problems=problems[:MAX_PROBLEMS],
            ignored=ignored[:MAX_PROBLEMS],
            counts={"entries": len(ours), "ignored": len(ignored), "problems": len(problems)},
            created_by=user,
        )
        events = []
        if not problems:
            result.counts.update(_apply(result, outcomes))
            result.save(update_fields=["counts"])
            events += cycle_reconciled_if_settled(cycle, user=user)
            from ansinh.payments.tasks import notify_failed_job_start

            if result.counts.get("failed"):
                notify_failed_job_start(user=user, result=result)
        events.insert(0, AuditEvent.about(result, result.status, after={"cycle": cycle.pk, **result.counts}))
        audit_record(actor=user, entries=events)
    return result
