from __future__ import annotations

from django.urls import path

from ansinh.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
