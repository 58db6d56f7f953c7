"""Session lifetime and forced password change, enforced on every request (pages, htmx, API)."""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

_LAST_SEEN = "kexie_last_seen"
_STARTED = "kexie_started"
# The idle clock moves at most this often (or a tenth of the idle time, if shorter): a page
# and the requests it makes then read the session without writing it back every time.
_TOUCH_SECONDS = 60

API_PREFIX = "/api/"


def session_start(request) -> None:
    """Start both session clocks; the login view calls it right after `login()`."""
    now = time.time()
    request.session[_STARTED] = now
    request.session[_LAST_SEEN] = now


def _is_htmx(request) -> bool:
    # HtmxMiddleware runs after these middlewares, so request.htmx does not exist yet.
    return request.headers.get("HX-Request") == "true"


def _redirect(request, url: str):
    """A redirect that also works for htmx: a whole-page navigation, not a swapped fragment."""
    if _is_htmx(request):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _current_page(request) -> str:
    """The page the user is looking at: for htmx, the page that made the request."""
    if request.method == "GET" and not _is_htmx(request):
        return request.get_full_path()
    # For htmx the page that made the request; for a form post, the page the form was on.
    page = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    parts = urlsplit(page)
    if parts.netloc and parts.netloc != request.get_host():
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SessionLifetimeMiddleware:
    """Ends a session after idle time and after an absolute lifetime, and when the user is disabled.

    Logging out here sends the usual signal, so the audit log records the logout with the reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(_STARTED, now)
            last_seen = request.session.get(_LAST_SEEN, now)
            reason = None
            if not user.is_active:
                reason = "disabled"
            elif now - started > settings.SESSION_COOKIE_AGE:
                reason = "lifetime"
            elif now - last_seen > settings.KEXIE_SESSION_IDLE_SECONDS:
                reason = "idle"
            if reason:
                next_page = _current_page(request)
                request.kexie_logout_reason = reason
                logout(request)
                if request.path.startswith(API_PREFIX):
                    return self.get_response(request)  # now anonymous: the API answers 401
                query = urlencode({"next": next_page, "expired": "1"})
                return _redirect(request, f"{reverse('accounts:login')}?{query}")
            if now - last_seen >= min(_TOUCH_SECONDS, settings.KEXIE_SESSION_IDLE_SECONDS / 10):
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Accounts with a temporary password (set by an administrator) choose their own before
    anything else: every page, htmx request and API call is turned away until then."""

    allowed = ("accounts:password_change", "accounts:logout", "accounts:login", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.path.startswith(API_PREFIX) and not user.is_authenticated:
            user = _token_user(request)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed_paths = {reverse(name) for name in self.allowed}
            if request.path not in allowed_paths and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith(API_PREFIX):
                    return JsonResponse(
                        {"detail": _("Change your temporary password on the website before using the API.")},
                        status=403,
                    )
                return _redirect(request, reverse("accounts:password_change"))
        return self.get_response(request)


def _token_user(request):
    """The user of an API token, so that token calls are held to the same rule as sessions."""
    if not request.headers.get("Authorization", "").startswith("Token "):
        return None
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import APIException

    try:
        result = TokenAuthentication().authenticate(request)
    except APIException:
        return None  # a bad token: DRF itself answers 401
    return result[0] if result else None
