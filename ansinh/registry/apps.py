from django.apps import AppConfig


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
