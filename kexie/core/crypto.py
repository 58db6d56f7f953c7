"""Application-level encryption of personal data at rest, and blind indexes.

ID numbers and mobiles are stored as Fernet tokens (AES-128-CBC + HMAC-SHA256) under keys
that live in the environment, never in the database. Exact-match lookups (duplicate
detection, "find by ID number") use a blind index: an HMAC of the normalized value under a
separate key, so equal values give equal indexes without the value being recoverable.

Keys rotate: `settings.PERSONAL_DATA_KEYS` lists the current key first; older keys keep
decrypting until `manage.py rotate_personal_keys` has re-encrypted every value.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "blind_index", "decrypt", "encrypt", "reencrypt"]


def _derived_key(secret: str) -> bytes:
    """A Fernet key derived from a passphrase: development and tests only."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"personal-data:{secret}".encode()).digest())


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _keys() -> tuple[str, ...]:
    keys = tuple(settings.PERSONAL_DATA_KEYS)
    if not keys:
        keys = (_derived_key(settings.SECRET_KEY).decode(),)
    return keys


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _fernet(_keys()).decrypt(token.encode()).decode()


def reencrypt(token: str) -> str:
    """The same value under the current (first) key."""
    if not token:
        return ""
    return _fernet(_keys()).rotate(token.encode()).decode()


def blind_index(kind: str, value: str, *, key: str | None = None) -> str:
    """HMAC-SHA256 of `kind:value`, hex, for exact-match lookups; empty for no value."""
    if not value:
        return ""
    secret = (key or settings.BLIND_INDEX_KEY).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
