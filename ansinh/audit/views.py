"""Audit pages: the list of entries a reader may see, and one record's history for HTMX inclusion."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ansinh.access.models import User
from ansinh.access.routes import scoped
from ansinh.access.scoping import can_read_audit
from ansinh.audit import selectors

PAGE_SIZE = 50


class EntryFilter(forms.Form):
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Record"), required=False, max_length=64)
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/forbidden.html", status=403)


@scoped
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_read_audit(user):
        return _forbidden(request)
    form = EntryFilter(request.GET)
    filters = {key: value.strip() for key, value in form.cleaned_data.items()} if form.is_valid() else {}
    entries = selectors.audit_entry_list(user=user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "lines": selectors.audit_lines(user=user, entries=page.object_list),
            "filter_query": urlencode({key: value for key, value in filters.items() if value}),
        },
    )


@scoped
@require_GET
def record_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_read_audit(user):
        return _forbidden(request)
    lines = selectors.audit_record_history(user=user, object_type=object_type, object_id=object_id)
    if lines is None:
        raise Http404
    return render(request, "audit/_record.html", {"lines": lines})
