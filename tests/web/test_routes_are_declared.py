"""Every URL pattern and API operation declares itself scoped or public; none can slip past the scoping layer."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from ansinh.access.routes import route_scope
from ansinh.api.base import PUBLIC_URL_NAMES
from ansinh.api.urls import api

# Views of third-party apps that serve no area data, named by their URL name.
THIRD_PARTY_PUBLIC: frozenset[str] = frozenset()


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        else:
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}", entry


def test_every_url_pattern_declares_scoped_or_public() -> None:
    undeclared = []
    for route, name, pattern in walk(get_resolver().url_patterns):
        if name.startswith("api:"):
            continue  # checked per operation below
        if route_scope(pattern.callback) is None and name not in THIRD_PARTY_PUBLIC:
            undeclared.append(f"{route} ({name})")
    assert undeclared == []


def test_every_api_operation_declares_scoped_or_public() -> None:
    undeclared = []
    seen = 0
    for bound in api._get_bound_routers():
        prefix, router = bound.prefix, bound
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                seen += 1
                if route_scope(operation.view_func) is None:
                    undeclared.append(f"{operation.methods} {prefix}{path}")
    assert seen > 0
    assert undeclared == []


def test_api_urls_other_than_operations_are_the_public_docs() -> None:
    names = {name for _, name, _ in walk(get_resolver().url_patterns) if name.startswith("api:")}
    operation_names = {f"api:{n}" for n in PUBLIC_URL_NAMES}
    assert operation_names <= names
