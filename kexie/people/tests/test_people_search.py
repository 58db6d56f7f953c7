"""Finding people the way a Chinese user searches: characters, Traditional, pinyin, initials."""

from datetime import date

import pytest

from kexie.core.scoping import Scope
from kexie.people.models import Discipline, Tag
from kexie.people.selectors.people import (
    PersonFilter,
    person_filter_from_query,
    person_filter_query,
    person_list,
)
from kexie.people.services.people import PersonData, person_anonymize, person_create

pytestmark = pytest.mark.django_db


def scope_of(world, persona):
    user = world.users[persona]
    return Scope(user=user, membership=user.memberships.get())


@pytest.fixture
def crowd(world, talent):
    """张伟 (talent) plus namesakes and near-misses kept by 甲县科协."""
    for name in ("张伟明", "王张伟", "张丽", "章伟", "曾强", "欧阳娜娜"):
        person_create(actor=None, organization=world.county_a, data=PersonData(name=name))
    return world


def names(world, query="", persona="county_staff", **filters):
    return [
        p.name
        for p in person_list(scope=scope_of(world, persona), filters=PersonFilter(query=query, **filters))
    ]


@pytest.mark.parametrize("query", ["张伟", "張偉", "zhangwei", "ZhangWei", "zhang wei"])
def test_the_exact_name_comes_first_however_it_is_typed(crowd, query):
    assert names(crowd, query)[0] == "张伟"


def test_initials_find_the_name(crowd):
    found = names(crowd, "zw")
    assert set(found[:2]) == {"章伟", "张伟"} and found[2:] == ["张伟明"]  # exact initials, then zwm
    assert names(crowd, "oynn") == ["欧阳娜娜"]


def test_one_character_finds_every_name_holding_it_ranked_by_position(crowd):
    assert names(crowd, "张") == [
        "张丽",
        "张伟",
        "张伟明",
        "王张伟",
    ]  # starts with it (by pinyin), then the rest


def test_two_characters_find_names_containing_them(crowd):
    assert names(crowd, "张伟") == ["张伟", "张伟明", "王张伟"]


def test_three_characters_narrow_to_that_sequence(crowd):
    assert names(crowd, "张伟明") == ["张伟明"]


def test_the_pinyin_of_a_given_name_finds_it(crowd):
    assert "张伟明" in names(crowd, "weiming")


def test_a_heteronym_surname_is_found_by_either_reading(crowd):
    assert "曾强" in names(crowd, "zengqiang")
    assert "曾强" in names(crowd, "cengqiang")


def test_a_homophone_is_found_by_pinyin_but_not_by_characters(crowd):
    assert "章伟" in names(crowd, "zhangwei")
    assert "章伟" not in names(crowd, "张伟")


def test_a_list_without_a_query_sorts_by_pinyin(crowd):
    listed = names(crowd)
    assert listed.index("欧阳娜娜") < listed.index("王张伟") < listed.index("张伟")


def test_a_sibling_county_does_not_see_county_a_people(crowd):
    assert names(crowd, "张伟", persona="county_b_staff") == []
    assert names(crowd, "李娜", persona="county_b_staff") == ["李娜"]


def test_a_society_secretary_sees_members_kept_by_the_society_only(crowd):
    assert names(crowd, persona="society_secretary") == ["王芳芳"]


def test_anonymized_people_leave_the_search(crowd, talent):
    person_anonymize(actor=None, person=talent.person_a, reason="本人申请删除")
    assert names(crowd, "zw") == ["章伟", "张伟明"]
    assert names(crowd, "张伟") == ["张伟明", "王张伟"]


def test_filters_by_tag_discipline_category_and_age(world, talent):
    computing = Discipline.objects.get(code="520")
    person_create(
        actor=None,
        organization=world.county_a,
        data=PersonData(name="刘洋", birth_date=date(1990, 5, 1), discipline=computing),
    )
    today = date(2026, 11, 23)
    scope = scope_of(world, "county_staff")

    def listed(**filters):
        return [p.name for p in person_list(scope=scope, filters=PersonFilter(**filters), today=today)]

    assert listed(tag="expert") == ["张伟"]
    assert listed(discipline=computing.parent_id) == ["刘洋"]  # the category holds the discipline
    assert listed(age_min=30, age_max=40) == ["刘洋"]
    assert listed(age_min=70) == ["张伟"]  # born 1949


def test_a_query_string_round_trips_into_a_filter():
    params = person_filter_query({"q": "张", "tag": "expert", "junk": "x", "age_min": "30"})
    assert params == "q=%E5%BC%A0&tag=expert&age_min=30"
    parsed = person_filter_from_query(params)
    assert (parsed.query, parsed.tag, parsed.age_min) == ("张", "expert", 30)
    assert person_filter_from_query("age_min=abc").age_min is None


def test_the_seeded_tags_and_disciplines_exist():
    assert Tag.objects.filter(code="academician").exists()
    assert Discipline.objects.filter(parent__isnull=True).count() == 5
