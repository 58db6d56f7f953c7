import uuid

from . import context


def client_ip(request) -> str | None:
    """The client address; behind a proxy, REMOTE_ADDR must be set by the proxy setup."""
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Gives each request an id (echoed in X-Request-ID) that audit records carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming[:36] if incoming else uuid.uuid4().hex
        token = context.activate(context.RequestContext(request.request_id, client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request.request_id
        return response
