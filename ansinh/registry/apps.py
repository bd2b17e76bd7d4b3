from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(using: str = "default", **kwargs: object) -> None:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from ansinh.registry.search import ensure_index

    connection = connections[using]
    if ("registry", "0003_search_indexes") in MigrationRecorder(connection).applied_migrations():
        ensure_index(connection)


class RegistryConfig(AppConfig):
    name = "ansinh.registry"
    label = "registry"

    def ready(self) -> None:
        from ansinh.audit.records import register_record_type
        from ansinh.registry import selectors

        # A person's full audit history is shown to whoever may see the person.
        register_record_type(
            "registry.person",
            lambda user, object_id: (
                object_id.isdigit() and selectors.person_get(user=user, person_id=int(object_id)) is not None
            ),
        )
        # SQLite drops a table's triggers when a migration rebuilds it: put the search index's back.
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="registry_search_index")
