from __future__ import annotations

from django.urls import path

from ansinh.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("runs/", views.runs, name="runs"),
    path("runs/area/", views.area_run_start, name="area_run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/decide/", views.duplicate_decide, name="duplicate_decide"),
    path("corrections.csv", views.reports_csv, name="reports_csv"),
]
