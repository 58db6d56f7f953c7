"""Roles and what each may do. The only place permissions are defined."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    ORG_ADMIN = "org_admin", _("Organization administrator")
    STAFF = "staff", _("Staff")
    VIEWER = "viewer", _("Read-only viewer")
    SOCIETY_SECRETARY = "society_secretary", _("Society secretary")


# 三员分立: these three never share a user with each other or with an ordinary role.
SEPARATED_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class Perm(StrEnum):
    ORG_VIEW = "orgs.view"
    ORG_CHANGE = "orgs.change"  # create, edit, record lifecycle events
    ORG_MANAGE = "orgs.manage"  # move, dissolve, import
    ORG_EXPORT = "orgs.export"
    PERSONAL_UNMASK = "personal.unmask"  # see phones and ID numbers in clear (audited)
    USERS_MANAGE = "accounts.users"  # create, disable, reset accounts
    ROLES_MANAGE = "accounts.roles"  # grant and revoke memberships, unlock accounts
    AUDIT_VIEW = "audit.view"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.SYSTEM_ADMIN: frozenset({Perm.USERS_MANAGE}),  # accounts, not the network's data
    Role.SECURITY_ADMIN: frozenset({Perm.ROLES_MANAGE, Perm.ORG_VIEW}),
    Role.AUDIT_ADMIN: frozenset({Perm.AUDIT_VIEW}),
    Role.ORG_ADMIN: frozenset(
        {Perm.ORG_VIEW, Perm.ORG_CHANGE, Perm.ORG_MANAGE, Perm.ORG_EXPORT, Perm.PERSONAL_UNMASK}
    ),
    Role.STAFF: frozenset({Perm.ORG_VIEW, Perm.ORG_CHANGE, Perm.ORG_EXPORT}),
    Role.VIEWER: frozenset({Perm.ORG_VIEW, Perm.ORG_EXPORT}),
    Role.SOCIETY_SECRETARY: frozenset({Perm.ORG_VIEW, Perm.ORG_CHANGE, Perm.ORG_EXPORT}),
}


def permissions_for(role: str) -> frozenset[Perm]:
    return ROLE_PERMISSIONS.get(role, frozenset())
