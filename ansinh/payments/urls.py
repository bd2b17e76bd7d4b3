from __future__ import annotations

from django.urls import path

from ansinh.payments import delivery_views, views

app_name = "payments"
urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/do/<slug:action>/", views.cycle_action, name="cycle_action"),
    path("<int:pk>/results/", views.result_upload, name="result_upload"),
    path("<int:pk>/failed/", views.failed_queue, name="failed_queue"),
    path("<int:pk>/failed/<int:payment_id>/", views.failed_action, name="failed_action"),
    path("<int:pk>/report/", views.cycle_report, name="cycle_report"),
    path("files/<int:pk>/", views.export_download, name="export_download"),
    path("deliveries/", delivery_views.delivery_list, name="delivery_list"),
    path("deliveries/<int:attempt_id>/", delivery_views.delivery_record, name="delivery_record"),
]
