"""Every write to accounts and memberships. Each runs in one transaction and audits itself."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError

from .models import Membership, User
from .roles import SEPARATED_ROLES, Role


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """Create a login. Accounts an administrator creates must change the password first."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_("The username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(name)s is taken.") % {"name": username}, field="username")
    user = User(username=username, display_name=display_name.strip(), email=(email or "").strip())
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change_password
    user.save()
    record(actor, "user.create", user, changes={"username": (None, username), "password": (None, "")})
    return user


def _refuse_separated_admin(actor, user: User, message) -> None:
    """三员分立: one administrator may not take over (or shut out) another, e.g. a system
    administrator resetting the audit administrator's password and signing in as them.
    Such accounts are reset on the server (`manage.py changepassword`)."""
    if actor is None or actor.pk == user.pk:
        return
    if Membership.objects.filter(user=user, is_active=True, role__in=SEPARATED_ROLES).exists():
        raise DomainError(message)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str, by_admin: bool = False) -> User:
    """Set a new password. Set by an administrator, it must be changed at the next login."""
    if by_admin:
        _refuse_separated_admin(
            actor,
            user,
            _(
                "The password of a system, security or audit administrator cannot be reset by another "
                "administrator; it is reset on the server."
            ),
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = by_admin
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(
        actor,
        "user.password_reset" if by_admin else "user.password_change",
        user,
        changes={"password": ("", "")},
    )
    return user


def _end_sessions(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Disable or re-enable an account; disabling ends all of its sessions at once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk and not active:
        raise DomainError(_("You cannot disable your own account."))
    if not active:
        _refuse_separated_admin(
            actor,
            user,
            _(
                "A system, security or audit administrator cannot be disabled by another administrator; "
                "revoke the role first."
            ),
        )
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    sessions = 0 if active else _end_sessions(user)
    record(
        actor,
        "user.enable" if active else "user.disable",
        user,
        changes={"is_active": (not active, active)},
        sessions_ended=sessions,
    )
    return user


def _refuse_own_roles(actor, user_id) -> None:
    # Nobody widens or narrows their own powers: another administrator must do it.
    if actor is not None and getattr(actor, "pk", None) == user_id:
        raise DomainError(_("You cannot change your own roles."), field="user")


@transaction.atomic
def membership_grant(*, actor, user: User, organization, role: str) -> Membership:
    """Give a user a role in an organization (and so its subtree)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    _refuse_own_roles(actor, user.pk)
    if not organization.is_active:
        raise DomainError(_("Roles can only be given in an active organization."), field="organization")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise DomainError(_("This account is disabled."), field="user")
    held = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    # 三员分立: a separated administrator holds that one role and nothing else.
    if held and (role in SEPARATED_ROLES or held & SEPARATED_ROLES) and held != {role}:
        raise DomainError(
            _(
                "System, security and audit administrators are separate duties: "
                "this user cannot also hold the role %(role)s."
            )
            % {"role": Role(role).label},
            field="role",
        )
    membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    if not created and membership.is_active:
        raise DomainError(_("The user already has this role in this organization."), field="role")
    if not created:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    record(
        actor,
        "membership.grant",
        membership,
        org_path=organization.path,
        changes={"role": (None, role)},
        user=user.username,
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> Membership:
    """Take a role away; if it was the user's active one, their next request falls back to another."""
    _refuse_own_roles(actor, membership.user_id)
    membership = Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    User.objects.filter(pk=membership.user_id, active_membership=membership).update(active_membership=None)
    record(
        actor,
        "membership.revoke",
        membership,
        org_path=membership.organization.path,
        changes={"role": (membership.role, None)},
        user=membership.user.username,
    )
    return membership


@transaction.atomic
def membership_activate(*, actor: User, membership: Membership) -> User:
    """Switch the organization (and role) the user works in."""
    if membership.user_id != actor.pk or not membership.is_active:
        raise DomainError(_("You do not hold this role."))
    User.objects.filter(pk=actor.pk).update(active_membership=membership)
    actor.active_membership = membership
    record(actor, "membership.switch", membership, org_path=membership.organization.path)
    return actor


@transaction.atomic
def lockout_reset(*, actor, username: str) -> int:
    """Unlock a login name after failed attempts: its failure counters are cleared at once,
    from every address. Returns how many counters were cleared."""
    from axes.utils import reset

    username = (username or "").strip()
    if not username:
        raise DomainError(_("The username is required."), field="username")
    cleared = reset(username=username)
    account = User.objects.filter(username=username).first()
    record(actor, "auth.unlock", account, account=username, attempts_cleared=cleared)
    return cleared
