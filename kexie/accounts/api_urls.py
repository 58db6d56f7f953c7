"""/api/v1/ routes about the caller (names: accounts_api:<name>)."""

from django.urls import path

from . import api

app_name = "accounts_api"

urlpatterns = [
    path("me/", api.MeAPI.as_view(), name="me"),
    path("me/memberships/", api.MembershipListAPI.as_view(), name="membership_list"),
    path(
        "me/memberships/<int:pk>/activate/", api.MembershipActivateAPI.as_view(), name="membership_activate"
    ),
]
