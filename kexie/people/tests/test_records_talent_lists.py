"""Talent lists (人才资源清单): saved searches, chosen people, exports."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.scoping import resolve_scope
from kexie.people.models import Consent, Tag, TalentList, TalentListEntry
from kexie.people.selectors.people import person_filter_from_query, person_list
from kexie.people.selectors.records import describe_filter, talent_list_members
from kexie.people.services.people import PersonData, person_anonymize, person_create
from kexie.people.services.records import (
    TalentListData,
    talent_list_add,
    talent_list_create,
    talent_list_remove,
    talent_list_update,
)

pytestmark = pytest.mark.django_db


def scope_of(user):
    class _Request:
        pass

    request = _Request()
    request.user = user
    return resolve_scope(request)


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    return list(openpyxl.load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def a_minor(world, name="小明"):
    birth = timezone.localdate() - timedelta(days=365 * 10)
    return person_create(
        actor=None, organization=world.county_a, data=PersonData(name=name, birth_date=birth)
    )


def saved_search(world, query: str, name="专家库") -> TalentList:
    return talent_list_create(
        actor=None,
        organization=world.county_a,
        data=TalentListData(name=name, kind=TalentList.Kind.SAVED_FILTER, filter_query=query),
    )


# --- saved searches ----------------------------------------------------------------------


def test_a_saved_search_returns_the_same_people_as_the_people_list_query(login, world, talent):
    person_create(actor=None, organization=world.county_a, data=PersonData(name="张三"))
    talent_list = saved_search(world, "tag=expert")
    scope = scope_of(world.users["county_staff"])
    expected = list(person_list(scope=scope, filters=person_filter_from_query("tag=expert")))
    assert [p.name for p in expected] == ["张伟"]
    assert list(talent_list_members(scope=scope, talent_list=talent_list)) == expected
    page = login("county_staff").get(reverse("people:talent_list_detail", args=[talent_list.pk]))
    assert [p.name for p in page.context["page_obj"]] == ["张伟"]
    assert ("标签", "专家") in page.context["conditions"]


def test_a_saved_search_follows_the_pool_as_it_changes(world, talent):
    talent_list = saved_search(world, "q=张")
    scope = scope_of(world.users["county_staff"])
    assert [p.name for p in talent_list_members(scope=scope, talent_list=talent_list)] == ["张伟"]
    person_create(actor=None, organization=world.county_a, data=PersonData(name="张三"))
    assert len(talent_list_members(scope=scope, talent_list=talent_list)) == 2


def test_a_saved_search_shows_each_user_only_the_people_in_their_scope(world, talent):
    person_create(actor=None, organization=world.county_b, data=PersonData(name="张乙"))
    talent_list = talent_list_create(
        actor=None,
        organization=world.city,
        data=TalentListData(name="全市张姓", kind=TalentList.Kind.SAVED_FILTER, filter_query="q=张"),
    )
    city = scope_of(world.users["viewer"])
    assert sorted(p.name for p in talent_list_members(scope=city, talent_list=talent_list)) == [
        "张乙",
        "张伟",
    ]


def test_a_new_saved_search_is_prefilled_from_a_people_list_query(login, world, talent):
    client = login("county_staff")
    url = reverse("people:talent_list_create") + "?q=张&tag=academician&page=3"
    form = client.get(url).context["form"]
    assert form["kind"].value() == TalentList.Kind.SAVED_FILTER
    assert form["q"].value() == "张"
    assert form["tag"].value() == "academician"
    response = client.post(url, {"name": "家乡院士", "kind": "saved_filter", "q": "张", "tag": "academician"})
    talent_list = TalentList.objects.get(name="家乡院士")
    assert response.status_code == 302
    assert talent_list.filter_query == "q=%E5%BC%A0&tag=academician"  # canonical, page dropped
    assert AuditEvent.objects.get(action="talent_list.create").object_id == str(talent_list.pk)


def test_the_people_list_parameters_without_a_field_are_carried_into_the_saved_search(login, world, talent):
    client = login("county_staff")
    url = reverse("people:talent_list_create") + f"?organization={world.town_a.pk}&tag=expert"
    client.post(url, {"name": "甲镇专家", "kind": "saved_filter", "tag": "expert"})
    assert (
        TalentList.objects.get(name="甲镇专家").filter_query == f"tag=expert&organization={world.town_a.pk}"
    )


def test_a_saved_search_without_any_condition_is_refused(login, world):
    response = login("county_staff").post(
        reverse("people:talent_list_create"), {"name": "空的", "kind": "saved_filter"}
    )
    assert response.status_code == 200
    assert "至少需要一个条件" in response.content.decode()
    assert not TalentList.objects.filter(name="空的").exists()


def test_the_kind_of_a_list_cannot_be_changed(world, talent):
    with pytest.raises(DomainError):
        talent_list_update(
            actor=None,
            talent_list=talent.talent_list,
            data=TalentListData(
                name="甲县专家库", kind=TalentList.Kind.SAVED_FILTER, filter_query="tag=expert"
            ),
        )


def test_editing_a_saved_search_changes_its_conditions(login, world, talent):
    talent_list = saved_search(world, "tag=expert")
    client = login("county_staff")
    client.post(
        reverse("people:talent_list_update", args=[talent_list.pk]),
        {"name": "博士俱乐部", "tag": "phd", "gender": "female"},
    )
    talent_list.refresh_from_db()
    assert (talent_list.name, talent_list.filter_query) == ("博士俱乐部", "tag=phd&gender=female")
    event = AuditEvent.objects.get(action="talent_list.update")
    assert event.changes["filter_query"] == ["tag=expert", "tag=phd&gender=female"]


def test_a_saved_search_is_described_in_words(world, talent):
    assert describe_filter("q=张&tag=expert&age_min=40") == [
        ("姓名、拼音或首字母", "张"),
        ("标签", "专家"),
        ("年龄", "40岁及以上"),
    ]


def test_people_cannot_be_added_by_hand_to_a_saved_search(world, talent):
    talent_list = saved_search(world, "tag=expert")
    with pytest.raises(DomainError):
        talent_list_add(actor=None, talent_list=talent_list, person=talent.person_a)


# --- lists of chosen people --------------------------------------------------------------


def test_an_explicit_list_may_start_empty(world):
    talent_list = talent_list_create(
        actor=None, organization=world.county_a, data=TalentListData(name="博士俱乐部", kind="explicit")
    )
    assert talent_list.filter_query == ""
    assert not talent_list.list_entries.exists()


def test_people_are_added_to_and_removed_from_an_explicit_list(login, world, talent):
    newcomer = person_create(actor=None, organization=world.county_a, data=PersonData(name="赵敏"))
    client = login("county_staff")
    url = reverse("people:talent_list_add", args=[talent.talent_list.pk])
    response = client.post(url, {"person": newcomer.pk, "note": "博士，2024年返乡"}, follow=True)
    assert "赵敏已加入“甲县专家库”。" in messages_of(response)
    assert [p.name for p in response.context["page_obj"]] == ["张伟", "赵敏"]
    assert (
        TalentListEntry.objects.get(talent_list=talent.talent_list, person=newcomer).note
        == "博士，2024年返乡"
    )
    assert AuditEvent.objects.get(action="talent_list.add").detail["person"] == newcomer.pk

    response = client.post(
        reverse("people:talent_list_remove", args=[talent.talent_list.pk]),
        {"person": newcomer.pk},
        follow=True,
    )
    assert [p.name for p in response.context["page_obj"]] == ["张伟"]
    assert AuditEvent.objects.get(action="talent_list.remove").detail["person"] == newcomer.pk


def test_adding_someone_already_on_the_list_is_refused(login, talent):
    response = login("county_staff").post(
        reverse("people:talent_list_add", args=[talent.talent_list.pk]),
        {"person": talent.person_a.pk},
        follow=True,
    )
    assert "张伟已在“甲县专家库”中。" in messages_of(response)
    assert talent.talent_list.list_entries.count() == 1


def test_removing_someone_not_on_the_list_is_refused(world, talent):
    with pytest.raises(DomainError):
        talent_list_remove(actor=None, talent_list=talent.talent_list, person=talent.member)


def test_a_minor_without_guardian_consent_cannot_be_added(login, world, talent):
    minor = a_minor(world)
    client = login("county_staff")
    url = reverse("people:talent_list_add", args=[talent.talent_list.pk])
    response = client.post(url, {"person": minor.pk}, follow=True)
    assert any("未满14周岁" in message for message in messages_of(response))
    assert not TalentListEntry.objects.filter(person=minor).exists()
    Consent.objects.create(
        person=minor,
        purpose=Consent.Purpose.TALENT_POOL,
        notice="科技特长生名单",
        method=Consent.Method.PAPER,
        given_on=timezone.localdate(),
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="王某",
    )
    client.post(url, {"person": minor.pk})
    assert TalentListEntry.objects.filter(person=minor).exists()


def test_people_outside_the_scope_cannot_be_added(login, talent):
    response = login("county_staff").post(
        reverse("people:talent_list_add", args=[talent.talent_list.pk]), {"person": talent.person_b.pk}
    )
    assert response.status_code == 404
    assert not TalentListEntry.objects.filter(person=talent.person_b).exists()


def test_the_person_search_box_offers_only_people_in_scope(login, world, talent):
    person_create(actor=None, organization=world.county_a, data=PersonData(name="李明"))
    client = login("county_staff")
    url = reverse("people:talent_list_add", args=[talent.talent_list.pk])
    found = client.get(url, {"find": "李"}, HTTP_HX_REQUEST="true")
    assert [p.name for p in found.context["people"]] == ["李明"]  # not 李娜 of county B
    found = client.get(url, {"find": "张伟"}, HTTP_HX_REQUEST="true")
    assert "已在名单中" in found.content.decode()
    assert "<html" not in found.content.decode()


def test_without_htmx_the_search_shows_on_the_list_page(login, talent):
    client = login("county_staff")
    response = client.get(
        reverse("people:talent_list_add", args=[talent.talent_list.pk]), {"find": "zw"}, follow=True
    )
    assert [p.name for p in response.context["people"]] == ["张伟"]


def test_anonymized_people_leave_the_lists(login, talent):
    person_anonymize(actor=None, person=talent.person_a, reason="本人申请删除")
    response = login("county_staff").get(reverse("people:talent_list_detail", args=[talent.talent_list.pk]))
    assert list(response.context["page_obj"]) == []


def test_deleting_a_list_keeps_the_people(login, talent):
    login("county_staff").post(reverse("people:talent_list_delete", args=[talent.talent_list.pk]))
    assert not TalentList.objects.exists()
    talent.person_a.refresh_from_db()
    assert AuditEvent.objects.get(action="talent_list.delete").detail["entries"] == 1


def test_the_lists_page_shows_the_lists_kept_in_scope(login, world, talent):
    talent_list_create(
        actor=None, organization=world.county_b, data=TalentListData(name="乙县博士", kind="explicit")
    )
    response = login("county_staff").get(reverse("people:talent_lists"))
    assert [t.name for t in response.context["page_obj"]] == ["甲县专家库"]
    assert response.context["page_obj"][0].entry_count == 1


# --- export ------------------------------------------------------------------------------


def test_the_export_masks_mobiles_and_is_audited_with_the_count(login, talent):
    rows = sheet_rows(
        login("county_staff").get(reverse("people:talent_list_export", args=[talent.talent_list.pk]))
    )
    header, (row,) = rows[0], rows[1:]
    assert row[0] == "张伟"
    assert row[header.index("手机号")] == "138****8000"
    assert "13800138000" not in [str(value) for value in row]
    event = AuditEvent.objects.get(action="talent_list.export")
    assert event.detail["rows"] == 1
    assert event.detail["unmasked"] is False
    assert not AuditEvent.objects.filter(action="person.unmask").exists()


def test_unmasking_the_export_needs_the_permission_and_a_reason(login, talent):
    url = reverse("people:talent_list_export", args=[talent.talent_list.pk])
    assert login("county_staff").get(url, {"unmask": "1", "reason": "联络"}).status_code == 403
    client = login("city_admin")
    refused = client.get(url, {"unmask": "1"}, follow=True)
    assert "请说明导出完整手机号的原因" in messages_of(refused)[0]
    rows = sheet_rows(client.get(url, {"unmask": "1", "reason": "邀请参加院士论坛"}))
    assert rows[1][rows[0].index("手机号")] == "13800138000"
    assert AuditEvent.objects.get(action="talent_list.export").detail["reason"] == "邀请参加院士论坛"
    assert AuditEvent.objects.get(action="person.unmask").detail["where"] == "talent_list_export"


def test_the_saved_search_export_holds_what_the_search_finds(login, world, talent):
    talent_list = saved_search(world, "tag=expert")
    rows = sheet_rows(login("county_staff").get(reverse("people:talent_list_export", args=[talent_list.pk])))
    assert [row[0] for row in rows[1:]] == ["张伟"]
    assert rows[1][rows[0].index("标签")] == Tag.objects.get(code="expert").name
