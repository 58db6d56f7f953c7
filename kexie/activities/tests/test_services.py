"""The activity workflow, figures, corrections, approvals and period locks, as services."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from kexie.activities.models import (
    Activity,
    ActivityCorrection,
    ActivityKind,
    ApprovalPolicy,
    Campaign,
    CampaignEdition,
    PeriodLock,
    Status,
)
from kexie.activities.services import periods
from kexie.activities.services.activities import (
    ActivityData,
    activity_approve,
    activity_cancel,
    activity_correct,
    activity_create,
    activity_mark_held,
    activity_report,
    activity_return,
    activity_submit,
    activity_update,
    attachment_add,
    attachment_remove,
    require_approver,
)
from kexie.activities.testing import at, make_activity, tomorrow_at
from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.scoping import resolve_scope


def data(kind: str | None = "lecture", day: date = date(2025, 9, 16), **overrides) -> ActivityData:
    fields = {
        "title": "科普讲座",
        "kind": ActivityKind.objects.get(code=kind) if kind else None,
        "starts_at": at(day),
        "ends_at": at(day, 11),
    }
    fields.update(overrides)
    return ActivityData(**fields)


def scope_of(world, username):
    class Request:
        user = world.users[username]

    return resolve_scope(Request)


def test_an_activity_keeps_only_the_figures_its_kind_asks_for(world):
    activity = activity_create(
        actor=world.users["county_staff"],
        organization=world.county_a,
        data=data(
            "exhibition", figures={"display_boards": "30", "onsite_participants": 120, "students_reached": 99}
        ),
    )
    assert activity.display_boards == 30 and activity.onsite_participants == 120
    assert activity.students_reached is None  # an exhibition does not report students
    assert [code for code, _label, _value in activity.figure_values()] == [
        "onsite_participants",
        "display_boards",
        "wall_charts",
        "leaflets",
    ]
    assert activity.status == Status.DRAFT and activity.held_on == date(2025, 9, 16)
    event = AuditEvent.objects.get(action="activity.create", object_id=str(activity.pk))
    assert event.actor == world.users["county_staff"] and event.org_path == world.county_a.path


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": "  "}, "title", "请填写活动名称"),
        ({"ends_at": at(date(2025, 9, 15))}, "ends_at", "结束时间不能早于开始时间"),
        ({"figures": {"onsite_participants": "-3"}}, "onsite_participants", "现场参与人次"),
        ({"figures": {"onsite_participants": "三百"}}, "onsite_participants", "整数"),
        ({"kind": None}, "kind", "请选择活动类型"),
    ],
)
def test_bad_input_is_refused_with_the_field_at_fault_and_nothing_is_written(world, changes, field, message):
    with pytest.raises(DomainError) as refused:
        activity_create(actor=None, organization=world.county_a, data=data(**changes))
    assert refused.value.field == field
    assert message in str(refused.value)
    assert not Activity.objects.exists()


def test_the_workflow_runs_from_draft_to_reported_and_refuses_steps_out_of_order(world):
    activity = activity_create(
        actor=None, organization=world.county_a, data=data(figures={"onsite_participants": 80})
    )
    with pytest.raises(DomainError):
        activity_approve(actor=None, activity=activity)  # not submitted yet
    activity = activity_submit(actor=None, activity=activity)
    with pytest.raises(DomainError):
        activity_update(actor=None, activity=activity, data=data(title="改名"))  # under review
    activity = activity_approve(actor=None, activity=activity)
    activity = activity_mark_held(actor=None, activity=activity)
    with pytest.raises(DomainError) as refused:
        activity_report(actor=None, activity=activity)  # online viewers etc. not filled in
    assert "线上观看人次" in str(refused.value)
    activity = activity_update(
        actor=None,
        activity=activity,
        data=data(
            figures={
                "onsite_participants": 80,
                "online_viewers": 0,
                "online_interactions": 0,
                "sessions": 1,
                "leaflets": 100,
                "students_reached": 0,
            }
        ),
    )
    activity = activity_report(actor=None, activity=activity)
    assert activity.status == Status.REPORTED and activity.reported_at is not None
    with pytest.raises(DomainError):
        activity_update(actor=None, activity=activity, data=data(title="改名"))
    actions = list(
        AuditEvent.objects.filter(action__startswith="activity.", object_id=str(activity.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "activity.create",
        "activity.submit",
        "activity.approve",
        "activity.held",
        "activity.update",
        "activity.report",
    ]


def test_an_activity_cannot_be_marked_held_before_it_starts(world):
    activity = activity_create(
        actor=None,
        organization=world.county_a,
        data=data(starts_at=tomorrow_at(9), ends_at=tomorrow_at(11)),
    )
    activity = activity_approve(actor=None, activity=activity_submit(actor=None, activity=activity))
    with pytest.raises(DomainError, match="尚未开始"):
        activity_mark_held(actor=None, activity=activity)


def test_a_returned_activity_is_a_draft_again_with_the_reason(world):
    activity = activity_submit(
        actor=None, activity=activity_create(actor=None, organization=world.county_a, data=data())
    )
    with pytest.raises(DomainError):
        activity_return(actor=None, activity=activity, reason=" ")
    activity = activity_return(actor=None, activity=activity, reason="请补充活动地点")
    assert activity.status == Status.DRAFT and activity.status_reason == "请补充活动地点"
    activity = activity_submit(actor=None, activity=activity)
    assert activity.status_reason == ""


def test_a_cancelled_activity_is_kept_but_no_longer_changes(world):
    activity = activity_create(actor=None, organization=world.county_a, data=data())
    activity = activity_cancel(actor=None, activity=activity, reason="天气原因取消")
    assert Activity.objects.get(pk=activity.pk).status == Status.CANCELLED
    with pytest.raises(DomainError):
        activity_update(actor=None, activity=activity, data=data(title="改名"))
    held = make_activity(world.county_a, status=Status.HELD, onsite_participants=10)
    with pytest.raises(DomainError):
        activity_cancel(actor=None, activity=held, reason="不办了")


def test_a_correction_keeps_the_values_it_replaced_and_the_reason(world):
    activity = make_activity(
        world.county_a,
        onsite_participants=300,
        online_viewers=0,
        online_interactions=0,
        sessions=1,
        leaflets=0,
        students_reached=0,
    )
    figures = {
        "onsite_participants": 320,
        "online_viewers": 0,
        "online_interactions": 0,
        "sessions": 1,
        "leaflets": 0,
        "students_reached": 0,
    }
    with pytest.raises(DomainError):
        activity_correct(actor=None, activity=activity, data=data(figures=figures), reason="")
    with pytest.raises(DomainError, match="不能为空"):
        activity_correct(
            actor=None, activity=activity, data=data(figures={**figures, "sessions": None}), reason="补录"
        )
    correction = activity_correct(
        actor=None, activity=activity, data=data(figures=figures), reason="补录签到表"
    )
    assert correction.old_values == {"onsite_participants": "300"}
    assert correction.new_values == {"onsite_participants": "320"}
    activity.refresh_from_db()
    assert activity.onsite_participants == 320 and activity.status == Status.REPORTED
    with pytest.raises(DomainError, match="没有修改"):
        activity_correct(actor=None, activity=activity, data=data(figures=figures), reason="再改")
    assert ActivityCorrection.objects.count() == 1


def test_by_default_the_parent_association_approves(world):
    town = make_activity(world.town_a, status=Status.SUBMITTED)
    county = make_activity(world.county_a, status=Status.SUBMITTED)
    society = make_activity(world.society, kind="conference", status=Status.SUBMITTED)
    assert periods.approving_organization(world.town_a) == world.county_a
    assert periods.approving_organization(world.society) == world.city
    require_approver(scope_of(world, "city_admin"), county)
    require_approver(scope_of(world, "city_admin"), society)
    with pytest.raises(PermissionDenied):  # staff approve nothing: it is an administrator's act
        require_approver(scope_of(world, "county_staff"), town)
    assert town.status == county.status == Status.SUBMITTED


def test_an_organization_can_approve_its_own_activities_when_its_policy_says_so(world):
    from kexie.accounts.roles import Role
    from kexie.core.testing import make_user

    make_user("county_admin", world.county_a, Role.ORG_ADMIN)
    world.users["county_admin"] = type(world.users["city_admin"]).objects.get(username="county_admin")
    county = make_activity(world.county_a, status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        require_approver(scope_of(world, "county_admin"), county)
    periods.approval_policy_set(
        actor=None, organization=world.county_a, approver=ApprovalPolicy.Approver.SELF
    )
    require_approver(scope_of(world, "county_admin"), county)
    # The nearest policy up the tree applies to the towns below too.
    assert periods.approving_organization(world.town_a) == world.town_a
    assert AuditEvent.objects.filter(action="approval_policy.set").count() == 1


def test_the_approval_queue_holds_what_the_scope_approves_under_each_organizers_policy(world):
    from kexie.activities.selectors import approval_queue

    town = make_activity(world.town_a, title="甲镇待审", status=Status.SUBMITTED)
    county = make_activity(world.county_a, title="甲县待审", status=Status.SUBMITTED)
    other = make_activity(world.town_b, title="乙镇待审", status=Status.SUBMITTED)
    city = make_activity(world.city, title="市级待审", status=Status.SUBMITTED)
    county_queue = approval_queue(scope=scope_of(world, "county_staff"))
    assert county_queue == [town]  # the county's own activity waits for the city
    assert approval_queue(scope=scope_of(world, "city_admin")) == [town, county, other]  # not its own
    periods.approval_policy_set(
        actor=None, organization=world.county_b, approver=ApprovalPolicy.Approver.SELF
    )
    # The town under a self-approving county is approved by the town itself: still in the city.
    assert periods.approving_paths([world.town_b, world.town_a, world.city]) == {
        world.town_b.pk: world.town_b.path,
        world.town_a.pk: world.county_a.path,
        world.city.pk: world.province.path,
    }
    assert city not in approval_queue(scope=scope_of(world, "city_admin"))


def test_a_locked_period_refuses_every_change_until_the_parent_unlocks_it(world):
    activity = make_activity(world.town_a, status=Status.HELD, day=date(2025, 3, 10), onsite_participants=10)
    lock = periods.period_lock(actor=None, organization=world.county_a, period="quarter", year=2025, number=1)
    assert (lock.starts_on, lock.ends_on) == (date(2025, 1, 1), date(2025, 3, 31))
    with pytest.raises(DomainError) as refused:
        activity_update(actor=None, activity=activity, data=data(day=date(2025, 3, 10), title="改名"))
    assert "甲县科学技术协会" in str(refused.value) and refused.value.code == "locked"
    with pytest.raises(DomainError):  # nor can a new activity be recorded in it below the county
        activity_create(actor=None, organization=world.town_a, data=data(day=date(2025, 2, 1)))
    with pytest.raises(DomainError):  # nor moved out of it
        activity_update(actor=None, activity=activity, data=data(day=date(2025, 4, 10)))
    # Another county and another quarter are not locked.
    activity_create(actor=None, organization=world.county_b, data=data(day=date(2025, 2, 1)))
    activity_create(actor=None, organization=world.town_a, data=data(day=date(2025, 4, 1)))
    with pytest.raises(DomainError, match="已经锁定"):
        periods.period_lock(actor=None, organization=world.county_a, period="quarter", year=2025, number=1)

    assert periods.may_unlock(scope_of(world, "city_admin"), lock)
    assert not periods.may_unlock(scope_of(world, "county_staff"), lock)  # not its own
    assert not periods.may_unlock(scope_of(world, "county_b_staff"), lock)
    periods.period_unlock(actor=None, lock=lock, reason="县里漏报两场活动")
    activity_update(actor=None, activity=activity, data=data(day=date(2025, 3, 10), title="改名"))
    lock.refresh_from_db()
    assert lock.unlock_reason == "县里漏报两场活动" and not lock.is_active
    assert list(
        AuditEvent.objects.filter(action__startswith="period.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "period.lock",
        "period.unlock",
    ]
    # Locked again after the fix: a new lock, the old one kept as history.
    periods.period_lock(actor=None, organization=world.county_a, period="quarter", year=2025, number=1)
    assert PeriodLock.objects.filter(organization=world.county_a).count() == 2


def test_a_period_is_locked_only_once_it_has_ended(world):
    today = date.today()
    with pytest.raises(DomainError):
        periods.period_lock(actor=None, organization=world.county_a, period="year", year=today.year)
    assert periods.period_bounds("month", 2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods.period_bounds("half_year", 2025, 2) == (date(2025, 7, 1), date(2025, 12, 31))
    with pytest.raises(DomainError):
        periods.period_bounds("quarter", 2025, 5)


def test_an_activity_joins_a_campaign_edition_of_its_own_year_in_its_area(world):
    from kexie.activities.services.catalog import CampaignData, campaign_create

    national = CampaignEdition.objects.create(
        campaign=Campaign.objects.get(code="science_day"),
        year=2025,
        starts_on=date(2025, 9, 15),
        ends_on=date(2025, 9, 21),
    )
    activity = activity_create(actor=None, organization=world.town_a, data=data(campaign_edition=national))
    assert activity.campaign_edition == national
    with pytest.raises(DomainError, match="2024"):
        activity_create(
            actor=None, organization=world.town_a, data=data(day=date(2024, 9, 16), campaign_edition=national)
        )
    local = campaign_create(
        actor=None, organization=world.county_b, data=CampaignData(code="yixian_week", name="乙县科普周")
    )
    edition = CampaignEdition.objects.create(
        campaign=local, year=2025, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 30)
    )
    with pytest.raises(DomainError, match="不在"):
        activity_create(actor=None, organization=world.town_a, data=data(campaign_edition=edition))


def test_photos_must_be_genuine_images_of_a_bounded_size(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = activity_create(actor=None, organization=world.county_a, data=data())
    fake = SimpleUploadedFile("现场.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(DomainError, match=r"现场\.jpg"):
        attachment_add(actor=None, activity=activity, upload=fake, kind="photo")
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    with pytest.raises(DomainError):
        attachment_add(actor=None, activity=activity, upload=pdf, kind="photo")  # not a photo
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="image/jpeg")
    attachment = attachment_add(actor=None, activity=activity, upload=photo, kind="photo")
    assert attachment.name == "现场.jpg" and "现场" not in attachment.file.name  # stored under a random name
    assert (tmp_path / attachment.file.name).exists()
    attachment_remove(actor=None, attachment=attachment)
    assert not activity.attachments.exists()


def test_service_hours_keep_one_decimal(world):
    activity = activity_create(
        actor=None, organization=world.county_a, data=data("outreach", figures={"service_hours": "12.25"})
    )
    assert activity.service_hours == Decimal("12.3")  # rounded half up, as people round
