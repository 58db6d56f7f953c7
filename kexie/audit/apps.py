from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kexie.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from . import signals  # noqa: F401  login, logout and lockout events
