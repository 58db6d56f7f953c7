from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kexie.people"
    label = "people"
    verbose_name = _("Talent pool")

    def ready(self) -> None:
        from kexie.orgs.signals import organization_moved
        from kexie.people.services.search_index import organization_moved as move_places

        organization_moved.connect(move_places, dispatch_uid="people.search_index.organization_moved")
