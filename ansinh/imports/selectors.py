"""Reads of import batches, limited to what the acting user may see and do.

A batch is seen by its creator and by users whose area covers one of its communes (the communes its
rows fall in, or its default commune); nation-level readers see every batch. Inside a batch, a user
who is neither its creator nor nation-level sees only the rows of their own area. Only registry
editors stage, fix and commit, and only batches that lie wholly inside their area.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from ansinh.access.models import User
from ansinh.access.roles import REGISTRY_EDITOR_ROLES, RoleSlug
from ansinh.access.scoping import area_communes, has_role, scope_queryset
from ansinh.geo.models import Commune
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.jobs.models import Job
from ansinh.jobs.selectors import job_get, jobs_for_user
from ansinh.registry.models import Benefit, Person

# Who may open the import pages at all: the editors, and the two roles that oversee them.
IMPORT_READER_ROLES = frozenset(REGISTRY_EDITOR_ROLES | {RoleSlug.NATIONAL_SUPERVISOR, RoleSlug.AUDITOR})
LEVELS = ("error", "warning")
# The job kinds of the import app; each job's task takes a `batch_id` once the batch exists.
JOB_KINDS = ("imports.stage", "imports.restage", "imports.commit")


def can_read_imports(user: User) -> bool:
    return has_role(user, *IMPORT_READER_ROLES)


def can_stage(user: User) -> bool:
    """Whether the user may upload a list (into a commune of their own area)."""
    return has_role(user, *REGISTRY_EDITOR_ROLES)


def _sees_everything(user: User, batch: ImportBatch | None = None) -> bool:
    return user.area_level == User.AreaLevel.NATION or (batch is not None and batch.created_by_id == user.pk)


def batch_list(*, user: User) -> QuerySet[ImportBatch]:
    """The batches the user may see, newest first."""
    if not can_read_imports(user):
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.select_related("created_by", "default_commune")
    if _sees_everything(user):
        return batches
    communes = area_communes(user).values("pk")
    in_area = ImportBatch.communes.through.objects.filter(commune__in=communes).values("importbatch_id")
    return batches.filter(Q(created_by=user) | Q(default_commune__in=communes) | Q(pk__in=in_area))


def batch_get(*, user: User, batch_id: int) -> ImportBatch | None:
    """One batch the user may see, or None."""
    return batch_list(user=user).filter(pk=batch_id).first()


def batch_rows(
    *, user: User, batch: ImportBatch, outcome: str | None = None, level: str | None = None
) -> QuerySet[ImportRow]:
    """The batch's rows the user may see, optionally only one outcome or rows with a problem of one level.

    A row without a commune (unknown, or missing with no default) belongs to the batch's default
    commune's area when there is one, and otherwise to the creator and the nation only.
    """
    if batch_get(user=user, batch_id=batch.pk) is None:
        return ImportRow.objects.none()
    rows = ImportRow.objects.filter(batch=batch).select_related("commune")
    if not _sees_everything(user, batch):
        communes = area_communes(user)
        visible = Q(commune__in=communes.values("pk"))
        if batch.default_commune_id is not None and communes.filter(pk=batch.default_commune_id).exists():
            visible |= Q(commune__isnull=True)
        rows = rows.filter(visible)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if level == "error":
        # Only an invalid row carries an error: the outcome says it without reading the JSON.
        rows = rows.filter(outcome=ImportRow.Outcome.INVALID)
    elif level == "warning":
        # JSON text match: SQLite has no containment lookup; `row_problems` re-checks each problem.
        rows = rows.filter(problems__icontains='"level": "warning"')
    elif level == "any":
        rows = rows.exclude(problems=[])
    return rows.order_by("data_row")


def row_problems(row: ImportRow, level: str | None = None) -> list[dict[str, Any]]:
    """A row's current problems (errors and warnings, not its fix history), optionally of one level."""
    return [p for p in row.problems if p["level"] in LEVELS and (level in (None, "", "any") or p["level"] == level)]


def row_fixes(row: ImportRow) -> list[dict[str, Any]]:
    """The fixes made to a row by hand, oldest first."""
    return [p for p in row.problems if p["level"] == "fix"]


