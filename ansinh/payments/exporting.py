"""Export runs: the attempts a run sends, created set-wise, and the stored files that carry them.

A run is one transaction. The files are written to storage first under the run's folder; if anything
fails, the transaction rolls back and the files already written are deleted, so an interrupted export
leaves neither attempts nor files behind. A run that would send nothing is not created: exporting an
unchanged cycle again makes no new payments, attempts or files.
"""

# ruff: noqa: S608 - SQL here is built from table names and this module's constants; values are parameters

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import User
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.payments import files
from ansinh.payments.models import ExportFile, ExportRun, Payment, PaymentAttempt, PaymentCycle
from ansinh.payments.services import PaymentError, _cycle_locked, can_approve, can_prepare, cycle_move
from ansinh.payouts.models import CASH_CHANNELS

logger = logging.getLogger(__name__)

EXPORTABLE_STATES = (PaymentCycle.State.APPROVED, PaymentCycle.State.EXPORTED, PaymentCycle.State.RECONCILED)
E2E_PREFIX = "ASP"


def end_to_end_id(payment_id: int, number: int) -> str:
    """The end-to-end id of an attempt: ours by its prefix, unique by payment and attempt number."""
    return f"{E2E_PREFIX}{payment_id}N{number}"


class _NothingToSend(Exception):
    pass


def _concat(*parts: str) -> str:
    return " || ".join(parts)


def insert_attempts(run: ExportRun) -> int:
    """One attempt for every payment of the cycle that is due and has no attempt in flight or paid."""
    attempt, payment = PaymentAttempt._meta.db_table, Payment._meta.db_table
    cash = ", ".join(f"'{c.value}'" for c in CASH_CHANNELS)
    number = "(COALESCE(prev.n, 0) + 1)"
    sql = f"""
        INSERT INTO {attempt} (payment_id, number, export_run_id, channel, bank_bin, account_number, holder_name,
                               organisation_id, amount, end_to_end_id, status, reason_code, reason_text,
                               result_import_id, created_at, settled_at)
        SELECT p.id, {number}, %s, p.channel,
               CASE WHEN p.channel IN ({cash}) THEN '' ELSE COALESCE(bk.bin, '') END,
               CASE WHEN p.channel IN ({cash}) THEN '' ELSE COALESCE(pm.account_number, '') END,
               COALESCE(NULLIF(pm.holder_name, ''), pe.full_name),
               p.organisation_id, p.amount,
               {_concat(f"'{E2E_PREFIX}'", "p.id", "'N'", number)}, 'sent', '', '', NULL, %s, NULL
        FROM {payment} p
        JOIN registry_person pe ON pe.id = p.person_id
        LEFT JOIN payouts_payoutmethod pm ON pm.id = p.payout_method_id
        LEFT JOIN payouts_bank bk ON bk.id = pm.bank_id
        LEFT JOIN (SELECT a.payment_id, MAX(a.number) AS n FROM {attempt} a
                   JOIN {payment} p2 ON p2.id = a.payment_id WHERE p2.cycle_id = %s GROUP BY a.payment_id) prev
               ON prev.payment_id = p.id
        WHERE p.cycle_id = %s AND p.status IN ('planned', 'rerouted')
          AND NOT EXISTS (SELECT 1 FROM {attempt} live WHERE live.payment_id = p.id AND live.status IN ('sent', 'paid'))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, timezone.now(), run.cycle_id, run.cycle_id])
        return max(cursor.rowcount, 0)


@dataclass
class _Written:
    names: list[str]

    def cleanup(self) -> None:
        for name in self.names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("export: could not delete a partly written file")


def _store(run: ExportRun, written: _Written, output: files.OutputFile) -> ExportFile:
    folder = f"payments/cycle-{run.cycle_id}/run-{run.number}"
    stored = default_storage.save(f"{folder}/{output.name}", ContentFile(output.content))
    written.names.append(stored)
    return ExportFile(
        run=run,
        kind=output.kind,
        name=output.name,
        scope=output.scope[:200],
        storage_name=stored,
        sha256=hashlib.sha256(output.content).hexdigest(),
        size=len(output.content),
        rows=output.rows,
        total_amount=output.total,
    )


def export_run_create(*, user: User, cycle_id: int) -> ExportRun | None:
    """Send what is due in an approved cycle: the first run, then retries and re-routes.

    Returns None when nothing is due (the cycle is unchanged since the last run).
    """
    if not (can_prepare(user) or can_approve(user)):
        raise PaymentError(_("Only social-affairs officers export payment files."))
    written = _Written([])
    try:
        with transaction.atomic():
            cycle = _cycle_locked(user=user, cycle_id=cycle_id)
            if cycle.state not in EXPORTABLE_STATES:
                raise PaymentError(_("Only an approved cycle can be exported."))
            last = ExportRun.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0
            run = ExportRun.objects.create(cycle=cycle, number=last + 1, created_by=user)
            count = insert_attempts(run)
            if count == 0:
                raise _NothingToSend
            total = PaymentAttempt.objects.filter(export_run=run).aggregate(s=Sum("amount"))["s"] or 0
            outputs = [_store(run, written, output) for output in files.run_files(run)]
            ExportFile.objects.bulk_create(outputs)
            ExportRun.objects.filter(pk=run.pk).update(attempts_count=count, total_amount=total, files_done=True)
            events = []
            if cycle.state == PaymentCycle.State.APPROVED:
                events.append(cycle_move(cycle, action="export", user=user))
            events.append(
                AuditEvent.about(
                    run,
                    "export",
                    after={"cycle": cycle.pk, "number": run.number, "attempts": count, "amount": total},
                    summary=", ".join(f"{o.name} {o.sha256[:12]}" for o in outputs)[:500],
                )
            )
            audit_record(actor=user, entries=events)
            from ansinh.payments.tasks import notify_job_start

            notify_job_start(user=user, run=run, outcome="sent")
    except _NothingToSend:
        return None
    except BaseException:
        written.cleanup()
        raise
    run.refresh_from_db()
    return run


def export_file_content(export_file: ExportFile) -> bytes:
    """The stored bytes of a file, checked against the digest recorded when it was written."""
    with default_storage.open(export_file.storage_name, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != export_file.sha256:
        raise PaymentError(_("The stored file does not match its recorded digest."))
    return bytes(content)
