"""Public pages (no login): open activities, sign-up, check-in (names: events:<name>)."""

from django.urls import path  # noqa: F401

app_name = "events"

urlpatterns = []
