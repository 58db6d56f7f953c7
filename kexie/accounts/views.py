"""Login, passwords and switching organization; the system administrator's account pages and
the security administrator's role and lockout pages (三员分立: each sees only their own).

Accounts are not tenant data, but their roles are: an administrator manages the accounts that
hold a role somewhere in their subtree, plus accounts that hold no role yet (new or revoked).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.scoping import Scope, scoped
from kexie.orgs.models import path_upper_bound

from . import services
from .forms import (
    GENERIC_LOGIN_ERROR,
    LockoutResetForm,
    LoginForm,
    MembershipFilterForm,
    MembershipGrantForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
    UserFilterForm,
)
from .middleware import session_start
from .models import Membership, User
from .roles import SEPARATED_ROLES, Perm, Role

PAGE_SIZE = 25
EXPORT_ROW_LIMIT = 20_000
FAILURE_LOG_SHOWN = 50


# --- login and logout --------------------------------------------------------------------


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _login_page(request, form, *, errors=None, status: int = 200):
    context = {
        "form": form,
        "errors": errors if errors is not None else (form.non_field_errors() if form.is_bound else []),
        "next": _safe_next(request),
        "expired": request.GET.get("expired") == "1",
    }
    return render(request, "accounts/login.html", context, status=status)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    """authenticate() gets the request (through the form), so django-axes counts every failure."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        session_start(request)
        return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
    return _login_page(request, form)


def lockout_response(request, original_response=None, credentials=None):
    """A locked-out login sees the same generic message as any other failure."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return _login_page(request, form, errors=[GENERIC_LOGIN_ERROR], status=403)


@require_POST
def logout(request):
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- the user's own account ---------------------------------------------------------------


@sensitive_post_parameters()
@login_required
def password_change(request):
    """Also the page every request is sent to while the account has a temporary password."""
    forced = request.user.must_change_password
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except DomainError as exc:
            form.add_error("new_password1", exc.message)
        else:
            update_session_auth_hash(request, user)  # stay logged in on this device
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@require_POST
@login_required
def switch(request):
    """Work in another of one's own active memberships; anything else does not exist (404)."""
    try:
        pk = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=request.user, is_active=True, organization__status="active", pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    services.membership_activate(actor=request.user, membership=membership)
    messages.success(
        request,
        _("You now work in %(org)s as %(role)s.")
        % {"org": membership.organization.display_name, "role": membership.get_role_display()},
    )
    return redirect(_safe_next(request) or "reports:dashboard")


# --- reads shared by the administrators' pages ----------------------------------------------


def _visible_users(scope: Scope) -> QuerySet:
    """Accounts with a role somewhere in the scope's subtree, and accounts with no role at all."""
    in_scope = scope.filter(Membership.objects.filter(is_active=True)).values("user_id")
    with_any_role = Membership.objects.filter(is_active=True).values("user_id")
    return User.objects.filter(Q(pk__in=in_scope) | ~Q(pk__in=with_any_role))


def _scoped_memberships(scope: Scope) -> QuerySet:
    return scope.filter(Membership.objects.select_related("organization", "user"))


def _get_user(scope: Scope, pk) -> User:
    user = _visible_users(scope).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def _filtered_users(scope: Scope, form: UserFilterForm) -> QuerySet:
    users = _visible_users(scope)
    if q := form.value("q").strip():
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q))
    if status := form.value("status"):
        users = users.filter(is_active=status == "active")
    if role := form.value("role"):
        holders = scope.filter(Membership.objects.filter(is_active=True, role=role)).values("user_id")
        users = users.filter(pk__in=holders)
    roles = Prefetch(
        "memberships",
        queryset=_scoped_memberships(scope).filter(is_active=True).order_by("organization__path", "role"),
        to_attr="scoped_memberships",
    )
    return users.prefetch_related(roles).order_by("username")


def _filtered_memberships(scope: Scope, form: MembershipFilterForm) -> QuerySet:
    memberships = _scoped_memberships(scope)
    status = form.value("status") or "active"
    if status != "all":
        memberships = memberships.filter(is_active=status == "active")
    if q := (form.value("q") or "").strip():
        memberships = memberships.filter(Q(user__username__icontains=q) | Q(user__display_name__icontains=q))
    if role := form.value("role"):
        memberships = memberships.filter(role=role)
    if under := _within(scope, form):
        memberships = memberships.filter(
            organization__path__gte=under.path, organization__path__lt=path_upper_bound(under.path)
        )
    return memberships.order_by("organization__path", "user__username", "role")


