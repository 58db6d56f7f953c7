"""/api/v1/ for people: scope, masking, audited unmasking, search, validation, schema."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from kexie.audit.models import AuditEvent
from kexie.people.models import Person
from kexie.people.services.people import id_number_of, mobile_of

pytestmark = pytest.mark.django_db

CLEAR_ID, MASKED_ID = "11010519491231002X", "110105********002X"
CLEAR_MOBILE, MASKED_MOBILE = "13800138000", "138****8000"
VALID_ID = "110105198001010016"  # a real check digit; born 1980-01-01, male


def list_url(**query) -> str:
    return reverse("people_api:people_list") + (f"?{urlencode(query, doseq=True)}" if query else "")


def detail_url(person) -> str:
    return reverse("people_api:person_detail", kwargs={"pk": person.pk})


def reveal_url(person) -> str:
    return reverse("people_api:person_reveal", kwargs={"pk": person.pk})


def search_url(q: str) -> str:
    return reverse("people_api:search") + "?" + urlencode({"q": q})


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def reason_required() -> str:
    """The service's message, in the Chinese the API answers in."""
    with translation.override("zh-hans"):
        message = translation.gettext("Give the reason for viewing the full personal data.")
    assert message != "Give the reason for viewing the full personal data."
    return message


def unmask_events():
    return AuditEvent.objects.filter(action="person.unmask")


# --- listing and scope ----------------------------------------------------------------


def test_the_city_admin_lists_everyone_in_the_city(talent, api_client):
    response = api_client("city_admin").get(list_url())
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(["张伟", "李娜", "王芳芳"])
    assert response.json()["count"] == 3


def test_county_staff_list_only_the_people_their_county_keeps(talent, api_client):
    assert names(api_client("county_staff").get(list_url())) == ["张伟"]
    assert names(api_client("county_b_staff").get(list_url())) == ["李娜"]


def test_a_society_secretary_lists_the_society_members(talent, api_client):
    assert names(api_client("society_secretary").get(list_url())) == ["王芳芳"]


def test_identifiers_are_masked_in_the_list_by_default(talent, api_client):
    response = api_client("city_admin").get(list_url(q="张伟"))
    row = response.json()["results"][0]
    assert (row["id_number"], row["mobile"]) == (MASKED_ID, MASKED_MOBILE)
    body = response.content.decode()
    assert CLEAR_ID not in body and CLEAR_MOBILE not in body
    assert not unmask_events().exists()


def test_a_list_row_has_the_documented_fields(talent, api_client):
    row = api_client("county_staff").get(list_url()).json()["results"][0]
    assert row["id"] == talent.person_a.pk
    assert row["birth_date"] == "1949-12-31" and row["gender"] == "female" and row["gender_display"] == "女"
    assert row["unit"] == {"id": talent.unit_a.pk, "name": "甲县人民医院"}
    assert row["organization"] == {"id": talent.person_a.organization_id, "name": "甲县科学技术协会"}
    assert row["tags"] == ["expert"]
    assert row["url"].endswith(detail_url(talent.person_a))


def test_the_list_filters_like_the_list_page(talent, api_client):
    client = api_client("city_admin")
    assert names(client.get(list_url(tag="expert"))) == ["张伟"]
    assert names(client.get(list_url(unit=talent.unit_a.pk))) == ["张伟"]
    assert names(client.get(list_url(gender="female", age_min=70))) == ["张伟"]
    assert names(client.get(list_url(organization=talent.person_b.organization_id))) == ["李娜"]
    assert names(client.get(list_url(society=talent.membership.society_id))) == ["王芳芳"]


def test_a_filter_on_an_organization_outside_the_scope_is_404(world, talent, api_client):
    response = api_client("county_b_staff").get(list_url(organization=world.county_a.pk))
    assert response.status_code == 404


def test_an_invalid_filter_is_400_naming_it(talent, api_client):
    client = api_client("city_admin")
    response = client.get(list_url(education="alchemy"))
    assert response.status_code == 400 and "education" in response.json()
    response = client.get(list_url(age_min=60, age_max=40))
    assert response.status_code == 400 and "age_max" in response.json()


def test_the_list_is_paginated(talent, api_client):
    body = api_client("city_admin").get(list_url(page_size=2)).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_anonymous_callers_get_401(talent, api_client):
    assert api_client().get(list_url()).status_code == 401


