"""The search and list index follows the records: memberships, moves, renames, anonymizing."""

from datetime import date

import pytest

from kexie.core.scoping import Scope
from kexie.orgs.models import Kind
from kexie.orgs.services import organization_move
from kexie.people.models import Person, PersonInScope, PersonToken
from kexie.people.selectors.people import PersonFilter, Tally, person_list
from kexie.people.services.members import MembershipData, membership_create
from kexie.people.services.people import PersonData, person_create, person_update
from kexie.people.services.search_index import scope_paths

pytestmark = pytest.mark.django_db


def scope_of(world, persona):
    user = world.users[persona]
    return Scope(user=user, membership=user.memberships.get())


def found(world, persona, query=""):
    results = person_list(scope=scope_of(world, persona), filters=PersonFilter(query=query))
    return results.count(), [p.name for p in results[:25]]


def test_a_member_kept_elsewhere_is_found_by_the_society_and_counted_once_above_both(world, talent):
    membership_create(
        actor=None,
        society=world.society,
        person=talent.person_a,
        data=MembershipData(joined_on=date(2024, 1, 1)),
    )
    assert found(world, "society_secretary", "张伟") == (1, ["张伟"])
    assert found(world, "society_secretary", "zw") == (1, ["张伟"])
    # The city holds both the keeper (甲县) and the society: one person, one row.
    assert found(world, "city_admin", "张伟") == (1, ["张伟"])
    assert found(world, "city_admin", "zw") == (1, ["张伟"])
    count, listed = found(world, "city_admin")
    assert count == len(listed) == 3 and listed.count("张伟") == 1


def test_moving_a_town_moves_its_people_to_the_new_county(world):
    person_create(actor=None, organization=world.town_a, data=PersonData(name="赵敏"))
    organization_move(actor=None, organization=world.town_a, new_parent=world.county_b)
    assert found(world, "county_b_staff", "赵敏") == (1, ["赵敏"])
    assert found(world, "county_staff", "赵敏") == (0, [])


def test_a_society_moved_out_of_its_members_keepers_branch_still_shows_them(world):
    from kexie.core.testing import make_org

    society = make_org(world.county_a, Kind.SOCIETY, "甲县农学会")
    person = person_create(actor=None, organization=world.county_a, data=PersonData(name="钱进"))
    membership_create(
        actor=None, society=society, person=person, data=MembershipData(joined_on=date(2024, 1, 1))
    )
    assert not PersonToken.objects.filter(path=society.path).exists()  # inside the keeper's branch
    organization_move(actor=None, organization=society, new_parent=world.county_b)
    assert found(world, "county_b_staff", "钱进") == (1, ["钱进"])
    assert found(world, "county_staff", "钱进") == (1, ["钱进"])


def test_a_renamed_person_takes_their_new_place_in_the_pinyin_order(world, talent):
    person_create(actor=None, organization=world.county_a, data=PersonData(name="周杰"))
    assert found(world, "county_staff")[1] == ["张伟", "周杰"]
    data = PersonData(name="白雪", id_number="11010519491231002X", mobile="13800138000", unit=talent.unit_a)
    person_update(actor=None, person=talent.person_a, data=data)
    assert found(world, "county_staff")[1] == ["白雪", "周杰"]
    assert found(world, "county_staff", "张伟") == (0, [])


def test_every_page_of_a_long_list_holds_the_next_people(world):
    from kexie.people.services.people import people_bulk_create

    people_bulk_create(
        actor=None,
        organization=world.county_a,
        rows=[PersonData(name=f"王{c}") for c in "一二三四五六七八九十"],
    )
    results = person_list(scope=scope_of(world, "county_staff"), filters=PersonFilter(query="王"))
    pages = [p.name for p in results[0:4]] + [p.name for p in results[4:8]] + [p.name for p in results[8:12]]
    assert results.count() == 10 and len(pages) == 10 and len(set(pages)) == 10
    assert pages == [p.name for p in results]


