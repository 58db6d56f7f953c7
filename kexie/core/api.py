"""API base pieces: the same scoping door and the same domain error as the HTML views."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from kexie.core.errors import DomainError


class ScopedPermission(permissions.BasePermission):
    """Authenticated, with a scope; a view's `required_perms` maps HTTP methods to a Perm.

    Objects are found through the scope (`request.scope`), so anything outside the
    subtree is a 404 before this permission is ever asked about it.
    """

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        scope = request.scope
        if not scope:
            raise exceptions.PermissionDenied(_("Your account has no role in any organization yet."))
        required = getattr(view, "required_perms", {})
        perm = required.get(request.method) or required.get(
            "read" if request.method in permissions.SAFE_METHODS else "write"
        )
        if perm is not None:
            scope.require(perm)
        return True


def exception_handler(exc, context):
    # Imported here: rest_framework.views imports this module while it loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [str(exc.message)]})
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
