"""/api/v1/me/: the caller, their memberships, switching the active one."""

import pytest
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.models import Membership
from kexie.accounts.roles import Role
from kexie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "accounts_api:me"
MEMBERSHIPS = "accounts_api:membership_list"


def activate_url(membership) -> str:
    return reverse("accounts_api:membership_activate", kwargs={"pk": membership.pk})


@pytest.fixture
def two_counties(world):
    """county_staff also works at county B, so they hold two memberships."""
    user = world.users["county_staff"]
    second = services.membership_grant(actor=None, user=user, organization=world.county_b, role=Role.STAFF)
    return user, Membership.objects.get(user=user, organization=world.county_a), second


def organization_names(client) -> set[str]:
    response = client.get(reverse("orgs_api:organization_list"))
    return {row["name"] for row in response.json()["results"]}


def test_me_shows_the_caller_and_the_active_membership(world, api_client):
    response = api_client("county_staff").get(reverse(ME))
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["display_name"]) == ("county_staff", "county_staff")
    membership = body["active_membership"]
    assert membership["organization"] == world.county_a.pk
    assert membership["organization_name"] == world.county_a.name
    assert membership["role"] == Role.STAFF and membership["role_display"]
    assert membership["is_current"] is True
    assert "orgs.change" in body["permissions"] and "orgs.manage" not in body["permissions"]


def test_me_works_for_an_account_without_a_role(world, api_client):
    response = api_client("nobody").get(reverse(ME))
    assert response.status_code == 200
    assert response.json()["active_membership"] is None and response.json()["permissions"] == []


def test_me_refuses_anonymous_callers(world, api_client):
    client = api_client()
    for url in (reverse(ME), reverse(MEMBERSHIPS)):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert client.post(activate_url(Membership.objects.first())).status_code == 401


def test_memberships_lists_only_the_callers(world, api_client, two_counties):
    _, first, second = two_counties
    rows = api_client("county_staff").get(reverse(MEMBERSHIPS)).json()
    assert {row["id"] for row in rows} == {first.pk, second.pk}
    assert {row["organization_name"] for row in rows} == {world.county_a.name, world.county_b.name}
    assert [row["is_current"] for row in rows if row["id"] == first.pk] == [True]
    others = api_client("county_b_staff").get(reverse(MEMBERSHIPS)).json()
    assert [row["organization"] for row in others] == [world.county_b.pk]


def test_activating_a_membership_switches_the_scope(world, api_client, two_counties):
    user, _, second = two_counties
    client = api_client("county_staff")
    assert organization_names(client) == {"甲县科学技术协会", "甲镇科学技术协会"}
    response = client.post(activate_url(second))
    assert response.status_code == 200, response.json()
    assert response.json()["active_membership"]["organization"] == world.county_b.pk
    assert organization_names(client) == {"乙县科学技术协会", "乙镇科学技术协会"}
    user.refresh_from_db()
    assert user.active_membership == second
    event = AuditEvent.objects.get(action="membership.switch")
    assert event.actor == user and event.object_id == str(second.pk)


def test_someone_elses_membership_is_404(world, api_client):
    theirs = Membership.objects.get(user=world.users["county_b_staff"])
    response = api_client("county_staff").post(activate_url(theirs))
    assert response.status_code == 404
    world.users["county_staff"].refresh_from_db()
    assert world.users["county_staff"].active_membership is None


def test_a_revoked_membership_cannot_be_activated(world, api_client, two_counties):
    _, _, second = two_counties
    services.membership_revoke(actor=None, membership=second)
    response = api_client("county_staff").post(activate_url(second))
    assert response.status_code == 400
    assert organization_names(api_client("county_staff")) == {"甲县科学技术协会", "甲镇科学技术协会"}
