"""Routes: see kexie/people/urls/__init__.py."""

from django.urls import path

from kexie.people.views import people as views

urlpatterns = [
    path("", views.person_list, name="list"),
    path("count/", views.person_list_count, name="list_count"),
    path("export.xlsx", views.person_export, name="export"),
    path("reveal/", views.person_list_reveal, name="reveal_list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("<int:pk>/edit/", views.person_update, name="update"),
]
