"""Staff pages of activities (names: activities:<name>)."""

from django.urls import path

from kexie.activities.urls_signups import urlpatterns as signup_urlpatterns
from kexie.activities.views import activities as views
from kexie.activities.views import importing, manage

app_name = "activities"

urlpatterns = [
    # the list, the records behind a statistic, the export and the calendar
    path("", views.activity_list, name="list"),
    path("export/", views.activity_export, name="export"),
    path("calendar/", views.activity_calendar, name="calendar"),
    path("organizations/", views.organization_options, name="organization_options"),
    # recording and editing
    path("new/", views.activity_create, name="create"),
    path("figure-fields/", views.figure_fields, name="figure_fields"),
    path("speakers/", views.speaker_choices, name="speaker_choices"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_update, name="update"),
    path("<int:pk>/correct/", views.activity_correct, name="correct"),
    # importing from .xlsx (views/importing.py)
    path("import/", importing.import_upload, name="import"),
    path("import/template.xlsx", importing.import_template, name="import_template"),
    path("import/<str:token>/", importing.import_preview, name="import_preview"),
    # the workflow
    path("<int:pk>/submit/", views.activity_submit, name="submit"),
    path("<int:pk>/approve/", views.activity_approve, name="approve"),
    path("<int:pk>/return/", views.activity_send_back, name="send_back"),
    path("<int:pk>/held/", views.activity_mark_held, name="mark_held"),
    path("<int:pk>/report/", views.activity_report, name="report"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    # photos and documents
    path("<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/files/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    # approvals, reported periods and who approves
    path("approvals/", manage.approvals, name="approvals"),
    path("locks/", manage.locks, name="locks"),
    path("locks/new/", manage.lock_create, name="lock_create"),
    path("locks/<int:pk>/unlock/", manage.unlock, name="unlock"),
    path("locks/policy/", manage.policy, name="policy"),
    # campaigns and kinds
    path("campaigns/", manage.campaigns, name="campaigns"),
    path("campaigns/new/", manage.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", manage.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", manage.campaign_update, name="campaign_update"),
    path("campaigns/<int:pk>/editions/new/", manage.edition_create, name="edition_create"),
    path("campaigns/editions/<int:pk>/edit/", manage.edition_update, name="edition_update"),
    path("kinds/", manage.kinds, name="kinds"),
    path("kinds/new/", manage.kind_create, name="kind_create"),
    path("kinds/<int:pk>/edit/", manage.kind_update, name="kind_update"),
    # sign-ups and check-in of an activity (kexie/activities/urls_signups.py)
    *signup_urlpatterns,
]
