"""/api/v1/: each app contributes its routes from its own api.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("kexie.orgs.api_urls")),
    path("", include("kexie.accounts.api_urls")),
    path("", include("kexie.people.api_urls")),
    path("", include("kexie.activities.api_urls")),
    path("", include("kexie.activities.api_public_urls")),
    path("", include("kexie.statistics.api_urls")),
    path("", include("kexie.reports.api_urls")),
    path("", include("kexie.core.api_urls")),
    path("volunteers/", include("kexie.volunteers.api_urls")),
]
