"""Sessions end after idle time and after an absolute lifetime; disabling an account ends them at once."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.models import User
from kexie.audit.models import AuditEvent
from kexie.core.testing import PASSWORD

PAGE = "/accounts/password/"  # any page that needs a login (and belongs to this app)


def _set_clock(client, **values):
    session = client.session
    for key, value in values.items():
        session[f"kexie_{key}"] = value
    session.save()


def _logged_in(client) -> bool:
    return client.get(PAGE).status_code == 200


def _sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


@pytest.fixture
def staff(client, world):
    client.post(reverse("accounts:login"), {"username": "county_staff", "password": PASSWORD})
    assert _logged_in(client)
    return client


def test_a_login_starts_both_session_clocks(staff):
    session = staff.session
    assert time.time() - session["kexie_started"] < 60
    assert time.time() - session["kexie_last_seen"] < 60


def test_activity_within_the_idle_time_keeps_the_session_and_moves_the_clock(staff, settings):
    _set_clock(staff, last_seen=time.time() - settings.KEXIE_SESSION_IDLE_SECONDS + 60)
    assert _logged_in(staff)
    assert time.time() - staff.session["kexie_last_seen"] < 60


def test_requests_close_together_read_the_session_without_writing_it(staff):
    seen = time.time() - 5
    _set_clock(staff, last_seen=seen)
    assert _logged_in(staff)
    assert staff.session["kexie_last_seen"] == seen  # moved only once a minute has passed


def test_an_idle_session_is_logged_out_and_sent_to_the_login_page(staff, settings, world):
    _set_clock(staff, last_seen=time.time() - settings.KEXIE_SESSION_IDLE_SECONDS - 1)
    response = staff.get("/orgs/?q=abc")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Forgs%2F%3Fq%3Dabc&expired=1"
    assert "Your session ended" in staff.get(response["Location"]).content.decode()
    assert not _logged_in(staff)
    event = AuditEvent.objects.filter(action="auth.logout").latest("id")
    assert event.actor == world.users["county_staff"]
    assert event.detail == {"reason": "idle"}


def test_the_idle_time_follows_the_setting(staff, settings):
    settings.KEXIE_SESSION_IDLE_SECONDS = 5
    _set_clock(staff, last_seen=time.time() - 6)
    assert not _logged_in(staff)


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(staff, settings):
    settings.SESSION_COOKIE_AGE = 3600
    _set_clock(staff, started=time.time() - 3601, last_seen=time.time())
    response = staff.get(PAGE)
    assert response.status_code == 302
    assert "expired=1" in response["Location"]
    assert not _logged_in(staff)
    assert AuditEvent.objects.filter(action="auth.logout", detail__reason="lifetime").exists()


def test_an_expired_htmx_request_reloads_the_whole_page_on_the_login_form(staff, settings):
    _set_clock(staff, last_seen=time.time() - settings.KEXIE_SESSION_IDLE_SECONDS - 1)
    response = staff.get(
        "/orgs/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/orgs/?kind=society"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Forgs%2F%3Fkind%3Dsociety&expired=1"


def test_an_expired_api_call_is_answered_as_unauthenticated_not_redirected(staff, settings):
    _set_clock(staff, last_seen=time.time() - settings.KEXIE_SESSION_IDLE_SECONDS - 1)
    response = staff.get("/api/v1/me/", HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    assert "Location" not in response


def test_disabling_an_account_ends_all_of_its_sessions(staff, world):
    other_device = Client()
    other_device.post(reverse("accounts:login"), {"username": "county_staff", "password": PASSWORD})
    user = world.users["county_staff"]
    assert _sessions_of(user) == 2

    services.user_set_active(actor=world.users["sysadmin"], user=user, active=False)

    assert _sessions_of(user) == 0
    assert not _logged_in(staff)
    assert not _logged_in(other_device)
    event = AuditEvent.objects.get(action="user.disable")
    assert event.detail == {"sessions_ended": 2}


def test_a_disabled_account_whose_session_survived_is_still_refused(staff, world):
    User.objects.filter(username="county_staff").update(is_active=False)  # behind the services' back
    response = staff.get(PAGE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_disabled_account_cannot_log_in_again(client, world):
    services.user_set_active(actor=None, user=world.users["county_staff"], active=False)
    client.post(reverse("accounts:login"), {"username": "county_staff", "password": PASSWORD})
    assert not _logged_in(client)


def test_a_re_enabled_account_can_log_in(client, world):
    user = world.users["county_staff"]
    services.user_set_active(actor=None, user=user, active=False)
    services.user_set_active(actor=None, user=user, active=True)
    client.post(reverse("accounts:login"), {"username": "county_staff", "password": PASSWORD})
    assert _logged_in(client)


def test_changing_the_password_logs_out_the_other_devices(staff, world):
    other_device = Client()
    other_device.post(reverse("accounts:login"), {"username": "county_staff", "password": PASSWORD})
    staff.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Blue-Harbor-2027#",
            "new_password2": "Blue-Harbor-2027#",
        },
    )
    assert _logged_in(staff)
    assert not _logged_in(other_device)
