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
    PEOPLE_VIEW = "people.view"  # the talent pool: people, units, teams, members, honours, visits
    PEOPLE_CHANGE = "people.change"  # record and edit them
    PEOPLE_IMPORT = "people.import"  # .xlsx imports of people, units and members
    PEOPLE_EXPORT = "people.export"  # .xlsx exports (masked unless unmasked, always audited)
    PEOPLE_MANAGE = "people.manage"  # anonymize, portal accounts, disciplines and tags
    ACTIVITY_VIEW = "activities.view"  # activities, campaigns, sign-ups
    ACTIVITY_CHANGE = "activities.change"  # record, edit, submit, report, correct
    ACTIVITY_APPROVE = "activities.approve"  # approve or return; lock and unlock reported periods
    ACTIVITY_EXPORT = "activities.export"
    ACTIVITY_MANAGE = "activities.manage"  # activity kinds, campaigns, who approves
    VOLUNTEER_VIEW = "volunteers.view"  # volunteers, teams, the menu, orders, the hours ledger
    VOLUNTEER_CHANGE = "volunteers.change"  # register volunteers and teams, draft menu items, take orders
    VOLUNTEER_DISPATCH = "volunteers.dispatch"  # review, dispatch, pass down, record for volunteers
    VOLUNTEER_EXPORT = "volunteers.export"
    VOLUNTEER_MANAGE = "volunteers.manage"  # publish the menu, approve hours, stars and deadlines
    STATISTICS_VIEW = "statistics.view"  # the statistics pages and their exports
    USERS_MANAGE = "accounts.users"  # create, disable, reset accounts
    ROLES_MANAGE = "accounts.roles"  # grant and revoke memberships, unlock accounts
    AUDIT_VIEW = "audit.view"
    CALENDAR_MANAGE = "system.calendar"  # the working-day calendar's holidays and make-up days


_PEOPLE_WORK = {Perm.PEOPLE_VIEW, Perm.PEOPLE_CHANGE, Perm.PEOPLE_IMPORT, Perm.PEOPLE_EXPORT}
_ACTIVITY_WORK = {Perm.ACTIVITY_VIEW, Perm.ACTIVITY_CHANGE, Perm.ACTIVITY_EXPORT, Perm.STATISTICS_VIEW}
_ACTIVITY_READ = {Perm.ACTIVITY_VIEW, Perm.ACTIVITY_EXPORT, Perm.STATISTICS_VIEW}
_VOLUNTEER_WORK = {Perm.VOLUNTEER_VIEW, Perm.VOLUNTEER_CHANGE, Perm.VOLUNTEER_DISPATCH, Perm.VOLUNTEER_EXPORT}
_VOLUNTEER_READ = {Perm.VOLUNTEER_VIEW, Perm.VOLUNTEER_EXPORT}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # accounts and the platform's settings, not the network's data
    Role.SYSTEM_ADMIN: frozenset({Perm.USERS_MANAGE, Perm.CALENDAR_MANAGE}),
    Role.SECURITY_ADMIN: frozenset({Perm.ROLES_MANAGE, Perm.ORG_VIEW}),
    Role.AUDIT_ADMIN: frozenset({Perm.AUDIT_VIEW}),
    Role.ORG_ADMIN: frozenset(
        {Perm.ORG_VIEW, Perm.ORG_CHANGE, Perm.ORG_MANAGE, Perm.ORG_EXPORT, Perm.PERSONAL_UNMASK}
        | _PEOPLE_WORK
        | {Perm.PEOPLE_MANAGE}
        | _ACTIVITY_WORK
        | {Perm.ACTIVITY_APPROVE, Perm.ACTIVITY_MANAGE}
        | _VOLUNTEER_WORK
        | {Perm.VOLUNTEER_MANAGE}
    ),
    Role.STAFF: frozenset(
        {Perm.ORG_VIEW, Perm.ORG_CHANGE, Perm.ORG_EXPORT} | _PEOPLE_WORK | _ACTIVITY_WORK | _VOLUNTEER_WORK
    ),
    Role.VIEWER: frozenset(
        {Perm.ORG_VIEW, Perm.ORG_EXPORT, Perm.PEOPLE_VIEW, Perm.PEOPLE_EXPORT}
        | _ACTIVITY_READ
        | _VOLUNTEER_READ
    ),
    # A secretary's scope is their society: its members, its board, its honours, its activities.
    Role.SOCIETY_SECRETARY: frozenset(
        {Perm.ORG_VIEW, Perm.ORG_CHANGE, Perm.ORG_EXPORT} | _PEOPLE_WORK | _ACTIVITY_WORK
    ),
}


def permissions_for(role: str) -> frozenset[Perm]:
    return ROLE_PERMISSIONS.get(role, frozenset())
