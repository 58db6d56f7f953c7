"""/api/v1/ routes of the talent pool (names: people_api:<name>)."""

from django.urls import path

from . import api

app_name = "people_api"

urlpatterns = [
    path("people/", api.PersonListAPI.as_view(), name="people_list"),
    path("people/<int:pk>/", api.PersonDetailAPI.as_view(), name="person_detail"),
    path("people/<int:pk>/reveal/", api.PersonRevealAPI.as_view(), name="person_reveal"),
    path("search/", api.SearchAPI.as_view(), name="search"),
    path("units/", api.UnitListAPI.as_view(), name="unit_list"),
    path("units/<int:pk>/", api.UnitDetailAPI.as_view(), name="unit_detail"),
    path("teams/", api.TeamListAPI.as_view(), name="team_list"),
    path("teams/<int:pk>/", api.TeamDetailAPI.as_view(), name="team_detail"),
    path("memberships/", api.MembershipListAPI.as_view(), name="membership_list"),
    path("memberships/<int:pk>/", api.MembershipDetailAPI.as_view(), name="membership_detail"),
    path("honours/", api.HonourListAPI.as_view(), name="honour_list"),
    path("honours/<int:pk>/", api.HonourDetailAPI.as_view(), name="honour_detail"),
    path("visits/", api.VisitListAPI.as_view(), name="visit_list"),
    path("visits/<int:pk>/", api.VisitDetailAPI.as_view(), name="visit_detail"),
]
