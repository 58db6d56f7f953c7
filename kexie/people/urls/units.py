"""Routes: see kexie/people/urls/__init__.py."""

urlpatterns = []
