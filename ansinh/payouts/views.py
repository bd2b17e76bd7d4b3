"""Pages: the approval queue (HTMX approve/reject, bulk per imported list), the fraud report, the capture page
for one person (typed twice, camera or photo of a VietQR), the person-page fragment and the bank directory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.access.models import User
from ansinh.access.routes import acting_user, scoped
from ansinh.access.scoping import can_see_unmasked, has_role
from ansinh.lib.masking import mask_number
from ansinh.payouts import selectors, services
from ansinh.payouts.external import ExternalFileError, external_rows_read
from ansinh.payouts.forms import BankForm, CaptureForm
from ansinh.payouts.models import AccountChangeRequest, Bank, PayoutMethod
from ansinh.payouts.signals import signal_labels
from ansinh.registry.models import Person
from ansinh.registry.services import person_views_record

PAGE_SIZE = 30
VIETQR_CHECK_URL = "/api/v1/accounts/vietqr-check"


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "payouts/forbidden.html", status=403)


def _shown(user: User, number: str) -> str:
    return number if can_see_unmasked(user) else mask_number(number)


def _items(user: User, requests: list[AccountChangeRequest]) -> list[dict[str, Any]]:
    # An imported list is stored without signals: compute them for the rows on the page.
    fresh = services.signals_for(
        [r for r in requests if r.source == AccountChangeRequest.Source.IMPORT and not r.signals]
    )
    banks = {b.bin: b for b in Bank.objects.filter(bin__in={r.bank_bin for r in requests if r.bank_bin})}
    items = []
    for r in requests:
        found = fresh.get(r.pk, r.signals)
        bank = banks.get(r.bank_bin)
        items.append(
            {
                "request": r,
                "bank": bank.short_name if bank else r.bank_text,
                "account": _shown(user, r.account_number),
                "signals": signal_labels(found),
                "refusal": services.approval_refusal(user=user, request=r),
            }
        )
    return items


@scoped
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read(user):
        return _forbidden(request)
    batch = request.GET.get("batch", "")
    batch_id = int(batch) if batch.isdigit() else None
    commune = request.GET.get("commune", "")
    commune_id = int(commune) if commune.isdigit() else None
    queued = selectors.request_queue(user=user, batch_id=batch_id, commune_id=commune_id)
    page = Paginator(queued, PAGE_SIZE).get_page(request.GET.get("page"))
    person_views_record(user=user, people=[r.person for r in page.object_list])
    return render(
        request,
        "payouts/queue.html",
        {
            "page": page,
            "items": _items(user, list(page.object_list)),
            "batch_id": batch_id,
            "commune_id": commune_id,
            "communes": selectors.pending_communes(user=user),
            "batches": selectors.pending_batches(user=user),
            "can_approve": selectors.can_approve_any(user),
        },
    )


def _item_response(request: HttpRequest, user: User, pk: int, error: str | None) -> HttpResponse:
    item = selectors.request_get(user=user, request_id=pk)
    if item is None:
        raise Http404
    return render(request, "payouts/_request.html", {"item": _items(user, [item])[0], "error": error})


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


@scoped
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.request_get(user=user, request_id=pk)
    if item is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        return HttpResponse(status=400)
    error = None
    try:
        if decision == "approve":
            services.account_request_approve(user=user, request=item)
        else:
            services.account_request_reject(user=user, request=item, note=request.POST.get("note", ""))
    except (PermissionDenied, ValidationError) as exc:
        error = _error_text(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(reverse("payouts:queue"))
    return _item_response(request, user, pk, error)


@scoped
@require_POST
def batch_approve(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Approve a whole imported list; flagged rows only when the officer ticks that they were looked at."""
    user = acting_user(request)
    if not selectors.can_approve_any(user):
        return _forbidden(request)
    pending = list(selectors.request_queue(user=user, batch_id=batch_id))
    if request.POST.get("include_flagged") != "1":
        fresh = services.signals_for(pending)
        flagged = {r.pk for r in pending if fresh.get(r.pk) or r.signals}
        pending = [r for r in pending if r.pk not in flagged]
    result = services.account_requests_approve_bulk(user=user, requests=pending)
    messages.success(
        request,
        ngettext("%(count)d change approved.", "%(count)d changes approved.", len(result.approved))
        % {"count": len(result.approved)},
    )
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d change left pending: %(reason)s",
                "%(count)d changes left pending, e.g.: %(reason)s",
                len(result.skipped),
            )
            % {"count": len(result.skipped), "reason": result.skipped[0][1]},
        )
    return redirect(f"{reverse('payouts:queue')}?batch={batch_id}")


