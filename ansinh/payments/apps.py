from __future__ import annotations

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ansinh.payments"
    label = "payments"

    def ready(self) -> None:
        from ansinh.access.models import User
        from ansinh.audit.records import register_record_type
        from ansinh.payments import selectors

        def can_view_cycle(user: User, object_id: str) -> bool:
            return object_id.isdigit() and selectors.cycle_get(user=user, cycle_id=int(object_id)) is not None

        register_record_type("payments.paymentcycle", can_view_cycle)
