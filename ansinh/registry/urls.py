from django.urls import path

from ansinh.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.csv", views.person_export, name="person_export"),
    path("export.xlsx", views.person_export, {"fmt": "xlsx"}, name="person_export_xlsx"),
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<int:person_id>/reveal/<str:field>/", views.person_reveal, name="person_reveal"),
]
