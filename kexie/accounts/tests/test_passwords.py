"""The password policy (等保 2.0 or OWASP ASVS), changing one's password, and the forced
change of a temporary password on every kind of request."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.models import User
from kexie.accounts.passwords import ProfileValidator
from kexie.audit.models import AuditEvent
from kexie.core.testing import PASSWORD

NEW = "Blue-Harbor-2027#"


def _problems(password: str, username: str = "wangfang") -> list[str]:
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        return exc.messages
    return []


# --- the policy --------------------------------------------------------------------------------


def test_the_mlps_policy_refuses_a_password_shorter_than_8_characters():
    assert "The password must be at least 8 characters long." in _problems("Ab1!xyz")


def test_the_mlps_policy_refuses_a_password_of_only_two_character_classes():
    assert (
        "The password must mix three of: lower-case letters, upper-case letters, digits, symbols."
        in _problems("abcdefgh12345")
    )


def test_the_mlps_policy_refuses_a_password_containing_part_of_the_username():
    assert "The password must not contain part of the username." in _problems("Xx-FANG-2026", "wangfang")


def test_the_mlps_policy_refuses_a_common_password():
    assert "This password is too common." in _problems("Password1!")


def test_the_mlps_policy_accepts_a_good_password():
    assert _problems("Kexie-Station-2026") == []


def test_the_asvs_profile_asks_for_12_characters_of_any_kind(settings):
    settings.KEXIE_PASSWORD_PROFILE = "asvs"
    assert "The password must be at least 12 characters long." in _problems("Abcdef-1234")
    assert _problems("correct horse battery") == []  # one class only, but long
    assert "This password is too common." in _problems("password1234")


def test_the_help_text_follows_the_profile(settings):
    assert "At least 8 characters" in ProfileValidator().get_help_text()
    settings.KEXIE_PASSWORD_PROFILE = "asvs"
    assert "At least 12 characters" in ProfileValidator().get_help_text()


# --- changing one's own password ----------------------------------------------------------------


def _change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new if again is None else again},
    )


def test_the_password_page_shows_what_the_policy_asks_for(login):
    page = login("county_staff").get(reverse("accounts:password_change")).content.decode()
    assert "At least 8 characters mixing three of" in page


def test_changing_the_password_keeps_the_user_logged_in_and_is_audited(login, world):
    client = login("county_staff")
    response = _change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")
    assert client.get(reverse("accounts:password_change")).status_code == 200  # still logged in
    user = User.objects.get(username="county_staff")
    assert user.check_password(NEW)
    assert user.password_changed_at is not None
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == user
    assert event.changes == {"password": ["***", "***"]}


def test_a_wrong_current_password_is_refused(login):
    response = _change(login("county_staff"), old="Not-my-pass-1")
    assert response.status_code == 200
    assert "The current password is not correct." in response.content.decode()
    assert User.objects.get(username="county_staff").check_password(PASSWORD)


def test_two_different_new_passwords_are_refused(login):
    response = _change(login("county_staff"), again="Something-else-9")
    assert "The two passwords do not match." in response.content.decode()


def test_a_weak_new_password_is_refused_with_the_policys_reason(login):
    response = _change(login("county_staff"), new="short1A")
    page = response.content.decode()
    assert "The password must be at least 8 characters long." in page
    assert User.objects.get(username="county_staff").check_password(PASSWORD)


def test_the_new_password_must_differ_from_the_current_one(login):
    response = _change(login("county_staff"), new=PASSWORD)
    assert "Choose a password different from the current one." in response.content.decode()


def test_the_password_page_needs_a_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- forced change of a temporary password -------------------------------------------------------


@pytest.fixture
def temporary(world):
    """county_staff after an administrator set a temporary password."""
    user = services.user_set_password(
        actor=None, user=world.users["county_staff"], password="Temp-pass-2026!", by_admin=True
    )
    assert user.must_change_password
    return user


@pytest.fixture
def temp_client(client, temporary):
    client.post(reverse("accounts:login"), {"username": "county_staff", "password": "Temp-pass-2026!"})
    return client


def test_an_account_created_by_an_administrator_must_change_its_password(world):
    user = services.user_create(
        actor=world.users["sysadmin"], username="newcomer", password="Kexie-Station-2026"
    )
    assert user.must_change_password


@pytest.mark.parametrize(
    "url",
    ["/", "/orgs/", "/orgs/tree/", "/audit/", "/accounts/users/", "/accounts/roles/", "/no/such/page/"],
)
def test_a_temporary_password_sends_every_page_to_the_password_change(temp_client, url):
    response = temp_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")


def test_a_temporary_password_turns_htmx_requests_into_a_full_page_redirect(temp_client):
    response = temp_client.get("/orgs/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("accounts:password_change")


def test_a_temporary_password_blocks_form_posts_too(temp_client, world):
    membership = world.users["county_staff"].memberships.get()
    response = temp_client.post(reverse("accounts:switch"), {"membership": membership.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    assert not AuditEvent.objects.filter(action="membership.switch").exists()


def test_a_temporary_password_blocks_the_api_with_a_session_or_a_token(temp_client, temporary, api_client):
    response = temp_client.get("/api/v1/me/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert "temporary password" in response.json()["detail"]
    token_client = api_client("county_staff")
    assert token_client.get("/api/v1/me/").status_code == 403


def test_the_password_page_explains_why_the_user_is_there(temp_client):
    page = temp_client.get(reverse("accounts:password_change")).content.decode()
    assert 'data-testid="password-change-required"' in page
    assert "temporary password set by an administrator" in page


def test_logging_out_is_still_possible_with_a_temporary_password(temp_client):
    response = temp_client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")


def test_after_changing_the_temporary_password_pages_open_again(temp_client, api_client):
    response = _change(temp_client, old="Temp-pass-2026!")
    assert response.status_code == 302
    assert not User.objects.get(username="county_staff").must_change_password
    page = temp_client.get(reverse("accounts:password_change")).content.decode()
    assert 'data-testid="password-change-required"' not in page
    assert temp_client.get("/audit/").status_code == 403  # an ordinary answer, not the redirect
    assert api_client("county_staff").get("/api/v1/me/").status_code == 200