def test_a_capped_count_counts_each_person_once_and_stops_past_the_limit(world, talent):
    membership_create(
        actor=None,
        society=world.society,
        person=talent.person_a,
        data=MembershipData(joined_on=date(2024, 1, 1)),
    )
    results = person_list(scope=scope_of(world, "city_admin"), filters=PersonFilter())
    # 张伟 has two rows in the city (kept by 甲县, member of the city's society): four rows, three people.
    assert results.count_up_to(3) == 3
    assert results.count_up_to(2) == 3  # "more than two"
    assert (
        person_list(scope=scope_of(world, "city_admin"), filters=PersonFilter(query="zw")).count_up_to(1) == 1
    )


def test_a_membership_adds_only_the_place_it_gives(world, talent):
    from kexie.core.testing import make_org

    person = talent.person_a  # kept by 甲县
    before = PersonToken.objects.filter(person=person).count()
    inside = make_org(world.county_a, Kind.SOCIETY, "甲县医学会")
    membership_create(
        actor=None, society=inside, person=person, data=MembershipData(joined_on=date(2024, 1, 1))
    )
    assert PersonToken.objects.filter(person=person).count() == before  # 甲县 sees them already
    membership_create(
        actor=None, society=world.society, person=person, data=MembershipData(joined_on=date(2024, 1, 1))
    )
    assert PersonToken.objects.filter(person=person).count() == 2 * before
    assert set(PersonToken.objects.filter(person=person).values_list("path", flat=True)) == {
        world.county_a.path,
        world.society.path,
    }


# --- PersonInScope: the organizations whose scope sees a person (decision 0007) ---------


def in_scope_rows() -> set[tuple]:
    return set(PersonInScope.objects.values_list("person_id", "path", "sort_key"))


def in_scope_from_places() -> set[tuple]:
    """What PersonInScope must hold: every ancestor of every place, once per person."""
    rows = set()
    for person_id, path, sort_key in PersonToken.objects.filter(token=PersonToken.EVERYONE).values_list(
        "person_id", "path", "sort_key"
    ):
        rows.update((person_id, scope, sort_key) for scope in scope_paths([path]))
    return rows


def test_the_scope_rows_follow_creation_membership_moves_renames_and_anonymizing(world, talent):
    from kexie.core.testing import make_org
    from kexie.people.services.people import person_anonymize

    zhao = person_create(actor=None, organization=world.town_a, data=PersonData(name="赵敏"))
    chain, org = set(), world.town_a
    while org is not None:  # the town and every organization above it
        chain.add(org.path)
        org = org.parent
    assert set(PersonInScope.objects.filter(person=zhao).values_list("path", flat=True)) == chain
    assert in_scope_rows() == in_scope_from_places()
    membership_create(
        actor=None, society=world.society, person=zhao, data=MembershipData(joined_on=date(2024, 1, 1))
    )
    assert in_scope_rows() == in_scope_from_places()
    organization_move(actor=None, organization=world.town_a, new_parent=world.county_b)
    assert in_scope_rows() == in_scope_from_places()
    society = make_org(world.county_a, Kind.SOCIETY, "甲县农学会")
    membership_create(
        actor=None, society=society, person=talent.person_a, data=MembershipData(joined_on=date(2024, 1, 1))
    )
    organization_move(actor=None, organization=society, new_parent=world.county_b)
    assert in_scope_rows() == in_scope_from_places()
    person_update(actor=None, person=zhao, data=PersonData(name="艾琳"))
    assert in_scope_rows() == in_scope_from_places()
    person_anonymize(actor=None, person=zhao, reason="本人申请")
    assert not PersonInScope.objects.filter(person=zhao).exists()
    assert in_scope_rows() == in_scope_from_places()


