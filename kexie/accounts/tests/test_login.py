"""Logging in and out: one generic message for every failure, axes lockouts, audit records."""

import re

import pytest
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.forms import GENERIC_LOGIN_ERROR
from kexie.accounts.models import User
from kexie.accounts.roles import Role
from kexie.audit.models import AuditEvent
from kexie.core.testing import PASSWORD

WRONG = "Wrong-pass-2026!"


def _login(client, username, password, ip="10.0.0.1", **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password, **extra}, REMOTE_ADDR=ip
    )


def _error_box(response) -> str:
    """The text of the error box above the login form, whitespace-normalised."""
    match = re.search(r'data-testid="form-error">(.*?)</div>\s*</div>', response.content.decode(), re.S)
    assert match, "no error box on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _is_logged_in(client) -> bool:
    return client.get(reverse("accounts:password_change")).status_code == 200


def test_the_login_page_shows_the_product_name_and_asks_for_username_and_password(client, db):
    response = client.get(reverse("accounts:login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kexie work platform" in page
    assert 'name="username"' in page and 'name="password"' in page
    assert 'type="password"' in page


def test_a_correct_login_lands_on_the_home_page_and_is_audited(client, world):
    response = _login(client, "county_staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")
    assert _is_logged_in(client)
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == world.users["county_staff"]
    assert event.ip_address == "10.0.0.1"


def test_a_login_follows_next_within_the_site_but_not_elsewhere(client, world):
    response = _login(client, "county_staff", PASSWORD, next="/orgs/tree/")
    assert response["Location"] == "/orgs/tree/"
    client.post(reverse("accounts:logout"))
    response = _login(client, "county_staff", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("reports:dashboard")


def test_wrong_password_unknown_user_disabled_user_and_locked_user_all_see_the_same_message(client, world):
    services.user_set_active(actor=None, user=world.users["viewer"], active=False)
    for _ in range(5):
        _login(client, "city_admin", WRONG, ip="10.0.0.9")

    wrong_password = _login(client, "county_staff", WRONG)
    unknown_user = _login(client, "no_such_person", PASSWORD)
    disabled_user = _login(client, "viewer", PASSWORD)
    locked_user = _login(client, "city_admin", PASSWORD, ip="10.0.0.9")

    expected = str(GENERIC_LOGIN_ERROR)
    messages = {_error_box(r) for r in (wrong_password, unknown_user, disabled_user, locked_user)}
    assert messages == {expected}
    assert not _is_logged_in(client)


def test_the_page_does_not_reveal_whether_the_username_exists(client, world):
    known = _login(client, "county_staff", WRONG)
    unknown = _login(client, "no_such_person", WRONG)
    assert known.status_code == unknown.status_code == 200
    assert _error_box(known) == _error_box(unknown)


def test_the_sixth_attempt_is_refused_even_with_the_correct_password(client, world):
    responses = [_login(client, "county_staff", WRONG) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 403  # the fifth failure locks

    sixth = _login(client, "county_staff", PASSWORD)
    assert sixth.status_code == 403
    assert _error_box(sixth) == str(GENERIC_LOGIN_ERROR)
    assert not _is_logged_in(client)


def test_failures_from_different_addresses_add_up_and_lock_the_username_everywhere(client, world):
    for number in range(5):
        _login(client, "county_staff", WRONG, ip=f"10.0.1.{number}")
    assert _login(client, "county_staff", PASSWORD, ip="10.0.2.1").status_code == 403


def test_a_lock_on_one_username_does_not_lock_the_address_for_other_users(client, world):
    for _ in range(5):
        _login(client, "county_staff", WRONG, ip="10.0.3.1")
    response = _login(client, "viewer", PASSWORD, ip="10.0.3.1")
    assert response.status_code == 302
    assert _is_logged_in(client)


def test_the_username_and_address_pair_locks_by_itself(client, world, settings):
    """With the username rule switched off, only the (username, address) pair is locked."""
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    for _ in range(5):
        _login(client, "county_staff", WRONG, ip="10.0.4.1")
    assert _login(client, "county_staff", PASSWORD, ip="10.0.4.1").status_code == 403
    assert _login(client, "county_staff", PASSWORD, ip="10.0.4.2").status_code == 302


def test_failed_logins_and_the_lockout_are_in_the_audit_log(client, world):
    for _ in range(5):
        _login(client, "county_staff", WRONG)
    failures = AuditEvent.objects.filter(action="auth.login_failed", actor_username="county_staff")
    assert failures.count() == 5
    assert set(failures.values_list("outcome", flat=True)) == {AuditEvent.Outcome.FAILURE}
    lockout = AuditEvent.objects.get(action="auth.lockout")
    assert lockout.actor_username == "county_staff"
    assert lockout.outcome == AuditEvent.Outcome.DENIED
    assert lockout.ip_address == "10.0.0.1"


def test_an_empty_login_form_asks_for_both_fields_and_logs_nobody_in(client, db):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2
    assert not _is_logged_in(client)


def test_logging_out_needs_a_post_returns_to_the_login_page_and_is_audited(client, world):
    _login(client, "county_staff", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not _is_logged_in(client)
    assert AuditEvent.objects.filter(action="auth.logout", actor=world.users["county_staff"]).exists()


def test_the_login_page_explains_that_the_session_ended(client, db):
    response = client.get(reverse("accounts:login") + "?expired=1&next=/orgs/")
    page = response.content.decode()
    assert "Your session ended. Please log in again." in page
    assert 'name="next" value="/orgs/"' in page


def test_a_logged_in_user_who_opens_the_login_page_goes_home(login):
    client = login("county_staff")
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")


# --- switching organization -----------------------------------------------------------------


@pytest.fixture
def two_roles(world):
    user = world.users["county_staff"]
    second = services.membership_grant(actor=None, user=user, organization=world.county_b, role=Role.VIEWER)
    return user, second


def test_switching_to_another_own_membership_changes_the_scope_and_goes_home(login, two_roles):
    user, second = two_roles
    client = login("county_staff")
    response = client.post(reverse("accounts:switch"), {"membership": second.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")
    user.refresh_from_db()
    assert user.active_membership == second
    assert AuditEvent.objects.filter(action="membership.switch", actor=user).exists()


def test_switching_follows_a_next_page_on_this_site(login, two_roles):
    _, second = two_roles
    response = login("county_staff").post(
        reverse("accounts:switch"), {"membership": second.pk, "next": "/orgs/"}
    )
    assert response["Location"] == "/orgs/"


def test_switching_to_someone_elses_or_a_revoked_membership_is_not_found(login, world, two_roles):
    user, second = two_roles
    client = login("county_staff")
    others = world.users["county_b_staff"].memberships.get()
    assert client.post(reverse("accounts:switch"), {"membership": others.pk}).status_code == 404
    assert client.post(reverse("accounts:switch"), {"membership": "abc"}).status_code == 404
    services.membership_revoke(actor=None, membership=second)
    assert client.post(reverse("accounts:switch"), {"membership": second.pk}).status_code == 404
    user.refresh_from_db()
    assert user.active_membership is None


def test_switching_needs_a_login(client, two_roles):
    _, second = two_roles
    response = client.post(reverse("accounts:switch"), {"membership": second.pk})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert User.objects.get(pk=second.user_id).active_membership is None
