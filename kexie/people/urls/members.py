"""Routes: see kexie/people/urls/__init__.py."""

from django.urls import path

from ..views import members

urlpatterns = [
    path("societies/", members.society_list, name="society_list"),
    path("societies/<int:pk>/members/", members.roster, name="roster"),
    path("societies/<int:pk>/members/export.xlsx", members.roster_export, name="roster_export"),
    path("societies/<int:pk>/members/new/", members.member_create, name="member_create"),
    path("societies/<int:pk>/board/new/", members.seat_create, name="seat_create"),
    path("members/<int:pk>/edit/", members.member_update, name="member_update"),
    path("members/<int:pk>/end/", members.member_end, name="member_end"),
    path("members/<int:pk>/dues/", members.dues_record, name="dues_record"),
    path("seats/<int:pk>/end/", members.seat_end, name="seat_end"),
]
