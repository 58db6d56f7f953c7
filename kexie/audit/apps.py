from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kexie.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  login, logout and lockout events

        post_migrate.connect(_reinstall_triggers, sender=self)


def _reinstall_triggers(sender, using="default", **kwargs):
    """After a flush (tests) or a migrate, the append-only triggers are always in place."""
    from django.db import connections

    from . import triggers

    connection = connections[using]
    tables = connection.introspection.table_names()
    if triggers.TABLE in tables:
        triggers.install(connection)
