"""Periodic work of campaigns: keep figures fresh, snapshot them daily, send the daily digest."""

from __future__ import annotations

from django_tasks import task

from ansinh.campaigns import freshness, services


@task()
def figures_refresh_task() -> dict[str, int]:
    """Recompute stale communes ahead of the next dashboard view."""
    return {"communes": freshness.figures_refresh()}


@task()
def snapshot_task() -> dict[str, int]:
    return {"rows": services.snapshot_take()}


@task()
def digest_task() -> dict[str, int]:
    return {"messages": services.digest_send()}
