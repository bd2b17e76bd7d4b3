from django.urls import path

from ansinh.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("reading/<int:pk>/", views.staging, name="staging"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/problems.csv", views.batch_report, name="report"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/mapping/", views.batch_mapping, name="mapping"),
    path("<int:pk>/rows/<int:row_pk>/fix/", views.row_fix, name="row_fix"),
]
