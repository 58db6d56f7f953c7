"""Fixtures every test can use: the network, the personas, logged-in clients.

The world (built through the services, as real data is):

    示例省科协 (province)
    └── 示例市科协 (city)                  city_admin (org admin), viewer (read-only)
        ├── 甲县科协 (county)              county_staff (staff)
        │   └── 甲镇科协 (town)
        ├── 乙县科协 (county)              county_b_staff (staff)
        │   └── 乙镇科协 (town)
        ├── 示例市计算机学会 (society)     society_secretary
        └── 科技社团党委 (party committee)

sysadmin, secadmin and auditor hold the separated administrator roles at the province.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connections
from django.db.models.signals import post_migrate

from kexie.accounts import services as account_services
from kexie.accounts.roles import Role
from kexie.orgs import services as org_services
from kexie.orgs.models import Kind, Organization

PASSWORD = "Test-pass-2026!"


@dataclass
class World:
    province: Organization
    city: Organization
    county_a: Organization
    town_a: Organization
    county_b: Organization
    town_b: Organization
    society: Organization
    party_committee: Organization
    users: dict


def make_org(parent, kind, name, **fields) -> Organization:
    return org_services.organization_create(
        actor=None, parent=parent, data=org_services.OrganizationData(name=name, kind=kind, **fields)
    )


def make_user(username: str, organization: Organization | None = None, role: str | None = None):
    user = account_services.user_create(
        actor=None, username=username, password=PASSWORD, display_name=username, must_change_password=False
    )
    if organization is not None:
        account_services.membership_grant(actor=None, user=user, organization=organization, role=role)
    return user


def build_world() -> World:
    province = make_org(None, Kind.PROVINCE_ASSOCIATION, "示例省科学技术协会", short_name="示例省科协")
    city = make_org(
        province,
        Kind.CITY_ASSOCIATION,
        "示例市科学技术协会",
        short_name="示例市科协",
        contact_person="王芳",
        contact_phone="13800138000",
    )
    county_a = make_org(city, Kind.COUNTY_ASSOCIATION, "甲县科学技术协会", short_name="甲县科协")
    town_a = make_org(county_a, Kind.TOWN_ASSOCIATION, "甲镇科学技术协会", short_name="甲镇科协")
    county_b = make_org(city, Kind.COUNTY_ASSOCIATION, "乙县科学技术协会", short_name="乙县科协")
    town_b = make_org(county_b, Kind.TOWN_ASSOCIATION, "乙镇科学技术协会", short_name="乙镇科协")
    society = make_org(city, Kind.SOCIETY, "示例市计算机学会", founded_on=date(2001, 5, 20))
    org_services.board_term_start(
        actor=None, organization=society, started_on=date(2016, 6, 1), length_years=5
    )
    party = make_org(city, Kind.PARTY_COMMITTEE, "示例市科技社团党委")
    users = {
        "city_admin": make_user("city_admin", city, Role.ORG_ADMIN),
        "viewer": make_user("viewer", city, Role.VIEWER),
        "county_staff": make_user("county_staff", county_a, Role.STAFF),
        "county_b_staff": make_user("county_b_staff", county_b, Role.STAFF),
        "society_secretary": make_user("society_secretary", society, Role.SOCIETY_SECRETARY),
        "sysadmin": make_user("sysadmin", province, Role.SYSTEM_ADMIN),
        "secadmin": make_user("secadmin", province, Role.SECURITY_ADMIN),
        "auditor": make_user("auditor", province, Role.AUDIT_ADMIN),
        "nobody": make_user("nobody"),
    }
    return World(province, city, county_a, town_a, county_b, town_b, society, party, users)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client, world):
    """`login("county_staff")` logs the test client in as that persona and returns it."""

    def _login(name: str):
        client.force_login(world.users[name], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def api_client(world):
    """`api_client("county_staff")`: a DRF client authenticated with that persona's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def _client(name: str | None = None):
        client = APIClient()
        if name:
            token, _ = Token.objects.get_or_create(user=world.users[name])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


def restore_reference_data(sender=None, using="default", **kwargs):
    """After a transactional test's flush (which emits post_migrate), put back the reference
    data that migrations load: the division list, disciplines and tags, activity kinds (the
    volunteer service's too), target groups and campaigns. Tests that run after a flush in
    the same worker would otherwise see empty tables."""
    from django.apps import apps as global_apps

    if sender is not None and sender.label == "activities":
        if not global_apps.get_model("activities", "ActivityKind").objects.using(using).exists():
            import importlib

            importlib.import_module("kexie.activities.migrations.0002_reference_data").load(global_apps, None)
        return
    if sender is not None and sender.label == "volunteers":
        # the kind a volunteer service is recorded as (after the activities' own kinds)
        import importlib

        importlib.import_module("kexie.volunteers.migrations.0002_activity_kind").add_kind(global_apps, None)
        return
    if sender is None or sender.label != "people":
        return
    from kexie.orgs.divisions import load_shipped
    from kexie.people.models import Discipline, Tag

    if not global_apps.get_model("orgs", "Division").objects.using(using).exists():
        load_shipped(global_apps.get_model("orgs", "Division"))
    if not Discipline.objects.using(using).exists() and not Tag.objects.using(using).exists():
        import importlib

        seed = importlib.import_module("kexie.people.migrations.0002_disciplines_and_tags").seed
        seed(global_apps, None)


post_migrate.connect(restore_reference_data, dispatch_uid="kexie-tests-restore-reference-data")


@pytest.fixture(autouse=True)
def audit_triggers_lifted_for_flush(request):
    """Transactional tests end by emptying every table. SQLite deletes row by row, which the
    append-only triggers reject, so they are lifted for the flush; the audit app's
    post_migrate handler puts them back right after it."""
    from kexie.audit import triggers

    marker = request.node.get_closest_marker("django_db")
    by_marker = marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
    )
    by_fixture = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not (by_marker or by_fixture):
        yield
        return
    # Requested here so that our teardown runs before the flush in theirs.
    request.getfixturevalue("_django_db_helper" if by_marker else "transactional_db")
    yield
    for alias in connections:
        if connections[alias].vendor == "sqlite":
            triggers.remove(connections[alias])
