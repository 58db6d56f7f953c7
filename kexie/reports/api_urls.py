"""/api/v1/ routes of the dashboard and reports (names: reports_api:<name>)."""

from django.urls import path

from kexie.reports import api

app_name = "reports_api"

urlpatterns = [
    path("reports/dashboard/", api.DashboardAPI.as_view(), name="dashboard"),
]
