"""/api/v1/ for activities: listing and its filters, scope, recording and editing, the
detail with files and corrections, the locked period, kinds, campaigns and the schema."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from kexie.activities.models import Activity, ActivityAttachment, Campaign
from kexie.activities.services.activities import activity_correct, attachment_add
from kexie.activities.services.periods import period_lock
from kexie.activities.testing import at
from kexie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 200


def zh(msgid: str, **params) -> str:
    """A message as the API answers it (in Simplified Chinese, the default language)."""
    with translation.override("zh-hans"):
        message = translation.gettext(msgid)
    return message % params if params else message


def list_url(**query) -> str:
    return reverse("activities_api:activity_list") + (f"?{urlencode(query, doseq=True)}" if query else "")


def detail_url(activity) -> str:
    return reverse("activities_api:activity_detail", kwargs={"pk": activity.pk})


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


def new_activity(**fields) -> dict:
    """A lecture of last year, as a client sends it."""
    return {
        "title": "社区健康科普讲座",
        "kind": "lecture",
        "starts_at": "2025-10-10T09:00:00+08:00",
        "ends_at": "2025-10-10T11:00:00+08:00",
        "venue": "甲县文化馆",
        **fields,
    }


# --- listing and scope ---------------------------------------------------------------


def test_the_city_admin_lists_every_activity_of_the_city(events, api_client):
    response = api_client("city_admin").get(list_url())
    assert titles(response) == sorted(
        ["甲县科普日讲座", "甲县智慧农业论坛", "甲镇大篷车进校园", "乙县防震减灾讲座", "2025年学术年会"]
    )
    assert response.json()["count"] == 5


def test_county_staff_never_see_the_other_countys_activities(events, api_client):
    assert titles(api_client("county_staff").get(list_url())) == [
        "甲县智慧农业论坛",
        "甲县科普日讲座",
        "甲镇大篷车进校园",
    ]
    assert titles(api_client("county_b_staff").get(list_url())) == ["乙县防震减灾讲座"]


def test_another_countys_activity_does_not_exist(events, api_client):
    client = api_client("county_b_staff")
    assert client.get(detail_url(events.lecture)).status_code == 404
    response = client.patch(detail_url(events.forum), {"title": "改名"}, format="json")
    assert response.status_code == 404
    events.forum.refresh_from_db()
    assert events.forum.title == "甲县智慧农业论坛"


def test_the_list_is_paginated(events, api_client):
    body = api_client("city_admin").get(list_url(page_size=2)).json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]


def test_the_list_shows_the_figures_the_kind_asks_for(events, api_client):
    row = api_client("county_staff").get(list_url(q="科普日")).json()["results"][0]
    assert row["figures"] == {
        "onsite_participants": 300,
        "online_viewers": 1200,
        "online_interactions": 0,
        "sessions": 1,
        "leaflets": 500,
        "students_reached": 0,
    }
    assert row["status"] == "reported" and row["status_display"] == zh("Reported")
    assert row["organization"]["name"] == "甲县科学技术协会"
    assert row["campaign_edition"]["campaign_name"] == "全国科普日"


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"q": "科普日"}, ["甲县科普日讲座"]),
        ({"q": "大篷车 校园"}, ["甲镇大篷车进校园"]),
        ({"kind": "forum"}, ["甲县智慧农业论坛"]),
        ({"category": "popsci"}, ["甲县科普日讲座", "甲镇大篷车进校园"]),
        ({"status": "held"}, ["甲县智慧农业论坛"]),
        ({"mode": "online"}, []),
        ({"from": "2025-09-01", "to": "2025-09-30"}, ["甲县科普日讲座", "甲镇大篷车进校园"]),
        ({"to": "2025-06-30"}, ["甲县智慧农业论坛"]),
    ],
)
def test_the_list_filters(events, api_client, query, expected):
    assert titles(api_client("county_staff").get(list_url(**query))) == expected


def test_the_list_filters_by_kind_id_campaign_and_edition(events, api_client):
    client = api_client("city_admin")
    science_day = Campaign.objects.get(code="science_day")
    both = ["甲县科普日讲座", "甲镇大篷车进校园"]
    assert titles(client.get(list_url(campaign=science_day.pk))) == both
    assert titles(client.get(list_url(edition=events.science_day.pk))) == both
    assert titles(client.get(list_url(kind=events.conference.kind_id))) == ["2025年学术年会"]


def test_the_list_filters_by_target_group(events, api_client):
    client = api_client("county_staff")
    client.patch(detail_url(events.forum), {"target_groups": ["farmers"]}, format="json")
    assert titles(client.get(list_url(target_group="farmers"))) == ["甲县智慧农业论坛"]
    assert titles(client.get(list_url(target_group="youth"))) == []


def test_the_list_filters_by_organization_with_or_without_its_subtree(events, world, api_client):
    client = api_client("city_admin")
    assert titles(client.get(list_url(organization=world.county_a.pk))) == [
        "甲县智慧农业论坛",
        "甲县科普日讲座",
        "甲镇大篷车进校园",
    ]
    own = client.get(list_url(organization=world.county_a.pk, own="true"))
    assert titles(own) == ["甲县智慧农业论坛", "甲县科普日讲座"]


def test_filtering_by_an_organization_outside_the_scope_is_404(events, world, api_client):
    assert api_client("county_staff").get(list_url(organization=world.county_b.pk)).status_code == 404


def test_the_list_shows_the_activities_a_statistic_counts(events, world, api_client):
    client = api_client("city_admin")
    response = client.get(
        list_url(stat="popsci_events", organization=world.county_a.pk, **{"from": "2025-01-01"})
    )
    assert titles(response) == ["甲县科普日讲座", "甲镇大篷车进校园"]
    assert titles(client.get(list_url(stat="popsci_events"))) == [
        "乙县防震减灾讲座",
        "甲县科普日讲座",
        "甲镇大篷车进校园",
    ]


def test_an_unknown_statistic_or_kind_is_refused(events, api_client):
    client = api_client("county_staff")
    response = client.get(list_url(stat="no_such_figure"))
    assert response.status_code == 400
    assert response.json()["stat"] == [
        zh("There is no statistic of activities “%(code)s”.", code="no_such_figure")
    ]
    response = client.get(list_url(kind="no_such_kind"))
    assert response.status_code == 400
    assert response.json()["kind"] == [zh("There is no activity kind “%(value)s”.", value="no_such_kind")]


def test_a_period_ending_before_it_starts_is_refused(events, api_client):
    response = api_client("county_staff").get(list_url(**{"from": "2025-10-01", "to": "2025-09-01"}))
    assert response.status_code == 400 and list(response.json()) == ["to"]


def test_reading_needs_a_role_with_activities(events, api_client):
    assert api_client("auditor").get(list_url()).status_code == 403
    assert api_client().get(list_url()).status_code == 401


# --- recording -----------------------------------------------------------------------


def test_staff_record_an_activity_as_a_draft_of_their_organization(world, api_client):
    response = api_client("county_staff").post(list_url(), new_activity(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["organization"]["name"] == "甲县科学技术协会"
    assert body["held_on"] == "2025-10-10" and body["kind"]["code"] == "lecture"
    activity = Activity.objects.get(pk=body["id"])
    assert activity.created_by == world.users["county_staff"]


def test_an_api_write_leaves_its_audit_record(world, api_client):
    response = api_client("county_staff").post(list_url(), new_activity(), format="json")
    event = AuditEvent.objects.get(action="activity.create", object_id=str(response.json()["id"]))
    assert event.actor == world.users["county_staff"]
    assert event.changes["title"] == [None, "社区健康科普讲座"]


def test_only_the_figures_the_kind_asks_for_are_stored(world, api_client):
    figures = {"onsite_participants": 120, "leaflets": "300", "display_boards": 8, "service_hours": 4.5}
    response = api_client("county_staff").post(list_url(), new_activity(figures=figures), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["figures"] == {
        "onsite_participants": 120,
        "online_viewers": None,
        "online_interactions": None,
        "sessions": None,
        "leaflets": 300,
        "students_reached": None,
    }
    activity = Activity.objects.get(pk=body["id"])
    assert activity.display_boards is None and activity.service_hours is None
    labels = {row["code"]: (row["label"], row["unit"]) for row in body["figure_details"]}
    assert labels["onsite_participants"] == (zh("On-site participants"), zh("person-times"))
    assert "display_boards" not in labels


def test_hours_keep_one_decimal(world, api_client):
    figures = {"onsite_participants": 30, "service_hours": "12.5", "volunteers": 6}
    response = api_client("county_staff").post(
        list_url(), new_activity(kind="outreach", figures=figures), format="json"
    )
    assert response.json()["figures"]["service_hours"] == 12.5


def test_an_unknown_figure_is_refused(world, api_client):
    response = api_client("county_staff").post(
        list_url(), new_activity(figures={"audience": 100}), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"figures": [zh("Unknown figures: %(codes)s", codes="audience")]}


def test_a_negative_figure_is_refused_under_its_code(world, api_client):
    response = api_client("county_staff").post(
        list_url(), new_activity(figures={"onsite_participants": -5}), format="json"
    )
    assert response.status_code == 400
    message = zh(
        "%(label)s must be between 0 and %(max)s.", label=zh("On-site participants"), max=100_000_000
    )
    assert response.json() == {"figures": {"onsite_participants": [message]}}
    assert not Activity.objects.exists()


def test_an_activity_cannot_end_before_it_starts(world, api_client):
    response = api_client("county_staff").post(
        list_url(), new_activity(ends_at="2025-10-10T08:00:00+08:00"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"ends_at": [zh("The activity cannot end before it starts.")]}


def test_a_kind_is_given_by_code_or_id_and_target_groups_by_code(world, api_client):
    from kexie.activities.models import ActivityKind

    forum = ActivityKind.objects.get(code="forum")
    response = api_client("county_staff").post(
        list_url(), new_activity(kind=forum.pk, target_groups=["farmers", "youth"]), format="json"
    )
    body = response.json()
    assert body["kind"]["name"] == "学术论坛"
    assert {group["code"] for group in body["target_groups"]} == {"farmers", "youth"}
    response = api_client("county_staff").post(
        list_url(), new_activity(target_groups=["aliens"]), format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["target_groups"]


def test_speakers_and_co_organizers_come_from_the_scope(world, talent, api_client):
    client = api_client("county_staff")
    response = client.post(
        list_url(),
        new_activity(speakers=[talent.person_a.pk], co_organizers=[world.town_a.pk], partners="县卫健局"),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [speaker["name"] for speaker in body["speakers"]] == ["张伟"]
    assert [org["name"] for org in body["co_organizers"]] == ["甲镇科学技术协会"]
    assert body["partners"] == "县卫健局"
    # 李娜 is kept by county B, and county B is not in county A's scope.
    response = client.post(
        list_url(),
        new_activity(speakers=[talent.person_b.pk], co_organizers=[world.county_b.pk]),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"speakers", "co_organizers"}


def test_the_organizer_can_be_an_organization_in_the_scope(world, api_client):
    client = api_client("county_staff")
    response = client.post(list_url(), new_activity(organization=world.town_a.pk), format="json")
    assert response.json()["organization"]["name"] == "甲镇科学技术协会"
    response = client.post(list_url(), new_activity(organization=world.county_b.pk), format="json")
    assert response.status_code == 400 and list(response.json()) == ["organization"]


def test_a_campaign_edition_must_be_of_the_year_held(events, api_client):
    response = api_client("county_staff").post(
        list_url(),
        new_activity(
            starts_at="2024-09-16T09:00:00+08:00",
            ends_at="2024-09-16T11:00:00+08:00",
            campaign_edition=events.science_day.pk,
        ),
        format="json",
    )
    assert response.status_code == 400
    message = zh(
        "The activity is held in %(year)s but the campaign edition is of %(edition)s.",
        year=2024,
        edition=2025,
    )
    assert response.json() == {"campaign_edition": [message]}


def test_a_read_only_viewer_cannot_record(world, api_client):
    assert api_client("viewer").post(list_url(), new_activity(), format="json").status_code == 403
    assert not Activity.objects.exists()


# --- the detail ----------------------------------------------------------------------


def test_the_detail_shows_files_by_name_and_size_and_the_corrections(
    events, world, api_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    attachment_add(
        actor=None,
        activity=events.lecture,
        upload=SimpleUploadedFile("讲座现场.png", PNG, content_type="image/png"),
        kind=ActivityAttachment.Kind.PHOTO,
    )
    from kexie.activities.services.activities import ActivityData

    data = ActivityData.of(events.lecture)
    data.figures["onsite_participants"] = 320
    activity_correct(
        actor=world.users["county_staff"], activity=events.lecture, data=data, reason="补录签到表"
    )

    response = api_client("county_staff").get(detail_url(events.lecture))
    assert response.status_code == 200
    body = response.json()
    assert body["attachments"] == [
        {
            "id": body["attachments"][0]["id"],
            "kind": "photo",
            "kind_display": zh("Photo"),
            "name": "讲座现场.png",
            "size": len(PNG),
            "uploaded_at": body["attachments"][0]["uploaded_at"],
        }
    ]
    assert "/media/" not in response.content.decode()
    [correction] = body["corrections"]
    assert correction["reason"] == "补录签到表"
    assert correction["old_values"] == {"onsite_participants": "300"}
    assert correction["new_values"] == {"onsite_participants": "320"}
    assert correction["corrected_by"] == str(world.users["county_staff"])
    assert body["figures"]["onsite_participants"] == 320
    assert [speaker["name"] for speaker in body["speakers"]] == ["张伟"]


# --- editing -------------------------------------------------------------------------


def test_a_patch_changes_what_it_sends_and_merges_the_figures(events, world, api_client):
    response = api_client("county_staff").patch(
        detail_url(events.forum), {"venue": "县农科所", "figures": {"sessions": 3}}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["venue"] == "县农科所" and body["title"] == "甲县智慧农业论坛"
    assert body["figures"]["sessions"] == 3 and body["figures"]["onsite_participants"] == 80
    event = AuditEvent.objects.get(action="activity.update")
    assert event.actor == world.users["county_staff"]
    assert event.changes["venue"] == ["", "县农科所"]


def test_a_put_replaces_the_activity(events, api_client):
    response = api_client("county_staff").put(
        detail_url(events.forum),
        {
            "title": "甲县智慧农业论坛（第二场）",
            "kind": "forum",
            "starts_at": "2025-05-20T14:00:00+08:00",
            "ends_at": "2025-05-20T17:00:00+08:00",
            "figures": {"onsite_participants": 95},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    events.forum.refresh_from_db()
    assert events.forum.title == "甲县智慧农业论坛（第二场）"
    assert events.forum.onsite_participants == 95 and events.forum.starts_at == at(date(2025, 5, 20), 14)


def test_a_reported_activity_is_not_edited_but_corrected(events, api_client):
    response = api_client("county_staff").patch(detail_url(events.lecture), {"title": "改名"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            zh("The activity has been reported; change it through a correction with a reason.")
        ]
    }


def test_a_locked_period_refuses_an_update_with_a_clear_message(events, world, api_client):
    period_lock(actor=None, organization=world.county_a, period="quarter", year=2025, number=2)
    response = api_client("county_staff").patch(
        detail_url(events.forum), {"venue": "县农科所"}, format="json"
    )
    assert response.status_code == 400
    message = zh(
        "%(org)s has reported %(start)s to %(end)s and locked it: ask the organization "
        "above it to unlock the period before changing activities of %(day)s.",
        org="甲县科学技术协会",
        start=date(2025, 4, 1),
        end=date(2025, 6, 30),
        day=date(2025, 5, 20),
    )
    assert response.json() == {"non_field_errors": [message]}
    events.forum.refresh_from_db()
    assert events.forum.venue == ""


def test_a_read_only_viewer_cannot_edit(events, api_client):
    response = api_client("viewer").patch(detail_url(events.forum), {"venue": "县农科所"}, format="json")
    assert response.status_code == 403


# --- kinds and campaigns -------------------------------------------------------------


def test_the_kinds_list_their_figures_with_labels(world, api_client):
    kinds = {
        kind["code"]: kind
        for kind in api_client("county_staff").get(reverse("activities_api:kind_list")).json()
    }
    caravan = kinds["caravan"]
    assert caravan["name"] == "科普大篷车巡展" and caravan["category"] == "popsci"
    assert caravan["category_display"] == zh("Science popularization")
    assert caravan["figures"][0] == {
        "code": "onsite_participants",
        "label": zh("On-site participants"),
        "unit": zh("person-times"),
    }
    assert [figure["code"] for figure in caravan["figures"]] == [
        "onsite_participants",
        "students_reached",
        "sessions",
        "display_boards",
        "leaflets",
    ]


def test_the_campaigns_come_with_their_editions(events, api_client):
    campaigns = {
        c["code"]: c for c in api_client("county_staff").get(reverse("activities_api:campaign_list")).json()
    }
    science_day = campaigns["science_day"]
    assert science_day["name"] == "全国科普日" and science_day["organization"] is None
    assert science_day["editions"] == [
        {
            "id": events.science_day.pk,
            "year": 2025,
            "starts_on": "2025-09-15",
            "ends_on": "2025-09-21",
            "theme": "",
        }
    ]


# --- the documentation ----------------------------------------------------------------


def test_the_schema_describes_the_activities_api(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text(encoding="utf-8")
    for path in (
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
        "/api/v1/activities/{id}/approve/",
        "/api/v1/activities/{id}/correct/",
        "/api/v1/activities/bulk/",
        "/api/v1/activity-kinds/",
        "/api/v1/campaigns/",
        "/api/v1/period-locks/{id}/unlock/",
    ):
        assert f"  {path}:" in schema, path


def test_blank_filters_are_ignored(events, api_client):
    response = api_client("county_staff").get(list_url(kind="", target_group="", status="", q=""))
    assert response.json()["count"] == 3
