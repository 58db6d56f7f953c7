"""/api/v1/ routes of activities (names: activities_api:<name>)."""

from django.urls import path  # noqa: F401

app_name = "activities_api"

urlpatterns = []
