"""The system administrator's accounts pages and the security administrator's roles and lockouts,
and the separation of the three administrator duties (三员分立)."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.models import Membership, User
from kexie.accounts.roles import Role
from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.testing import PASSWORD, make_user

GOOD = "Blue-Harbor-2026#"


def _sheet(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _page(response) -> str:
    return response.content.decode()


# --- system administrator: the account list ------------------------------------------------------


def test_the_system_administrator_sees_every_account_with_its_roles(login):
    response = login("sysadmin").get(reverse("accounts:user_list"))
    page = _page(response)
    assert response.status_code == 200
    for name in ("county_staff", "city_admin", "auditor", "nobody"):
        assert name in page
    assert "示例市科协 · Organization administrator" in page
    assert "No role yet" in page  # nobody


def test_the_account_list_searches_usernames_and_names(login):
    page = _page(login("sysadmin").get(reverse("accounts:user_list") + "?q=county"))
    assert "county_staff" in page and "county_b_staff" in page
    assert "city_admin" not in page


def test_the_account_list_filters_by_status_and_role(login, world):
    services.user_set_active(actor=None, user=world.users["viewer"], active=False)
    client = login("sysadmin")
    disabled = _page(client.get(reverse("accounts:user_list") + "?status=disabled"))
    assert "viewer" in disabled and "county_staff" not in disabled
    staff = _page(client.get(reverse("accounts:user_list") + "?role=staff"))
    assert "county_staff" in staff and "county_b_staff" in staff and "city_admin" not in staff


def test_the_account_list_is_paginated(login, world):
    for number in range(30):
        make_user(f"member{number:02d}")
    client = login("sysadmin")
    first = _page(client.get(reverse("accounts:user_list")))
    assert "Page 1 of 2" in first
    second = _page(client.get(reverse("accounts:user_list") + "?page=2"))
    assert "Page 2 of 2" in second


def test_an_htmx_filter_answers_with_the_result_table_only(login):
    response = login("sysadmin").get(reverse("accounts:user_list") + "?q=county", HTTP_HX_REQUEST="true")
    page = _page(response)
    assert 'data-testid="user-table"' in page
    assert "<html" not in page


def test_the_account_export_is_the_filtered_list_and_is_audited(login, world):
    response = login("sysadmin").get(reverse("accounts:user_export") + "?q=county")
    rows = _sheet(response)
    assert rows[0][:2] == ["Username", "Name"]
    assert sorted(row[0] for row in rows[1:]) == ["county_b_staff", "county_staff"]
    event = AuditEvent.objects.get(action="user.export")
    assert event.actor == world.users["sysadmin"]
    assert event.detail["rows"] == 2
    assert event.detail["filters"] == "q=county"


def test_a_county_system_administrator_manages_only_accounts_of_their_county(client, world):
    make_user("sysadmin_a", world.county_a, Role.SYSTEM_ADMIN)
    client.force_login(User.objects.get(username="sysadmin_a"))
    page = _page(client.get(reverse("accounts:user_list")))
    assert "county_staff" in page and "nobody" in page  # in scope, and not yet given a role
    assert "county_b_staff" not in page
    other = world.users["county_b_staff"]
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:user_disable", args=[other.pk])).status_code == 404
    assert User.objects.get(pk=other.pk).is_active


# --- system administrator: creating and changing accounts ----------------------------------------


def _create(client, **overrides):
    data = {
        "username": "zhangwei",
        "display_name": "张伟",
        "email": "zw@example.cn",
        "new_password1": GOOD,
        "new_password2": GOOD,
        **overrides,
    }
    return client.post(reverse("accounts:user_create"), data)


def test_the_system_administrator_creates_an_account_that_must_change_its_password(login, world):
    response = _create(login("sysadmin"))
    user = User.objects.get(username="zhangwei")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.display_name == "张伟"
    assert user.must_change_password
    assert user.check_password(GOOD)
    assert not user.memberships.exists()  # roles come from the security administrator
    event = AuditEvent.objects.get(action="user.create", actor__isnull=False)
    assert event.actor == world.users["sysadmin"]
    assert event.changes["password"] == ["***", "***"]


def test_the_new_account_form_shows_the_password_policy(login):
    page = _page(login("sysadmin").get(reverse("accounts:user_create")))
    assert "At least 8 characters mixing three of" in page


def test_a_new_account_with_a_weak_password_is_refused_with_the_policys_reason(login):
    response = _create(login("sysadmin"), new_password1="zhangwei1", new_password2="zhangwei1")
    page = _page(response)
    assert response.status_code == 200
    assert "The password must mix three of" in page
    assert "The password must not contain part of the username." in page
    assert not User.objects.filter(username="zhangwei").exists()


def test_a_taken_username_is_refused(login):
    response = _create(login("sysadmin"), username="County_Staff")
    assert "The username County_Staff is taken." in _page(response)


def test_the_account_page_shows_roles_read_only(login, world):
    user = world.users["county_staff"]
    page = _page(login("sysadmin").get(reverse("accounts:user_detail", args=[user.pk])))
    assert "甲县科学技术协会 · Staff" in page
    assert "/revoke/" not in page


def test_the_system_administrator_disables_and_re_enables_an_account(login, world):
    client = login("sysadmin")
    user = world.users["county_staff"]
    response = client.post(reverse("accounts:user_disable", args=[user.pk]))
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert not User.objects.get(pk=user.pk).is_active
    page = _page(client.get(response["Location"]))
    assert "is disabled and logged out everywhere" in page
    client.post(reverse("accounts:user_enable", args=[user.pk]))
    assert User.objects.get(pk=user.pk).is_active
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__in=["user.disable", "user.enable"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["user.disable", "user.enable"]


def test_nobody_can_disable_their_own_account(login, world):
    client = login("sysadmin")
    me = world.users["sysadmin"]
    response = client.post(reverse("accounts:user_disable", args=[me.pk]), follow=True)
    assert "You cannot disable your own account." in _page(response)
    assert User.objects.get(pk=me.pk).is_active


def test_a_temporary_password_from_the_administrator_must_be_changed_at_next_login(login, world, client):
    user = world.users["county_staff"]
    admin = login("sysadmin")
    response = admin.post(
        reverse("accounts:user_reset_password", args=[user.pk]),
        {"new_password1": "Temp-Reset-2026", "new_password2": "Temp-Reset-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password and user.check_password("Temp-Reset-2026")
    assert AuditEvent.objects.filter(action="user.password_reset", actor=world.users["sysadmin"]).exists()

    admin.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "county_staff", "password": "Temp-Reset-2026"})
    assert client.get("/orgs/")["Location"] == reverse("accounts:password_change")


def test_a_weak_temporary_password_is_refused_on_the_account_page(login, world):
    user = world.users["county_staff"]
    response = login("sysadmin").post(
        reverse("accounts:user_reset_password", args=[user.pk]),
        {"new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert "The password must be at least 8 characters long." in _page(response)
    user.refresh_from_db()
    assert not user.must_change_password


def test_the_system_administrator_cannot_take_over_or_shut_out_another_separated_administrator(login, world):
    client = login("sysadmin")
    auditor, secadmin = world.users["auditor"], world.users["secadmin"]
    page = _page(client.get(reverse("accounts:user_detail", args=[auditor.pk])))
    assert 'data-testid="protected-account"' in page and 'data-testid="reset-password"' not in page
    response = client.post(
        reverse("accounts:user_reset_password", args=[auditor.pk]),
        {"new_password1": "Temp-Reset-2026", "new_password2": "Temp-Reset-2026"},
        follow=True,
    )
    assert "cannot be reset by another administrator" in _page(response)
    assert User.objects.get(pk=auditor.pk).check_password(PASSWORD)
    response = client.post(reverse("accounts:user_disable", args=[secadmin.pk]), follow=True)
    assert "cannot be disabled by another administrator" in _page(response)
    assert User.objects.get(pk=secadmin.pk).is_active


@pytest.mark.parametrize(
    "url",
    [
        "accounts:membership_list",
        "accounts:membership_grant",
        "accounts:membership_export",
        "accounts:lockout_list",
        "audit:list",
        "audit:export",
    ],
)
def test_the_system_administrator_cannot_manage_roles_or_read_the_audit_log(login, url):
    assert login("sysadmin").get(reverse(url)).status_code == 403


def test_the_system_administrator_cannot_grant_a_role_by_posting_the_form(login, world):
    response = login("sysadmin").post(
        reverse("accounts:membership_grant"),
        {"username": "nobody", "organization": world.city.pk, "role": Role.STAFF},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.users["nobody"]).exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.users["sysadmin"]).exists()


@pytest.mark.parametrize("persona", ["county_staff", "city_admin", "viewer", "society_secretary", "nobody"])
def test_other_roles_cannot_manage_accounts(login, world, persona):
    client = login(persona)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("accounts:membership_list")).status_code == 403
    assert client.get(reverse("accounts:lockout_list")).status_code == 403


# --- security administrator: roles -------------------------------------------------------------


def _grant(client, username, organization, role):
    return client.post(
        reverse("accounts:membership_grant"),
        {"username": username, "organization": organization.pk, "role": role},
    )


def test_the_security_administrator_lists_the_roles_of_the_network(login):
    response = login("secadmin").get(reverse("accounts:membership_list"))
    page = _page(response)
    assert response.status_code == 200
    for name in ("county_staff", "county_b_staff", "society_secretary", "auditor"):
        assert name in page


def test_the_role_list_filters_by_user_role_and_organization(login, world):
    client = login("secadmin")
    staff = _page(client.get(reverse("accounts:membership_list") + "?role=staff"))
    assert "county_staff" in staff and "city_admin" not in staff
    within = _page(client.get(reverse("accounts:membership_list") + f"?organization={world.county_a.pk}"))
    assert "county_staff" in within and "county_b_staff" not in within
    by_user = _page(client.get(reverse("accounts:membership_list") + "?q=secretary"))
    assert "society_secretary" in by_user and "county_staff" not in by_user


def test_a_county_security_administrator_sees_only_roles_in_their_county(client, world):
    make_user("secadmin_b", world.county_b, Role.SECURITY_ADMIN)
    client.force_login(User.objects.get(username="secadmin_b"))
    page = _page(client.get(reverse("accounts:membership_list")))
    assert "county_b_staff" in page and "county_staff<" not in page and "city_admin" not in page
    elsewhere = world.users["county_staff"].memberships.get()
    assert client.post(reverse("accounts:membership_revoke", args=[elsewhere.pk])).status_code == 404
    assert Membership.objects.get(pk=elsewhere.pk).is_active
    response = _grant(client, "nobody", world.county_a, Role.STAFF)
    assert "Select a valid choice" in _page(response)
    assert not Membership.objects.filter(user=world.users["nobody"]).exists()


def test_the_security_administrator_gives_a_role(login, world):
    response = _grant(login("secadmin"), "nobody", world.town_a, Role.STAFF)
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.users["nobody"])
    assert (membership.organization, membership.role, membership.is_active) == (
        world.town_a,
        Role.STAFF,
        True,
    )
    event = AuditEvent.objects.get(action="membership.grant", actor=world.users["secadmin"])
    assert event.org_path == world.town_a.path
    assert event.changes == {"role": [None, "staff"]}


def test_the_grant_form_refuses_an_unknown_or_disabled_username(login, world):
    client = login("secadmin")
    assert "There is no active account with this username." in _page(
        _grant(client, "ghost", world.city, "staff")
    )
    services.user_set_active(actor=None, user=world.users["nobody"], active=False)
    assert "There is no active account with this username." in _page(
        _grant(client, "nobody", world.city, "staff")
    )


@pytest.mark.parametrize(
    "holder,role",
    [
        ("auditor", Role.STAFF),  # an audit administrator takes no ordinary role
        ("sysadmin", Role.AUDIT_ADMIN),  # nor another administrator's
        ("county_staff", Role.SECURITY_ADMIN),  # an ordinary user becomes no administrator
    ],
)
def test_separated_administrator_roles_cannot_be_combined_with_any_other(login, world, holder, role):
    response = _grant(login("secadmin"), holder, world.city, role)
    assert response.status_code == 200
    assert "System, security and audit administrators are separate duties" in _page(response)
    assert not Membership.objects.filter(user=world.users[holder], role=role).exists()


def test_the_separation_of_duties_is_a_rule_of_the_service_itself(world):
    with pytest.raises(DomainError, match="separate duties"):
        services.membership_grant(
            actor=None, user=world.users["auditor"], organization=world.city, role=Role.VIEWER
        )


def test_a_separated_administrator_may_hold_the_same_role_in_another_organization(login, world):
    response = _grant(login("secadmin"), "auditor", world.city, Role.AUDIT_ADMIN)
    assert response.status_code == 302


def test_nobody_changes_their_own_roles(login, world):
    client = login("secadmin")
    response = _grant(client, "secadmin", world.city, Role.SECURITY_ADMIN)
    assert "You cannot change your own roles." in _page(response)
    own = world.users["secadmin"].memberships.get()
    response = client.post(reverse("accounts:membership_revoke", args=[own.pk]), follow=True)
    assert "You cannot change your own roles." in _page(response)
    assert Membership.objects.get(pk=own.pk).is_active


def test_the_security_administrator_revokes_a_role(login, world):
    membership = world.users["county_staff"].memberships.get()
    response = login("secadmin").post(reverse("accounts:membership_revoke", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert AuditEvent.objects.filter(action="membership.revoke", object_id=str(membership.pk)).exists()


def test_the_role_export_is_audited(login, world):
    rows = _sheet(login("secadmin").get(reverse("accounts:membership_export") + "?role=staff"))
    assert sorted(row[0] for row in rows[1:]) == ["county_b_staff", "county_staff"]
    event = AuditEvent.objects.get(action="membership.export")
    assert event.detail["rows"] == 2
    assert event.org_path == world.province.path


@pytest.mark.parametrize(
    "url", ["accounts:user_list", "accounts:user_create", "accounts:user_export", "audit:list"]
)
def test_the_security_administrator_cannot_manage_accounts_or_read_the_audit_log(login, url):
    assert login("secadmin").get(reverse(url)).status_code == 403


def test_the_security_administrator_cannot_create_an_account_by_posting_the_form(login):
    assert _create(login("secadmin")).status_code == 403
    assert not User.objects.filter(username="zhangwei").exists()


# --- security administrator: lockouts ------------------------------------------------------------


def _fail(client, username, times=5):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": username, "password": "Wrong-pass-2026!"})


def test_the_lockout_page_shows_locked_usernames_and_unlocking_lets_them_in_again(login, world, client):
    _fail(client, "county_staff")
    _fail(client, "viewer", times=2)
    admin = login("secadmin")
    page = _page(admin.get(reverse("accounts:lockout_list")))
    assert "county_staff" in page and "5 / 5" in page and 'data-testid="locked"' in page
    assert "viewer" in page and "2 / 5" in page

    response = admin.post(reverse("accounts:lockout_reset"), {"username": "county_staff"})
    assert response["Location"] == reverse("accounts:lockout_list")
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor == world.users["secadmin"]
    assert event.detail == {"account": "county_staff", "attempts_cleared": 1}
    assert event.object_id == str(world.users["county_staff"].pk)

    admin.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "county_staff", "password": PASSWORD})
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_the_lockout_page_says_so_when_nobody_failed(login):
    assert "No failed logins in the cool-off period." in _page(
        login("secadmin").get(reverse("accounts:lockout_list"))
    )


@pytest.mark.parametrize("persona", ["sysadmin", "auditor", "city_admin"])
def test_only_the_security_administrator_unlocks(login, client, world, persona):
    _fail(client, "county_staff")
    response = login(persona).post(reverse("accounts:lockout_reset"), {"username": "county_staff"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()
