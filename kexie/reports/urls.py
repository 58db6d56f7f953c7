from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # reporting upward (层层上报)
    path("reports/", views.submissions, name="submissions"),
    path("reports/submit/", views.submit, name="submit"),
    path("reports/export.xlsx", views.submissions_export, name="submissions_export"),
    path("reports/<int:pk>/", views.submission_detail, name="submission"),
    path("reports/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("reports/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    # annual summaries and reviews drafted from the records, and the texts they are written with
    path("reports/documents/", views.documents, name="documents"),
    path("reports/documents/new/", views.document_request, name="document_request"),
    path("reports/texts/", views.texts, name="texts"),
    path("reports/texts/preference/", views.preference, name="preference"),
    path("reports/texts/<str:section>/", views.text_edit, name="text_edit"),
    path(
        "reports/documents/<int:pk>.<str:fmt>",
        views.document_download,
        name="document_download",
    ),
]