@scoped
@require_GET
def fraud_report(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not selectors.can_read(user):
        return _forbidden(request)
    flagged = list(selectors.flagged_requests(user=user)[:200])
    person_views_record(user=user, people=list({r.person_id: r.person for r in flagged}.values()))
    shared = [
        dict(row, account=_shown(user, str(row["account_number"]))) for row in selectors.shared_accounts(user=user)
    ]
    return render(
        request,
        "payouts/fraud.html",
        {
            "items": _items(user, flagged),
            "shared": shared,
            "by_user": selectors.changes_by_user(user=user),
        },
    )


def _person(request: HttpRequest, pk: int) -> tuple[User, Person]:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=pk)
    if person is None:
        raise Http404
    return user, person


@scoped
@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest, pk: int) -> HttpResponse:
    user, person = _person(request, pk)
    if not selectors.can_enter(user):
        return _forbidden(request)
    form = CaptureForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_request_create(
                user=user,
                person=person,
                channel=data["channel"],
                bank_bin=data.get("bank_bin") or "",
                account_number=data.get("account_number") or "",
                holder_name=data.get("holder_name") or "",
                proxy=data.get("proxy"),
                organisation=data.get("organisation"),
                benefit=data.get("benefit"),
                source=data["source"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request, _("The account was recorded; it becomes active when a second officer approves it.")
            )
            return redirect(reverse("payouts:capture", args=[person.pk]))
    return render(
        request,
        "payouts/capture.html",
        {
            "person": person,
            "form": form,
            "check_url": VIETQR_CHECK_URL,
            "on_capture": True,
            **_methods_context(user, person),
        },
    )


def _methods_context(user: User, person: Person) -> dict[str, Any]:
    person_views_record(user=user, people=[person])
    methods = list(selectors.methods_of_person(user=user, person=person))
    pending = list(selectors.request_queue(user=user).filter(person=person))
    return {
        "methods": [{"method": m, "account": _shown(user, m.account_number)} for m in methods],
        "active_count": sum(1 for m in methods if m.status == PayoutMethod.Status.ACTIVE),
        "pending": _items(user, pending),
        "proxies": list(selectors.proxies_of_person(user=user, person=person)),
        "can_confirm_proxy": has_role(user, *selectors.PROXY_CONFIRM_ROLES),
        "can_enter": selectors.can_enter(user),
    }


@scoped
@require_GET
def person_methods(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment a person page loads: payout methods with their history, pending changes, proxies."""
    user, person = _person(request, pk)
    return render(request, "payouts/_person_methods.html", {"person": person, **_methods_context(user, person)})


@scoped
@require_POST
def proxy_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    proxy = selectors.proxy_get(user=user, proxy_id=pk)
    if proxy is None:
        raise Http404
    try:
        services.proxy_confirm(user=user, proxy=proxy)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The proxy is confirmed onto the list."))
    return redirect(reverse("payouts:capture", args=[proxy.person_id]))


@scoped
@require_http_methods(["GET", "POST"])
def banks(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    editable = services.can_edit_banks(user)
    if not selectors.can_read(user) and not editable:
        return _forbidden(request)
    instance = None
    edit = request.GET.get("edit") or request.POST.get("pk")
    if editable and edit and str(edit).isdigit():
        instance = Bank.objects.filter(pk=int(edit)).first()
    form = BankForm(request.POST or None, instance=instance) if editable else None
    if request.method == "POST":
        if form is None:
            return _forbidden(request)
        if form.is_valid():
            services.bank_save(user=user, bank=form.save(commit=False))
            messages.success(request, _("The bank directory was saved."))
            return redirect(reverse("payouts:banks"))
    return render(
        request,
        "payouts/banks.html",
        {"banks": Bank.objects.order_by("kind", "short_name"), "form": form, "editing": instance},
    )


@scoped
@require_http_methods(["GET", "POST"])
def external_upload(request: HttpRequest) -> HttpResponse:
    """A file of accounts citizens registered through VNeID or a bank: each row becomes a pending change."""
    user = acting_user(request)
    if not selectors.can_enter(user):
        return _forbidden(request)
    results: list[services.ExternalRow] = []
    error = None
    upload = request.FILES.get("file")
    if request.method == "POST":
        if upload is None:
            error = _("Choose a file.")
        else:
            try:
                rows = external_rows_read(upload, upload.name or "")
            except ExternalFileError as exc:
                error = _(str(exc))
            else:
                results = services.external_accounts_receive(user=user, rows=rows)
    accepted = sum(1 for r in results if r.request_id)
    return render(
        request,
        "payouts/external.html",
        {"results": results, "error": error, "accepted": accepted, "refused": len(results) - accepted},
    )
