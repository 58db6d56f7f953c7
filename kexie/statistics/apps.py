from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "kexie.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # Every app declares its figures in its own `statistics.py`.
        autodiscover_modules("statistics")
