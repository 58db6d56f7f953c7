"""The demo talent pool that `seed_demo` builds on top of the demo network."""

import random
from collections import Counter
from datetime import date
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from stdnum.cn import ric, uscc

from kexie.accounts.models import Membership
from kexie.audit.models import AuditEvent
from kexie.core.chinese import name_keys, to_traditional
from kexie.core.scoping import Scope
from kexie.orgs.models import BoardTerm, Kind, LeaderAppointment, LeaderPosition, Organization
from kexie.people.demo import PeoplePlanner, load_network
from kexie.people.models import (
    BoardRole,
    BoardSeat,
    Consent,
    Honour,
    Person,
    SocietyMembership,
    TalentList,
    TeamMember,
    Unit,
    Visit,
)
from kexie.people.selectors.people import PersonFilter, person_list
from kexie.people.services.people import id_number_of, mobile_of

SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One scale-S network with its talent pool for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", scale="S", seed=SEED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def city(demo, db):
    return Organization.objects.get(name="示例市科学技术协会")


def scope_of(username: str) -> Scope:
    membership = Membership.objects.select_related("organization", "user").get(user__username=username)
    return Scope(user=membership.user, membership=membership)


def test_seed_demo_reports_the_talent_pool_it_created(demo):
    assert "Created 2000 people" in demo


def test_scale_s_has_two_thousand_people_with_units_memberships_honours_visits_and_lists(city):
    assert Person.objects.count() == 2000
    assert Unit.objects.count() > 100
    assert SocietyMembership.objects.filter(person__isnull=False).count() > 300
    assert SocietyMembership.objects.filter(unit__isnull=False).exists()
    assert Honour.objects.filter(person__isnull=False).exists()
    assert Honour.objects.filter(recipient_organization__isnull=False).exists()
    # About 40 visits a year in the demo city (DOMAIN.md), over five years, none in the future.
    visits = Visit.objects.filter(organization__path__startswith=city.path)
    assert 150 <= visits.count() <= 200
    assert not Visit.objects.filter(visited_on__gt=date.today()).exists()
    names = set(TalentList.objects.filter(organization=city).values_list("name", flat=True))
    assert {"家乡院士名录", "博士俱乐部", "专家库"} <= names


def test_id_numbers_are_valid_unique_and_give_the_birth_date(city):
    people = list(Person.objects.all())
    with_id = [p for p in people if p.id_number_index]
    assert 0.7 < len(with_id) / len(people) < 0.9  # about 20% registered without one
    for person in with_id:
        number = id_number_of(person)
        assert ric.is_valid(number), number
        assert ric.get_birth_date(number) == person.birth_date
        assert ("male" if int(number[16]) % 2 else "female") == person.gender
    assert len({p.id_number_index for p in with_id}) == len(with_id)


def test_mobiles_are_valid_mainland_mobiles(city):
    for person in Person.objects.exclude(mobile_encrypted="")[:500]:
        number = mobile_of(person)
        assert number[:2] in {"13", "15", "18", "19"}
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")), number


