from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from kexie.accounts.models import Membership, User
from kexie.core.scoping import Scope
from kexie.core.validators import validate_credit_code, validate_phone
from kexie.orgs import selectors
from kexie.orgs.demo import PERSONAS, plan_network
from kexie.orgs.models import BoardTerm, Kind, LeaderAppointment, Organization, Status

SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One scale-S network for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", scale="S", seed=SEED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def city(demo, db):
    return Organization.objects.get(name="示例市科学技术协会")


def city_scope(username: str = "city_admin") -> Scope:
    membership = Membership.objects.select_related("organization").get(user__username=username)
    return Scope(user=membership.user, membership=membership)


def test_seed_demo_builds_every_kind_of_organization(city):
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    assert 300 <= Organization.objects.count() <= 600
    city_kinds = set(Organization.objects.subtree(city).values_list("kind", flat=True))
    assert city_kinds >= set(Kind.values) - {Kind.PROVINCE_ASSOCIATION}


def test_the_demo_city_has_counties_towns_zones_and_forty_societies(city):
    children = Organization.objects.filter(parent=city)
    assert children.filter(kind=Kind.COUNTY_ASSOCIATION).count() >= 6
    assert children.filter(kind=Kind.SOCIETY, status=Status.ACTIVE).count() >= 40
    assert {"高新区科协", "经开区科协"} <= set(children.values_list("short_name", flat=True))
    names = set(Organization.objects.subtree(city).values_list("name", flat=True))
    assert {
        "示例市城关区科学技术协会",
        "示例市计算机学会",
        "示例大学科学技术协会",
        "示例市科学技术馆",
    } <= names
    for county in children.filter(kind=Kind.COUNTY_ASSOCIATION):
        assert county.children.filter(kind=Kind.TOWN_ASSOCIATION).exists()


def test_societies_have_board_terms_leaders_and_some_reelections_are_overdue(city):
    scope = city_scope()
    overdue = selectors.overdue_reelections(scope=scope)
    upcoming = selectors.upcoming_reelections(scope=scope)
    assert overdue.count() >= 3 and upcoming.count() >= 1
    computer = Organization.objects.get(name="示例市计算机学会")
    term = BoardTerm.objects.get(organization=computer, ended_on=None)
    assert term.council_size and term.standing_council_size <= term.council_size
    chair = LeaderAppointment.objects.get(organization=computer, position="chair", ended_on=None)
    assert computer.legal_representative == chair.person_name
    assert 2 <= len(chair.person_name) <= 3


def test_party_coverage_is_partial_and_seventeen_societies_wrote_it_into_the_charter(city):
    stats = selectors.network_statistics(scope=city_scope())
    assert 0 < stats.party.covered < stats.party.societies
    city_societies = Organization.objects.filter(parent=city, kind=Kind.SOCIETY)
    assert city_societies.filter(party_building_in_charter=True).count() == 17
    joint = Organization.objects.filter(kind=Kind.PARTY_BRANCH, name__contains="联合")
    assert any(branch.covered_organizations.count() >= 2 for branch in joint)


def test_the_network_grew_over_the_years_and_has_dissolved_organizations(city):
    years = [org.founded_on.year for org in Organization.objects.exclude(founded_on=None)]
    assert min(years) <= 1985 and max(years) >= 2024
    assert sum(y >= 2015 for y in years) > sum(y < 2005 for y in years)
    dissolved = Organization.objects.filter(status=Status.DISSOLVED)
    assert dissolved.exists()
    assert all(org.dissolved_on >= org.founded_on for org in dissolved)


def test_identifiers_are_valid(city):
    orgs = Organization.objects.all()
    assert sum(1 for o in orgs if o.credit_code) >= 50
    assert sum(1 for o in orgs if o.contact_phone) >= 150
    for org in orgs:
        validate_credit_code(org.credit_code)
        validate_phone(org.contact_phone)
    assert Organization.objects.get(name="示例省科学技术协会").division_id == "340000"


def test_the_personas_can_log_in_with_the_demo_password(city):
    for persona in PERSONAS:
        user = User.objects.get(username=persona.username)
        assert user.check_password(settings.KEXIE_DEMO_PASSWORD)
        assert not user.must_change_password
        assert Membership.objects.filter(user=user, role=persona.role).count() == 1
    assert Membership.objects.get(user__username="county_staff").organization.short_name == "城关区科协"
    assert Membership.objects.get(user__username="society_secretary").organization.name == "示例市计算机学会"
    assert Membership.objects.get(user__username="auditor").organization.kind == Kind.PROVINCE_ASSOCIATION


def test_demo_logins_prints_the_personas_with_the_password(city):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text and settings.KEXIE_DEMO_PASSWORD in text
    for persona in PERSONAS:
        assert persona.username in text
    assert "示例市科协" in text and "城关区科协" in text


def test_seeding_again_refuses_and_if_empty_does_nothing(city):
    before = Organization.objects.count()
    with pytest.raises(CommandError, match="already has"):
        call_command("seed_demo", scale="S", seed=SEED, stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", scale="S", seed=SEED, stdout=out)
    assert "already has" in out.getvalue()
    assert Organization.objects.count() == before


def test_the_database_holds_exactly_the_plan(city):
    plan = plan_network(scale="S", seed=SEED)
    built = list(Organization.objects.order_by("pk").values_list("name", "kind", "parent__name"))
    names = {spec.key: spec.name for spec in plan.orgs}
    assert built == [(s.name, s.kind, names.get(s.parent)) for s in plan.orgs]


def test_the_same_seed_gives_the_same_network_and_another_seed_another():
    first = [spec.as_dict() for spec in plan_network(scale="S", seed=11, today=date(2026, 5, 1)).orgs]
    second = [spec.as_dict() for spec in plan_network(scale="S", seed=11, today=date(2026, 5, 1)).orgs]
    other = [spec.as_dict() for spec in plan_network(scale="S", seed=12, today=date(2026, 5, 1)).orgs]
    assert first == second
    assert first != other


def test_demo_logins_prints_nothing_without_the_demo_personas(city):
    User.objects.update(is_active=False)  # as on a database whose users are not the demo's
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert out.getvalue() == ""
