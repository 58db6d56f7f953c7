"""Login, logout, failed logins and lockouts are audit events too.

They belong to no organization (empty org_path), so auditors at a root organization see them.
"""

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
    if user is None:
        return
    # Set by SessionLifetimeMiddleware when the session ended by itself (idle, lifetime, disabled).
    reason = getattr(request, "kexie_logout_reason", None) if request is not None else None
    if reason:
        record(user, "auth.logout", user, reason=reason)
    else:
        record(user, "auth.logout", user)


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    record(None, "auth.login_failed", username=username, outcome=AuditEvent.Outcome.FAILURE)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(None, "auth.lockout", username=str(username or ""), outcome=AuditEvent.Outcome.DENIED)
