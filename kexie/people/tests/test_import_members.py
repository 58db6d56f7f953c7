"""Importing a society's roster: the secretary's main use. People are registered in the
society when they are new, memberships are recorded, minors are refused, re-importing the
roster changes nothing."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from kexie.audit.models import AuditEvent
from kexie.people.models import Consent, Person, SocietyMembership, Unit
from kexie.people.services.people import id_number_lookup

from .import_helpers import (
    ROSTER_HEADERS,
    bad_check_digit,
    id_number,
    import_store,  # noqa: F401  an autouse fixture
    preview_of,
    upload,
)

pytestmark = pytest.mark.django_db

LIU, CHEN = id_number(21, "19820304"), id_number(22, "19880909")


def roster(*extra):
    return [
        ["刘一", "男", LIU, "13500135001", "", "教授", "JSJ-101", "2024-03-01"],
        ["陈二", "", CHEN, "13500135002", "", "", "JSJ-102", date(2024, 5, 1)],
        *extra,
    ]


def roster_import(client, world, rows, headers=ROSTER_HEADERS):
    return preview_of(client, upload(client, "members", headers, rows, society=world.society))


def test_the_secretary_imports_a_roster_registering_new_people_in_the_society(world, talent, login):
    client = login("society_secretary")
    page = client.get(reverse("people:import")).content.decode()
    assert 'value="members" checked' in page  # a secretary's import is a roster by default
    preview, url = roster_import(client, world, roster())
    assert preview.context["preview"]["counts"]["new"] == 2
    response = client.post(url, follow=True)
    assert (
        "导入完成：新增2条，合并0条，跳过0条，无变化0条。 另有2名新人员登记在本学会名下。"
        in response.content.decode()
    )
    liu = Person.objects.get(id_number_index=id_number_lookup(LIU))
    assert liu.organization == world.society and liu.title == "教授"
    membership = SocietyMembership.objects.get(society=world.society, person=liu)
    assert membership.number == "JSJ-101" and membership.joined_on == date(2024, 3, 1)
    assert membership.status == "active"
    assert SocietyMembership.objects.get(number="JSJ-102").joined_on == date(2024, 5, 1)
    record = AuditEvent.objects.get(action="member.import")
    assert record.org_path == world.society.path
    assert (record.detail["created"], record.detail["people_created"]) == (2, 2)


def test_importing_the_roster_again_changes_nothing(world, talent, login):
    client = login("society_secretary")
    _preview, url = roster_import(client, world, roster())
    client.post(url)
    preview, url = roster_import(client, world, roster())
    assert preview.context["preview"]["counts"]["unchanged"] == 2
    client.post(url)
    assert SocietyMembership.objects.filter(society=world.society).count() == 4  # 2 from the fixture
    assert Person.objects.filter(name__in=["刘一", "陈二"]).count() == 2
    second = AuditEvent.objects.filter(action="member.import").order_by("pk").last()
    assert (second.detail["created"], second.detail["merged"], second.detail["unchanged"]) == (0, 0, 2)


def test_bad_rows_of_a_roster_are_listed_and_nothing_is_imported(world, talent, login):
    client = login("society_secretary")
    child = id_number(23, (timezone.localdate() - relativedelta(years=10)).strftime("%Y%m%d"))
    rows = roster(
        ["周三", "", bad_check_digit(id_number(24)), "13500135003", "", "", "JSJ-103", "2024-01-01"],
        ["吴四", "", "", "1350013500", "", "", "JSJ-104", "2024-01-01"],
        ["郑五", "", id_number(25), "", "甲县人民医院", "", "JSJ-105", "2024-01-01"],
        ["王芳芳", "", "", "13500135006", "", "", "JSJ-001", "2024-01-01"],
        ["小明", "", child, "", "", "", "JSJ-107", "2024-01-01"],
        ["冯八", "", id_number(26), "", "", "", "JSJ-101", ""],
    )
    preview, url = roster_import(client, world, rows)
    problems = preview.context["preview"]["problems"]
    assert problems == [
        f"第4行，身份证号：身份证号“{bad_check_digit(id_number(24))}”的校验码不正确。",
        "第5行，手机号：“1350013500”不是有效的电话号码。",
        "第6行，单位：未知单位“甲县人民医院”：您的数据范围内没有该名称或统一社会信用代码的单位。"
        "请先导入或登记该单位，或将此格留空。",
        "第7行，会员编号：会员编号JSJ-001已属于王芳芳。",
        "第8行：小明未满14周岁，须先登记监护人同意，才能使用其个人信息。",
        "第9行，入会日期：请填写入会日期。",
    ]
    client.post(url)
    assert not Person.objects.filter(name__in=["刘一", "陈二"]).exists()
    assert not AuditEvent.objects.filter(action="member.import").exists()


def test_a_registered_minor_with_a_guardians_consent_may_become_a_member(world, talent, login):
    from kexie.people.services.people import PersonData, person_create

    birth = (timezone.localdate() - relativedelta(years=12)).strftime("%Y%m%d")
    child = person_create(
        actor=None, organization=world.society, data=PersonData(name="小红", id_number=id_number(27, birth))
    )
    client = login("society_secretary")
    row = ["小红", "", id_number(27, birth), "", "", "", "JSJ-120", "2024-01-01"]
    preview, _url = roster_import(client, world, [row])
    assert "未满14周岁" in preview.context["preview"]["problems"][0]
    Consent.objects.create(
        person=child,
        purpose=Consent.Purpose.MEMBERSHIP,
        notice="入会告知",
        method=Consent.Method.PAPER,
        given_on=date(2024, 1, 1),
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="小红妈妈",
    )
    preview, url = roster_import(client, world, [row])
    assert preview.context["preview"]["problems"] == []
    client.post(url)
    assert SocietyMembership.objects.get(number="JSJ-120").person == child


def test_a_member_registered_with_other_values_is_merged_or_skipped(world, talent, login):
    client = login("society_secretary")
    _preview, url = roster_import(client, world, roster())
    client.post(url)
    changed = [["刘一", "", LIU, "", "", "研究员", "JSJ-201", "2024-03-01"]]

    preview, url = roster_import(client, world, changed)
    row = preview.context["preview"]["table"][0]
    assert row["status"] == "duplicate" and row["changes"] == ["职称", "会员编号"]
    client.post(url, {"on_duplicate": "skip"})
    liu = Person.objects.get(name="刘一")
    assert liu.title == "教授" and SocietyMembership.objects.get(person=liu).number == "JSJ-101"

    _preview, url = roster_import(client, world, changed)
    client.post(url, {"on_duplicate": "merge"})
    liu.refresh_from_db()
    assert liu.title == "研究员" and SocietyMembership.objects.get(person=liu).number == "JSJ-201"
    record = AuditEvent.objects.filter(action="member.import").order_by("pk").last()
    assert (record.detail["merged"], record.detail["people_merged"]) == (1, 1)


def test_an_institutional_member_is_recorded_by_the_unit_name(world, talent, login):
    Unit.objects.create(organization=world.society, name="示例软件有限公司")
    client = login("society_secretary")
    headers = ["会员类型", "单位", "会员编号", "入会日期"]
    rows = [
        ["单位会员", "示例软件有限公司", "JSJ-D02", "2024-02-01"],
        ["单位会员", "甲县人民医院", "JSJ-D03", "2024-02-01"],
    ]
    preview, _url = roster_import(client, world, rows, headers=headers)
    assert preview.context["preview"]["problems"] == [
        "第3行，单位：未知单位“甲县人民医院”：您的数据范围内没有该名称或统一社会信用代码的单位。"
        "请先导入或登记该单位，或将此格留空。"
    ]
    preview, url = roster_import(client, world, rows[:1], headers=headers)
    client.post(url)
    membership = SocietyMembership.objects.get(number="JSJ-D02")
    assert membership.is_institutional and membership.unit.name == "示例软件有限公司"


def test_the_society_must_be_one_in_scope_with_members(world, talent, login):
    client = login("county_staff")
    response = upload(client, "members", ROSTER_HEADERS, roster(), society=world.society)
    assert response.status_code == 200
    assert "society" in response.context["form"].errors
    client = login("city_admin")
    response = upload(client, "members", ROSTER_HEADERS, roster())
    assert response.context["form"].errors["society"] == ["请选择这些会员所属的学会。"]
    preview, url = roster_import(client, world, roster())
    assert preview.context["preview"]["counts"]["new"] == 2
    client.post(url)
    assert Person.objects.get(name="刘一").organization == world.society
