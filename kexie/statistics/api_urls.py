"""/api/v1/ routes of statistics (names: statistics_api:<name>)."""

from django.urls import path  # noqa: F401

app_name = "statistics_api"

urlpatterns = []
