"""Routes: see kexie/people/urls/__init__.py. Honours, visits, talent lists, disciplines, tags."""

from django.urls import path

from kexie.people.views import records as views

urlpatterns = [
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/export/", views.honour_export, name="honour_export"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("honours/<int:pk>/edit/", views.honour_update, name="honour_update"),
    path("honours/<int:pk>/delete/", views.honour_delete, name="honour_delete"),
    path("honours/<int:pk>/evidence/", views.honour_evidence, name="honour_evidence"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/export/", views.visit_export, name="visit_export"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("talent-lists/", views.talent_lists, name="talent_lists"),
    path("talent-lists/new/", views.talent_list_create, name="talent_list_create"),
    path("talent-lists/<int:pk>/", views.talent_list_detail, name="talent_list_detail"),
    path("talent-lists/<int:pk>/edit/", views.talent_list_update, name="talent_list_update"),
    path("talent-lists/<int:pk>/delete/", views.talent_list_delete, name="talent_list_delete"),
    path("talent-lists/<int:pk>/add/", views.talent_list_add, name="talent_list_add"),
    path("talent-lists/<int:pk>/remove/", views.talent_list_remove, name="talent_list_remove"),
    path("talent-lists/<int:pk>/export/", views.talent_list_export, name="talent_list_export"),
    path("disciplines/", views.discipline_list, name="discipline_list"),
    path("disciplines/new/", views.discipline_create, name="discipline_create"),
    path("disciplines/<int:pk>/edit/", views.discipline_update, name="discipline_update"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/new/", views.tag_create, name="tag_create"),
    path("tags/<int:pk>/edit/", views.tag_update, name="tag_update"),
]