def test_the_list_without_a_query_follows_a_move_of_a_town(world):
    person_create(actor=None, organization=world.town_a, data=PersonData(name="赵敏"))
    organization_move(actor=None, organization=world.town_a, new_parent=world.county_b)
    assert "赵敏" in found(world, "county_b_staff")[1]
    assert "赵敏" not in found(world, "county_staff")[1]
    assert found(world, "city_admin")[1].count("赵敏") == 1


def test_a_filtered_list_of_a_large_scope_is_counted_at_least_then_in_full(world):
    from kexie.people.services.people import people_bulk_create

    people_bulk_create(
        actor=None,
        organization=world.county_a,
        rows=[
            PersonData(name=f"王{c}", gender="female" if i % 2 else "male")
            for i, c in enumerate("一二三四五六七八九十")
        ],
    )

    def women():
        return person_list(scope=scope_of(world, "county_staff"), filters=PersonFilter(gender="female"))

    def everyone():
        return person_list(scope=scope_of(world, "county_staff"), filters=PersonFilter())

    assert women().tally(100) == Tally(5, exact=True)
    assert women().tally(100, scan=20) == Tally(5, exact=True)  # the scope is smaller than the scan
    partial = women().tally(100, scan=4)  # the filter checked on four people of the ten
    assert not partial.exact and partial.count < 5
    assert everyone().tally(100, scan=4) == Tally(10, exact=True)  # unfiltered: an index range, no scan
    assert everyone().tally(8) == Tally(9, exact=False)  # "more than eight"


def test_a_window_checks_a_tag_and_a_society_as_the_whole_count_does(world):
    """The window of a filtered count asks its conditions on other tables one person at a
    time (selectors._probe); it must find what the full count finds among the same people."""
    from kexie.people.models import Tag
    from kexie.people.services.people import people_bulk_create

    expert = Tag.objects.get(code="expert")
    people = people_bulk_create(
        actor=None,
        organization=world.county_a,
        rows=[
            PersonData(name=f"王{c}", tags=[expert] if i % 3 == 0 else [])
            for i, c in enumerate("一二三四五六七八九十")
        ],
    )
    chosen = [person for person in people if person.name in ("王七", "王八", "王九", "王十")]
    for person in chosen:
        membership_create(
            actor=None, society=world.society, person=person, data=MembershipData(joined_on=date(2024, 1, 1))
        )

    def listed(**filters):
        return person_list(scope=scope_of(world, "city_admin"), filters=PersonFilter(**filters))

    first_six = set(listed().ids(0, 6))
    experts = set(Person.objects.filter(tags=expert).values_list("pk", flat=True))
    members = {person.pk for person in chosen}
    # In pinyin order the first six are 王八 王二 王九 王六 王七 王三; the experts are 王一,
    # 王四, 王七 and 王十; the members 王七 to 王十.
    assert len(first_six & experts) == len(first_six & experts & members) == 1
    assert listed(tag="expert").tally(100) == Tally(len(experts), exact=True)
    assert listed(tag="expert").tally(100, scan=6) == Tally(1, exact=False)
    assert listed(tag="expert", society=world.society.pk).tally(100) == Tally(2, exact=True)
    assert listed(tag="expert", society=world.society.pk).tally(100, scan=6) == Tally(1, exact=False)


def test_a_filtered_search_of_one_key_is_counted_at_least_then_in_full(world):
    from kexie.people.services.people import people_bulk_create

    people_bulk_create(
        actor=None,
        organization=world.county_a,
        rows=[
            PersonData(name=f"王{c}", gender="female" if i % 2 else "male")
            for i, c in enumerate("一二三四五六七八九十")
        ]
        + [PersonData(name="李娜", gender="female")],
    )

    def wang(**filters):
        scope = scope_of(world, "county_staff")
        return person_list(scope=scope, filters=PersonFilter(query="王", **filters))

    assert wang(gender="female").tally(100) == Tally(5, exact=True)
    assert wang(gender="female").tally(100, scan=20) == Tally(5, exact=True)  # fewer matches than the scan
    partial = wang(gender="female").tally(100, scan=4)  # checked on four 王 only
    # What it found are the women among the first four 王 of the county's range: one place
    # (甲县), so in the order they were registered: 王一 (m), 王二 (f), 王三 (m), 王四 (f).
    first_four = Person.objects.filter(organization=world.county_a, name__startswith="王").order_by("pk")[:4]
    assert [person.name for person in first_four] == ["王一", "王二", "王三", "王四"]
    assert partial == Tally([person.gender for person in first_four].count("female"), exact=False)
    assert partial.count == 2
    assert wang().tally(100, scan=4) == Tally(10, exact=True)  # unfiltered: the key's range, no scan
    assert wang(gender="female").tally(3) == Tally(4, exact=False)  # "more than three"


