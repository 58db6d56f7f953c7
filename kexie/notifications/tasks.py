"""Background sending (django.tasks; `manage.py db_worker` runs them)."""

from django.contrib.auth import get_user_model
from django.tasks import task

from kexie.notifications.backends import Recipient
from kexie.notifications.services import notify


@task()
def notify_users_task(user_ids: list[int], kind: str, context: dict) -> int:
    """Notify platform users (their inbox, and their e-mail if they have one)."""
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return notify(*(Recipient(user=user) for user in users), kind=kind, context=context)
