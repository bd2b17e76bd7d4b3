from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _install_guards(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from ansinh.audit import schema

    schema.install(connections[using])


class AuditConfig(AppConfig):
    name = "ansinh.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Also after a flush between transactional tests, which empties the head row.
        post_migrate.connect(_install_guards, sender=self, dispatch_uid="ansinh.audit.install_guards")
