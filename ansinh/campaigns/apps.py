from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _install_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from ansinh.campaigns import freshness

    freshness.install(connections[using])


class CampaignsConfig(AppConfig):
    name = "ansinh.campaigns"
    label = "campaigns"

    def ready(self) -> None:
        # After every migrate: SQLite's table rebuilds in other apps' migrations drop triggers.
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="ansinh.campaigns.install_triggers")
