from __future__ import annotations

from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "ansinh.fieldwork"
    label = "fieldwork"
