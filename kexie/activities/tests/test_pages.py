"""The staff pages of activities: the form and its figures, the workflow with its refusals,
corrections, locked periods, the records behind a statistic, the export, scoping."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kexie.activities.models import Activity, ActivityCorrection, ActivityKind, Status
from kexie.activities.services.periods import period_lock
from kexie.activities.testing import make_activity
from kexie.audit.models import AuditEvent
from kexie.statistics.definitions import get_definition
from kexie.statistics.selectors import records_url, statistic_values

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def zh(msgid: str) -> str:
    """The Simplified Chinese the user reads for a msgid."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def text(response) -> str:
    return response.content.decode()


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def activity_form(**fields) -> dict:
    return {
        "title": "甲县科普进校园",
        "kind": kind("lecture").pk,
        "starts_at": "2025-10-10T09:00",
        "ends_at": "2025-10-10T11:00",
        "mode": "offline",
        "venue": "甲县第一中学",
    } | fields


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the form ----------------------------------------------------------------------------


def figure_inputs(html: str) -> set[str]:
    from kexie.activities.models import Figure

    return {code for code in Figure.values if f'name="{code}"' in html}


@pytest.mark.parametrize("code", ["lecture", "caravan", "exhibition", "online", "visit_care", "other"])
def test_each_kind_shows_only_its_figures(login, code):
    response = login("county_staff").get(reverse("activities:figure_fields"), {"kind": kind(code).pk})
    assert response.status_code == 200
    assert figure_inputs(text(response)) == set(kind(code).figures)


def test_the_new_activity_form_asks_for_the_kind_before_any_figure(login):
    response = login("county_staff").get(reverse("activities:create"))
    assert response.status_code == 200
    assert figure_inputs(text(response)) == set()
    assert 'hx-get="/activities/figure-fields/"' in text(response)


def test_the_figures_swapped_in_keep_what_was_typed(login):
    response = login("county_staff").get(
        reverse("activities:figure_fields"), {"kind": kind("caravan").pk, "students_reached": "400"}
    )
    assert 'name="students_reached"' in text(response)
    assert 'value="400"' in text(response)
    assert "科普大篷车巡展" in text(response)  # the heading names the kind chosen


def test_the_edit_page_shows_the_figures_of_the_activitys_kind(login, events):
    response = login("county_staff").get(reverse("activities:update", args=[events.forum.pk]))
    assert figure_inputs(text(response)) == set(kind("forum").figures)
    assert 'value="80"' in text(response)


def test_recording_an_activity_makes_a_draft_of_the_users_organization(login, world, talent):
    client = login("county_staff")
    response = client.post(
        reverse("activities:create"),
        activity_form(
            onsite_participants="120",
            target_groups=[],
            co_organizers=[world.town_a.pk],
            partners="甲县教育局",
            speakers=[talent.person_a.pk],
        ),
    )
    activity = Activity.objects.get(title="甲县科普进校园")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert (activity.organization, activity.status, activity.onsite_participants) == (
        world.county_a,
        "draft",
        120,
    )
    assert list(activity.speakers.all()) == [talent.person_a]
    page = text(client.get(response["Location"]))
    assert "甲县科普进校园" in page
    assert "甲县教育局" in page
    assert reverse("people:detail", args=[talent.person_a.pk]) in page  # the speaker links to the profile


def test_a_figure_of_another_kind_is_not_stored(login):
    login("county_staff").post(
        reverse("activities:create"), activity_form(kind=kind("visit_care").pk, students_reached="50")
    )
    assert Activity.objects.get(title="甲县科普进校园").students_reached is None


def test_the_form_shows_the_services_message_on_the_field(login):
    response = login("county_staff").post(
        reverse("activities:create"), activity_form(ends_at="2025-10-09T11:00")
    )
    assert response.status_code == 200
    assert zh("The activity cannot end before it starts.") in response.context["form"].errors["ends_at"]
    assert zh("The activity cannot end before it starts.") in text(response)


def test_a_speaker_outside_the_scope_is_refused(login, talent):
    response = login("county_staff").post(
        reverse("activities:create"), activity_form(speakers=[talent.person_b.pk])
    )
    assert response.status_code == 200
    assert zh("A chosen speaker is outside your scope.") in text(response)
    assert not Activity.objects.filter(title="甲县科普进校园").exists()


