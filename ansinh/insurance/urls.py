from __future__ import annotations

from django.urls import path

from ansinh.insurance import views

app_name = "insurance"
urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    path("<int:participant_id>/", views.participant_detail, name="participant_detail"),
    path("<int:participant_id>/payments/", views.payment_add, name="payment_add"),
    path("<int:participant_id>/stop/", views.participant_stop, name="participant_stop"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_export, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report.pdf", views.report_export, {"fmt": "pdf"}, name="report_pdf"),
    path("evaluations/", views.evaluations_send, name="evaluations_send"),
    path("evaluations/<int:evaluation_id>.pdf", views.evaluation_download, name="evaluation_download"),
    path("due/", views.due_list, name="due_list"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:batch_id>/", views.import_batch, name="import_batch"),
]
