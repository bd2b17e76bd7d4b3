from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ansinh.geo"
    label = "geo"
