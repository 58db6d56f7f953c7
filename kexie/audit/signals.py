"""Login, logout, failed logins and lockouts are audit events too."""

from axes.signals import user_locked_out
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from .models import AuditEvent
from .services import record


@receiver(auth_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(user, "auth.login", user)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user, "auth.logout", user)


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(None, "auth.login_failed", username=credentials.get("username", ""), outcome=AuditEvent.Outcome.FAILURE)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(None, "auth.lockout", username=username or "", outcome=AuditEvent.Outcome.DENIED)
