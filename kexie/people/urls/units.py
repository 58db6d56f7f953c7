"""Routes: see kexie/people/urls/__init__.py."""

from django.urls import path

from ..views import units

urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/options/", units.unit_options, name="unit_options"),
    path("units/export.xlsx", units.unit_export, name="unit_export"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_update, name="unit_update"),
    path("teams/", units.team_list, name="team_list"),
    path("teams/export.xlsx", units.team_export, name="team_export"),
    path("teams/new/", units.team_create, name="team_create"),
    path("teams/<int:pk>/", units.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", units.team_update, name="team_update"),
    path("teams/<int:pk>/members/add/", units.team_member_add, name="team_member_add"),
    path(
        "teams/<int:pk>/members/<int:person_pk>/remove/", units.team_member_remove, name="team_member_remove"
    ),
]
