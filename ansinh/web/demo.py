"""The one hook that loads demo data: every app may add a step.

An app adds a module `<app>/demo.py` with `ORDER` (an int) and `load(ctx: DemoContext) -> None`;
`ansinh demo` runs the steps in order. Each step must be idempotent and fast on a second run, and
all steps together must stay within the two-minute budget of `make run` on a fresh machine.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from ansinh.geo.models import Commune, Province


@dataclass
class DemoContext:
    province: Province
    communes: list[Commune]  # the demo communes, the first is where the commune personas work
    seed: int
    say: Callable[[str], None]
    users: dict[str, Any] = field(default_factory=dict)  # username -> User, filled by the access step
    beneficiaries: int = 20_000


@dataclass(frozen=True)
class DemoStep:
    app: str
    order: int
    load: Callable[[DemoContext], None]


def demo_steps() -> list[DemoStep]:
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ansinh."):
            continue
        module_name = f"{config.name}.demo"
        if config.name == "ansinh.web" or importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        steps.append(DemoStep(config.label, int(module.ORDER), module.load))
    return sorted(steps, key=lambda step: step.order)
