"""`ansinh worker`: runs queued tasks (django-tasks-db's `db_worker`, with the same options)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(BaseCommand):
    help = "Run the background worker (the options are db_worker's: --batch, --max-tasks, --interval, ...)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        # The same options as db_worker, so `ansinh worker --batch` and friends behave as documented there.
        DbWorkerCommand().add_arguments(parser)
        # db_worker reloads on code changes when DEBUG; its reloader parent kills the child outright on
        # SIGTERM, which would leave a running task marked running forever. Reloading is opt-in here.
        parser.set_defaults(reload=False)
        for action in parser._actions:
            if action.dest == "reload":
                action.help = "Reload the worker on code changes (default: off)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(DbWorkerCommand(), **options)
