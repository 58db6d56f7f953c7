"""/api/v1/ routes of activities (names: activities_api:<name>)."""

from django.urls import path

from . import api

app_name = "activities_api"

urlpatterns = [
    path("activities/", api.ActivityListAPI.as_view(), name="activity_list"),
    path("activities/bulk/", api.ActivityBulkAPI.as_view(), name="activity_bulk"),
    path("activities/<int:pk>/", api.ActivityDetailAPI.as_view(), name="activity_detail"),
    path("activities/<int:pk>/submit/", api.ActivitySubmitAPI.as_view(), name="activity_submit"),
    path("activities/<int:pk>/approve/", api.ActivityApproveAPI.as_view(), name="activity_approve"),
    path("activities/<int:pk>/return/", api.ActivityReturnAPI.as_view(), name="activity_return"),
    path("activities/<int:pk>/held/", api.ActivityHeldAPI.as_view(), name="activity_held"),
    path("activities/<int:pk>/report/", api.ActivityReportAPI.as_view(), name="activity_report"),
    path("activities/<int:pk>/cancel/", api.ActivityCancelAPI.as_view(), name="activity_cancel"),
    path("activities/<int:pk>/correct/", api.ActivityCorrectAPI.as_view(), name="activity_correct"),
    path("activity-kinds/", api.KindListAPI.as_view(), name="kind_list"),
    path("campaigns/", api.CampaignListAPI.as_view(), name="campaign_list"),
    path("period-locks/", api.PeriodLockListAPI.as_view(), name="period_lock_list"),
    path("period-locks/<int:pk>/unlock/", api.PeriodLockUnlockAPI.as_view(), name="period_lock_unlock"),
]
