from __future__ import annotations

from django.urls import path

from ansinh.payouts import views

app_name = "payouts"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("changes/<int:pk>/decide/", views.decide, name="decide"),
    path("batches/<int:batch_id>/approve/", views.batch_approve, name="batch_approve"),
    path("fraud/", views.fraud_report, name="fraud"),
    path("people/<int:pk>/", views.capture, name="capture"),
    path("people/<int:pk>/methods/", views.person_methods, name="person_methods"),
    path("proxies/<int:pk>/confirm/", views.proxy_confirm, name="proxy_confirm"),
    path("banks/", views.banks, name="banks"),
    path("external/", views.external_upload, name="external"),
]
