"""Proving a member of the public holds the mobile they order with: a six-digit code sent
by SMS, valid ten minutes, five tries, used once. Sending is rate-limited per address and
per mobile."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.errors import DomainError
from kexie.core.validators import normalize_phone, validate_mobile
from kexie.volunteers.models import MobileCheck
from kexie.volunteers.services.orders import mobile_lookup

VALID_FOR = timedelta(minutes=10)
MAX_ATTEMPTS = 5
SENDS_PER_MOBILE = 3  # in ten minutes
SENDS_PER_ADDRESS = 10


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _limit(key: str, limit: int) -> None:
    cache.add(key, 0, int(VALID_FOR.total_seconds()))
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, int(VALID_FOR.total_seconds()))
        count = 1
    if count > limit:
        raise DomainError(
            _("Too many codes asked for. Please wait ten minutes and try again."), field="mobile"
        )


@transaction.atomic
def mobile_check_send(*, mobile: str, ip: str | None) -> MobileCheck:
    """Send a code to the mobile (after commit, through the SMS sender)."""
    mobile = normalize_phone(mobile or "")
    try:
        validate_mobile(mobile)
    except Exception:
        raise DomainError(_("Give a valid mobile number (11 digits)."), field="mobile") from None
    index = mobile_lookup(mobile)
    _limit(f"order-code:mobile:{index}", SENDS_PER_MOBILE)
    if ip:
        _limit(f"order-code:ip:{ip}", SENDS_PER_ADDRESS)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    check = MobileCheck.objects.create(
        mobile_index=index, code_hash=_hash(code), created_at=now, expires_at=now + VALID_FOR
    )
    text = _("Your verification code for ordering a science service is %(code)s, valid for 10 minutes.") % {
        "code": code
    }
    transaction.on_commit(lambda: _send(mobile, text))
    return check


def _send(mobile: str, text: str) -> None:
    from kexie.notifications.backends import sms_sender

    sms_sender().send(mobile, text)


@transaction.atomic
def mobile_check_verify(*, mobile: str, code: str) -> bool:
    """True once for a right code within its time; every try counts against the code."""
    index = mobile_lookup(mobile or "")
    check = (
        MobileCheck.objects.select_for_update()
        .filter(mobile_index=index, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if check is None or check.attempts >= MAX_ATTEMPTS:
        return False
    check.attempts += 1
    if hmac.compare_digest(check.code_hash, _hash((code or "").strip())):
        check.used_at = timezone.now()
        check.save(update_fields=["attempts", "used_at"])
        return True
    check.save(update_fields=["attempts"])
    return False
