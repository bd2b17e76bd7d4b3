from __future__ import annotations

from django.urls import path

from ansinh.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("survey/", views.survey, name="survey"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("devices/", views.devices, name="devices"),
    path("devices/survey/", views.device_for_survey, name="device_for_survey"),
    path("communes/<int:commune_id>/", views.worklist, name="worklist"),
    path("communes/<int:commune_id>/worklist.pdf", views.worklist_pdf, name="worklist_pdf"),
    path("communes/<int:commune_id>/classified.xlsx", views.classified_xlsx, name="classified_xlsx"),
    path("communes/<int:commune_id>/teams/", views.team_save, name="team_save"),
    path("communes/<int:commune_id>/handover/", views.handover_page, name="handover"),
    path("visits/<int:visit_id>/minutes.pdf", views.refusal_minutes, name="refusal_minutes"),
    path("visits/<int:visit_id>/authorisation.pdf", views.authorisation_record, name="authorisation_record"),
]
