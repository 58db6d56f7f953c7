"""Routes: see kexie/people/urls/__init__.py."""

from django.urls import path

from kexie.people.views import importing

urlpatterns = [
    path("import/", importing.import_upload, name="import"),
    path("import/template/", importing.import_template, name="import_template"),
    path("import/<str:token>/", importing.import_preview, name="import_preview"),
    path("import/<str:token>/progress/", importing.import_progress, name="import_progress"),
]
