from __future__ import annotations

from django.urls import path

from ansinh.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.nation, name="nation"),
    path("dashboard/province/<int:province_id>/", views.province, name="province"),
    path("dashboard/commune/<int:commune_id>/", views.commune, name="commune"),
    path("dashboard/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("dashboard/export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("people/<slug:indicator>/", views.people, name="people"),
    path("plans/", views.campaign_list, name="campaign_list"),
    path("plans/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("steps/<int:step_id>/edit/", views.step_edit, name="step_edit"),
]
