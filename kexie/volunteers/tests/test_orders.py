"""The order's life: every transition, every refusal, and what each leaves behind."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kexie.activities.models import Activity
from kexie.activities.models import Status as ActivityStatus
from kexie.audit.models import AuditEvent
from kexie.volunteers.models import (
    HoursEntry,
    OrderAction,
    OrderStatus,
    ServiceOrder,
    Volunteer,
    VolunteerTeam,
)
from kexie.volunteers.services import orders as services
from kexie.volunteers.services.orders import DeliveryData, OrderError
from kexie.volunteers.testing import make_order

pytestmark = pytest.mark.django_db


def actions(order) -> list[str]:
    return list(order.events.values_list("action", flat=True))


def dispatched(world, volunteering, *, volunteer=None, team=None, **order_fields):
    order = make_order(volunteering, **order_fields)
    admin = world.users["county_staff"]
    order = services.order_approve(actor=admin, order=order)
    return (
        services.order_dispatch(
            actor=admin,
            order=order,
            scope_organization=world.county_a,
            volunteer=volunteer if team is None else None,
            team=team,
        )
        if (volunteer or team)
        else order
    )


def delivery(**fields) -> DeliveryData:
    return DeliveryData(
        served_on=fields.get("served_on", timezone.localdate()),
        hours=fields.get("hours", "2"),
        audience=fields.get("audience", 45),
        report=fields.get("report", "讲解了修剪与病虫害识别，现场答疑12个问题。"),
        volunteers=fields.get("volunteers"),
    )


def test_an_order_for_a_place_goes_to_the_association_of_its_county(world, volunteering):
    order = make_order(volunteering)
    assert order.organization == world.county_a
    assert order.received_by == world.county_a
    assert order.status == OrderStatus.PENDING
    assert order.number.startswith(str(timezone.localdate().year))
    assert order.mobile_masked == "139****5678"
    assert "13912345678" not in order.mobile_encrypted
    assert actions(order) == [OrderAction.ORDER]
    assert AuditEvent.objects.filter(action="service_order.order", object_id=str(order.pk)).exists()


def test_a_county_without_an_association_sends_its_orders_to_the_city(world, volunteering):
    from kexie.orgs.models import Division

    other = Division.objects.get(pk="320105")
    order = make_order(volunteering, division=other)
    assert order.organization == world.city


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "", "discipline": None}, "title"),
        ({"address": "  "}, "address"),
        ({"preferred_on": date(2020, 1, 1)}, "preferred_on"),
        ({"expected_audience": 0}, "expected_audience"),
        ({"mobile": "12345"}, "mobile"),
        ({"requester_name": ""}, "requester_name"),
    ],
)
def test_a_bad_order_is_refused_naming_the_field_and_nothing_is_kept(world, volunteering, change, field):
    with pytest.raises(OrderError) as refused:
        make_order(volunteering, **change)
    assert refused.value.field == field
    assert not ServiceOrder.objects.exists()


def test_an_order_from_a_withdrawn_menu_item_is_refused(world, volunteering):
    from kexie.volunteers.services.menu import menu_item_withdraw

    menu_item_withdraw(actor=None, item=volunteering.item)
    volunteering.item.refresh_from_db()
    with pytest.raises(OrderError, match="不再提供"):
        make_order(volunteering, item=volunteering.item)


def test_an_order_from_the_menu_takes_the_items_topic_and_field(world, volunteering):
    order = make_order(volunteering, item=volunteering.item)
    assert order.title == "果树病虫害防治讲座"
    assert order.discipline == volunteering.agronomy


def test_rejecting_needs_a_reason_the_requester_sees(world, volunteering):
    order = make_order(volunteering)
    with pytest.raises(OrderError) as refused:
        services.order_reject(actor=None, order=order, reason=" ")
    assert refused.value.field == "reason"
    order = services.order_reject(actor=None, order=order, reason="该村本月已安排同类讲座")
    assert order.status == OrderStatus.REJECTED
    assert order.status_reason == "该村本月已安排同类讲座"
    assert order.closed_at is not None
    with pytest.raises(OrderError):
        services.order_approve(actor=None, order=order)


def test_dispatching_before_review_is_refused(world, volunteering):
    order = make_order(volunteering)
    with pytest.raises(OrderError):
        services.order_dispatch(
            actor=None, order=order, scope_organization=world.county_a, volunteer=volunteering.zhang
        )


def test_dispatch_sets_the_deadline_and_the_volunteers_load(world, volunteering):
    order = dispatched(world, volunteering, volunteer=volunteering.zhang)
    assert order.status == OrderStatus.DISPATCHED
    assert order.accept_by > order.dispatched_at
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.open_orders == 1
    assert actions(order) == [OrderAction.ORDER, OrderAction.APPROVE, OrderAction.DISPATCH]


def test_a_dispatcher_cannot_send_to_a_volunteer_of_another_network(world, volunteering):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    with pytest.raises(OrderError, match="本网络"):
        services.order_dispatch(
            actor=None, order=order, scope_organization=world.county_a, volunteer=volunteering.li
        )
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.REVIEWED


def test_the_team_offering_the_ordered_item_may_receive_it_from_any_dispatcher(world, volunteering):
    order = make_order(volunteering, item=volunteering.item, division=volunteering.county_b_division)
    assert order.organization == world.county_b
    order = services.order_approve(actor=None, order=order)
    order = services.order_dispatch(
        actor=None, order=order, scope_organization=world.county_b, team=volunteering.team
    )
    assert order.team == volunteering.team


def test_a_paused_volunteer_gets_no_new_orders(world, volunteering):
    from kexie.volunteers.services.volunteers import volunteer_set_status

    volunteer_set_status(actor=None, volunteer=volunteering.zhang, status="paused")
    order = services.order_approve(actor=None, order=make_order(volunteering))
    with pytest.raises(OrderError, match="暂不服务"):
        services.order_dispatch(
            actor=None, order=order, scope_organization=world.county_a, volunteer=volunteering.zhang
        )


def test_declining_returns_the_order_to_dispatch_with_the_reason(world, volunteering):
    order = dispatched(world, volunteering, volunteer=volunteering.zhang)
    with pytest.raises(OrderError):
        services.order_decline(actor=None, order=order, reason="")
    order = services.order_decline(actor=None, order=order, reason="当天在外地出差")
    assert order.status == OrderStatus.REVIEWED
    assert order.volunteer is None
    assert order.status_reason == "当天在外地出差"
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.open_orders == 0
    event = order.events.get(action=OrderAction.DECLINE)
    assert event.volunteer == volunteering.zhang and event.reason == "当天在外地出差"


def test_withdrawing_a_dispatch_frees_the_volunteer(world, volunteering):
    order = dispatched(world, volunteering, volunteer=volunteering.zhang)
    order = services.order_withdraw(actor=None, order=order, reason="逾期未接单，改派")
    assert order.status == OrderStatus.REVIEWED and order.volunteer is None and order.accept_by is None
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.open_orders == 0


def test_passing_down_hands_the_order_to_a_child_association(world, volunteering):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    order = services.order_pass_down(actor=None, order=order, organization=world.town_a)
    assert order.organization == world.town_a
    assert order.received_by == world.county_a
    event = order.events.get(action=OrderAction.PASS_DOWN)
    assert event.organization == world.town_a


def test_passing_up_or_sideways_is_refused(world, volunteering):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    for target in (world.city, world.county_b, world.county_a):
        with pytest.raises(OrderError):
            services.order_pass_down(actor=None, order=order, organization=target)


def test_accept_deliver_and_rate_complete_the_order_and_count_everywhere(world, volunteering):
    order = dispatched(world, volunteering, volunteer=volunteering.zhang)
    order = services.order_accept(actor=None, order=order)
    assert order.status == OrderStatus.ACCEPTED
    order = services.order_deliver(actor=world.users["county_staff"], order=order, data=delivery())
    assert order.status == OrderStatus.DELIVERED
    activity = Activity.objects.get(pk=order.activity_id)
    assert activity.status == ActivityStatus.REPORTED
    assert activity.organization == world.county_a
    assert activity.kind.code == "volunteer_service"
    assert activity.onsite_participants == 45 and activity.service_hours == Decimal("2.0")
    entry = HoursEntry.objects.get(order=order)
    assert entry.volunteer == volunteering.zhang and entry.hours == Decimal("2.0")
    zhang = Volunteer.objects.get(pk=volunteering.zhang.pk)
    assert zhang.hours_total == Decimal("2.0") and zhang.open_orders == 0
    order = services.order_rate(actor=None, order=order, rating=5, comment="讲得很实用")
    assert order.status == OrderStatus.COMPLETED and order.rating == 5
    zhang.refresh_from_db()
    assert (zhang.rating_sum, zhang.rating_count) == (5, 1)
    assert actions(order) == [
        OrderAction.ORDER,
        OrderAction.APPROVE,
        OrderAction.DISPATCH,
        OrderAction.ACCEPT,
        OrderAction.DELIVER,
        OrderAction.RATE,
    ]
    with pytest.raises(OrderError):
        services.order_rate(actor=None, order=order, rating=1)


def test_a_service_recorded_on_its_day_before_nine_is_dated_that_day(world, volunteering, monkeypatch):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    early = timezone.make_aware(
        datetime.combine(tomorrow, time(0, 40))
    )  # 00:40, an evening service just ended
    monkeypatch.setattr(timezone, "now", lambda: early)
    order = services.order_deliver(
        actor=world.users["county_staff"], order=order, data=delivery(served_on=tomorrow)
    )
    activity = Activity.objects.get(pk=order.activity_id)
    assert activity.held_on == tomorrow and activity.starts_at <= early
    assert timezone.localtime(activity.starts_at).date() == tomorrow


def test_a_team_delivery_credits_the_members_who_served(world, volunteering):
    order = dispatched(world, volunteering, team=volunteering.team)
    order = services.order_accept(actor=None, order=order)
    order = services.order_deliver(
        actor=None, order=order, data=delivery(hours="3", volunteers=[volunteering.zhang, volunteering.liu])
    )
    assert set(HoursEntry.objects.filter(order=order).values_list("volunteer_id", flat=True)) == {
        volunteering.zhang.pk,
        volunteering.liu.pk,
    }
    team = VolunteerTeam.objects.get(pk=volunteering.team.pk)
    assert team.hours_total == Decimal("6.0") and team.open_orders == 0
    assert Activity.objects.get(pk=order.activity_id).volunteers == 2


def test_a_team_delivery_refuses_someone_outside_the_team(world, volunteering):
    order = services.order_accept(actor=None, order=dispatched(world, volunteering, team=volunteering.team))
    with pytest.raises(OrderError) as refused:
        services.order_deliver(actor=None, order=order, data=delivery(volunteers=[volunteering.li]))
    assert "李林" in str(refused.value)
    assert (
        not HoursEntry.objects.exists()
        and not Activity.objects.filter(kind__code="volunteer_service").exists()
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"served_on": None}, "served_on"),
        ({"hours": "abc"}, "hours"),
        ({"hours": "30"}, "hours"),
        ({"audience": None}, "audience"),
        ({"report": " "}, "report"),
    ],
)
def test_a_bad_delivery_is_refused_and_changes_nothing(world, volunteering, fields, field):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    with pytest.raises(OrderError) as refused:
        services.order_deliver(actor=None, order=order, data=delivery(**fields))
    assert refused.value.field == field
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.ACCEPTED
    assert not HoursEntry.objects.exists()


def test_a_delivery_in_the_future_is_refused(world, volunteering):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    with pytest.raises(OrderError):
        services.order_deliver(
            actor=None, order=order, data=delivery(served_on=timezone.localdate() + timedelta(days=1))
        )


def test_rating_is_refused_after_the_window_and_the_order_closes_itself(world, volunteering):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    order = services.order_deliver(actor=None, order=order, data=delivery())
    late = order.delivered_at + timedelta(days=15)
    with pytest.raises(OrderError):
        services.order_rate(actor=None, order=order, rating=4, now=late)
    assert services.orders_close_unrated(now=order.delivered_at + timedelta(days=13)) == 0
    assert services.orders_close_unrated(now=late) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.rating is None
    assert actions(order)[-1] == OrderAction.CLOSE


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_a_rating_is_one_to_five_stars(world, volunteering, rating):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    order = services.order_deliver(actor=None, order=order, data=delivery())
    with pytest.raises(OrderError):
        services.order_rate(actor=None, order=order, rating=rating)


def test_cancelling_frees_the_holder_and_keeps_the_reason(world, volunteering):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    order = services.order_cancel(actor=None, order=order, reason="村里活动改期", by_requester=True)
    assert order.status == OrderStatus.CANCELLED
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.open_orders == 0
    with pytest.raises(OrderError):
        services.order_cancel(actor=None, order=order, reason="再取消")


def test_a_delivered_order_is_not_cancelled(world, volunteering):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    order = services.order_deliver(actor=None, order=order, data=delivery())
    with pytest.raises(OrderError):
        services.order_cancel(actor=None, order=order, reason="不需要了")


def test_an_open_order_goes_to_the_first_eligible_volunteer_who_grabs_it(world, volunteering):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    order = services.order_open(actor=None, order=order, scope_organization=world.county_a)
    assert order.status == OrderStatus.OPEN
    with pytest.raises(OrderError, match="不向您开放"):
        services.order_grab(actor=None, order=order, volunteer=volunteering.li)  # another network
    order = services.order_grab(actor=None, order=order, volunteer=volunteering.zhang)
    assert order.status == OrderStatus.ACCEPTED and order.volunteer == volunteering.zhang
    with pytest.raises(OrderError, match="已被他人接走"):
        services.order_grab(actor=None, order=order, volunteer=volunteering.liu)


def test_a_volunteer_of_another_field_who_does_not_serve_the_region_cannot_grab(world, volunteering):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    order = services.order_open(actor=None, order=order, scope_organization=world.county_a)
    with pytest.raises(OrderError):
        services.order_grab(actor=None, order=order, volunteer=volunteering.liu)  # medicine, no service area


def test_every_step_is_audited_in_its_transaction(world, volunteering):
    order = services.order_accept(
        actor=None, order=dispatched(world, volunteering, volunteer=volunteering.zhang)
    )
    audited = set(
        AuditEvent.objects.filter(object_id=str(order.pk), object_type="volunteers.serviceorder").values_list(
            "action", flat=True
        )
    )
    assert audited == {
        "service_order.order",
        "service_order.approve",
        "service_order.dispatch",
        "service_order.accept",
    }
