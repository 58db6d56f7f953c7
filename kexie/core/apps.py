from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kexie.core"
    label = "core"
    verbose_name = "Kexie core"

    def ready(self):
        from kexie.core import checks  # noqa: F401  (registers the deployment checks)
