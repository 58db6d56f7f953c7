"""Every URL, every kind of visitor.

The URL patterns are enumerated from the resolver; each named route must have a row in
CASES (or be on the public allow-list). For each row the matrix checks:

- anonymous: a login redirect (HTML) or 401 (API), unless public;
- the owner persona: neither 403 nor 404 (nor a server error);
- a sibling county's staff: 404 for anything belonging to county A's subtree;
- a read-only viewer (city level, so county A is inside their scope): 403 on writes;
- a persona without the route's permission: 403.

A new URL without a row fails `test_every_url_pattern_has_a_row_in_the_matrix`.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kexie.activities.testing import build_events
from kexie.audit.models import AuditEvent
from kexie.core.testing import World
from tests import permission_cases
from tests.permission_cases import (  # noqa: F401  shared with the area modules
    A_USER,
    NOT_AUDITOR,
    NOT_SECADMIN,
    NOT_SECADMIN_COUNTY_B,
    NOT_SYSADMIN,
    NOT_SYSADMIN_COUNTY_A,
    ORDINARY,
    ORG,
    PUBLIC,
    SOCIETY,
    Case,
)

CASES: dict[str, Case] = {
    # --- organization network: reading ---
    "orgs:overview": Case(),
    "orgs:tree": Case(),
    "orgs:tree_children": Case(kwargs=lambda w: {"pk": w.county_a.pk}, target="county_a"),
    "orgs:list": Case(),
    "orgs:export": Case(forbidden=("auditor", "sysadmin")),
    "orgs:reelections": Case(),
    "orgs:stats": Case(),
    "orgs:stats_export": Case(forbidden=("auditor",)),
    "orgs:detail": Case(kwargs=ORG, target="county_a", forbidden=("auditor", "sysadmin")),
    "orgs:contact_reveal": Case(
        kwargs=ORG,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff",),
        data=lambda w: {"reason": "核对联系人"},
    ),
    # --- organization network: changing ---
    "orgs:create": Case(
        query=lambda w: f"?parent={w.county_a.pk}",
        method="POST",
        write=True,
        forbidden=("auditor", "sysadmin"),
    ),
    "orgs:update": Case(kwargs=ORG, method="POST", target="county_a", write=True),
    "orgs:move": Case(
        kwargs=ORG,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff",),
    ),
    "orgs:dissolve": Case(
        kwargs=ORG,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff",),
    ),
    "orgs:board_term_create": Case(kwargs=SOCIETY, method="POST", owner="city_admin", write=True),
    "orgs:leader_appoint": Case(kwargs=ORG, method="POST", target="county_a", write=True),
    "orgs:party_coverage": Case(
        kwargs=lambda w: {"pk": w.party_branch.pk}, method="POST", owner="city_admin", write=True
    ),
    "orgs:import": Case(method="POST", owner="city_admin", write=True, forbidden=("county_staff",)),
    "orgs:import_template": Case(owner="city_admin", forbidden=("county_staff", "viewer")),
    "orgs:import_preview": Case(
        kwargs=lambda w: {"token": "0" * 32},
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=("county_staff",),
    ),
    # --- accounts: everyone ---
    "accounts:logout": Case(method="POST"),
    "accounts:password_change": Case(),
    "accounts:switch": Case(
        method="POST", data=lambda w: {"membership": w.users["county_staff"].memberships.get().pk}
    ),
    # --- accounts: the system administrator ---
    "accounts:user_list": Case(owner="sysadmin", forbidden=NOT_SYSADMIN),
    "accounts:user_export": Case(owner="sysadmin", forbidden=NOT_SYSADMIN),
    "accounts:user_create": Case(owner="sysadmin", method="POST", forbidden=NOT_SYSADMIN),
    "accounts:user_detail": Case(
        owner="sysadmin", kwargs=A_USER, target="county_a", forbidden=NOT_SYSADMIN_COUNTY_A
    ),
    "accounts:user_disable": Case(
        owner="sysadmin", kwargs=A_USER, target="county_a", method="POST", forbidden=NOT_SYSADMIN_COUNTY_A
    ),
    "accounts:user_enable": Case(
        owner="sysadmin", kwargs=A_USER, target="county_a", method="POST", forbidden=NOT_SYSADMIN_COUNTY_A
    ),
    "accounts:user_reset_password": Case(
        owner="sysadmin", kwargs=A_USER, target="county_a", method="POST", forbidden=NOT_SYSADMIN_COUNTY_A
    ),
    # --- accounts: the security administrator ---
    "accounts:membership_list": Case(owner="secadmin", forbidden=NOT_SECADMIN),
    "accounts:membership_export": Case(owner="secadmin", forbidden=NOT_SECADMIN),
    "accounts:membership_grant": Case(owner="secadmin", method="POST", forbidden=NOT_SECADMIN),
    "accounts:membership_revoke": Case(
        owner="secadmin",
        method="POST",
        forbidden=NOT_SECADMIN_COUNTY_B,
        kwargs=lambda w: {"pk": w.users["county_b_staff"].memberships.get().pk},
    ),
    "accounts:lockout_list": Case(owner="secadmin", forbidden=NOT_SECADMIN),
    "accounts:lockout_reset": Case(
        owner="secadmin", method="POST", forbidden=NOT_SECADMIN, data=lambda w: {"username": "county_staff"}
    ),
    # --- audit: the audit administrator only ---
    "audit:list": Case(owner="auditor", forbidden=NOT_AUDITOR),
    "audit:export": Case(owner="auditor", forbidden=NOT_AUDITOR),
    "audit:detail": Case(
        owner="auditor",
        forbidden=NOT_AUDITOR,
        kwargs=lambda w: {"pk": AuditEvent.objects.order_by("pk").first().pk},
    ),
    # --- API ---
    "orgs_api:organization_list": Case(api=True, forbidden=("auditor",)),
    "orgs_api:organization_detail": Case(kwargs=ORG, target="county_a", api=True, forbidden=("auditor",)),
    "orgs_api:organization_children": Case(
        kwargs=lambda w: {"pk": w.county_a.pk}, target="county_a", api=True, forbidden=("auditor",)
    ),
    "orgs_api:organization_history": Case(kwargs=ORG, target="county_a", api=True, forbidden=("auditor",)),
    "orgs_api:organization_board_terms": Case(
        kwargs=ORG, target="county_a", api=True, forbidden=("auditor",)
    ),
    "orgs_api:organization_leaders": Case(kwargs=ORG, target="county_a", api=True, forbidden=("auditor",)),
    "orgs_api:organization_move": Case(
        kwargs=ORG,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        api=True,
        forbidden=("county_staff", "auditor"),
    ),
    "orgs_api:organization_dissolve": Case(
        kwargs=ORG,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        api=True,
        forbidden=("county_staff", "auditor"),
    ),
    "orgs_api:overdue_reelections": Case(api=True, forbidden=("auditor",)),
    "orgs_api:network_statistics": Case(api=True, forbidden=("auditor",)),
    "accounts_api:me": Case(api=True),
    "accounts_api:membership_list": Case(api=True),
    "accounts_api:membership_activate": Case(
        kwargs=lambda w: {"pk": w.users["county_staff"].memberships.get().pk}, method="POST", api=True
    ),
    "api-schema": Case(api=True),
    "api-docs": Case(),
}


# Rows of the other modules live beside this file, one module per area of the product.
for _module in sorted(pkgutil.iter_modules(permission_cases.__path__), key=lambda m: m.name):
    _rows = importlib.import_module(f"{permission_cases.__name__}.{_module.name}").CASES
    assert not set(_rows) & set(CASES), f"rows defined twice: {set(_rows) & set(CASES)}"
    CASES.update(_rows)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}{entry.name}" if entry.name else str(entry.pattern)), entry


def all_url_names() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns)}


def test_every_url_pattern_has_a_row_in_the_matrix():
    uncovered = sorted(all_url_names() - set(CASES) - PUBLIC)
    assert uncovered == [], f"URLs without a permission-matrix row: {uncovered}"


def test_the_matrix_has_no_rows_for_urls_that_no_longer_exist():
    assert sorted(set(CASES) - all_url_names()) == []


@pytest.fixture
def matrix_world(world, talent):
    from kexie.core.testing import make_org
    from kexie.orgs.models import Kind

    world.party_branch = make_org(world.party_committee, Kind.PARTY_BRANCH, "示例市计算机学会联合党支部")
    world.talent = talent
    world.users = _Personas(world.users, portal=lambda: _portal_user(talent.person_a))
    world.events = _OnFirstUse(lambda: build_events(world, talent))
    return world


class _OnFirstUse:
    """The activities of the test world (kexie/activities/testing.py), built when a row
    first asks for one: most rows never do."""

    def __init__(self, build):
        self._build, self._built = build, None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._built is None:
            self._built = self._build()
        return getattr(self._built, name)


class _Personas(dict):
    """The world's personas, plus "portal" (the personal-portal account of 张伟), made on first use."""

    def __init__(self, users, *, portal):
        super().__init__(users)
        self._portal = portal

    def __missing__(self, name):
        if name != "portal":
            raise KeyError(name)
        self[name] = self._portal()
        return self[name]


