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

    def handle(self, *args: Any, **options: Any) -> None:
        command = DbWorkerCommand(stdout=self.stdout, stderr=self.stderr)
        call_command(command, **options)
