"""Reading a user's notifications."""

from django.db.models import QuerySet

from kexie.notifications.models import Notification


def inbox(*, user) -> QuerySet:
    return Notification.objects.filter(recipient=user)


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get(*, user, pk) -> Notification:
    """One of the user's notifications, else Notification.DoesNotExist (a 404)."""
    return Notification.objects.get(recipient=user, pk=pk)
