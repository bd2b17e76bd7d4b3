from __future__ import annotations

from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "ansinh.insurance"
    label = "insurance"
