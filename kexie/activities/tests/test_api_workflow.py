"""/api/v1/ for activities: the workflow and its refusals, imports of many activities at
once (all or none), and the reported-period locks with the parent's unlock."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.fields import CharField

from kexie.accounts.roles import Role
from kexie.activities.models import Activity, PeriodLock, Status
from kexie.activities.services.periods import period_lock
from kexie.activities.testing import make_activity
from kexie.audit.models import AuditEvent
from kexie.core.testing import make_user

pytestmark = pytest.mark.django_db


def zh(msgid: str, **params) -> str:
    """A message as the API answers it (in Simplified Chinese, the default language)."""
    with translation.override("zh-hans"):
        message = translation.gettext(msgid)
    return message % params if params else message


def action_url(name: str, activity) -> str:
    return reverse(f"activities_api:activity_{name}", kwargs={"pk": activity.pk})


def detail_url(activity) -> str:
    return reverse("activities_api:activity_detail", kwargs={"pk": activity.pk})


BULK_URL = "/api/v1/activities/bulk/"
LOCKS_URL = "/api/v1/period-locks/"


def unlock_url(lock) -> str:
    return reverse("activities_api:period_lock_unlock", kwargs={"pk": lock.pk})


def row(**fields) -> dict:
    """One activity of last year as an import sends it."""
    return {
        "title": "乡村科普行",
        "kind": "outreach",
        "starts_at": "2025-03-05T09:00:00+08:00",
        "ends_at": "2025-03-05T16:00:00+08:00",
        "figures": {
            "onsite_participants": 150,
            "leaflets": 600,
            "display_boards": 10,
            "problems_solved": 4,
            "volunteers": 12,
            "service_hours": 84,
        },
        **fields,
    }


@pytest.fixture
def county_admin(world):
    """An administrator of 甲县科协: approves what the towns below it record, not its own."""
    world.users["county_admin"] = make_user("county_admin", world.county_a, Role.ORG_ADMIN)
    return world.users["county_admin"]


@pytest.fixture
def province_admin(world):
    world.users["province_admin"] = make_user("province_admin", world.province, Role.ORG_ADMIN)
    return world.users["province_admin"]


# --- the workflow --------------------------------------------------------------------


def test_an_activity_goes_from_draft_to_reported(world, api_client):
    staff, admin = api_client("county_staff"), api_client("city_admin")
    created = staff.post(
        "/api/v1/activities/", row(figures={"onsite_participants": 150}), format="json"
    ).json()
    activity = Activity.objects.get(pk=created["id"])

    assert staff.post(action_url("submit", activity)).json()["status"] == "submitted"
    assert admin.post(action_url("approve", activity)).json()["status"] == "approved"
    assert staff.post(action_url("held", activity)).json()["status"] == "held"

    response = staff.post(action_url("report", activity))
    assert response.status_code == 400
    missing = "、".join(
        zh(label)
        for label in (
            "Leaflets and booklets distributed",
            "Display boards shown",
            "Problems solved",
            "Volunteers involved",
            "Service hours",
        )
    )
    message = zh(
        "Fill in these figures before reporting (0 if there were none): %(figures)s", figures=missing
    )
    assert response.json() == {"figures": [message]}

    staff.patch(detail_url(activity), {"figures": row()["figures"]}, format="json")
    body = staff.post(action_url("report", activity)).json()
    assert body["status"] == "reported" and body["status_display"] == zh("Reported")
    actions = list(
        AuditEvent.objects.filter(object_id=str(activity.pk), action__startswith="activity.")
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("activity.create", "county_staff"),
        ("activity.submit", "county_staff"),
        ("activity.approve", "city_admin"),
        ("activity.held", "county_staff"),
        ("activity.update", "county_staff"),
        ("activity.report", "county_staff"),
    ]


def test_staff_cannot_approve(world, api_client):
    activity = make_activity(world.county_a, status=Status.SUBMITTED)
    response = api_client("county_staff").post(action_url("approve", activity))
    assert response.status_code == 403
    assert response.json()["detail"] == zh("Your role does not allow this.")
    activity.refresh_from_db()
    assert activity.status == Status.SUBMITTED


def test_a_county_does_not_approve_its_own_activities(world, county_admin, api_client):
    activity = make_activity(world.county_a, status=Status.SUBMITTED)
    response = api_client("county_admin").post(action_url("approve", activity))
    assert response.status_code == 403
    message = zh(
        "Activities of %(org)s are approved by %(approver)s.",
        org="甲县科学技术协会",
        approver="示例市科学技术协会",
    )
    assert response.json()["detail"] == message


def test_a_county_approves_what_its_towns_record(world, county_admin, api_client):
    activity = make_activity(world.town_a, status=Status.SUBMITTED)
    assert api_client("county_admin").post(action_url("approve", activity)).json()["status"] == "approved"


def test_only_a_draft_is_submitted(events, api_client):
    response = api_client("county_staff").post(action_url("submit", events.forum))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [zh("Only a draft can be submitted.")]}


def test_returning_needs_a_reason_the_organizer_sees(world, api_client):
    activity = make_activity(world.county_a, status=Status.SUBMITTED)
    admin = api_client("city_admin")
    response = admin.post(action_url("return", activity), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": [zh("Say why the activity is returned.")]}
    body = admin.post(action_url("return", activity), {"reason": "请补充活动照片"}, format="json").json()
    assert body["status"] == "draft" and body["status_reason"] == "请补充活动照片"
    seen = api_client("county_staff").get(detail_url(activity)).json()
    assert seen["status_reason"] == "请补充活动照片"


def test_cancelling_needs_a_reason_and_not_a_held_activity(events, world, api_client):
    staff = api_client("county_staff")
    draft = make_activity(world.county_a, status=Status.DRAFT)
    response = staff.post(action_url("cancel", draft), {}, format="json")
    assert response.json() == {"reason": [zh("Say why the activity is cancelled.")]}
    body = staff.post(action_url("cancel", draft), {"reason": "场地临时不可用"}, format="json").json()
    assert body["status"] == "cancelled" and body["status_display"] == zh("Cancelled")
    response = staff.post(action_url("cancel", events.forum), {"reason": "误录"}, format="json")
    assert response.json() == {
        "non_field_errors": [
            zh("An activity that has been held is not cancelled; correct its figures instead.")
        ]
    }


def test_a_future_activity_is_not_marked_held(world, api_client):
    from kexie.activities.testing import tomorrow_at

    activity = make_activity(world.county_a, status=Status.APPROVED, day=tomorrow_at().date())
    response = api_client("county_staff").post(action_url("held", activity))
    assert response.json() == {"non_field_errors": [zh("The activity has not started yet.")]}


def test_a_reported_activity_is_corrected_with_a_reason(events, world, api_client):
    staff = api_client("county_staff")
    response = staff.post(
        action_url("correct", events.lecture), {"figures": {"leaflets": 650}}, format="json"
    )
    assert response.json() == {"reason": [zh("Say why the reported activity is corrected.")]}
    response = staff.post(
        action_url("correct", events.lecture),
        {"figures": {"leaflets": 650}, "reason": "补录发放台账"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["figures"]["leaflets"] == 650 and body["figures"]["onsite_participants"] == 300
    assert body["corrections"][0]["old_values"] == {"leaflets": "500"}
    event = AuditEvent.objects.get(action="activity.correct")
    assert event.actor == world.users["county_staff"] and event.detail["reason"] == "补录发放台账"


def test_a_reported_figure_cannot_be_emptied(events, api_client):
    response = api_client("county_staff").post(
        action_url("correct", events.lecture),
        {"figures": {"leaflets": None}, "reason": "清空"},
        format="json",
    )
    message = zh(
        "%(label)s cannot be emptied in a reported activity.", label=zh("Leaflets and booklets distributed")
    )
    assert response.json() == {"figures": {"leaflets": [message]}}


def test_workflow_actions_outside_the_scope_are_404(events, api_client):
    client = api_client("county_b_staff")
    for name in ("submit", "held", "report", "cancel", "correct"):
        assert client.post(action_url(name, events.forum), {}, format="json").status_code == 404, name
    assert api_client("county_staff").post(action_url("approve", events.lecture_b)).status_code == 404


def test_a_read_only_viewer_cannot_move_an_activity(world, api_client):
    activity = make_activity(world.county_a, status=Status.DRAFT)
    assert api_client("viewer").post(action_url("submit", activity)).status_code == 403


# --- importing many ------------------------------------------------------------------


def test_two_bad_rows_are_listed_and_nothing_is_created(world, api_client):
    rows = [
        row(title="三月科普行"),
        row(title=""),
        row(title="四月科普行"),
        row(title="五月科普行", ends_at="2025-03-04T09:00:00+08:00"),
    ]
    response = api_client("county_staff").post(BULK_URL, {"rows": rows}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == zh("Nothing was recorded: correct these rows and send them all again.")
    with translation.override("zh-hans"):
        blank = str(CharField.default_error_messages["blank"])  # DRF's own "may not be blank"
    assert body["errors"] == [
        {"index": 1, "field": "title", "message": blank},
        {"index": 3, "field": "ends_at", "message": zh("The activity cannot end before it starts.")},
    ]
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.create").exists()

    rows[1]["title"], rows[3]["ends_at"] = "二月科普行", "2025-03-05T17:00:00+08:00"
    response = api_client("county_staff").post(BULK_URL, {"rows": rows}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 4
    assert sorted(Activity.objects.values_list("title", flat=True)) == sorted(r["title"] for r in rows)
    assert AuditEvent.objects.filter(action="activity.create").count() == 4


def test_a_bad_figure_in_a_row_is_named(world, api_client):
    rows = [row(), row(figures={"leaflets": "许多"})]
    response = api_client("county_staff").post(BULK_URL, {"rows": rows}, format="json")
    message = zh("%(label)s must be a whole number.", label=zh("Leaflets and booklets distributed"))
    assert response.json()["errors"] == [{"index": 1, "field": "figures.leaflets", "message": message}]


def test_rows_imported_as_reported_walk_through_the_workflow(world, api_client):
    rows = [
        row(title="县科普行", status="reported", organization=world.county_a.pk),
        row(title="镇科普行", status="held", organization=world.town_a.pk),
    ]
    response = api_client("city_admin").post(BULK_URL, {"rows": rows}, format="json")
    assert response.status_code == 201, response.content
    activities = Activity.objects.filter(pk__in=response.json()["ids"])
    assert {(a.title, a.organization.name, a.status) for a in activities} == {
        ("县科普行", "甲县科学技术协会", Status.REPORTED),
        ("镇科普行", "甲镇科学技术协会", Status.HELD),
    }
    assert AuditEvent.objects.filter(action="activity.approve", actor=world.users["city_admin"]).count() == 2


def test_a_row_imported_as_reported_has_the_history_of_every_step(world, api_client):
    rows = [row(title="县科普行", status="reported", organization=world.county_a.pk)]
    response = api_client("city_admin").post(BULK_URL, {"rows": rows}, format="json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["ids"][0])
    history = AuditEvent.objects.filter(object_type="activities.activity", object_id=str(activity.pk))
    assert [(e.action, e.actor_username) for e in history.order_by("pk")] == [
        ("activity.create", "city_admin"),
        ("activity.submit", "city_admin"),
        ("activity.approve", "city_admin"),
        ("activity.held", "city_admin"),
        ("activity.report", "city_admin"),
    ]
    assert history.get(action="activity.create").changes["title"] == [None, "县科普行"]
    assert activity.approved_by == world.users["city_admin"]
    assert activity.submitted_at and activity.approved_at and activity.reported_at
    assert activity.onsite_participants == 150


def test_a_future_row_cannot_be_imported_as_held_and_a_reported_row_needs_its_figures(world, api_client):
    county = world.county_a.pk  # the city approves its counties' activities
    future = row(
        title="明年科普行", status="held", organization=county, starts_at="2099-03-05T09:00:00+08:00"
    )
    future["ends_at"] = "2099-03-05T16:00:00+08:00"
    bare = row(
        title="缺数科普行", status="reported", organization=county, figures={"onsite_participants": 10}
    )
    response = api_client("city_admin").post(BULK_URL, {"rows": [row(), future, bare]}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "status"), (2, "figures")]
    assert errors[0]["message"] == zh("The activity has not started yet.")
    assert not Activity.objects.exists()


def test_a_row_imported_as_reported_needs_the_right_to_approve(world, api_client):
    rows = [row(), row(status="reported")]
    response = api_client("county_staff").post(BULK_URL, {"rows": rows}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, "status")
    assert error["message"] == zh(
        "An activity imported as “%(status)s” is approved on the way, which you may not do: %(reason)s",
        status=zh("Reported"),
        reason=zh("Your role does not allow this."),
    )
    assert not Activity.objects.exists()


def test_the_city_does_not_import_its_own_activities_as_approved(world, api_client):
    response = api_client("city_admin").post(BULK_URL, {"rows": [row(status="approved")]}, format="json")
    [error] = response.json()["errors"]
    reason = zh(
        "Activities of %(org)s are approved by %(approver)s.",
        org="示例市科学技术协会",
        approver="示例省科学技术协会",
    )
    assert error["message"].endswith(reason)


def test_a_row_reported_without_its_figures_is_refused(world, api_client):
    rows = [row(status="reported", organization=world.county_a.pk, figures={"onsite_participants": 10})]
    response = api_client("city_admin").post(BULK_URL, {"rows": rows}, format="json")
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (0, "figures")
    assert not Activity.objects.exists()


def test_at_most_a_thousand_rows_are_imported_at_once(world, api_client):
    response = api_client("county_staff").post(BULK_URL, {"rows": [row()] * 1001}, format="json")
    assert response.status_code == 400
    assert "1000" in str(response.json()["rows"])
    assert api_client("county_staff").post(BULK_URL, {"rows": []}, format="json").status_code == 400


def test_a_read_only_viewer_cannot_import(world, api_client):
    assert api_client("viewer").post(BULK_URL, {"rows": [row()]}, format="json").status_code == 403


# --- reported periods ----------------------------------------------------------------


def test_an_administrator_locks_a_period_and_activities_in_it_stop_changing(events, world, api_client):
    response = api_client("city_admin").post(
        LOCKS_URL,
        {"period": "quarter", "year": 2025, "number": 2, "organization": world.county_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["starts_on"], body["ends_on"], body["is_active"]) == ("2025-04-01", "2025-06-30", True)
    assert body["period_display"] == zh("Quarter") and body["may_unlock"] is True
    assert AuditEvent.objects.filter(action="period.lock", actor=world.users["city_admin"]).exists()

    staff = api_client("county_staff")
    locks = staff.get(LOCKS_URL).json()["results"]
    assert [(lock["organization"]["name"], lock["may_unlock"]) for lock in locks] == [
        ("甲县科学技术协会", False)
    ]
    response = staff.patch(detail_url(events.forum), {"venue": "县农科所"}, format="json")
    assert response.status_code == 400 and "甲县科学技术协会" in response.json()["non_field_errors"][0]


def test_staff_cannot_lock_a_period(world, api_client):
    response = api_client("county_staff").post(LOCKS_URL, {"period": "year", "year": 2025}, format="json")
    assert response.status_code == 403
    assert not PeriodLock.objects.exists()


def test_a_period_is_locked_once_it_has_ended(world, api_client):
    response = api_client("city_admin").post(LOCKS_URL, {"period": "year", "year": 2100}, format="json")
    assert response.json() == {"period": [zh("A period can be locked once it has ended.")]}


def test_the_parent_unlocks_a_period_with_a_reason(events, world, county_admin, api_client):
    lock = period_lock(actor=county_admin, organization=world.county_a, period="quarter", year=2025, number=2)

    response = api_client("county_admin").post(unlock_url(lock), {"reason": "漏报"}, format="json")
    assert response.status_code == 403
    message = zh("%(org)s reported this period: an organization above it unlocks it.", org="甲县科学技术协会")
    assert response.json()["detail"] == message

    parent = api_client("city_admin")
    response = parent.post(unlock_url(lock), {}, format="json")
    assert response.json() == {"reason": [zh("Say why the period is unlocked.")]}
    response = parent.post(unlock_url(lock), {"reason": "甲县补报论坛参会人数"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["is_active"] is False and body["unlock_reason"] == "甲县补报论坛参会人数"
    assert body["unlocked_by"] == str(world.users["city_admin"])
    assert AuditEvent.objects.get(action="period.unlock").actor == world.users["city_admin"]

    response = api_client("county_staff").patch(
        detail_url(events.forum), {"venue": "县农科所"}, format="json"
    )
    assert response.status_code == 200


def test_a_city_lock_is_unlocked_by_the_province(world, province_admin, api_client):
    lock = period_lock(actor=None, organization=world.city, period="year", year=2025)
    assert (
        api_client("city_admin").post(unlock_url(lock), {"reason": "补报"}, format="json").status_code == 403
    )
    response = api_client("province_admin").post(unlock_url(lock), {"reason": "补报"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False


def test_another_countys_lock_does_not_exist(world, api_client):
    lock = period_lock(actor=None, organization=world.county_a, period="year", year=2025)
    response = api_client("county_b_staff").post(unlock_url(lock), {"reason": "补报"}, format="json")
    assert response.status_code == 404
    assert api_client("county_b_staff").get(LOCKS_URL).json()["results"] == []


def test_a_unlocked_period_cannot_be_unlocked_again(world, api_client):
    lock = period_lock(actor=None, organization=world.county_a, period="year", year=2025)
    api_client("city_admin").post(unlock_url(lock), {"reason": "补报"}, format="json")
    response = api_client("city_admin").post(unlock_url(lock), {"reason": "补报"}, format="json")
    assert response.json() == {"non_field_errors": [zh("This period has been unlocked already.")]}
    assert date(2025, 1, 1) == PeriodLock.objects.get().starts_on


# --- what the user reads ---------------------------------------------------------------
# The messages above are compared with the catalogue; these read them as the user does.
# They hold once var/i18n/core.json (the services' messages) and var/i18n/api.json are
# merged into locale/zh_Hans.


def test_refusals_read_in_chinese(events, world, county_admin, api_client):
    staff = api_client("county_staff")
    assert staff.post(action_url("submit", events.forum)).json() == {
        "non_field_errors": ["只有草稿可以提交审核。"]
    }

    submitted = make_activity(world.county_a, status=Status.SUBMITTED)
    response = api_client("county_admin").post(action_url("approve", submitted))
    assert response.json()["detail"] == "甲县科学技术协会的活动由示例市科学技术协会审核。"

    period_lock(actor=None, organization=world.county_a, period="quarter", year=2025, number=2)
    response = staff.patch(detail_url(events.forum), {"venue": "县农科所"}, format="json")
    assert response.json()["non_field_errors"][0].startswith(
        "甲县科学技术协会已上报并锁定 2025-04-01 至 2025-06-30"
    )


def test_bulk_errors_read_in_chinese(world, api_client):
    rows = [row(status="reported"), row(ends_at="2025-03-04T09:00:00+08:00")]
    body = api_client("county_staff").post(BULK_URL, {"rows": rows}, format="json").json()
    assert body["detail"] == "未录入任何活动：请修改以下各行后全部重新提交。"
    assert body["errors"][0]["message"].startswith("导入为“已上报”的活动须经审核通过，您无权审核")
    assert body["errors"][1] == {"index": 1, "field": "ends_at", "message": "活动结束时间不能早于开始时间。"}
