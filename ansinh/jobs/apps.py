from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ansinh.jobs"
    label = "jobs"
