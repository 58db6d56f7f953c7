"""The one door to tenant data.

A request's scope is the user's active membership: an organization and a role. Every
view, API endpoint and export reaches tenant data through `Scope`: records of the
scope organization's subtree and nothing else. Outside the subtree the answer is 404
(the object does not exist for this user); inside it without the permission, 403.
"""

from dataclasses import dataclass
from functools import cached_property, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from kexie.accounts.roles import Perm, permissions_for


@dataclass(frozen=True)
class Scope:
    user: object
    membership: object

    @property
    def organization(self):
        return self.membership.organization

    @property
    def role(self) -> str:
        return self.membership.role

    @cached_property
    def permissions(self) -> frozenset[Perm]:
        return permissions_for(self.role)

    def has(self, perm: Perm) -> bool:
        return perm in self.permissions

    def require(self, perm: Perm) -> None:
        if not self.has(perm):
            from kexie.audit.models import AuditEvent
            from kexie.audit.services import record

            record(self.user, "permission.denied", outcome=AuditEvent.Outcome.DENIED, permission=str(perm))
            raise PermissionDenied(_("Your role does not allow this."))

    # --- reads ---------------------------------------------------------------------
    def organizations(self) -> QuerySet:
        from kexie.orgs.models import Organization

        return Organization.objects.subtree(self.organization)

    def filter(self, queryset: QuerySet, *, via: str = "organization") -> QuerySet:
        """Restrict any queryset whose rows hang off an organization to the subtree."""
        from kexie.orgs.models import path_upper_bound

        root = self.organization.path
        return queryset.filter(**{f"{via}__path__gte": root, f"{via}__path__lt": path_upper_bound(root)})

    def contains(self, organization) -> bool:
        return organization is not None and organization.path.startswith(self.organization.path)

    def get_organization(self, pk) -> object:
        """The organization with this id if it is in scope, else 404."""
        try:
            return self.organizations().get(pk=pk)
        except (self.organizations().model.DoesNotExist, ValueError, TypeError):
            raise Http404(_("No such organization.")) from None

    def get(self, queryset: QuerySet, *, via: str = "organization", **lookup):
        """One object of `queryset` in scope, else 404."""
        try:
            return self.filter(queryset, via=via).get(**lookup)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def resolve_scope(request) -> Scope | None:
    """The active membership of the logged-in user, falling back to their first one."""
    user = request.user
    if not user.is_authenticated:
        return None
    from kexie.accounts.models import Membership

    memberships = Membership.objects.filter(user=user, is_active=True, organization__status="active")
    membership = None
    if user.active_membership_id:
        membership = memberships.select_related("organization").filter(pk=user.active_membership_id).first()
    if membership is None:
        membership = memberships.select_related("organization").order_by("pk").first()
    return Scope(user=user, membership=membership) if membership else None


class ScopeMiddleware:
    """Puts `request.scope` (lazily resolved) on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: resolve_scope(request))
        return self.get_response(request)


def scoped(view=None, *, perm: Perm | None = None):
    """Decorate a view that reads tenant data: login, a scope, and optionally a permission.

    Views that take an object id should fetch it with `request.scope.get_organization()`
    first (404 outside the subtree) and call `request.scope.require()` after (403).
    """

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = request.scope
            if not scope:
                raise PermissionDenied(_("Your account has no role in any organization yet."))
            if perm is not None:
                scope.require(perm)
            return func(request, *args, **kwargs)

        wrapper.kexie_scoped = True
        return wrapper

    return decorator(view) if view is not None else decorator
