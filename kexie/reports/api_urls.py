"""/api/v1/ routes of the dashboard and reports (names: reports_api:<name>)."""

from django.urls import path

from kexie.reports import api

app_name = "reports_api"

urlpatterns = [
    path("reports/dashboard/", api.DashboardAPI.as_view(), name="dashboard"),
    path("reports/submissions/", api.SubmissionListAPI.as_view(), name="submission_list"),
    path("reports/submissions/<int:pk>/", api.SubmissionDetailAPI.as_view(), name="submission_detail"),
    path("reports/submissions/<int:pk>/return/", api.SubmissionReturnAPI.as_view(), name="submission_return"),
    path("reports/documents/", api.DocumentListAPI.as_view(), name="document_list"),
    path("reports/documents/<int:pk>/", api.DocumentDetailAPI.as_view(), name="document_detail"),
    path("reports/texts/", api.SectionTextListAPI.as_view(), name="text_list"),
    path("reports/preference/", api.PreferenceAPI.as_view(), name="preference"),
    path("reports/texts/<str:section>/", api.SectionTextAPI.as_view(), name="text"),
    path("reports/submissions/<int:pk>/accept/", api.SubmissionAcceptAPI.as_view(), name="submission_accept"),
]
