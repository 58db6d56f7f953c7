"""Where a notification goes: the in-app inbox, e-mail, SMS.

`settings.KEXIE_NOTIFICATION_BACKENDS` lists the backends `notify()` uses (dotted paths;
default: all three below). A backend delivers a rendered `Message` to a `Recipient` when
the recipient has an address for it (a user account, an e-mail address, a mobile) and
ignores the recipient otherwise.

SMS goes through `settings.KEXIE_SMS_SENDER`: any class with `send(mobile, text)`. The
default only logs (no vendor is wired in); docs/signups.md shows how to plug one in.
"""

import logging
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from kexie.core.masking import mask_phone

logger = logging.getLogger(__name__)

DEFAULT_BACKENDS = [
    "kexie.notifications.backends.InAppBackend",
    "kexie.notifications.backends.EmailBackend",
    "kexie.notifications.backends.SmsBackend",
]
DEFAULT_SMS_SENDER = "kexie.notifications.backends.LoggingSmsSender"


@dataclass(frozen=True)
class Recipient:
    """Whom to tell, by whatever addresses they have."""

    user: object = None  # an accounts.User: the in-app inbox (and their e-mail, if set)
    email: str = ""
    mobile: str = ""
    name: str = ""


@dataclass(frozen=True)
class Message:
    kind: str
    subject: str
    body: str  # the inbox and e-mail text
    short: str  # the SMS text
    url: str = ""  # where the message leads, if anywhere


class Backend(Protocol):
    def deliver(self, recipient: Recipient, message: Message) -> bool:
        """Deliver if the recipient can be reached this way; True when something was sent."""


class InAppBackend:
    """A row in the user's inbox (notifications:inbox)."""

    def deliver(self, recipient: Recipient, message: Message) -> bool:
        from kexie.notifications.models import Notification

        if recipient.user is None:
            return False
        Notification.objects.create(
            recipient=recipient.user,
            kind=message.kind,
            title=message.subject[:200],
            body=message.body,
            url=message.url[:500],
        )
        return True


class EmailBackend:
    """Django's e-mail (settings.EMAIL_BACKEND, EMAIL_HOST…, DEFAULT_FROM_EMAIL)."""

    def deliver(self, recipient: Recipient, message: Message) -> bool:
        address = recipient.email or getattr(recipient.user, "email", "") or ""
        if not address:
            return False
        body = f"{message.body}\n\n{message.url}" if message.url else message.body
        send_mail(message.subject, body, None, [address])
        return True


class SmsSender(Protocol):
    """What an SMS vendor's adapter provides (settings.KEXIE_SMS_SENDER)."""

    def send(self, mobile: str, text: str) -> None: ...


class LoggingSmsSender:
    """The default: writes the message to the log instead of sending it."""

    def send(self, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(mobile), text)


@cache
def _sms_sender_class(path: str):
    return import_string(path)


def sms_sender() -> SmsSender:
    return _sms_sender_class(getattr(settings, "KEXIE_SMS_SENDER", DEFAULT_SMS_SENDER))()


class SmsBackend:
    def deliver(self, recipient: Recipient, message: Message) -> bool:
        if not recipient.mobile or not message.short:
            return False
        sms_sender().send(recipient.mobile, message.short)
        return True


def configured_backends() -> list[Backend]:
    paths = getattr(settings, "KEXIE_NOTIFICATION_BACKENDS", DEFAULT_BACKENDS)
    return [import_string(path)() for path in paths]
