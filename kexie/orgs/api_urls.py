"""/api/v1/ routes of the organization network (names: orgs_api:<name>)."""

from django.urls import path

from . import api

app_name = "orgs_api"

urlpatterns = [
    path("organizations/", api.OrganizationListAPI.as_view(), name="organization_list"),
    path("organizations/<int:pk>/", api.OrganizationDetailAPI.as_view(), name="organization_detail"),
    path("organizations/<int:pk>/children/", api.ChildrenAPI.as_view(), name="organization_children"),
    path("organizations/<int:pk>/move/", api.OrganizationMoveAPI.as_view(), name="organization_move"),
    path(
        "organizations/<int:pk>/dissolve/",
        api.OrganizationDissolveAPI.as_view(),
        name="organization_dissolve",
    ),
    path("organizations/<int:pk>/board-terms/", api.BoardTermsAPI.as_view(), name="organization_board_terms"),
    path("organizations/<int:pk>/leaders/", api.LeadersAPI.as_view(), name="organization_leaders"),
    path("organizations/<int:pk>/history/", api.HistoryAPI.as_view(), name="organization_history"),
    path("reelections/overdue/", api.OverdueReelectionsAPI.as_view(), name="overdue_reelections"),
    path("statistics/network/", api.NetworkStatisticsAPI.as_view(), name="network_statistics"),
]