def _within(scope: Scope, form: MembershipFilterForm):
    pk = form.value("organization")
    if not pk:
        return None
    return scope.organizations().filter(pk=pk).first()


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _list_response(request, template: str, partial: str, context: dict):
    htmx = getattr(request, "htmx", None)
    use_partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, partial if use_partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _filters_string(request) -> str:
    """The filters an export was made with, for its audit record."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _too_many_rows(request, rows: int, back: str):
    messages.error(
        request,
        _("%(rows)s rows match; an export holds at most %(limit)s. Narrow the filters first.")
        % {"rows": rows, "limit": EXPORT_ROW_LIMIT},
    )
    return redirect(back)


def _domain_error(form, exc: DomainError, fields: dict[str, str]) -> None:
    form.add_error(fields.get(exc.field or ""), exc.message)


# --- system administrator: accounts ----------------------------------------------------------


@scoped(perm=Perm.USERS_MANAGE)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    page, page_range = _page(request, _filtered_users(request.scope, form))
    context = {"form": form, "page_obj": page, "page_range": page_range}
    return _list_response(request, "accounts/user_list.html", "accounts/_user_table.html", context)


@scoped(perm=Perm.USERS_MANAGE)
def user_export(request):
    scope = request.scope
    users = _filtered_users(scope, UserFilterForm(request.GET or None))
    rows = users.count()
    if rows > EXPORT_ROW_LIMIT:
        return _too_many_rows(request, rows, reverse("accounts:user_list"))
    headers = [
        _("Username"),
        _("Name"),
        _("Email"),
        _("Status"),
        _("Must change password"),
        _("Roles"),
        _("Last login"),
        _("Created"),
    ]
    content = xlsx.workbook(
        headers,
        (
            [
                user.username,
                user.display_name,
                user.email,
                _("Active") if user.is_active else _("Disabled"),
                _("Yes") if user.must_change_password else _("No"),
                "; ".join(f"{m.organization.name} · {m.get_role_display()}" for m in user.scoped_memberships),
                _local(user.last_login),
                _local(user.date_joined),
            ]
            for user in users.iterator(chunk_size=500)
        ),
        title=_("User accounts"),
    )
    record(
        request.user,
        "user.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=_filters_string(request),
    )
    return xlsx.download(content, _("User accounts"))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@sensitive_post_parameters()
@scoped(perm=Perm.USERS_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["new_password1"],
                display_name=data["display_name"],
                email=data["email"],
                must_change_password=True,
            )
        except DomainError as exc:
            _domain_error(form, exc, {"username": "username", "password": "new_password1"})
        else:
            messages.success(
                request,
                _(
                    "The account %(name)s was created. Give the initial password to its owner in person; "
                    "they must change it when they first log in. A security administrator gives the account "
                    "its role."
                )
                % {"name": user.username},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_detail_page(request, user: User, *, reset_form=None, status: int = 200):
    memberships = (
        _scoped_memberships(request.scope)
        .filter(user=user)
        .order_by("-is_active", "organization__path", "role")
    )
    context = {
        "account": user,
        "memberships": memberships,
        "reset_form": reset_form or PasswordResetForm(user),
        "is_self": user.pk == request.user.pk,
        # 三员分立: another separated administrator's password and status are not ours to change.
        "protected": Membership.objects.filter(user=user, is_active=True, role__in=SEPARATED_ROLES).exists(),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@scoped
def user_detail(request, pk):
    user = _get_user(request.scope, pk)
    request.scope.require(Perm.USERS_MANAGE)
    return _user_detail_page(request, user)


def _set_active(request, pk, *, active: bool):
    user = _get_user(request.scope, pk)
    request.scope.require(Perm.USERS_MANAGE)
    try:
        services.user_set_active(actor=request.user, user=user, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("The account %(name)s can log in again.") % {"name": user.username})
        else:
            messages.success(
                request,
                _("The account %(name)s is disabled and logged out everywhere.") % {"name": user.username},
            )
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@scoped
def user_disable(request, pk):
    return _set_active(request, pk, active=False)


@require_POST
@scoped
def user_enable(request, pk):
    return _set_active(request, pk, active=True)


@sensitive_post_parameters()
@require_POST
@scoped
def user_reset_password(request, pk):
    user = _get_user(request.scope, pk)
    request.scope.require(Perm.USERS_MANAGE)
    form = PasswordResetForm(user, request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=user, password=form.cleaned_data["new_password1"], by_admin=True
            )
        except DomainError as exc:
            if exc.field != "password":  # not about the password typed: the account itself is off limits
                messages.error(request, exc.message)
                return redirect("accounts:user_detail", pk=user.pk)
            form.add_error("new_password1", exc.message)
        else:
            messages.success(
                request,
                _("A temporary password is set for %(name)s. They must change it when they next log in.")
                % {"name": user.username},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return _user_detail_page(request, user, reset_form=form)


# --- security administrator: roles --------------------------------------------------------------


@scoped(perm=Perm.ROLES_MANAGE)
def membership_list(request):
    form = MembershipFilterForm(request.GET or None)
    page, page_range = _page(request, _filtered_memberships(request.scope, form))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range,
        "within": _within(request.scope, form),
        "organizations": _organization_choices(request.scope),
    }
    return _list_response(
        request, "accounts/membership_list.html", "accounts/_membership_table.html", context
    )


def _organization_choices(scope: Scope):
    root_depth = scope.organization.depth
    return [
        (org.pk, "\u3000" * (org.depth - root_depth) + org.name)
        for org in scope.organizations().active().only("pk", "name", "depth", "path")
    ]


@scoped(perm=Perm.ROLES_MANAGE)
def membership_export(request):
    scope = request.scope
    memberships = _filtered_memberships(scope, MembershipFilterForm(request.GET or None))
    rows = memberships.count()
    if rows > EXPORT_ROW_LIMIT:
        return _too_many_rows(request, rows, reverse("accounts:membership_list"))
    headers = [_("Username"), _("Name"), _("Organization"), _("Role"), _("Status"), _("Granted")]
    content = xlsx.workbook(
        headers,
        (
            [
                m.user.username,
                m.user.display_name,
                m.organization.name,
                m.get_role_display(),
                _("Active") if m.is_active else _("Revoked"),
                _local(m.created_at),
            ]
            for m in memberships.iterator(chunk_size=500)
        ),
        title=_("Roles"),
    )
    record(
        request.user,
        "membership.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=_filters_string(request),
    )
    return xlsx.download(content, _("Roles"))


@scoped(perm=Perm.ROLES_MANAGE)
def membership_grant(request):
    scope = request.scope
    post = request.method == "POST"
    form = MembershipGrantForm(
        request.POST if post else None,
        initial={"username": request.GET.get("username", "")},
        users=_visible_users(scope),
        organizations=scope.organizations().active(),
        root_depth=scope.organization.depth,
    )
    if post and form.is_valid():
        try:
            membership = services.membership_grant(
                actor=request.user,
                user=form.grantee,
                organization=form.cleaned_data["organization"],
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            _domain_error(form, exc, {"role": "role", "user": "username", "organization": "organization"})
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s in %(org)s.")
                % {
                    "user": membership.user.username,
                    "role": membership.get_role_display(),
                    "org": membership.organization.name,
                },
            )
            return redirect("accounts:membership_list")
    return render(request, "accounts/membership_form.html", {"form": form, "separated": _separated_labels()})


def _separated_labels() -> list[str]:
    return [Role(role).label for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)]


@require_POST
@scoped
def membership_revoke(request, pk):
    membership = request.scope.get(Membership.objects.select_related("organization", "user"), pk=pk)
    request.scope.require(Perm.ROLES_MANAGE)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(user)s no longer holds the role %(role)s in %(org)s.")
            % {
                "user": membership.user.username,
                "role": membership.get_role_display(),
                "org": membership.organization.name,
            },
        )
    return redirect(_safe_next(request) or "accounts:membership_list")


# --- security administrator: lockouts -----------------------------------------------------------


@scoped(perm=Perm.ROLES_MANAGE)
def lockout_list(request):
    """Login names with failed attempts inside the cool-off period; at the limit they are locked."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt, AccessFailureLog

    cool_off = get_cool_off(request)
    since = timezone.now() - cool_off
    limit = settings.AXES_FAILURE_LIMIT
    counters = (
        AccessAttempt.objects.filter(attempt_time__gt=since)
        .exclude(username=None)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"),
            last=Max("attempt_time"),
            addresses=Count("ip_address", distinct=True),
        )
        .order_by("-last")
    )
    rows = [
        {**row, "locked": row["failures"] >= limit, "unlocks_at": row["last"] + cool_off} for row in counters
    ]
    # axes keeps a per-attempt log only when AXES_ENABLE_ACCESS_FAILURE_LOG is on.
    failure_log = getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False)
    failures = (
        AccessFailureLog.objects.filter(attempt_time__gt=since).order_by("-attempt_time")[:FAILURE_LOG_SHOWN]
        if failure_log
        else []
    )
    context = {
        "failure_log": failure_log,
        "rows": rows,
        "failures": failures,
        "limit": limit,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "accounts/lockout_list.html", context)


@require_POST
@scoped(perm=Perm.ROLES_MANAGE)
def lockout_reset(request):
    form = LockoutResetForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"]
        try:
            services.lockout_reset(actor=request.user, username=username)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s can try to log in again.") % {"name": username})
    else:
        messages.error(request, _("Choose the username to unlock."))
    return redirect("accounts:lockout_list")