def test_the_speaker_search_lists_people_of_the_talent_pool_in_scope(login, talent):
    response = login("county_staff").get(reverse("activities:speaker_choices"), {"find": "张伟"})
    assert "张伟" in text(response)
    assert f'value="{talent.person_a.pk}"' in text(response)
    response = login("county_b_staff").get(reverse("activities:speaker_choices"), {"find": "张伟"})
    assert f'value="{talent.person_a.pk}"' not in text(response)


# --- the workflow ------------------------------------------------------------------------


def draft(world, **fields) -> Activity:
    return make_activity(
        world.county_a, title="甲县科普讲座", day=date(2025, 10, 10), status=Status.DRAFT, **fields
    )


def test_a_county_cannot_approve_its_own_activity_under_the_default_policy(login, world):
    activity = draft(world)
    client = login("county_staff")
    client.post(reverse("activities:submit", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == Status.SUBMITTED
    page = text(client.get(reverse("activities:detail", args=[activity.pk])))
    assert 'data-testid="approve"' not in page
    assert client.post(reverse("activities:approve", args=[activity.pk])).status_code == 403
    activity.refresh_from_db()
    assert activity.status == Status.SUBMITTED


def test_the_city_approves_the_countys_activity_and_the_county_holds_and_reports_it(login, world):
    activity = draft(world, onsite_participants=50)
    login("county_staff").post(reverse("activities:submit", args=[activity.pk]))
    city = login("city_admin")
    queue = city.get(reverse("activities:approvals"))
    assert list(queue.context["queue"]) == [activity]
    assert 'data-testid="approve"' in text(city.get(reverse("activities:detail", args=[activity.pk])))
    response = city.post(
        reverse("activities:approve", args=[activity.pk]), {"next": reverse("activities:approvals")}
    )
    assert response["Location"] == reverse("activities:approvals")
    activity.refresh_from_db()
    assert activity.status == Status.APPROVED
    county = login("county_staff")
    county.post(reverse("activities:mark_held", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == Status.HELD
    # Reporting needs every figure of the kind.
    response = county.post(reverse("activities:report", args=[activity.pk]), follow=True)
    assert Activity.objects.get(pk=activity.pk).status == Status.HELD
    assert any(
        zh("Fill in these figures before reporting (0 if there were none): %(figures)s")[:6] in m
        for m in messages_of(response)
    )
    figures = {code: "0" for code in kind("lecture").figures} | {"onsite_participants": "50"}
    county.post(
        reverse("activities:update", args=[activity.pk]), activity_form(title="甲县科普讲座", **figures)
    )
    county.post(reverse("activities:report", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == Status.REPORTED
    page = text(county.get(reverse("activities:detail", args=[activity.pk])))
    assert zh("Reported") == "已上报"
    assert "已上报" in page
    assert 'data-testid="correct"' in page
    assert 'data-testid="edit"' not in page


def test_a_returned_activity_shows_the_approvers_reason(login, world):
    activity = draft(world)
    login("county_staff").post(reverse("activities:submit", args=[activity.pk]))
    login("city_admin").post(
        reverse("activities:send_back", args=[activity.pk]), {"reason": "请补充活动方案"}
    )
    activity.refresh_from_db()
    assert (activity.status, activity.status_reason) == (Status.DRAFT, "请补充活动方案")
    page = text(login("county_staff").get(reverse("activities:detail", args=[activity.pk])))
    assert "请补充活动方案" in page


def test_returning_without_a_reason_is_refused(login, world):
    activity = draft(world)
    login("county_staff").post(reverse("activities:submit", args=[activity.pk]))
    response = login("city_admin").post(
        reverse("activities:send_back", args=[activity.pk]), {"reason": ""}, follow=True
    )
    assert Activity.objects.get(pk=activity.pk).status == Status.SUBMITTED
    assert messages_of(response)


def test_a_cancelled_activity_shows_why(login, world):
    activity = draft(world)
    login("county_staff").post(reverse("activities:cancel", args=[activity.pk]), {"reason": "台风停课"})
    page = text(login("county_staff").get(reverse("activities:detail", args=[activity.pk])))
    assert Activity.objects.get(pk=activity.pk).status == Status.CANCELLED
    assert "台风停课" in page


def test_a_reported_activitys_edit_page_is_refused(login, events):
    client = login("county_staff")
    response = client.get(reverse("activities:update", args=[events.lecture.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("activities:detail", args=[events.lecture.pk])
    message = zh("The activity has been reported; change it through a correction with a reason.")
    assert message in messages_of(response)
    assert "活动已上报；如需修改，请填写原因进行更正。" in text(response)
    before = events.lecture.onsite_participants
    client.post(
        reverse("activities:update", args=[events.lecture.pk]), activity_form(onsite_participants="999")
    )
    assert Activity.objects.get(pk=events.lecture.pk).onsite_participants == before


def test_a_correction_needs_a_reason_and_keeps_the_history(login, events):
    client = login("county_staff")
    url = reverse("activities:correct", args=[events.lecture.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data |= {
        "starts_at": "2025-09-16T09:00",
        "ends_at": "2025-09-16T11:00",
        "target_groups": [],
        "co_organizers": [],
        "speakers": [p.pk for p in events.lecture.speakers.all()],
        "campaign_edition": events.science_day.pk,
        "onsite_participants": "320",
        "mode": "both",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(url, data | {"reason": "现场人数漏统计二十人"})
    assert response.status_code == 302
    correction = ActivityCorrection.objects.get(activity=events.lecture)
    assert correction.old_values == {"mode": "offline", "onsite_participants": "300"}
    assert correction.new_values == {"mode": "both", "onsite_participants": "320"}
    history = text(client.get(reverse("activities:detail", args=[events.lecture.pk]))).split("corrections")[
        -1
    ]
    assert "现场人数漏统计二十人" in history
    assert "300" in history and "320" in history
    assert zh("On site") in history and zh("On site and online") in history  # choices named, not codes
    assert Activity.objects.get(pk=events.lecture.pk).status == Status.REPORTED


# --- locked periods ----------------------------------------------------------------------


def test_a_locked_period_refuses_an_edit_and_the_parents_unlock_allows_it(login, world, events):
    lock = period_lock(actor=None, organization=world.county_a, period="quarter", year=2025, number=2)
    county = login("county_staff")
    url = reverse("activities:update", args=[events.forum.pk])
    data = activity_form(
        title="甲县智慧农业论坛",
        kind=kind("forum").pk,
        starts_at="2025-05-20T09:00",
        ends_at="2025-05-20T11:00",
        onsite_participants="90",
    )
    response = county.post(url, data)
    assert response.status_code == 200
    message = zh(
        "%(org)s has reported %(start)s to %(end)s and locked it: ask the organization "
        "above it to unlock the period before changing activities of %(day)s."
    ) % {"org": world.county_a.name, "start": lock.starts_on, "end": lock.ends_on, "day": date(2025, 5, 20)}
    assert message in text(response)
    assert f"{world.county_a.name}已上报并锁定 2025-04-01 至 2025-06-30 的数据" in text(response)
    assert Activity.objects.get(pk=events.forum.pk).onsite_participants == 80
    # The detail page says so and offers no change.
    page = text(county.get(reverse("activities:detail", args=[events.forum.pk])))
    assert 'data-testid="lock-note"' in page
    assert 'data-testid="edit"' not in page
    # The city, above the county, unlocks it with a reason.
    city = login("city_admin")
    locks_page = city.get(reverse("activities:locks"))
    assert f'action="{reverse("activities:unlock", args=[lock.pk])}"' in text(locks_page)
    city.post(reverse("activities:unlock", args=[lock.pk]), {"reason": "补录遗漏的数据"})
    lock.refresh_from_db()
    assert lock.unlock_reason == "补录遗漏的数据"
    assert login("county_staff").post(url, data).status_code == 302
    assert Activity.objects.get(pk=events.forum.pk).onsite_participants == 90


def test_an_organization_does_not_unlock_the_period_it_locked_itself(login, world):
    lock = period_lock(actor=None, organization=world.city, period="year", year=2024)
    client = login("city_admin")
    assert f'action="{reverse("activities:unlock", args=[lock.pk])}"' not in text(
        client.get(reverse("activities:locks"))
    )
    assert client.post(reverse("activities:unlock", args=[lock.pk]), {"reason": "想改"}).status_code == 403


def test_an_administrator_locks_a_period_of_their_own_organization(login, world):
    response = login("city_admin").post(
        reverse("activities:lock_create"), {"period": "half_year", "year": "2025", "number": "1"}
    )
    assert response.status_code == 302
    lock = world.city.period_locks.get()
    assert (lock.starts_on, lock.ends_on) == (date(2025, 1, 1), date(2025, 6, 30))


def test_locking_a_period_not_yet_over_shows_why_on_the_form(login):
    response = login("city_admin").post(
        reverse("activities:lock_create"), {"period": "year", "year": "2099", "number": "1"}
    )
    assert response.status_code == 200
    assert zh("A period can be locked once it has ended.") in text(response)


def test_the_approval_policy_lets_the_organizers_own_administrators_approve(login, world):
    from kexie.activities.models import ApprovalPolicy

    login("city_admin").post(reverse("activities:policy"), {"approver": "self"})
    assert ApprovalPolicy.objects.get(organization=world.city).approver == "self"
    activity = make_activity(
        world.city, title="示例市科普讲座", day=date(2025, 10, 10), status=Status.SUBMITTED
    )
    login("city_admin").post(reverse("activities:approve", args=[activity.pk]))
    assert Activity.objects.get(pk=activity.pk).status == Status.APPROVED


# --- the list, the records behind a statistic, the export --------------------------------


def test_the_list_shows_the_scopes_activities_newest_first(login, events):
    response = login("county_staff").get(reverse("activities:list"))
    titles = [a.title for a in response.context["page_obj"]]
    assert titles == ["甲镇大篷车进校园", "甲县科普日讲座", "甲县智慧农业论坛"]


def test_the_list_sorts_oldest_first_on_request(login, events):
    response = login("county_staff").get(reverse("activities:list"), {"sort": "date"})
    assert [a.title for a in response.context["page_obj"]] == [
        "甲县智慧农业论坛",
        "甲县科普日讲座",
        "甲镇大篷车进校园",
    ]


def test_the_list_filters_refresh_the_results_only_for_htmx(login, events):
    response = login("city_admin").get(
        reverse("activities:list"), {"kind": kind("lecture").pk}, HTTP_HX_REQUEST="true"
    )
    assert [a.title for a in response.context["page_obj"]] == ["甲县科普日讲座", "乙县防震减灾讲座"]
    assert "<html" not in text(response)


@pytest.mark.parametrize(
    "params,titles",
    [
        ({"q": "论坛"}, ["甲县智慧农业论坛"]),
        ({"status": "held"}, ["甲县智慧农业论坛"]),
        ({"category": "academic"}, ["2025年学术年会", "甲县智慧农业论坛"]),
        ({"from": "2025-09-01", "to": "2025-09-30"}, ["甲镇大篷车进校园", "甲县科普日讲座"]),
        ({"org": "county_b"}, ["乙县防震减灾讲座"]),
    ],
)
def test_the_list_filters(login, world, events, params, titles):
    if params.get("org"):
        params = {"org": getattr(world, params["org"]).pk}
    response = login("city_admin").get(reverse("activities:list"), params)
    assert [a.title for a in response.context["page_obj"]] == titles


def test_the_list_filters_by_campaign(login, events):
    response = login("city_admin").get(
        reverse("activities:list"), {"campaign": events.science_day.campaign_id}
    )
    assert [a.title for a in response.context["page_obj"]] == ["甲镇大篷车进校园", "甲县科普日讲座"]


@pytest.mark.parametrize(
    "code", ["popsci_events", "popsci_onsite_audience", "students_reached", "academic_events"]
)
def test_the_statistic_link_shows_exactly_the_counted_records(login, world, events, code):
    definition = get_definition(code)
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    url = records_url(definition, organization=world.city, start=start, end=end)
    response = login("city_admin").get(url)
    shown = list(response.context["page_obj"])
    table = statistic_values(organization=world.city, definitions=[definition], start=start, end=end)
    if definition.aggregate == "count":
        assert len(shown) == table.value(code)
    else:
        assert sum(getattr(a, definition.field) for a in shown) == table.value(code)
    assert all(a.status in (Status.HELD, Status.REPORTED) for a in shown)
    page = text(response)
    assert 'data-testid="statistic-heading"' in page
    assert str(definition.name) in page
    assert "2025-01-01" in page and "2025-12-31" in page


def test_the_statistic_link_of_a_child_column_shows_its_subtree_only(login, world, events):
    definition = get_definition("popsci_events")
    table = statistic_values(
        organization=world.city,
        definitions=[definition],
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        breakdown="child",
    )
    column = next(c for c in table.columns if c.organization == world.county_a)
    response = login("city_admin").get(
        records_url(definition, organization=world.city, start=table.start, end=table.end, column=column)
    )
    assert sorted(a.title for a in response.context["page_obj"]) == ["甲县科普日讲座", "甲镇大篷车进校园"]
    assert world.county_a.name in text(response)


def test_an_unknown_statistic_is_404(login):
    assert login("city_admin").get(reverse("activities:list"), {"stat": "no_such_figure"}).status_code == 404


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    return list(openpyxl.load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def test_the_export_contains_the_filtered_rows_and_is_audited(login, events):
    rows = sheet_rows(login("city_admin").get(reverse("activities:export"), {"kind": kind("lecture").pk}))
    assert rows[0][1] == zh("Title")
    assert sorted(row[1] for row in rows[1:]) == ["乙县防震减灾讲座", "甲县科普日讲座"]
    lecture = next(row for row in rows if row[1] == "甲县科普日讲座")
    assert "张伟" in lecture
    assert 300 in lecture and 1200 in lecture
    event = AuditEvent.objects.get(action="activity.export")
    assert event.detail["rows"] == 2
    assert event.detail["filters"] == f"kind={kind('lecture').pk}"


def test_the_export_of_a_statistic_holds_its_records(login, world, events):
    url = records_url(
        get_definition("caravan_stops"),
        organization=world.city,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    rows = sheet_rows(
        login("city_admin").get(url.replace(reverse("activities:list"), reverse("activities:export")))
    )
    assert [row[1] for row in rows[1:]] == ["甲镇大篷车进校园"]


def test_the_export_refuses_more_rows_than_the_limit(login, events, monkeypatch):
    from kexie.activities import exporting

    monkeypatch.setattr(exporting, "EXPORT_ROW_LIMIT", 1)
    response = login("county_staff").get(reverse("activities:export"))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="activity.export").exists()


# --- scoping -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["activities:detail", "activities:update", "activities:correct"])
def test_another_countys_activity_is_404(login, events, name):
    assert login("county_b_staff").get(reverse(name, args=[events.lecture.pk])).status_code == 404


def test_the_list_of_a_county_holds_none_of_its_siblings(login, events):
    response = login("county_b_staff").get(reverse("activities:list"))
    assert [a.title for a in response.context["page_obj"]] == ["乙县防震减灾讲座"]


def test_a_read_only_viewer_sees_no_workflow_buttons(login, events):
    page = text(login("viewer").get(reverse("activities:detail", args=[events.forum.pk])))
    assert 'data-testid="report"' not in page
    assert 'data-testid="attachment-form"' not in page
    assert login("viewer").post(reverse("activities:report", args=[events.forum.pk])).status_code == 403


# --- photos and documents ----------------------------------------------------------------


def test_a_photo_is_uploaded_shown_through_the_scoped_view_and_removed(login, events):
    client = login("county_staff")
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    client.post(
        reverse("activities:attachment_add", args=[events.forum.pk]), {"kind": "photo", "file": upload}
    )
    photo = events.forum.attachments.get()
    url = reverse("activities:attachment", args=[events.forum.pk, photo.pk])
    page = text(client.get(reverse("activities:detail", args=[events.forum.pk])))
    assert f'src="{url}?inline=1"' in page
    assert "/media/" not in page
    response = client.get(url + "?inline=1")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert login("county_b_staff").get(url).status_code == 404
    client = login("county_staff")
    client.post(reverse("activities:attachment_remove", args=[events.forum.pk, photo.pk]))
    assert not events.forum.attachments.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused_with_a_message(login, events):
    upload = SimpleUploadedFile("方案.pdf", b"not a pdf at all", content_type="application/pdf")
    response = login("county_staff").post(
        reverse("activities:attachment_add", args=[events.forum.pk]),
        {"kind": "document", "file": upload},
        follow=True,
    )
    assert not events.forum.attachments.exists()
    assert any("方案.pdf" in message for message in messages_of(response))


# --- the calendar ------------------------------------------------------------------------


def test_the_calendar_shows_the_months_activities_with_a_day_list_for_phones(login, events):
    response = login("county_staff").get(reverse("activities:calendar"), {"month": "2025-09"})
    page = text(response)
    assert 'data-testid="calendar-grid"' in page and 'data-testid="calendar-days"' in page
    assert "甲县科普日讲座" in page and "甲镇大篷车进校园" in page
    assert "甲县智慧农业论坛" not in page  # held in May
    assert "?month=2025-08" in page and "?month=2025-10" in page


def test_a_malformed_month_shows_the_current_month(login):
    assert login("county_staff").get(reverse("activities:calendar"), {"month": "2025-13"}).status_code == 200


# --- campaigns and kinds -----------------------------------------------------------------


def test_the_campaign_edition_sums_its_activities_by_child_organization(login, world, events):
    response = login("city_admin").get(
        reverse("activities:campaign_detail", args=[events.science_day.campaign_id])
    )
    summary = response.context["summary"]
    rows = {row.organization: row for row in summary.rows}
    assert rows[world.county_a].count == 2  # the lecture and the town's caravan stop
    assert rows[world.county_a].figures["onsite_participants"] == 450
    assert rows[world.county_b].count == 0
    assert summary.total.count == 2
    listed = login("city_admin").get(rows[world.county_a].url)
    assert sorted(a.title for a in listed.context["page_obj"]) == ["甲县科普日讲座", "甲镇大篷车进校园"]


def test_the_edition_summary_takes_two_queries_whatever_the_subtree(world, events, django_assert_num_queries):
    from kexie.accounts.models import Membership
    from kexie.activities.selectors_campaigns import edition_summary
    from kexie.core.scoping import Scope

    scope = Scope(world.users["city_admin"], Membership.objects.get(user=world.users["city_admin"]))
    assert scope.organization == world.city  # resolved before counting
    with django_assert_num_queries(2):
        edition_summary(scope=scope, edition=events.science_day)


def test_an_administrator_adds_a_local_campaign_and_its_edition(login, world):
    client = login("city_admin")
    client.post(reverse("activities:campaign_create"), {"code": "grape_festival", "name": "葡萄节科普周"})
    from kexie.activities.models import Campaign

    campaign = Campaign.objects.get(code="grape_festival")
    assert campaign.organization == world.city
    client.post(
        reverse("activities:edition_create", args=[campaign.pk]),
        {"year": "2025", "starts_on": "2025-08-01", "ends_on": "2025-08-07", "theme": "葡萄与健康"},
    )
    page = text(client.get(reverse("activities:campaign_detail", args=[campaign.pk])))
    assert "葡萄与健康" in page
    # The county below sees the campaign but does not manage it.
    assert (
        login("county_staff").get(reverse("activities:campaign_update", args=[campaign.pk])).status_code
        == 403
    )


def test_a_city_administrator_does_not_edit_a_national_campaign(login, events):
    url = reverse("activities:campaign_update", args=[events.science_day.campaign_id])
    assert login("city_admin").get(url).status_code == 403


def test_an_administrator_adds_a_kind_whose_form_asks_its_figures(login):
    client = login("city_admin")
    client.post(
        reverse("activities:kind_create"),
        {
            "code": "science_night",
            "name": "科学之夜",
            "category": "popsci",
            "figures": ["volunteers", "leaflets"],
        },
    )
    night = kind("science_night")
    assert night.figures == ["leaflets", "volunteers"]
    assert "科学之夜" in text(client.get(reverse("activities:kinds")))
    response = client.get(reverse("activities:figure_fields"), {"kind": night.pk})
    assert figure_inputs(text(response)) == {"leaflets", "volunteers"}


def test_a_taken_kind_code_is_shown_on_the_field(login):
    response = login("city_admin").post(
        reverse("activities:kind_create"), {"code": "lecture", "name": "讲座", "category": "popsci"}
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
