"""The navigation menu by role: each entry names the roles that see it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.access.roles import REGISTRY_EDITOR_ROLES, REGISTRY_READER_ROLES, RoleSlug
from ansinh.access.scoping import can_read_audit, has_access


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[RoleSlug] | None  # None: every role

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ITEMS = [
    NavItem(_("Home"), "home", None),
    NavItem(_("Beneficiaries"), "registry:person_list", frozenset(REGISTRY_READER_ROLES)),
    NavItem(
        _("Imports"),
        "imports:list",
        frozenset(REGISTRY_EDITOR_ROLES | {RoleSlug.AUDITOR, RoleSlug.NATIONAL_SUPERVISOR}),
    ),
    NavItem(_("Matching review"), "review:queue", frozenset(REGISTRY_EDITOR_ROLES)),
    NavItem(_("Fieldwork"), "fieldwork:index", frozenset(REGISTRY_EDITOR_ROLES)),
    NavItem(_("Account changes"), "payouts:queue", frozenset(REGISTRY_READER_ROLES)),
    NavItem(_("Payments"), "payments:cycle_list", frozenset(REGISTRY_READER_ROLES)),
    NavItem(_("Dashboard"), "campaigns:home", frozenset(REGISTRY_READER_ROLES)),
    NavItem(
        _("Voluntary insurance"),
        "insurance:participant_list",
        frozenset(
            {RoleSlug.INSURANCE_OFFICER, RoleSlug.COLLECTION_AGENT, RoleSlug.NATIONAL_SUPERVISOR, RoleSlug.AUDITOR}
        ),
    ),
    NavItem(_("Jobs"), "jobs:list", None),
]


def menu_for(user: object) -> list[NavItem]:
    if not has_access(user):  # type: ignore[arg-type]
        return []
    slug = user.role_slug  # type: ignore[attr-defined]
    items = [item for item in ITEMS if item.roles is None or slug in item.roles]
    if can_read_audit(user):  # type: ignore[arg-type]
        items.append(NavItem(_("Audit trail"), "audit:list", None))
    return items
