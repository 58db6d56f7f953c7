"""Disciplines (two levels) and tags: edited by administrators only, for the whole platform."""

import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.people.models import Discipline, Tag, TalentList
from kexie.people.services.records import (
    DisciplineData,
    TagData,
    TalentListData,
    discipline_create,
    discipline_update,
    tag_create,
    tag_update,
    talent_list_create,
)

pytestmark = pytest.mark.django_db


def category(code="A"):
    return Discipline.objects.get(code=code)


def test_the_discipline_list_is_seeded_in_two_levels(login, world):
    response = login("city_admin").get(reverse("people:discipline_list"))
    assert response.status_code == 200
    categories = response.context["categories"]
    assert categories[0].name == "自然科学"
    assert [d.name for d in categories[0].subdisciplines][:2] == ["数学", "信息科学与系统科学"]


@pytest.mark.parametrize(
    "name", ["people:discipline_list", "people:discipline_create", "people:tag_list", "people:tag_create"]
)
def test_county_staff_get_403_on_the_classification_admin(login, world, name):
    assert login("county_staff").get(reverse(name)).status_code == 403


def test_county_staff_cannot_post_a_new_tag(login, world):
    response = login("county_staff").post(
        reverse("people:tag_create"), {"code": "x", "name": "某", "position": 0}
    )
    assert response.status_code == 403
    assert not Tag.objects.filter(code="x").exists()


def test_the_administrator_adds_a_discipline_under_a_category(login, world):
    response = login("city_admin").post(
        reverse("people:discipline_create"),
        {"code": "195", "name": "认知科学", "parent": category("A").pk, "position": 99, "is_active": "on"},
    )
    assert response.status_code == 302
    added = Discipline.objects.get(code="195")
    assert added.parent == category("A")
    event = AuditEvent.objects.get(action="discipline.create")
    assert event.changes["name"] == [None, "认知科学"]


def test_a_discipline_cannot_sit_under_another_discipline(world):
    mathematics = Discipline.objects.get(code="110")
    with pytest.raises(DomainError) as caught:
        discipline_create(actor=None, data=DisciplineData(code="111", name="代数", parent=mathematics))
    assert caught.value.field == "parent"


def test_a_category_with_disciplines_cannot_be_moved_under_another(world):
    agriculture = category("B")
    with pytest.raises(DomainError) as caught:
        discipline_update(
            actor=None,
            discipline=category("A"),
            data=DisciplineData(code="A", name="自然科学", parent=agriculture),
        )
    assert caught.value.field == "parent"


def test_discipline_codes_are_unique_and_the_form_says_so(login, world):
    response = login("city_admin").post(
        reverse("people:discipline_create"),
        {"code": "110", "name": "数学2", "position": 0, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "代码 110 已被使用" in response.content.decode()
    assert Discipline.objects.filter(code="110").count() == 1


def test_a_retired_discipline_is_no_longer_offered_but_stays(login, world):
    mathematics = Discipline.objects.get(code="110")
    discipline_update(
        actor=None,
        discipline=mathematics,
        data=DisciplineData(code="110", name="数学", parent=category("A"), position=1, is_active=False),
    )
    form = login("county_staff").get(reverse("people:talent_list_create")).context["form"]
    assert str(mathematics.pk) not in dict(form.fields["discipline"].choices)
    assert AuditEvent.objects.get(action="discipline.update").changes["is_active"] == [True, False]


def test_tags_are_added_and_renamed_with_an_audit(login, world):
    client = login("city_admin")
    client.post(reverse("people:tag_create"), {"code": "phd_club", "name": "博士俱乐部", "position": 20})
    tag = Tag.objects.get(code="phd_club")
    client.post(
        reverse("people:tag_update", args=[tag.pk]),
        {"code": "phd_club", "name": "博士联谊会", "position": 20},
    )
    tag.refresh_from_db()
    assert tag.name == "博士联谊会"
    assert AuditEvent.objects.get(action="tag.update").changes == {"name": ["博士俱乐部", "博士联谊会"]}


def test_tag_codes_are_unique_latin_slugs(world):
    with pytest.raises(DomainError) as caught:
        tag_create(actor=None, data=TagData(code="expert", name="专家2"))
    assert caught.value.field == "code"
    with pytest.raises(DomainError) as caught:
        tag_create(actor=None, data=TagData(code="专家", name="专家3"))
    assert caught.value.field == "code"


def test_saved_searches_follow_a_changed_tag_code(world):
    talent_list = talent_list_create(
        actor=None,
        organization=world.county_a,
        data=TalentListData(
            name="院士", kind=TalentList.Kind.SAVED_FILTER, filter_query="tag=academician&gender=male"
        ),
    )
    tag_update(
        actor=None, tag=Tag.objects.get(code="academician"), data=TagData(code="academician_cas", name="院士")
    )
    talent_list.refresh_from_db()
    assert talent_list.filter_query == "tag=academician_cas&gender=male"
    assert AuditEvent.objects.get(action="tag.update").detail["saved_searches_updated"] == 1
