from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "ansinh.outbox"
    label = "outbox"
