"""The Ninja API object, its authentication and its one error shape.

Every error, whatever raised it, reaches the client as
`{"error": {"code": "...", "message": "...", "details": ...}}` with a matching HTTP status.
Each domain app contributes a router (`ansinh/<app>/api.py`, attribute `router`) registered in ROUTERS.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from ansinh.access.models import ApiToken, User
from ansinh.access.scoping import has_access

# (URL prefix, module holding `router`): one line per domain app.
ROUTERS: list[tuple[str, str]] = [
    ("/registry/", "ansinh.registry.api"),
    ("/imports/", "ansinh.imports.api"),
    ("/matching/", "ansinh.review.api"),
    ("/accounts/", "ansinh.payouts.api"),
    ("/fieldwork/", "ansinh.fieldwork.api"),
    ("/payments/", "ansinh.payments.api"),
    ("/campaigns/", "ansinh.campaigns.api"),
    ("/insurance/", "ansinh.insurance.api"),
]


# The schema and the docs page show no area data, so they are public; every operation is declared in code.
PUBLIC_URL_NAMES = frozenset({"openapi-json", "openapi-view"})
ERROR_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorResponse(Schema):
    error: ErrorBody


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token's user must have a role and an area."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record = (
            ApiToken.objects.select_related("user", "user__role")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if record is None or not has_access(record.user):
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="ansinh API",
        version="1",
        description="Social-assistance registry, matching, fieldwork, payouts and payments. "
        "Authenticate with `Authorization: Bearer <token>`; every answer is limited to the token owner's area.",
        auth=TokenAuth(),
        docs_url="/docs",
        urls_namespace="api",
    )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _error(api, request, 422, "invalid", "The request is not valid.", exc.errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(api, request, 401, "unauthenticated", "A valid bearer token with a role and an area is needed.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _error(api, request, exc.status_code, ERROR_CODES.get(exc.status_code, "error"), str(exc))

    for prefix, module in ROUTERS:
        api.add_router(prefix, import_module(module).router)
    return api
