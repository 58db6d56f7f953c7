import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

_LAST_SEEN = "kexie_last_seen"
_STARTED = "kexie_started"


class SessionLifetimeMiddleware:
    """Ends a session after idle time and after an absolute lifetime, and when the user is disabled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(_STARTED, now)
            last_seen = request.session.get(_LAST_SEEN, now)
            idle = now - last_seen > settings.KEXIE_SESSION_IDLE_SECONDS
            expired = now - started > settings.SESSION_COOKIE_AGE
            if idle or expired or not user.is_active:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}&expired=1")
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Accounts created by an administrator must set their own password before anything else."""

    allowed = ("accounts:password_change", "accounts:logout", "accounts:login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed_paths = {reverse(name) for name in self.allowed}
            if request.path not in allowed_paths and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": "password change required"}, status=403)
                return redirect("accounts:password_change")
        return self.get_response(request)
