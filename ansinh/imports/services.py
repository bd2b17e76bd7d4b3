"""Importing a beneficiary list: stage it as a batch, then commit its valid rows, each step one transaction.

`batch_import` does both in one pass (the command line); `batch_stage` and `batch_commit` are the two
steps the web flow shows, with a person checking the counts and problems (and the column mapping)
between them. Committing twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ansinh.access.models import User
from ansinh.access.scoping import area_communes
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.geo.models import Commune
from ansinh.imports.bulk import insert, reserve_ids
from ansinh.imports.commit import CHUNK, Committer, Counts, RowState
from ansinh.imports.fixes import FIXABLE, id_problems, parse_fix, settled
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.imports.validation import RowValidator, StagedRow, from_reader
from ansinh.reader import DataRow, ListFile, read_list
from ansinh.registry.models import Subgroup

Progress = Callable[[int], None]


def _columns(listing: ListFile) -> list[dict[str, Any]]:
    return [{"index": c.index, "letter": c.letter, "header": c.header_text, "field": c.field} for c in listing.columns]


def _column_names(listing: ListFile) -> dict[str, str]:
    return {c.field: f"{c.header_text} ({c.letter})" for c in listing.columns if c.field}


def _chunks(items: Iterable[StagedRow], size: int = CHUNK) -> Iterator[list[StagedRow]]:
    chunk: list[StagedRow] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _keep_file(path: Path, batch: ImportBatch) -> None:
    """Keep the uploaded file beside the batch, so its rows can be read again with another mapping."""
    target = Path(settings.MEDIA_ROOT) / "imports" / f"{batch.pk}-{Path(batch.file_name).name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if path.resolve() != target.resolve():
        shutil.copyfile(path, target)
    batch.file.name = str(target.relative_to(settings.MEDIA_ROOT))


def _new_batch(
    *, user: User, listing: ListFile, file_name: str, category: str, default_commune: Commune | None
) -> ImportBatch:
    return ImportBatch.objects.create(
        file_name=file_name,
        sheet=listing.sheet or "",
        category=category,
        default_commune=default_commune,
        header_row=listing.header_row,
        columns=_columns(listing),
        created_by=user,
    )


def _row_values(batch: ImportBatch, staged: StagedRow, state: RowState | None) -> dict[str, Any]:
    """A batch row's columns (by attname), for `bulk.insert`."""
    outcome = state.outcome if state else (ImportRow.Outcome.PENDING if staged.valid else ImportRow.Outcome.INVALID)
    return {
        "batch_id": batch.pk, "data_row": staged.data_row, "sheet_row": staged.sheet_row, "values": staged.values,
        "raw": staged.raw, "problems": state.problems if state else staged.problems, "commune_id": staged.commune_id,
        "outcome": outcome, "person_id": state.person_id if state else None,
        "benefit_id": state.benefit_id if state else None,
    }  # fmt: skip


def _insert_rows(batch: ImportBatch, chunk: list[StagedRow], states: dict[int, RowState]) -> None:
    rows = [_row_values(batch, staged, states.get(staged.data_row)) for staged in chunk]
    for row, pk in zip(rows, reserve_ids(ImportRow, len(rows)), strict=True):
        row["id"] = pk
    insert(ImportRow, rows)


def _state(staged: StagedRow, row_id: int | None = None) -> RowState:
    assert staged.commune_id is not None
    return RowState(row_id, staged.data_row, staged.values, staged.problems, staged.commune_id)


def _counts(batch: ImportBatch) -> Counts:
    counts = Counts()
    for outcome, problems in batch.rows.values_list("outcome", "problems").iterator(chunk_size=5000):
        counts.rows += 1
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        counts.warnings += any(p["level"] == "warning" for p in problems)
    return counts