def _portal_user(person):
    from kexie.accounts.services import user_set_password
    from kexie.core.testing import PASSWORD
    from kexie.people.services.privacy import portal_account_create

    account = portal_account_create(actor=None, person=person, username="portal")
    return user_set_password(actor=account.user, user=account.user, password=PASSWORD)


def _request(client, case: Case, world: World, name: str):
    url = reverse(name, kwargs=case.kwargs(world)) + case.query(world)
    headers = {"HTTP_ACCEPT": "application/json"} if case.api else {}
    if case.method == "GET":
        return client.get(url, **headers)
    if case.api:
        return client.generic(case.method, url, data="{}", content_type="application/json", **headers)
    return client.generic(
        case.method, url, data=_form(case.data(world)), content_type="application/x-www-form-urlencoded"
    )


def _form(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def _client_for(persona: str | None, world: World, api: bool):
    from django.test import Client
    from rest_framework.test import APIClient

    client = APIClient() if api else Client()
    if persona is not None:
        client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous_visitors_are_sent_to_log_in(name, matrix_world):
    case = CASES[name]
    response = _request(_client_for(None, matrix_world, case.api), case, matrix_world, name)
    if case.api:
        assert response.status_code == 401, name
    else:
        assert response.status_code == 302, name
        assert reverse("accounts:login") in response["Location"], name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_owner_reaches_the_url(name, matrix_world):
    case = CASES[name]
    response = _request(_client_for(case.owner, matrix_world, case.api), case, matrix_world, name)
    assert response.status_code not in (401, 403, 404), (name, response.status_code)
    assert response.status_code < 500, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.target == "county_a"))
def test_a_sibling_county_gets_404_for_county_a_objects(name, matrix_world):
    case = CASES[name]
    case.kwargs(matrix_world), case.query(matrix_world), case.data(matrix_world)  # objects built first
    before = AuditEvent.objects.exclude(action__startswith="auth.").count()
    response = _request(_client_for("county_b_staff", matrix_world, case.api), case, matrix_world, name)
    assert response.status_code == 404, (name, response.status_code)
    assert AuditEvent.objects.exclude(action__startswith="auth.").count() == before, "nothing was written"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.write))
def test_a_read_only_viewer_gets_403_on_writes(name, matrix_world):
    case = CASES[name]
    response = _request(_client_for("viewer", matrix_world, case.api), case, matrix_world, name)
    assert response.status_code == 403, (name, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name,persona", sorted((n, p) for n, c in CASES.items() for p in c.forbidden))
def test_personas_without_the_permission_get_403(name, persona, matrix_world):
    case = CASES[name]
    response = _request(_client_for(persona, matrix_world, case.api), case, matrix_world, name)
    assert response.status_code == 403, (name, persona, response.status_code)
