from __future__ import annotations

from django.urls import path

from ansinh.geo import views

app_name = "geo"
urlpatterns = [
    path("communes/", views.commune_search_view, name="commune_search"),
]
