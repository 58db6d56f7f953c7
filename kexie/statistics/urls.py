"""Statistics pages (names: statistics:<name>)."""

from django.urls import path

from kexie.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("definitions/", views.definitions, name="definitions"),
]
