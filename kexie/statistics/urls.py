"""Statistics pages (names: statistics:<name>)."""

from django.urls import path  # noqa: F401

app_name = "statistics"

urlpatterns = []
