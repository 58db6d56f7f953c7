"""/api/v1/ for the organization network: scope, permissions, validation, audit, schema."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kexie.accounts import services as account_services
from kexie.audit.models import AuditEvent
from kexie.core.scoping import resolve_scope
from kexie.orgs import selectors
from kexie.orgs.models import EventKind, Kind, Organization, Status

pytestmark = pytest.mark.django_db

VALID_CREDIT_CODE = "91110108551385082Q"  # a real check character (GB 32100)


def list_url(**query) -> str:
    from urllib.parse import urlencode

    return reverse("orgs_api:organization_list") + (f"?{urlencode(query, doseq=True)}" if query else "")


def detail_url(org) -> str:
    return reverse("orgs_api:organization_detail", kwargs={"pk": org.pk})


def action_url(name: str, org) -> str:
    return reverse(f"orgs_api:organization_{name}", kwargs={"pk": org.pk})


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


class _Request:
    def __init__(self, user):
        self.user = user


def scope_of(world, persona):
    return resolve_scope(_Request(world.users[persona]))


# --- listing -------------------------------------------------------------------------


def test_county_staff_list_only_the_county_subtree(world, api_client):
    response = api_client("county_staff").get(list_url())
    assert response.status_code == 200
    assert names(response) == {"甲县科学技术协会", "甲镇科学技术协会"}
    assert response.json()["count"] == 2


def test_the_list_is_paginated(world, api_client):
    response = api_client("city_admin").get(list_url(page_size=3))
    body = response.json()
    assert body["count"] == 7 and len(body["results"]) == 3 and body["next"]


def test_the_list_filters_by_kind_search_and_subtree(world, api_client):
    client = api_client("city_admin")
    towns = client.get(list_url(kind=[Kind.TOWN_ASSOCIATION, Kind.SOCIETY]))
    assert names(towns) == {"甲镇科学技术协会", "乙镇科学技术协会", "示例市计算机学会"}
    assert names(client.get(list_url(q="計算機"))) == {"示例市计算机学会"}
    assert names(client.get(list_url(under=world.county_b.pk))) == {"乙县科学技术协会", "乙镇科学技术协会"}
    assert names(client.get(list_url(overdue_only="true"))) == {"示例市计算机学会"}
    assert names(client.get(list_url(founded_from=2000, founded_to=2002))) == {"示例市计算机学会"}


def test_the_list_shows_dissolved_organizations_only_when_asked(world, api_client):
    client = api_client("city_admin")
    client.post(action_url("dissolve", world.town_b), {"dissolved_on": "2025-12-31"}, format="json")
    assert names(client.get(list_url(status=Status.DISSOLVED))) == {"乙镇科学技术协会"}
    assert "乙镇科学技术协会" not in names(client.get(list_url(status=Status.ACTIVE)))


def test_a_filter_on_an_organization_outside_the_scope_is_404(world, api_client):
    response = api_client("county_b_staff").get(list_url(under=world.county_a.pk))
    assert response.status_code == 404


def test_an_invalid_filter_is_400_naming_it(world, api_client):
    client = api_client("city_admin")
    response = client.get(list_url(kind="castle"))
    assert response.status_code == 400
    assert "kind" in response.json()
    response = client.get(list_url(founded_from=2010, founded_to=2000))
    assert response.status_code == 400
    assert "founded_to" in response.json()


def test_contact_phones_are_masked(world, api_client):
    response = api_client("city_admin").get(list_url())
    city = next(row for row in response.json()["results"] if row["id"] == world.city.pk)
    assert city["contact_phone"] == "138****8000"
    assert "13800138000" not in response.content.decode()
    detail = api_client("city_admin").get(detail_url(world.city))
    assert detail.json()["contact_phone"] == "138****8000"
    assert "13800138000" not in detail.content.decode()


def test_a_list_row_has_the_documented_fields(world, api_client):
    response = api_client("county_staff").get(list_url())
    row = next(r for r in response.json()["results"] if r["id"] == world.town_a.pk)
    assert row["parent"] == world.county_a.pk
    assert row["kind"] == Kind.TOWN_ASSOCIATION and row["kind_display"]
    assert row["depth"] == 3 and row["status"] == Status.ACTIVE and row["is_overdue"] is False
    assert row["url"].endswith(detail_url(world.town_a))
    assert "path" not in row


def test_the_audit_administrator_cannot_list_organizations(world, api_client):
    response = api_client("auditor").get(list_url())
    assert response.status_code == 403


def test_anonymous_callers_get_401_with_a_challenge(world, api_client):
    response = api_client().get(list_url())
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "url",
    [
        lambda w: detail_url(w.town_a),
        lambda w: action_url("children", w.county_a),
        lambda w: action_url("history", w.town_a),
        lambda w: action_url("board_terms", w.society),
        lambda w: action_url("leaders", w.society),
        lambda w: reverse("orgs_api:network_statistics"),
        lambda w: reverse("orgs_api:overdue_reelections"),
    ],
)
def test_every_read_endpoint_refuses_anonymous_callers(world, api_client, url):
    assert api_client().get(url(world)).status_code == 401


# --- one organization ----------------------------------------------------------------


def test_the_detail_shows_the_current_term_leaders_and_children(world, api_client):
    client = api_client("city_admin")
    client.post(
        action_url("leaders", world.society),
        {"position": "chair", "person_name": "李明", "started_on": "2016-06-01"},
        format="json",
    )
    body = client.get(detail_url(world.society)).json()
    assert body["current_board_term"] == {
        "number": 1,
        "started_on": "2016-06-01",
        "due_on": "2021-06-01",
        "overdue": True,
    }
    assert body["is_overdue"] is True
    assert [(leader["position"], leader["person_name"]) for leader in body["current_leaders"]] == [
        ("chair", "李明")
    ]
    assert body["children_count"] == 0
    assert client.get(detail_url(world.city)).json()["children_count"] == 4


def test_a_sibling_county_gets_404_for_county_a_organizations(world, api_client):
    client = api_client("county_b_staff")
    assert client.get(detail_url(world.town_a)).status_code == 404
    response = client.patch(detail_url(world.town_a), {"address": "别处"}, format="json")
    assert response.status_code == 404
    world.town_a.refresh_from_db()
    assert world.town_a.address == ""


@pytest.mark.parametrize("name", ["children", "history", "board_terms", "leaders", "move", "dissolve"])
def test_a_sibling_county_gets_404_on_every_organization_endpoint(world, api_client, name):
    client = api_client("county_b_staff")
    before = AuditEvent.objects.count()
    response = client.post(action_url(name, world.town_a), {}, format="json")
    assert response.status_code == 404
    assert client.get(action_url(name, world.town_a)).status_code in (404, 405)
    assert AuditEvent.objects.count() == before, "nothing was written, not even a denial"


def test_an_unknown_organization_is_404(world, api_client):
    response = api_client("city_admin").get(reverse("orgs_api:organization_detail", kwargs={"pk": 999_999}))
    assert response.status_code == 404


# --- creating and editing --------------------------------------------------------------


def test_county_staff_create_an_organization_in_their_county(world, api_client):
    response = api_client("county_staff").post(
        list_url(),
        {
            "parent": world.county_a.pk,
            "kind": Kind.ENTERPRISE_ASSOCIATION,
            "name": "甲县某公司科协",
            "credit_code": VALID_CREDIT_CODE,
            "contact_phone": "13912345678",
            "founded_on": "2020-01-02",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent"] == world.county_a.pk and body["kind"] == Kind.ENTERPRISE_ASSOCIATION
    assert body["contact_phone"] == "139****5678"
    assert (
        body["current_board_term"] is None and body["current_leaders"] == [] and body["children_count"] == 0
    )
    org = Organization.objects.get(pk=body["id"])
    assert org.contact_phone == "13912345678" and org.is_within(world.county_a)
    event = AuditEvent.objects.get(action="org.create", object_id=str(org.pk))
    assert event.actor == world.users["county_staff"]


def test_a_bad_credit_code_is_400_naming_the_field(world, api_client):
    response = api_client("county_staff").post(
        list_url(),
        {
            "parent": world.county_a.pk,
            "kind": Kind.ENTERPRISE_ASSOCIATION,
            "name": "某科协",
            "credit_code": "91110108551385082X",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["credit_code"]
    assert not Organization.objects.filter(name="某科协").exists()


def test_a_kind_not_allowed_under_the_parent_is_400(world, api_client):
    response = api_client("county_staff").post(
        list_url(), {"parent": world.town_a.pk, "kind": Kind.SOCIETY, "name": "镇级学会"}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Organization.objects.filter(name="镇级学会").exists()


def test_a_parent_outside_the_scope_is_refused(world, api_client):
    response = api_client("county_b_staff").post(
        list_url(), {"parent": world.county_a.pk, "kind": Kind.SOCIETY, "name": "越界学会"}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Organization.objects.filter(name="越界学会").exists()


def test_a_read_only_viewer_cannot_create_or_edit(world, api_client):
    client = api_client("viewer")
    before = Organization.objects.count()
    response = client.post(
        list_url(), {"parent": world.city.pk, "kind": Kind.SOCIETY, "name": "只读学会"}, format="json"
    )
    assert response.status_code == 403
    assert Organization.objects.count() == before
    response = client.patch(detail_url(world.town_a), {"address": "新地址"}, format="json")
    assert response.status_code == 403
    world.town_a.refresh_from_db()
    assert world.town_a.address == ""


def test_patch_changes_only_the_given_fields_and_records_history(world, api_client):
    response = api_client("county_staff").patch(
        detail_url(world.county_a),
        {"address": "甲县人民路1号", "legal_representative": "赵六"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    world.county_a.refresh_from_db()
    assert (world.county_a.address, world.county_a.legal_representative) == ("甲县人民路1号", "赵六")
    assert world.county_a.short_name == "甲县科协" and world.county_a.name == "甲县科学技术协会"
    changed = set(world.county_a.events.filter(kind=EventKind.CHANGED).values_list("field", flat=True))
    assert changed == {"address", "legal_representative"}
    assert AuditEvent.objects.filter(action="org.update", object_id=str(world.county_a.pk)).exists()


def test_patch_keeps_the_stored_phone_when_it_is_not_sent(world, api_client):
    response = api_client("city_admin").patch(detail_url(world.city), {"address": "市府路"}, format="json")
    assert response.status_code == 200
    world.city.refresh_from_db()
    assert world.city.contact_phone == "13800138000"


def test_patch_with_an_invalid_phone_is_400_naming_it(world, api_client):
    response = api_client("county_staff").patch(
        detail_url(world.town_a), {"contact_phone": "12345"}, format="json"
    )
    assert response.status_code == 400
    assert "contact_phone" in response.json()


# --- moving and dissolving -------------------------------------------------------------


def test_the_city_admin_moves_an_organization_and_it_is_audited(world, api_client):
    response = api_client("city_admin").post(
        action_url("move", world.town_a), {"parent": world.county_b.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["parent"] == world.county_b.pk
    world.town_a.refresh_from_db()
    assert world.town_a.is_within(world.county_b)
    event = AuditEvent.objects.get(action="org.move", object_id=str(world.town_a.pk))
    assert event.actor == world.users["city_admin"]


def test_moving_under_an_organization_outside_the_scope_is_refused(world, api_client):
    response = api_client("city_admin").post(
        action_url("move", world.society), {"parent": world.province.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()


def test_county_staff_cannot_move_or_dissolve(world, api_client):
    client = api_client("county_staff")
    response = client.post(action_url("move", world.town_a), {"parent": world.county_a.pk}, format="json")
    assert response.status_code == 403
    response = client.post(
        action_url("dissolve", world.town_a), {"dissolved_on": "2025-01-01"}, format="json"
    )
    assert response.status_code == 403
    world.town_a.refresh_from_db()
    assert world.town_a.status == Status.ACTIVE


def test_the_city_admin_dissolves_an_organization_and_it_is_audited(world, api_client):
    response = api_client("city_admin").post(
        action_url("dissolve", world.town_b),
        {"dissolved_on": "2025-12-31", "note": "撤乡并镇"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.DISSOLVED and response.json()["dissolved_on"] == "2025-12-31"
    event = AuditEvent.objects.get(action="org.dissolve", object_id=str(world.town_b.pk))
    assert event.actor == world.users["city_admin"]
    assert world.town_b.events.filter(kind=EventKind.DISSOLVED, note="撤乡并镇").exists()


def test_dissolving_with_active_children_is_400(world, api_client):
    response = api_client("city_admin").post(
        action_url("dissolve", world.county_b), {"dissolved_on": "2025-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_a_future_dissolution_date_is_400_naming_it(world, api_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api_client("city_admin").post(
        action_url("dissolve", world.town_b), {"dissolved_on": tomorrow}, format="json"
    )
    assert response.status_code == 400
    assert "dissolved_on" in response.json()


# --- board terms, leaders, history, children -------------------------------------------


def test_recording_a_re_election_starts_a_new_term(world, api_client):
    client = api_client("society_secretary")
    response = client.post(
        action_url("board_terms", world.society),
        {"started_on": "2021-06-10", "length_years": 5, "council_size": 60, "standing_council_size": 20},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 2 and response.json()["due_on"] == "2026-06-10"
    terms = client.get(action_url("board_terms", world.society)).json()
    assert [(t["number"], t["is_current"]) for t in terms] == [(2, True), (1, False)]
    assert AuditEvent.objects.filter(action="org.board_term_start", object_id=str(world.society.pk)).exists()


def test_a_board_term_for_a_kind_without_a_board_is_400(world, api_client):
    response = api_client("county_staff").post(
        action_url("board_terms", world.town_a), {"started_on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400


def test_a_read_only_viewer_cannot_record_terms_or_leaders(world, api_client):
    client = api_client("viewer")
    response = client.post(
        action_url("board_terms", world.society), {"started_on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 403
    response = client.post(
        action_url("leaders", world.society),
        {"position": "chair", "person_name": "李明", "started_on": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 403
    assert world.society.board_terms.count() == 1 and not world.society.appointments.exists()
    assert client.get(action_url("board_terms", world.society)).status_code == 200


def test_appointing_a_leader_ends_the_previous_holder(world, api_client):
    client = api_client("city_admin")
    url = action_url("leaders", world.society)
    client.post(url, {"position": "chair", "person_name": "李明", "started_on": "2016-06-01"}, format="json")
    response = client.post(
        url, {"position": "chair", "person_name": "周红", "started_on": "2020-03-01"}, format="json"
    )
    assert response.status_code == 201, response.json()
    rows = client.get(url).json()
    assert [(r["person_name"], r["ended_on"]) for r in rows] == [("周红", None), ("李明", "2020-03-01")]


def test_an_unknown_position_is_400_naming_it(world, api_client):
    response = api_client("city_admin").post(
        action_url("leaders", world.society),
        {"position": "emperor", "person_name": "李明", "started_on": "2016-06-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "position" in response.json()


def test_the_history_lists_events_newest_first(world, api_client):
    client = api_client("county_staff")
    client.patch(detail_url(world.town_a), {"name": "甲镇科协（新）"}, format="json")
    rows = client.get(action_url("history", world.town_a)).json()["results"]
    assert [r["event"] for r in rows] == [EventKind.CHANGED, EventKind.FOUNDED]
    assert (rows[0]["field"], rows[0]["old_value"], rows[0]["new_value"]) == (
        "name",
        "甲镇科学技术协会",
        "甲镇科协（新）",
    )
    assert rows[0]["recorded_by"] == "county_staff"


def test_children_are_the_direct_children_in_scope(world, api_client):
    response = api_client("city_admin").get(action_url("children", world.city))
    assert response.status_code == 200
    assert names(response) == {
        "甲县科学技术协会",
        "乙县科学技术协会",
        "示例市计算机学会",
        "示例市科技社团党委",
    }
    assert api_client("county_staff").get(action_url("children", world.city)).status_code == 404


# --- statistics and re-elections -------------------------------------------------------


def test_network_statistics_match_the_selector(world, api_client):
    response = api_client("city_admin").get(reverse("orgs_api:network_statistics"))
    assert response.status_code == 200
    body = response.json()
    stats = selectors.network_statistics(scope=scope_of(world, "city_admin"))
    assert body["root"] == {"id": world.city.pk, "name": world.city.name}
    assert body["total_active"] == stats.total_active == 7
    assert {k["kind"]: (k["active"], k["dissolved"]) for k in body["by_kind"]} == {
        k.kind: (k.active, k.dissolved) for k in stats.by_kind
    }
    assert body["founded_per_year"] == [{"year": y, "count": n} for y, n in stats.founded_per_year]
    assert body["overdue_reelections"] == stats.overdue_reelections == 1
    assert body["party"] == {
        "societies": stats.party.societies,
        "covered": stats.party.covered,
        "in_charter": stats.party.in_charter,
        "covered_percent": stats.party.covered_percent,
        "in_charter_percent": stats.party.in_charter_percent,
    }


def test_network_statistics_of_a_subtree(world, api_client):
    response = api_client("city_admin").get(
        reverse("orgs_api:network_statistics"), {"root": world.county_a.pk}
    )
    assert response.status_code == 200
    assert response.json()["total_active"] == 2


def test_network_statistics_of_a_root_outside_the_scope_is_404(world, api_client):
    response = api_client("county_b_staff").get(
        reverse("orgs_api:network_statistics"), {"root": world.county_a.pk}
    )
    assert response.status_code == 404


def test_overdue_reelections_are_listed_within_the_scope(world, api_client):
    rows = api_client("city_admin").get(reverse("orgs_api:overdue_reelections")).json()["results"]
    assert [(r["organization"], r["number"], r["due_on"]) for r in rows] == [
        (world.society.pk, 1, "2021-06-01")
    ]
    assert rows[0]["parent_name"] == world.city.name
    assert api_client("county_staff").get(reverse("orgs_api:overdue_reelections")).json()["results"] == []


# --- account states and the documentation ---------------------------------------------


def _must_change_password(world, persona):
    user = world.users[persona]
    account_services.user_set_password(actor=None, user=user, password="Other-pass-2026!", by_admin=True)
    user.refresh_from_db()
    return user


def test_a_session_user_who_must_change_the_password_is_refused(world, client):
    user = _must_change_password(world, "county_staff")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(list_url()).status_code == 403


def test_a_token_user_who_must_change_the_password_is_refused(world, api_client):
    _must_change_password(world, "county_staff")
    assert api_client("county_staff").get(list_url()).status_code == 403
    assert api_client("county_staff").get(reverse("accounts_api:me")).status_code == 403


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text(encoding="utf-8")
    assert "/api/v1/organizations/{id}/dissolve/" in schema


def test_the_api_documentation_is_served_to_a_logged_in_user(world, login):
    client = login("county_staff")
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()
    assert client.get(reverse("api-schema")).status_code == 200


def test_dates_in_the_future_are_refused_for_founding(world, api_client):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = api_client("county_staff").patch(
        detail_url(world.town_a), {"founded_on": tomorrow}, format="json"
    )
    assert response.status_code == 400
    assert "founded_on" in response.json()
