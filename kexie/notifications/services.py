"""Telling people things: `notify()` renders a message of a kind and hands it to every
configured backend (kexie.notifications.backends). Callers inside a transaction send
after commit, through a task (`notify_users_later`, or a task of their own that loads
what it needs, so no personal data waits in the task queue).

A kind is a set of templates: notifications/messages/<kind>.subject.txt, .body.txt and
(for SMS) .sms.txt, rendered with the context given.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kexie.notifications.backends import Message, Recipient, configured_backends
from kexie.notifications.models import Notification

logger = logging.getLogger(__name__)

__all__ = ["Recipient", "notification_read", "notifications_read_all", "notify", "notify_users_later"]


def _render(name: str, context: dict, *, required: bool = True) -> str:
    try:
        text = render_to_string(f"notifications/messages/{name}", context)
    except TemplateDoesNotExist:
        if required:
            raise
        return ""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def render_message(kind: str, context: dict) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        return Message(
            kind=kind,
            subject=" ".join(_render(f"{kind}.subject.txt", context).split()),
            body=_render(f"{kind}.body.txt", context),
            short=" ".join(_render(f"{kind}.sms.txt", context, required=False).split()),
            url=str(context.get("url", "")),
        )


def notify(*recipients: Recipient, kind: str, context: dict) -> int:
    """Send a message of `kind` to each recipient through every backend that reaches them.

    A failing backend is logged and does not stop the others. Returns how many deliveries
    were made. Call it outside transactions (from a task after commit).
    """
    message = render_message(kind, context)
    sent = 0
    for recipient in recipients:
        for backend in configured_backends():
            try:
                sent += bool(backend.deliver(recipient, message))
            except Exception:
                logger.exception("notification %s through %s failed", kind, type(backend).__name__)
    return sent


def notify_users_later(users, *, kind: str, context: dict) -> None:
    """`notify` these users once the current transaction commits (nothing if it rolls back)."""
    from kexie.notifications.tasks import notify_users_task

    user_ids = [user.pk for user in users if user is not None]
    if user_ids:
        transaction.on_commit(lambda: notify_users_task.enqueue(user_ids, kind, context))


def notification_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's notifications as read."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
