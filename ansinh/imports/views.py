"""Import pages: upload a list, follow its reading, check counts, mapping and problems, fix rows, commit.

Every page reaches batches through `ansinh.imports.selectors`; writes go through services, and the
long ones (reading a file, committing) run as jobs whose progress bar the pages show.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.access.routes import acting_user, scoped
from ansinh.imports import selectors, services, tasks
from ansinh.imports.forms import MappingForm, RowFixForm, UploadForm
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.jobs.models import Job
from ansinh.lib.spreadsheet import neutralise
from ansinh.reader import FIELD_LABELS

PAGE_SIZE = 50


MISSING_SHOWN = 200  # people listed on a batch page as missing from its list


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/forbidden.html", status=403)


def _batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    batch = selectors.batch_get(user=acting_user(request), batch_id=pk)
    if batch is None:
        raise Http404
    return batch


# -- list and upload ------------------------------------------------------------------------------------


@scoped
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read_imports(user):
        return _forbidden(request)
    page = Paginator(selectors.batch_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/batch_list.html", {"page": page, "can_stage": selectors.can_stage(user)})


@scoped
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_stage(user):
        return _forbidden(request)
    communes = selectors.communes_for_upload(user=user)
    form = UploadForm(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        path = services.upload_save(upload=data["file"])
        file_name = Path(data["file"].name).name[:255]
        job = tasks.stage_job_start(
            user=user,
            path=path,
            file_name=file_name,
            category=data["category"],
            default_commune=data["commune"],
            sheet=data["sheet"] or None,
        )
        return redirect("imports:staging", job.pk)
    return render(request, "imports/upload.html", {"form": form})


@scoped
@require_GET
def staging(request: HttpRequest, pk: int) -> HttpResponse:
    """The reading of an upload: a progress bar, then the batch (or the reason the file was refused)."""
    job = selectors.import_job_get(user=acting_user(request), job_id=pk)
    if job is None:
        raise Http404
    batch_id = job.result.get("batch_id") if job.status == Job.Status.SUCCEEDED else None
    if batch_id:
        target = reverse("imports:batch", args=[batch_id])
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": target})
        return HttpResponseRedirect(target)
    return render(request, "imports/staging.html", {"job": job})


# -- one batch --------------------------------------------------------------------------------------------


def _columns(batch: ImportBatch, form: MappingForm | None) -> list[dict[str, Any]]:
    """The detected (or chosen) mapping as shown: letter, header, field label and, to change it, a select."""
    return [
        {
            **column,
            "label": gettext(FIELD_LABELS[column["field"]]) if column["field"] in FIELD_LABELS else "",
            "select": form[f"col_{column['index']}"] if form is not None else None,
        }
        for column in batch.columns
    ]


def _fix_view(entry: dict[str, Any]) -> dict[str, Any]:
    """A fix of the row as shown: who, when, and each field's value before and after."""
    params = entry.get("params") or {}
    at = parse_datetime(str(params.get("at", "")))
    when = date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT") if at else ""
    before, after = entry.get("before") or {}, entry.get("after") or {}
    return {
        "text": gettext("Fixed by %(user)s on %(at)s.") % {"user": params.get("user", ""), "at": when},
        "changes": [
            {"label": gettext(FIELD_LABELS.get(name, name)), "before": before.get(name), "after": after.get(name)}
            for name in sorted(set(before) | set(after))
        ],
    }


def _row_view(batch: ImportBatch, row: ImportRow, level: str | None, can_change: bool) -> dict[str, Any]:
    problems = [
        {"level": p["level"], "column": p.get("column", ""), "text": selectors.problem_text(p)}
        for p in selectors.row_problems(row, level)
    ]
    fixes = [_fix_view(p) for p in selectors.row_fixes(row)]
    form = None
    if can_change and row.outcome in (ImportRow.Outcome.INVALID, ImportRow.Outcome.PENDING) and row.has_error:
        form = RowFixForm(initial=RowFixForm.initial_for(batch, row), prefix=f"row{row.pk}")
    return {"row": row, "problems": problems, "fixes": fixes, "form": form}


def _problems_context(request: HttpRequest, batch: ImportBatch, can_change: bool) -> dict[str, Any]:
    level = request.GET.get("level", "")
    if level not in selectors.LEVELS:
        level = ""
    rows = selectors.batch_rows(user=acting_user(request), batch=batch, level=level or "any")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "batch": batch,
        "level": level,
        "page": page,
        "rows": [_row_view(batch, row, level, can_change) for row in page.object_list],
        "can_change": can_change,
    }