def test_the_audit_administrator_cannot_list_people(talent, api_client):
    assert api_client("auditor").get(list_url()).status_code == 403


# --- unmasking ------------------------------------------------------------------------


def test_unmasking_without_the_permission_is_403_and_shows_nothing(talent, api_client):
    response = api_client("county_staff").get(list_url(unmask="true", reason="核对身份"))
    assert response.status_code == 403
    assert CLEAR_ID not in response.content.decode()
    assert not unmask_events().exists()


def test_unmasking_without_a_reason_is_400_in_chinese(talent, api_client):
    response = api_client("city_admin").get(list_url(unmask="true"))
    assert response.status_code == 400
    assert response.json() == {"reason": [reason_required()]}
    assert not unmask_events().exists()


def test_unmasking_with_a_reason_shows_the_page_in_clear_and_is_audited_once(talent, api_client):
    response = api_client("city_admin").get(list_url(unmask="true", reason="核对获奖人身份"))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert (rows["张伟"]["id_number"], rows["张伟"]["mobile"]) == (CLEAR_ID, CLEAR_MOBILE)
    assert rows["李娜"]["mobile"] == "13900139000"
    event = unmask_events().get()
    assert event.actor.username == "city_admin"
    assert event.detail["reason"] == "核对获奖人身份"
    assert sorted(event.detail["people"]) == sorted(p.pk for p in Person.objects.all())


def test_the_detail_is_always_masked(talent, api_client):
    response = api_client("city_admin").get(detail_url(talent.person_a))
    assert response.status_code == 200
    body = response.json()
    assert (body["id_number"], body["mobile"]) == (MASKED_ID, MASKED_MOBILE)
    assert body["is_anonymized"] is False


def test_revealing_one_person_needs_the_permission(talent, api_client):
    response = api_client("county_staff").post(reveal_url(talent.person_a), {"reason": "核对"}, format="json")
    assert response.status_code == 403
    assert not unmask_events().exists()


