from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from kexie.core import views as core_views

urlpatterns = [
    path("", include("kexie.reports.urls")),
    path("", include("kexie.orgs.urls")),
    path("people/", include("kexie.people.urls")),
    path("activities/", include("kexie.activities.urls")),
    path("statistics/", include("kexie.statistics.urls")),
    path("events/", include("kexie.activities.urls_public")),
    path("accounts/", include("kexie.accounts.urls")),
    path("audit/", include("kexie.audit.urls")),
    path("notifications/", include("kexie.notifications.urls")),
    path("calendar/", include("kexie.core.urls")),
    path("volunteers/", include("kexie.volunteers.urls")),
    path("service/", include("kexie.volunteers.urls_public")),
    path("me/volunteer/", include("kexie.volunteers.urls_portal")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, which the CSP allows.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
