"""Per-request facts that services need for audit records (who, from where, which request)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_NO_REQUEST = RequestContext()  # commands, tasks and tests outside a request
_current: ContextVar[RequestContext | None] = ContextVar("kexie_request", default=None)


def current() -> RequestContext:
    return _current.get() or _NO_REQUEST


def activate(context: RequestContext):
    return _current.set(context)


def deactivate(token) -> None:
    _current.reset(token)