def _finish(batch: ImportBatch, *, user: User, committer: Committer | None, listing: ListFile | None) -> Counts:
    if listing is not None:
        batch.file_problems = [{**from_reader(p), "sheet_row": p.sheet_row} for p in listing.problems]
    batch.communes.set(Commune.objects.filter(pk__in=batch.rows.exclude(commune=None).values("commune_id")))
    counts = _counts(batch)
    batch.counts = asdict(counts)
    if committer is not None:
        batch.status, batch.committed_at = ImportBatch.Status.COMMITTED, timezone.now()
    batch.save()
    events = [
        AuditEvent.about(batch, "commit" if committer else "stage", after={**batch.counts, "file": batch.file_name})
    ]
    if committer is not None:
        # One entry per chunk of created records; each row's values stay in the batch, linked to its person.
        events += [
            AuditEvent(action="create", object_type="registry.person", object_ids=ids, after={"batch": batch.pk})
            for ids in _slices(committer.created_people)
        ]
        events += [
            AuditEvent(action="create", object_type="registry.benefit", object_ids=ids, after={"batch": batch.pk})
            for ids in _slices(committer.created_benefits)
        ]
        events += [
            AuditEvent(action="create", object_type="registry.household", object_ids=ids, after={"batch": batch.pk})
            for ids in _slices(committer.created_households)
        ]
    audit_record(actor=user, entries=events)
    return counts


def _slices(ids: list[int], size: int = 20_000) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _subgroups() -> dict[str, int]:
    return dict(Subgroup.objects.values_list("code", "pk"))


def _open(path: Path, *, sheet: str | None, mapping: dict[int, str | None] | None) -> ListFile:
    return read_list(path, sheet=sheet, mapping=mapping)


def _read_into_batch(
    *,
    user: User,
    path: Path,
    category: str,
    default_commune: Commune | None,
    sheet: str | None,
    mapping: dict[int, str | None] | None,
    file_name: str | None,
    progress: Progress | None,
    commit: bool,
) -> tuple[ImportBatch, Counts]:
    """Read a file into a new batch, a chunk at a time, committing each chunk's valid rows if asked."""
    with _open(path, sheet=sheet, mapping=mapping) as listing, transaction.atomic():
        batch = _new_batch(
            user=user,
            listing=listing,
            file_name=file_name or path.name,
            category=category,
            default_commune=default_commune,
        )
        validator = RowValidator(category=category, default_commune=default_commune, columns=_column_names(listing))
        committer = Committer(batch=batch, subgroups=_subgroups()) if commit else None
        done = 0
        for chunk in _chunks(validator.stage(row) for row in listing.rows):
            states: dict[int, RowState] = {}
            if committer is not None:
                states = {s.data_row: _state(s) for s in chunk if s.valid}
                committer.commit_chunk(list(states.values()))
            _insert_rows(batch, chunk, states)
            done += len(chunk)
            if progress:
                progress(done)
        _keep_file(path, batch)
        return batch, _finish(batch, user=user, committer=committer, listing=listing)