def test_revealing_one_person_needs_a_reason(talent, api_client):
    response = api_client("city_admin").post(reveal_url(talent.person_a), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": [reason_required()]}


def test_revealing_one_person_gives_the_clear_values_and_audits_the_reason(talent, api_client):
    response = api_client("city_admin").post(
        reveal_url(talent.person_a), {"reason": "电话通知评审"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"id_number": CLEAR_ID, "mobile": CLEAR_MOBILE}
    event = unmask_events().get()
    assert event.object_id == str(talent.person_a.pk) and event.detail["reason"] == "电话通知评审"


def test_a_sibling_county_gets_404_on_a_county_a_person(talent, api_client):
    client = api_client("county_b_staff")
    assert client.get(detail_url(talent.person_a)).status_code == 404
    response = client.patch(detail_url(talent.person_a), {"title": "越权"}, format="json")
    assert response.status_code == 404
    assert client.post(reveal_url(talent.person_a), {"reason": "x"}, format="json").status_code == 404
    talent.person_a.refresh_from_db()
    assert talent.person_a.title == ""
    assert not unmask_events().exists()


# --- search ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["张伟", "張偉", "zw", "zhangwei", "张"])
def test_search_finds_zhang_wei_in_every_spelling(talent, api_client, query):
    response = api_client("county_staff").get(search_url(query))
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == ["张伟"]


def test_a_search_result_is_what_an_autocomplete_shows(talent, api_client):
    row = api_client("county_staff").get(search_url("张伟")).json()[0]
    assert row == {
        "id": talent.person_a.pk,
        "name": "张伟",
        "unit_name": "甲县人民医院",
        "title": "",
        "mobile": MASKED_MOBILE,
        "rank": 0,
    }


def test_search_stays_in_the_scope(talent, api_client):
    assert api_client("county_b_staff").get(search_url("张伟")).json() == []


def test_an_empty_search_finds_nothing(talent, api_client):
    assert api_client("city_admin").get(search_url(" ")).json() == []


def test_the_list_search_finds_zhang_wei_by_traditional_characters(talent, api_client):
    assert names(api_client("city_admin").get(list_url(q="張偉"))) == ["张伟"]


# --- creating and editing -------------------------------------------------------------


def test_county_staff_register_a_person_in_their_county(world, talent, api_client):
    response = api_client("county_staff").post(
        list_url(),
        {
            "name": "陈立",
            "id_number": VALID_ID,
            "mobile": "13912345678",
            "title": "高级工程师",
            "title_level": "vice_senior",
            "discipline": "110",
            "unit": talent.unit_a.pk,
            "tags": ["expert", "academician"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["id_number"], body["mobile"]) == ("110105********0016", "139****5678")
    assert body["birth_date"] == "1980-01-01" and body["gender"] == "male"
    assert body["discipline"]["code"] == "110" and sorted(body["tags"]) == ["academician", "expert"]
    assert body["organization"]["id"] == world.county_a.pk
    person = Person.objects.get(pk=body["id"])
    assert id_number_of(person) == VALID_ID and mobile_of(person) == "13912345678"
    event = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    assert event.actor == world.users["county_staff"]


def test_a_person_can_be_registered_for_an_organization_below(world, talent, api_client):
    response = api_client("county_staff").post(
        list_url(), {"name": "镇上专家", "organization": world.town_a.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["organization"]["id"] == world.town_a.pk


def test_an_organization_outside_the_scope_is_refused(world, talent, api_client):
    response = api_client("county_b_staff").post(
        list_url(), {"name": "越界人员", "organization": world.county_a.pk}, format="json"
    )
    assert response.status_code == 400 and "organization" in response.json()
    assert not Person.objects.filter(name="越界人员").exists()


def test_a_unit_outside_the_scope_is_refused(talent, api_client):
    response = api_client("county_b_staff").post(
        list_url(), {"name": "越界人员", "unit": talent.unit_a.pk}, format="json"
    )
    assert response.status_code == 400 and "unit" in response.json()


def test_a_bad_id_check_digit_is_400_naming_the_field_and_nothing_is_created(talent, api_client):
    before = Person.objects.count()
    response = api_client("county_staff").post(
        list_url(), {"name": "陈立", "id_number": "110105198001010011"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["id_number"]
    assert "校验码" in response.json()["id_number"][0]
    assert Person.objects.count() == before


def test_a_read_only_viewer_cannot_register_or_edit(talent, api_client):
    client = api_client("viewer")
    assert client.post(list_url(), {"name": "只读"}, format="json").status_code == 403
    assert client.patch(detail_url(talent.person_a), {"title": "x"}, format="json").status_code == 403
    assert not Person.objects.filter(name="只读").exists()


def test_patch_changes_only_the_given_fields_and_keeps_the_identifiers(talent, api_client):
    response = api_client("county_staff").patch(
        detail_url(talent.person_a), {"title": "主任医师", "title_level": "senior"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "主任医师" and body["id_number"] == MASKED_ID and body["mobile"] == MASKED_MOBILE
    assert CLEAR_ID not in response.content.decode() and CLEAR_MOBILE not in response.content.decode()
    person = Person.objects.get(pk=talent.person_a.pk)
    assert id_number_of(person) == CLEAR_ID and mobile_of(person) == CLEAR_MOBILE
    assert person.unit_id == talent.unit_a.pk and list(person.tags.values_list("code", flat=True)) == [
        "expert"
    ]
    event = AuditEvent.objects.get(action="person.update", object_id=str(person.pk))
    assert set(event.changes) == {"title", "title_level"}


def test_patch_with_an_invalid_mobile_is_400_naming_it(talent, api_client):
    response = api_client("county_staff").patch(
        detail_url(talent.person_a), {"mobile": "12345"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["mobile"]


def test_patch_with_tags_replaces_them(talent, api_client):
    response = api_client("county_staff").patch(
        detail_url(talent.person_a), {"tags": ["academician"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["tags"] == ["academician"]


# --- the documentation ----------------------------------------------------------------


def test_the_schema_describes_the_talent_pool_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text(encoding="utf-8")
    for path in (
        "/api/v1/people/",
        "/api/v1/people/{id}/reveal/",
        "/api/v1/search/",
        "/api/v1/units/{id}/",
        "/api/v1/teams/{id}/",
        "/api/v1/memberships/",
        "/api/v1/honours/",
        "/api/v1/visits/{id}/",
    ):
        assert f"{path}:" in schema