def test_a_letter_query_finds_the_same_people_by_its_keys_as_by_its_range(world, talent, monkeypatch):
    from kexie.people.selectors import people as selectors

    for name in ("张伟明", "赵文", "周薇"):
        person_create(actor=None, organization=world.county_a, data=PersonData(name=name))
    keys = selectors._keys_starting_with("zw")
    assert keys == sorted(set(keys)) and {"zw", "zwm"} <= set(keys)
    by_keys = found(world, "county_staff", "zw")
    monkeypatch.setattr(selectors, "PREFIX_KEYS_LIMIT", 1)  # more keys than that: the range
    assert selectors._keys_starting_with("zw") is None
    assert found(world, "county_staff", "zw") == by_keys
    assert by_keys[0] == 4 and by_keys[1][:3] == ["张伟", "赵文", "周薇"]  # whole initials first


# --- ScopeCount: the number of people each scope sees, kept (decision 0009) -------------


def test_the_total_of_a_list_without_filters_follows_creation_membership_and_anonymizing(world, talent):
    from kexie.people.services.people import person_anonymize

    personas = ("city_admin", "county_staff", "county_b_staff", "society_secretary")
    before = {persona: found(world, persona)[0] for persona in personas}
    zhao = person_create(actor=None, organization=world.town_a, data=PersonData(name="赵敏"))
    assert found(world, "city_admin")[0] == before["city_admin"] + 1
    assert found(world, "county_staff")[0] == before["county_staff"] + 1
    assert found(world, "county_b_staff")[0] == before["county_b_staff"]
    membership_create(
        actor=None, society=world.society, person=zhao, data=MembershipData(joined_on=date(2024, 1, 1))
    )
    assert found(world, "society_secretary")[0] == before["society_secretary"] + 1
    assert found(world, "city_admin")[0] == before["city_admin"] + 1  # still once
    person_anonymize(actor=None, person=zhao, reason="本人申请")
    assert {persona: found(world, persona)[0] for persona in before} == before
    # The page's capped count and the exact count agree with the kept number.
    results = person_list(scope=scope_of(world, "city_admin"), filters=PersonFilter())
    assert results.tally(10_000) == Tally(before["city_admin"], exact=True)


def test_the_total_is_the_kept_count_and_the_recount_command_repairs_it(world, talent):
    from io import StringIO

    from django.core.management import call_command

    from kexie.audit.models import AuditEvent
    from kexie.people.models import ScopeCount

    city = world.city.path
    right = found(world, "city_admin")[0]
    assert right > 0
    ScopeCount.objects.filter(path=city).update(people=right + 40)  # written around the services
    assert found(world, "city_admin")[0] == right + 40  # the list reads the count, it does not count
    out = StringIO()
    call_command("people_recount", stdout=out)
    assert f"{city}: {right + 40} → {right}" in out.getvalue()
    assert "1 scope counts corrected." in out.getvalue()
    assert found(world, "city_admin")[0] == right
    assert AuditEvent.objects.filter(action="person.scope_recount").count() == 1
    call_command("people_recount", stdout=(again := StringIO()))
    assert "0 scope counts corrected." in again.getvalue()
