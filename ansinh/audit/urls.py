from __future__ import annotations

from django.urls import path

from ansinh.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("record/<str:object_type>/<str:object_id>/", views.record_history, name="record"),
]
