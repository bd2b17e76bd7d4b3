from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "ansinh.payouts"
    label = "payouts"