@scoped
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    batch = _batch_or_404(request, pk)
    can_change = selectors.can_change_batch(user=user, batch=batch)
    job = None
    if request.GET.get("job", "").isdigit():
        job = selectors.import_job_get(user=user, job_id=int(request.GET["job"]))
    if job is None:
        job = selectors.batch_active_job(user=user, batch=batch)
    context = _problems_context(request, batch, can_change)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "problems":
        return render(request, "imports/_problems.html", context)
    mapping_form = MappingForm(batch=batch) if can_change else None
    columns = _columns(batch, mapping_form)
    context.update(
        {
            "job": job,
            "job_running": job is not None and job.is_active,
            "columns": columns,
            "unmapped": [c for c in columns if not c["field"] and c["header"]],
            "file_problems": [{**p, "text": selectors.problem_text(p)} for p in batch.file_problems],
            "mapping_form": mapping_form,
            "in_area": selectors.batch_in_user_area(user=user, batch=batch),
            "can_stage": selectors.can_stage(user),
            "fixed_rows": services.batch_fixed_rows(batch=batch) if can_change else 0,
            "missing": selectors.batch_missing_people(user=user, batch=batch)[:MISSING_SHOWN]
            if batch.status == batch.Status.COMMITTED
            else [],
        }
    )
    return render(request, "imports/batch_detail.html", context)


@scoped
@require_GET
def batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The problems the user may see, as the command line's report (CSV): sheet_row, data_row, level,
    column, message."""
    batch = _batch_or_404(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-problems-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV as UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerow(["sheet_row", "data_row", "level", "column", "message"])
    for found in selectors.batch_problems(user=acting_user(request), batch=batch):
        writer.writerow(
            [
                found["sheet_row"] or "",
                found["data_row"] or "",
                found["level"],
                neutralise(found.get("column", "")),
                neutralise(selectors.problem_text(found)),
            ]
        )
    return response


def _busy(request: HttpRequest, batch: ImportBatch) -> HttpResponse | None:
    if selectors.batch_active_job(user=acting_user(request), batch=batch) is None:
        return None
    messages.warning(request, gettext("Work on this batch is still running; wait for it to finish."))
    return redirect("imports:batch", batch.pk)


def _follow(batch: ImportBatch, job: Job) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('imports:batch', args=[batch.pk])}?job={job.pk}")


@scoped
@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    if not selectors.can_change_batch(user=acting_user(request), batch=batch):
        return _forbidden(request)
    return _busy(request, batch) or _follow(batch, tasks.commit_job_start(user=acting_user(request), batch=batch))


@scoped
@require_POST
def batch_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    if not selectors.can_change_batch(user=acting_user(request), batch=batch):
        return _forbidden(request)
    form = MappingForm(request.POST, batch=batch)
    if not form.is_valid():
        for error in form.non_field_errors() or [gettext("Choose a field or “keep” for each column.")]:
            messages.error(request, str(error))
        return redirect("imports:batch", batch.pk)
    if form.unchanged:
        messages.info(request, gettext("The mapping is unchanged."))
        return redirect("imports:batch", batch.pk)
    if services.batch_fixed_rows(batch=batch):
        messages.error(request, gettext("Rows of this batch were fixed by hand; a new reading would undo the fixes."))
        return redirect("imports:batch", batch.pk)
    busy = _busy(request, batch)
    if busy is not None:
        return busy
    return _follow(batch, tasks.restage_job_start(user=acting_user(request), batch=batch, mapping=form.mapping()))


@scoped
@require_POST
def row_fix(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    user = acting_user(request)
    batch = _batch_or_404(request, pk)
    row = selectors.batch_rows(user=user, batch=batch).filter(pk=row_pk).first()
    if row is None:
        raise Http404
    if not selectors.can_change_batch(user=user, batch=batch):
        return _forbidden(request)
    form = RowFixForm(request.POST, initial=RowFixForm.initial_for(batch, row), prefix=f"row{row.pk}")
    error = None
    if form.is_valid():
        changes = form.changes()
        if not changes:
            error = gettext("Nothing was changed.")
        else:
            try:
                row = services.batch_row_fix(user=user, row_id=row.pk, changes=changes)
            except services.BatchError as exc:
                error = exc.render(gettext)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        elif row.outcome == ImportRow.Outcome.PENDING:
            messages.success(request, gettext("Data row %(row)s is valid now.") % {"row": row.data_row})
        return redirect("imports:batch", batch.pk)
    view = _row_view(batch, row, None, can_change=True)
    if error and view["form"] is not None:
        view["form"] = form
    response = render(request, "imports/_row.html", {"item": view, "batch": batch, "error": error, "can_change": True})
    response["HX-Trigger"] = "batch-changed"
    return response
