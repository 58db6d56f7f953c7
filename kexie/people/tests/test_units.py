"""Units and teams: registering, validation, scope, team members, exports."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.people.models import Consent, Team, TeamMember, Unit, UnitKind
from kexie.people.services import units as services
from kexie.people.services.people import PersonData, person_create

pytestmark = pytest.mark.django_db


def credit_code(number: int) -> str:
    base = f"91330100MA2CC{number:04d}"
    return base + uscc.calc_check_digit(base)


def unit_form(**overrides) -> dict:
    return {"name": "甲县第一中学", "kind": UnitKind.SCHOOL, **overrides}


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    book = openpyxl.load_workbook(BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def minor(world, name="小明"):
    return person_create(
        actor=None,
        organization=world.county_a,
        data=PersonData(name=name, birth_date=timezone.localdate() - relativedelta(years=10)),
    )


# --- units ---------------------------------------------------------------------------------


def test_staff_register_a_unit_and_find_it_in_their_unit_list_by_pinyin(world, login):
    client = login("county_staff")
    response = client.post(
        reverse("people:unit_create"),
        unit_form(credit_code=credit_code(1).lower(), contact_phone="138 0013 8000"),
        follow=True,
    )
    unit = Unit.objects.get(name="甲县第一中学")
    assert unit.organization == world.county_a
    assert unit.credit_code == credit_code(1)
    assert unit.contact_phone == "13800138000"
    assert response.redirect_chain[-1][0] == reverse("people:unit_detail", args=[unit.pk])
    assert "甲县第一中学" in response.content.decode()
    assert "138****8000" in response.content.decode()
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()
    listed = client.get(reverse("people:unit_list"), {"q": "jxdy"}).context["page_obj"]
    assert [u.name for u in listed] == ["甲县第一中学"]


def test_a_credit_code_with_a_wrong_check_digit_is_shown_in_chinese_on_its_field(world, login):
    response = login("county_staff").post(
        reverse("people:unit_create"), unit_form(credit_code="91110000802100433C")
    )
    assert response.status_code == 200
    error = response.context["form"].errors["credit_code"][0]
    assert "不是有效的统一社会信用代码" in error
    assert "不是有效的统一社会信用代码" in response.content.decode()
    assert not Unit.objects.filter(name="甲县第一中学").exists()


def test_a_credit_code_already_taken_by_another_unit_is_shown_on_its_field(world, talent, login):
    Unit.objects.filter(pk=talent.unit_a.pk).update(credit_code=credit_code(2))
    response = login("county_staff").post(
        reverse("people:unit_create"), unit_form(credit_code=credit_code(2))
    )
    assert credit_code(2) in response.context["form"].errors["credit_code"][0]


def test_a_credit_code_taken_concurrently_becomes_an_error_on_the_field_not_a_server_error(world, talent):
    Unit.objects.filter(pk=talent.unit_a.pk).update(credit_code=credit_code(3))
    racing = Unit(organization=world.county_a, name="同时登记的单位", credit_code=credit_code(3))
    with pytest.raises(DomainError) as caught:
        services._save_checking_credit_code(racing)  # the check before it passed in another request
    assert caught.value.field == "credit_code"


def test_an_invalid_contact_phone_is_refused_on_its_field(world):
    with pytest.raises(DomainError) as caught:
        services.unit_create(
            actor=None,
            organization=world.county_a,
            data=services.UnitData(name="某单位", contact_phone="12345"),
        )
    assert caught.value.field == "contact_phone"


def test_the_unit_list_filters_by_kind_and_shows_only_the_users_subtree(world, talent, login):
    services.unit_create(actor=None, organization=world.county_b, data=services.UnitData(name="乙县人民医院"))
    services.unit_create(
        actor=None,
        organization=world.county_a,
        data=services.UnitData(name="甲县农科所", kind=UnitKind.INSTITUTE),
    )
    client = login("county_staff")
    everything = [u.name for u in client.get(reverse("people:unit_list")).context["page_obj"]]
    assert set(everything) == {"甲县农科所", "甲县人民医院"}
    hospitals = client.get(reverse("people:unit_list"), {"kind": UnitKind.HOSPITAL}).context["page_obj"]
    assert [u.name for u in hospitals] == ["甲县人民医院"]


def test_the_unit_page_lists_its_people_with_masked_mobiles_and_its_memberships(world, talent, login):
    content = (
        login("county_staff").get(reverse("people:unit_detail", args=[talent.unit_a.pk])).content.decode()
    )
    assert "张伟" in content
    assert "138****8000" in content
    assert "13800138000" not in content
    assert "示例市计算机学会" in content
    assert "JSJ-D01" in content


def test_editing_a_unit_is_audited_with_old_and_new_values(world, talent, login):
    response = login("county_staff").post(
        reverse("people:unit_update", args=[talent.unit_a.pk]),
        unit_form(name="甲县人民医院（新院区）", kind=UnitKind.HOSPITAL),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unit.update", object_id=str(talent.unit_a.pk))
    assert event.changes["name"] == ["甲县人民医院", "甲县人民医院（新院区）"]


@pytest.mark.parametrize(
    "name,method",
    [
        ("people:unit_detail", "get"),
        ("people:unit_update", "get"),
        ("people:team_detail", "get"),
        ("people:team_update", "post"),
        ("people:team_member_add", "post"),
    ],
)
def test_county_b_staff_get_404_for_county_a_units_and_teams(world, talent, login, name, method):
    pk = talent.unit_a.pk if name.startswith("people:unit") else talent.team_a.pk
    client = login("county_b_staff")
    response = getattr(client, method)(
        reverse(name, args=[pk]), {"name": "改名", "person": talent.person_b.pk}
    )
    assert response.status_code == 404


def test_a_read_only_viewer_cannot_register_a_unit(world, login):
    assert login("viewer").post(reverse("people:unit_create"), unit_form()).status_code == 403


# --- teams ---------------------------------------------------------------------------------


def test_staff_create_a_team_whose_leader_becomes_its_first_member(world, talent, login):
    client = login("county_staff")
    search = client.get(reverse("people:team_create"), {"q": "zw"}, HTTP_HX_REQUEST="true")
    assert f'value="{talent.person_a.pk}"' in search.content.decode()
    response = client.post(
        reverse("people:team_create"),
        {"name": "甲县中医药传承团队", "leader": talent.person_a.pk, "unit": talent.unit_a.pk},
        follow=True,
    )
    team = Team.objects.get(name="甲县中医药传承团队")
    assert team.organization == world.county_a
    assert team.leader == talent.person_a
    assert list(team.members.all()) == [talent.person_a]
    assert "甲县中医药传承团队" in response.content.decode()
    assert AuditEvent.objects.filter(action="team.create", object_id=str(team.pk)).exists()


def test_the_team_list_finds_teams_by_name_and_pinyin(world, talent, login):
    services.team_create(
        actor=None, organization=world.county_a, data=services.TeamData(name="甲县中医药团队")
    )
    client = login("county_staff")
    for query in ("中医", "zhongyi", "中醫"):
        listed = client.get(reverse("people:team_list"), {"q": query}).context["page_obj"]
        assert [t.name for t in listed] == ["甲县中医药团队"], query


def test_staff_add_a_person_found_by_the_search_to_a_team(world, talent, login):
    newcomer = person_create(
        actor=None, organization=world.county_a, data=PersonData(name="赵磊", mobile="13700137000")
    )
    client = login("county_staff")
    url = reverse("people:team_detail", args=[talent.team_a.pk])
    results = client.get(url, {"q": "赵"}, HTTP_HX_REQUEST="true").content.decode()
    assert "赵磊" in results
    assert "137****7000" in results
    response = client.post(
        reverse("people:team_member_add", args=[talent.team_a.pk]),
        {"person": newcomer.pk, "role": "技术骨干"},
        follow=True,
    )
    assert "赵磊已加入团队“甲县智慧农业团队”" in response.content.decode()
    assert TeamMember.objects.get(team=talent.team_a, person=newcomer).role == "技术骨干"
    assert AuditEvent.objects.filter(action="team.member_add", object_id=str(talent.team_a.pk)).exists()


def test_a_person_outside_the_scope_cannot_be_added_to_a_team(world, talent, login):
    response = login("county_staff").post(
        reverse("people:team_member_add", args=[talent.team_a.pk]),
        {"person": talent.person_b.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert not TeamMember.objects.filter(team=talent.team_a, person=talent.person_b).exists()


def test_a_minor_without_guardian_consent_cannot_join_a_team_and_the_error_is_in_chinese(
    world, talent, login
):
    child = minor(world)
    response = login("county_staff").post(
        reverse("people:team_member_add", args=[talent.team_a.pk]), {"person": child.pk}, follow=True
    )
    assert "小明未满14周岁" in response.content.decode()
    assert not TeamMember.objects.filter(person=child).exists()


def test_a_minor_with_a_guardians_consent_can_join_a_team(world, talent):
    child = minor(world)
    Consent.objects.create(
        person=child,
        purpose=Consent.Purpose.TALENT_POOL,
        notice="人才库登记",
        method=Consent.Method.PAPER,
        given_on=date(2025, 1, 1),
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="小明妈妈",
    )
    services.team_member_add(actor=None, team=talent.team_a, person=child)
    assert talent.team_a.members.filter(pk=child.pk).exists()


def test_a_person_already_in_the_team_is_not_added_twice(world, talent):
    with pytest.raises(DomainError) as caught:
        services.team_member_add(actor=None, team=talent.team_a, person=talent.person_a)
    assert "张伟" in caught.value.message


def test_the_leader_stays_until_another_leader_is_chosen(world, talent, login):
    client = login("county_staff")
    url = reverse("people:team_member_remove", args=[talent.team_a.pk, talent.person_a.pk])
    response = client.post(url, follow=True)
    assert talent.team_a.members.filter(pk=talent.person_a.pk).exists()
    assert "张伟" in response.content.decode()


def test_removing_a_member_is_audited(world, talent, login):
    other = person_create(actor=None, organization=world.county_a, data=PersonData(name="孙丽"))
    services.team_member_add(actor=None, team=talent.team_a, person=other)
    response = login("county_staff").post(
        reverse("people:team_member_remove", args=[talent.team_a.pk, other.pk])
    )
    assert response.status_code == 302
    assert not talent.team_a.members.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action="team.member_remove", detail__person=other.pk).exists()


def test_editing_a_team_offers_its_members_as_leader(world, talent, login):
    other = person_create(actor=None, organization=world.county_a, data=PersonData(name="孙丽"))
    services.team_member_add(actor=None, team=talent.team_a, person=other)
    client = login("county_staff")
    url = reverse("people:team_update", args=[talent.team_a.pk])
    assert "孙丽" in client.get(url).content.decode()
    client.post(url, {"name": "甲县智慧农业团队", "leader": other.pk})
    talent.team_a.refresh_from_db()
    assert talent.team_a.leader == other
    assert AuditEvent.objects.get(action="team.update").changes["leader"] == [talent.person_a.pk, other.pk]


# --- exports -------------------------------------------------------------------------------


def test_the_unit_export_holds_the_filtered_units_with_masked_phones_and_is_audited(world, talent, login):
    Unit.objects.filter(pk=talent.unit_a.pk).update(contact_phone="13800138000")
    rows = sheet_rows(login("county_staff").get(reverse("people:unit_export"), {"kind": UnitKind.HOSPITAL}))
    assert rows[0][0] == "名称"
    assert [row[0] for row in rows[1:]] == ["甲县人民医院"]
    assert "138****8000" in rows[1]
    assert "13800138000" not in rows[1]
    event = AuditEvent.objects.get(action="unit.export")
    assert event.detail["rows"] == 1
    assert "kind=hospital" in event.detail["filters"]


def test_the_team_export_is_audited(world, talent, login):
    rows = sheet_rows(login("county_staff").get(reverse("people:team_export")))
    assert [row[0] for row in rows[1:]] == ["甲县智慧农业团队"]
    assert AuditEvent.objects.filter(action="team.export", detail__rows=1).exists()