def test_units_have_valid_unique_credit_codes_and_search_keys(city):
    codes = list(Unit.objects.exclude(credit_code="").values_list("credit_code", flat=True))
    assert codes and all(uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert not Unit.objects.filter(search_text="").exists()


def test_surnames_follow_the_census_with_a_tail_of_two_character_ones(city):
    planner = PeoplePlanner(scale="S", rng=random.Random(1), today=date(2026, 5, 1), network=load_network())
    surnames = Counter()
    for _ in range(20_000):
        name = planner.name(True, 1980)
        surnames[name[:2] if name[:2] in {"欧阳", "上官", "司马", "诸葛"} else name[0]] += 1
    assert {s for s, _ in surnames.most_common(3)} == {"王", "李", "张"}
    assert surnames["欧阳"] > 0
    stored = Counter(name[0] for name in Person.objects.values_list("name", flat=True))
    assert {s for s, _ in stored.most_common(5)} & {"王", "李", "张"}


def test_people_are_found_by_name_pinyin_initials_and_traditional_characters(city):
    scope = scope_of("city_admin")
    person = (
        Person.objects.filter(organization__path__startswith=city.path, name__regex=r"^[王李张刘陈].{2}$")
        .order_by("pk")
        .first()
    )
    _folded, pinyin, initials = name_keys(person.name)
    for query in (person.name, person.name[1:], pinyin, initials, to_traditional(person.name)):
        found = person_list(scope=scope, filters=PersonFilter(query=query))
        assert found.filter(pk=person.pk).exists(), query


def test_memberships_are_only_in_active_societies_and_never_of_minors(city):
    memberships = SocietyMembership.objects.all()
    assert not memberships.exclude(society__kind=Kind.SOCIETY).exists()
    assert not memberships.exclude(society__status="active").exists()
    assert not memberships.filter(person__birth_date__year__gte=2010).exists()
    numbers = memberships.values("society", "number").annotate(n=Count("id")).filter(n__gt=1)
    assert not numbers.exists()


def test_board_seats_fill_current_terms_and_the_appointed_chair_holds_the_chair(city):
    seats = BoardSeat.objects.select_related("board_term", "person")
    assert seats.exists()
    assert not seats.exclude(board_term__ended_on__isnull=True).exists()
    society = Organization.objects.get(name="示例市计算机学会")
    term = BoardTerm.objects.get(organization=society, ended_on__isnull=True)
    chair = LeaderAppointment.objects.get(
        organization=society, position=LeaderPosition.CHAIR, ended_on__isnull=True
    )
    assert seats.get(board_term=term, role=BoardRole.CHAIR).person.name == chair.person_name
    # Everyone seated is an active member of the society.
    for seat in seats.filter(board_term=term):
        assert SocietyMembership.objects.filter(society=society, person=seat.person, status="active").exists()


def test_phd_tag_and_doctorate_go_together_and_academicians_are_rare(city):
    assert not Person.objects.filter(education="doctorate").exclude(tags__code="phd").exists()
    assert not Person.objects.filter(tags__code="phd").exclude(education="doctorate").exists()
    academicians = Person.objects.filter(tags__code="academician").count()
    assert 0 < academicians <= 10
    club = TalentList.objects.get(organization=city, name="家乡院士名录")
    assert club.list_entries.count() == academicians


def test_minors_have_a_guardians_consent_and_are_used_nowhere(city):
    minors = Person.objects.filter(birth_date__year__gte=2010)
    assert minors.exists()
    consents = Consent.objects.filter(person__in=minors, given_by=Consent.GivenBy.GUARDIAN)
    assert consents.count() >= minors.count() // 2
    assert not TeamMember.objects.filter(person__in=minors).exists()
    assert not BoardSeat.objects.filter(person__in=minors).exists()


def test_people_are_written_in_audited_batches(city):
    batches = AuditEvent.objects.filter(action="person.demo")
    assert batches.exists()
    assert sum(event.detail["count"] for event in batches) == 2000
    for action in ("unit.demo", "member.demo", "board_seat.demo", "honour.demo", "visit.demo"):
        assert AuditEvent.objects.filter(action=action).exists(), action


def test_the_same_seed_gives_the_same_people_and_another_seed_others(city):
    network = load_network()
    county = next(a for a in network if a.org.kind == Kind.COUNTY_ASSOCIATION)

    def sample(seed: int) -> list[tuple]:
        planner = PeoplePlanner(scale="S", rng=random.Random(seed), today=date(2026, 5, 1), network=network)
        planner.plan_units()
        rows = planner.people_for(county, 40)
        return [(r.data.name, r.data.id_number, r.data.mobile, r.data.employer, r.data.title) for r in rows]

    assert sample(11) == sample(11)
    assert sample(11) != sample(12)
