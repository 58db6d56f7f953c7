"""Staff pages of sign-ups and check-in, added to the `activities` namespace by urls.py."""

from django.urls import path  # noqa: F401

urlpatterns = []