def batch_import(
    *,
    user: User,
    path: Path,
    category: str,
    default_commune: Commune | None = None,
    sheet: str | None = None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> tuple[ImportBatch, Counts]:
    """Stage and commit a file in one pass and one transaction. Raises UnreadableFile (nothing written)."""
    return _read_into_batch(
        user=user, path=path, category=category, default_commune=default_commune, sheet=sheet, mapping=None,
        file_name=file_name, progress=progress, commit=True,
    )  # fmt: skip


def batch_stage(
    *,
    user: User,
    path: Path,
    category: str,
    default_commune: Commune | None = None,
    sheet: str | None = None,
    mapping: dict[int, str | None] | None = None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportBatch:
    """Read and validate a file into a batch without touching the registry. Raises UnreadableFile."""
    batch, _ = _read_into_batch(
        user=user, path=path, category=category, default_commune=default_commune, sheet=sheet, mapping=mapping,
        file_name=file_name, progress=progress, commit=False,
    )  # fmt: skip
    return batch


def batch_commit(*, user: User, batch_id: int, progress: Progress | None = None) -> Counts:
    """Commit a staged batch's valid rows; invalid rows stay in the batch. A second call changes nothing."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != ImportBatch.Status.STAGED:
            return Counts(**batch.counts)
        committer = Committer(batch=batch, subgroups=_subgroups())
        pending = batch.rows.filter(outcome=ImportRow.Outcome.PENDING).order_by("data_row")
        done = 0
        for chunk in _model_chunks(pending):
            states = [RowState(r.pk, r.data_row, r.values, r.problems, r.commune_id) for r in chunk if r.commune_id]
            committer.commit_chunk(states)
            by_id = {s.row_id: s for s in states}
            for row in chunk:
                state = by_id[row.pk]
                row.outcome, row.person_id, row.benefit_id, row.problems = (
                    state.outcome,
                    state.person_id,
                    state.benefit_id,
                    state.problems,
                )
            ImportRow.objects.bulk_update(chunk, ["outcome", "person", "benefit", "problems"], batch_size=1000)
            done += len(chunk)
            if progress:
                progress(done)
        return _finish(batch, user=user, committer=committer, listing=None)


def _model_chunks(rows: Any, size: int = CHUNK) -> Iterator[list[ImportRow]]:
    chunk: list[ImportRow] = []
    for row in rows.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def upload_save(*, upload: UploadedFile) -> Path:
    """Write an upload under MEDIA_ROOT/uploads with a random name, for the worker to read and remove."""
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


# -- changes to a staged batch: a new column mapping, a row fixed by hand ----------------------------------


class BatchError(Exception):
    """A change the batch's state does not allow. `message` is an English msgid, filled with `params`."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)

    def render(self, translate: Callable[[str], str]) -> str:
        text = translate(self.message)
        return text % self.params if self.params else text


def _locked_staged(batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != ImportBatch.Status.STAGED:
        raise BatchError(gettext_noop("The batch is committed already; it can no longer be changed."))
    return batch


def batch_fixed_rows(*, batch: ImportBatch) -> int:
    """How many of the batch's rows were fixed by hand (their fixes live in `problems`, level "fix")."""
    return batch.rows.filter(problems__icontains='"level": "fix"').count()


def batch_restage(
    *, user: User, batch_id: int, mapping: dict[int, str | None], progress: Progress | None = None
) -> ImportBatch:
    """Read the batch's kept file again with another column mapping, replacing its rows in place.

    The batch keeps its id, so a page or script that follows it keeps working, and a commit can never
    run on an outdated copy of the rows. Nothing is lost: the file stays, and the audit entry records
    the mapping before and after. Refused once committed, and when rows were fixed by hand (a new
    reading would undo the fixes). Raises UnreadableFile (the batch untouched) or BatchError.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if not batch.file:
        raise BatchError(gettext_noop("The batch's file was not kept; upload it again."))
    with _open(Path(batch.file.path), sheet=batch.sheet or None, mapping=mapping) as listing, transaction.atomic():
        batch = _locked_staged(batch_id)
        if batch_fixed_rows(batch=batch):
            raise BatchError(gettext_noop("Rows of this batch were fixed by hand; a new reading would undo the fixes."))
        before = {c["letter"]: c["field"] for c in batch.columns}
        batch.rows.all().delete()
        batch.header_row, batch.columns, batch.sheet = listing.header_row, _columns(listing), listing.sheet or ""
        validator = RowValidator(
            category=batch.category, default_commune=batch.default_commune, columns=_column_names(listing)
        )
        done = 0
        for chunk in _chunks(validator.stage(row) for row in listing.rows):
            _insert_rows(batch, chunk, {})
            done += len(chunk)
            if progress:
                progress(done)
        batch.file_problems = [{**from_reader(p), "sheet_row": p.sheet_row} for p in listing.problems]
        batch.communes.set(Commune.objects.filter(pk__in=batch.rows.exclude(commune=None).values("commune_id")))
        batch.counts = asdict(_counts(batch))
        batch.save()
        after = {c["letter"]: c["field"] for c in batch.columns}
        audit_record(
            actor=user,
            entries=[
                AuditEvent.about(batch, "remap", before={"mapping": before}, after={"mapping": after, **batch.counts})
            ],
        )
        return batch


def batch_row_fix(*, user: User, row_id: int, changes: dict[str, str]) -> ImportRow:
    """Fix fields of a staged row by hand, validate the row again and make it pending if it is now valid.

    Steps: read each new value with the reader's rules; drop the problems it settles (and those the
    validator and the ID checks will find again); run the row validator; record the fix (who, when,
    which fields, the values before) in the row's problems as a "fix" entry. The cells as written
    (`raw`) are never touched. Counts and communes of the batch follow. Raises BatchError.
    """
    unknown = set(changes) - set(FIXABLE)
    if unknown:
        raise ValueError(f"not fixable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        row = ImportRow.objects.select_for_update().get(pk=row_id)
        batch = _locked_staged(row.batch_id)
        if row.outcome not in (ImportRow.Outcome.INVALID, ImportRow.Outcome.PENDING):
            raise BatchError(gettext_noop("Only rows that are not committed can be fixed."))
        names = {c["field"]: f"{c['header']} ({c['letter']})" for c in batch.columns if c["field"]}
        today = dt.date.today()
        fixed = set(changes)
        values = dict(row.values)
        history = [p for p in row.problems if p["level"] == "fix"]
        kept = [p for p in row.problems if p["level"] != "fix" and not settled(p, fixed)]
        before = {name: values.get(name) for name in fixed}
        for name, text in changes.items():
            value, found = parse_fix(name, text, names.get(name, ""), today)
            kept += found
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        if "date_of_birth" in fixed:
            kept += id_problems(values, names.get("citizen_id", ""))
        validator = RowValidator(category=batch.category, default_commune=batch.default_commune, columns=names)
        staged = validator.stage(DataRow(row.data_row, row.sheet_row, values, [], None, [], (), 0))
        if (
            staged.commune_id is not None
            and user.area_level != User.AreaLevel.NATION
            and not area_communes(user).filter(pk=staged.commune_id).exists()
        ):
            raise BatchError(
                gettext_noop("The commune %(code)s is outside your area."), code=values.get("commune_code", "")
            )
        old_outcome, old_warning, old_commune = row.outcome, row.has_warning, row.commune_id
        after = {name: staged.values.get(name) for name in fixed}
        history.append(
            {
                "level": "fix",
                "code": "row_fixed",
                "column": ", ".join(names.get(name, name) for name in sorted(fixed)),
                "field": ",".join(sorted(fixed)),
                "message": gettext_noop("Fixed by %(user)s on %(at)s."),
                "params": {"user": user.get_username(), "at": timezone.now().isoformat(timespec="seconds")},
                "before": before,
                "after": after,
                "typed": dict(changes),
            }
        )
        row.values, row.commune_id = staged.values, staged.commune_id
        row.problems = kept + staged.problems + history
        row.outcome = ImportRow.Outcome.INVALID if row.has_error else ImportRow.Outcome.PENDING
        row.save(update_fields=["values", "problems", "commune", "outcome"])
        counts = dict(batch.counts)
        counts[old_outcome] = counts.get(old_outcome, 0) - 1
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
        counts["warnings"] = counts.get("warnings", 0) - old_warning + row.has_warning
        batch.counts = counts
        batch.save(update_fields=["counts"])
        if row.commune_id is not None:
            batch.communes.add(row.commune_id)
        if (
            old_commune is not None
            and old_commune != row.commune_id
            and not batch.rows.filter(commune_id=old_commune).exists()
        ):
            batch.communes.remove(old_commune)
        audit_record(
            actor=user,
            entries=[AuditEvent.about(row, "fix", before=before, after={**after, "outcome": row.outcome})],
        )
        return row
