"""/api/v1/ for units, teams, society memberships, honours and visits: scope, filters, writes."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kexie.audit.models import AuditEvent
from kexie.people.models import Honour, SocietyMembership, Unit, Visit

pytestmark = pytest.mark.django_db


def url(name: str, obj=None, **query) -> str:
    path = reverse(f"people_api:{name}", kwargs={"pk": obj.pk} if obj is not None else None)
    return path + (f"?{urlencode(query)}" if query else "")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- units ----------------------------------------------------------------------------


def test_county_staff_list_the_units_their_county_keeps(talent, api_client):
    rows = results(api_client("county_staff").get(url("unit_list")))
    assert [(r["name"], r["kind"], r["kind_display"]) for r in rows] == [("甲县人民医院", "hospital", "医院")]
    assert results(api_client("county_b_staff").get(url("unit_list"))) == []


def test_the_unit_detail_counts_the_people_working_there(talent, api_client):
    response = api_client("county_staff").get(url("unit_detail", talent.unit_a))
    assert response.status_code == 200
    assert response.json()["people_count"] == 1
    assert api_client("county_b_staff").get(url("unit_detail", talent.unit_a)).status_code == 404


def test_county_staff_register_a_unit_and_find_it_by_pinyin(world, talent, api_client):
    client = api_client("county_staff")
    response = client.post(
        url("unit_list"),
        {"name": "甲县农机厂", "kind": "enterprise", "industry": "C", "contact_phone": "13912345678"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contact_phone"] == "139****5678" and body["organization"]["id"] == world.county_a.pk
    assert body["people_count"] == 0
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(body["id"])).exists()
    assert [r["name"] for r in results(client.get(url("unit_list", q="nongjichang")))] == ["甲县农机厂"]
    assert [r["name"] for r in results(client.get(url("unit_list", industry="C")))] == ["甲县农机厂"]


def test_a_bad_credit_code_is_400_naming_it(talent, api_client):
    response = api_client("county_staff").post(
        url("unit_list"), {"name": "某公司", "credit_code": "91110108551385082X"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["credit_code"]
    assert not Unit.objects.filter(name="某公司").exists()


def test_patching_a_unit_changes_only_the_given_fields(talent, api_client):
    response = api_client("county_staff").patch(
        url("unit_detail", talent.unit_a), {"address": "甲县人民路8号"}, format="json"
    )
    assert response.status_code == 200, response.json()
    talent.unit_a.refresh_from_db()
    assert (talent.unit_a.address, talent.unit_a.kind) == ("甲县人民路8号", "hospital")
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(talent.unit_a.pk)).exists()


def test_a_read_only_viewer_cannot_register_units(talent, api_client):
    response = api_client("viewer").post(url("unit_list"), {"name": "只读单位"}, format="json")
    assert response.status_code == 403
    assert not Unit.objects.filter(name="只读单位").exists()


# --- teams ----------------------------------------------------------------------------


def test_a_team_lists_its_members_by_name(talent, api_client):
    client = api_client("county_staff")
    rows = results(client.get(url("team_list")))
    assert [(r["name"], r["leader"]["name"], r["member_count"]) for r in rows] == [
        ("甲县智慧农业团队", "张伟", 1)
    ]
    body = client.get(url("team_detail", talent.team_a)).json()
    assert body["members"] == [
        {"person": {"id": talent.person_a.pk, "name": "张伟"}, "role": "负责人", "joined_on": None}
    ]


def test_teams_of_another_county_do_not_exist_for_county_b(talent, api_client):
    client = api_client("county_b_staff")
    assert results(client.get(url("team_list"))) == []
    assert client.get(url("team_detail", talent.team_a)).status_code == 404


# --- society memberships --------------------------------------------------------------


def test_the_secretary_lists_the_society_roster(world, talent, api_client):
    rows = results(api_client("society_secretary").get(url("membership_list", society=world.society.pk)))
    assert [(r["member_name"], r["number"], r["is_institutional"]) for r in rows] == [
        ("王芳芳", "JSJ-001", False),
        ("甲县人民医院", "JSJ-D01", True),
    ]
    assert rows[0]["status"] == "active" and rows[0]["society"]["id"] == world.society.pk


def test_the_roster_filters_by_name_and_member_type(world, talent, api_client):
    client = api_client("city_admin")
    rows = results(client.get(url("membership_list", society=world.society.pk, q="wff")))
    assert [r["member_name"] for r in rows] == ["王芳芳"]
    rows = results(client.get(url("membership_list", society=world.society.pk, member_type="institutional")))
    assert [r["member_name"] for r in rows] == ["甲县人民医院"]


def test_a_society_outside_the_scope_is_404(world, talent, api_client):
    client = api_client("county_staff")
    assert client.get(url("membership_list", society=world.society.pk)).status_code == 404
    assert client.get(url("membership_detail", talent.membership)).status_code == 404


def test_the_roster_needs_a_society(talent, api_client):
    response = api_client("city_admin").get(url("membership_list"))
    assert response.status_code == 400 and "society" in response.json()


def test_admitting_a_person_to_a_society(world, talent, api_client):
    client = api_client("city_admin")
    response = client.post(
        url("membership_list"),
        {
            "society": world.society.pk,
            "person": talent.person_a.pk,
            "joined_on": "2024-05-01",
            "number": "JSJ-002",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["member_name"] == "张伟"
    membership = SocietyMembership.objects.get(society=world.society, person=talent.person_a)
    assert AuditEvent.objects.filter(action="member.create", object_id=str(membership.pk)).exists()
    again = client.post(
        url("membership_list"),
        {"society": world.society.pk, "person": talent.person_a.pk, "joined_on": "2024-05-01"},
        format="json",
    )
    assert again.status_code == 400 and "person" in again.json()


def test_admitting_to_a_society_outside_the_scope_is_refused(world, talent, api_client):
    response = api_client("county_staff").post(
        url("membership_list"),
        {"society": world.society.pk, "person": talent.person_a.pk, "joined_on": "2024-05-01"},
        format="json",
    )
    assert response.status_code == 400 and "society" in response.json()
    assert not SocietyMembership.objects.filter(person=talent.person_a).exists()


# --- honours --------------------------------------------------------------------------


def test_honours_are_listed_and_filtered_by_year_and_level(talent, api_client):
    client = api_client("county_staff")
    rows = results(client.get(url("honour_list", year=2024, level="city")))
    assert [(r["title"], r["recipient_name"], r["level_display"]) for r in rows] == [
        ("青年科技奖", "张伟", "市级")
    ]
    assert results(client.get(url("honour_list", year=2023))) == []
    assert results(api_client("county_b_staff").get(url("honour_list"))) == []
    assert api_client("county_b_staff").get(url("honour_detail", talent.honour)).status_code == 404


def test_recording_an_honour_with_its_evidence(world, talent, api_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 certificate", content_type="application/pdf")
    response = api_client("county_staff").post(
        url("honour_list"),
        {
            "person": talent.person_a.pk,
            "title": "科技进步奖",
            "level": "provincial",
            "grade": "second",
            "year": 2023,
            "evidence": evidence,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["has_evidence"] is True and body["organization"]["id"] == world.county_a.pk
    honour = Honour.objects.get(pk=body["id"])
    assert honour.person == talent.person_a and honour.grade == "second"
    assert AuditEvent.objects.filter(action="honour.create", object_id=str(honour.pk)).exists()


def test_an_honour_for_a_person_and_an_organization_at_once_is_refused(world, talent, api_client):
    response = api_client("county_staff").post(
        url("honour_list"),
        {
            "person": talent.person_a.pk,
            "recipient_organization": world.town_a.pk,
            "title": "先进集体",
            "level": "county",
            "year": 2024,
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Honour.objects.filter(title="先进集体").exists()


def test_an_honour_for_a_person_outside_the_scope_is_refused(talent, api_client):
    response = api_client("county_b_staff").post(
        url("honour_list"),
        {"person": talent.person_a.pk, "title": "越界奖", "level": "county", "year": 2024},
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()


# --- visits ---------------------------------------------------------------------------


def test_visits_are_listed_within_the_scope(talent, api_client):
    rows = results(api_client("county_staff").get(url("visit_list", year=2025)))
    assert [(r["person"]["name"], r["occasion"], r["visitors"]) for r in rows] == [
        ("张伟", "spring_festival", "甲县科协主席")
    ]
    assert results(api_client("county_staff").get(url("visit_list", q="zw")))[0]["id"] == talent.visit.pk
    assert results(api_client("county_b_staff").get(url("visit_list"))) == []
    assert api_client("county_b_staff").get(url("visit_detail", talent.visit)).status_code == 404


def test_recording_a_visit(world, talent, api_client):
    response = api_client("county_staff").post(
        url("visit_list"),
        {
            "person": talent.person_a.pk,
            "visited_on": "2025-05-30",
            "occasion": "workers_day",
            "visitors": "县科协",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    visit = Visit.objects.get(pk=response.json()["id"])
    assert visit.organization == world.county_a and visit.recorded_by == world.users["county_staff"]
    assert response.json()["recorded_by"] == "county_staff"


def test_a_visit_in_the_future_is_400_naming_the_date(talent, api_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api_client("county_staff").post(
        url("visit_list"),
        {"person": talent.person_a.pk, "visited_on": tomorrow, "occasion": "other", "visitors": "县科协"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["visited_on"]


@pytest.mark.parametrize(
    "name", ["unit_list", "team_list", "honour_list", "visit_list", "people_list", "search"]
)
def test_administrators_of_the_platform_cannot_read_the_talent_pool(talent, api_client, name):
    for persona in ("auditor", "sysadmin", "secadmin"):
        assert api_client(persona).get(url(name)).status_code == 403, persona
