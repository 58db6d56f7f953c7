"""/api/v1/ routes of statistics (names: statistics_api:<name>)."""

from django.urls import path

from kexie.statistics import api

app_name = "statistics_api"

urlpatterns = [
    path("statistics/definitions/", api.DefinitionListAPI.as_view(), name="definitions"),
    path("statistics/values/", api.ValuesAPI.as_view(), name="values"),
]
