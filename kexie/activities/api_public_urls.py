"""/api/v1/ routes of public sign-up (names: events_api:<name>)."""

from django.urls import path  # noqa: F401

app_name = "events_api"

urlpatterns = []