def batch_problems(*, user: User, batch: ImportBatch, level: str | None = None) -> Iterator[dict[str, Any]]:
    """Every problem the user may see, as the command line's report lists them: file problems first,
    then each row's, in data-row order. Streams; each item has sheet_row, data_row, level, column,
    code, message and params (message still the English msgid)."""
    for found in batch.file_problems:
        if level in (None, "", "any") or found["level"] == level:
            yield {**found, "sheet_row": found.get("sheet_row"), "data_row": None}
    rows = batch_rows(user=user, batch=batch, level=level or "any")
    for row in rows.select_related(None).only("data_row", "sheet_row", "problems").iterator(chunk_size=2000):
        for found in row_problems(row, level):
            yield {**found, "sheet_row": row.sheet_row, "data_row": row.data_row}


def batch_in_user_area(*, user: User, batch: ImportBatch) -> bool:
    """Whether every commune the batch touches lies in the user's area (and so the user may write it)."""
    if user.area_level == User.AreaLevel.NATION:
        return True
    touched = set(batch.communes.values_list("pk", flat=True))
    if batch.default_commune_id is not None:
        touched.add(batch.default_commune_id)
    if not touched:
        return batch.created_by_id == user.pk
    return area_communes(user).filter(pk__in=touched).count() == len(touched)


def can_change_batch(*, user: User, batch: ImportBatch) -> bool:
    """Whether the user may fix rows, change the mapping and commit: an editor, the batch staged and
    wholly in their area (a commit writes every valid row of it)."""
    return (
        can_stage(user)
        and batch.status == ImportBatch.Status.STAGED
        and batch_get(user=user, batch_id=batch.pk) is not None
        and batch_in_user_area(user=user, batch=batch)
    )


def communes_for_upload(*, user: User) -> QuerySet[Commune]:
    """The communes the user may give as a list's default commune."""
    if not can_stage(user):
        return Commune.objects.none()
    return area_communes(user).select_related("province").order_by("province__code", "name")


def import_job_get(*, user: User, job_id: int) -> Job | None:
    """An import job the user may see (through the jobs app's own scoping), or None."""
    job = job_get(user=user, job_id=job_id)
    return job if job is not None and job.kind in JOB_KINDS else None


def batch_active_job(*, user: User, batch: ImportBatch) -> Job | None:
    """The import job still queued or running on this batch (a re-read or a commit), if the user may see it.

    The link between a job and its batch is the task's `batch_id` argument, found in the database
    task backend's row; with another backend (tests run tasks at once) no job is ever waiting.
    """
    active = jobs_for_user(user=user).filter(kind__in=JOB_KINDS, status__in=Job.ACTIVE).exclude(task_result_id="")
    ids = {job.task_result_id: job for job in active[:50]}
    if not ids:
        return None
    found = DBTaskResult.objects.filter(pk__in=list(ids), args_kwargs__kwargs__batch_id=batch.pk).values_list(
        "pk", flat=True
    )
    for pk in found:
        return ids.get(str(pk))
    return None


def problem_text(found: dict[str, Any]) -> str:
    """A stored problem's message in the user's language, its parameters filled in."""
    message = found.get("message", "")
    params = found.get("params") or {}
    try:
        return gettext(message) % params if params else gettext(message)
    except (KeyError, ValueError, TypeError):
        # A translation naming other placeholders must not hide the problem: show it in English.
        return message % params if params else message


def batch_missing_people(*, user: User, batch: ImportBatch) -> QuerySet[Person]:
    """The people of the user's area missing from the batch's list (see `missing_from_list`)."""
    return scope_queryset(missing_from_list(batch=batch), user)


def missing_from_list(*, batch: ImportBatch) -> QuerySet[Person]:
    """People with an active benefit of the batch's category in the communes the list covers who are not on
    it: reported for a person to look into, never deleted. Unscoped, for the command line."""
    on_list = ImportRow.objects.filter(batch=batch, person__isnull=False).values("person_id")
    return (
        Person.objects.filter(
            commune__in=batch.communes.all(),
            benefits__category=batch.category,
            benefits__status=Benefit.Status.ACTIVE,
        )
        .exclude(pk__in=on_list)
        .distinct()
    )
