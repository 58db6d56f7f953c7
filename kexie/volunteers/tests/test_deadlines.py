"""Accepting within working days: the official calendar's holidays and make-up working
weekends, the override table, the policy, and escalation to the dispatcher."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from kexie.core.services import calendar_day_set
from kexie.volunteers.models import OrderAction, OrderStatus
from kexie.volunteers.services import orders as services
from kexie.volunteers.services.policy import policy_for, policy_set
from kexie.volunteers.testing import make_order

pytestmark = pytest.mark.django_db


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def approved(volunteering):
    return services.order_approve(actor=None, order=make_order(volunteering))


def test_a_deadline_across_national_day_skips_the_holiday(world, volunteering):
    # Dispatched on Tuesday 30 September 2025; 1–8 October are the National Day holiday.
    order = approved(volunteering)
    assert services.accept_deadline(order, now=local(2025, 9, 30, 15)) == local(
        2025, 10, 11
    )  # end of Fri 10 Oct


def test_the_make_up_saturday_counts_as_a_working_day(world, volunteering):
    # Saturday 11 October 2025 is a make-up working day: the third working day after 30 September.
    policy_set(actor=None, organization=world.county_a, accept_workdays=3, rating_days=14)
    order = approved(volunteering)
    assert services.accept_deadline(order, now=local(2025, 9, 30, 15)) == local(
        2025, 10, 12
    )  # end of Sat 11 Oct


def test_a_make_up_sunday_before_the_holiday_counts_too(world, volunteering):
    # Dispatched on Friday 26 September 2025: Sunday 28 September is a make-up working day.
    order = approved(volunteering)
    assert services.accept_deadline(order, now=local(2025, 9, 26, 10)) == local(
        2025, 9, 30
    )  # end of Mon 29 Sep


def test_an_override_of_the_calendar_moves_the_deadline(world, volunteering):
    calendar_day_set(actor=None, day=date(2025, 10, 9), is_workday=False, name="本地调休")
    order = approved(volunteering)
    assert services.accept_deadline(order, now=local(2025, 9, 30, 15)) == local(2025, 10, 12)


def test_a_town_follows_its_countys_policy_unless_it_has_its_own(world):
    assert policy_for(world.town_a).accept_workdays == 2
    policy_set(actor=None, organization=world.county_a, accept_workdays=4, rating_days=10)
    assert (policy_for(world.town_a).accept_workdays, policy_for(world.town_a).rating_days) == (4, 10)
    policy_set(actor=None, organization=world.town_a, accept_workdays=1, rating_days=7)
    assert policy_for(world.town_a).accept_workdays == 1
    assert policy_for(world.county_b).accept_workdays == 2


def test_an_order_not_accepted_in_time_escalates_once_to_the_dispatcher(
    world, volunteering, django_capture_on_commit_callbacks
):
    order = services.order_dispatch(
        actor=None,
        order=approved(volunteering),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    assert services.orders_escalate(now=order.accept_by - timezone.timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_escalate(now=order.accept_by) == 1
    assert services.orders_escalate(now=order.accept_by + timezone.timedelta(days=3)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPATCHED and order.escalated_at == order.accept_by
    assert list(order.events.values_list("action", flat=True))[-1] == OrderAction.ESCALATE
    inbox = world.users["county_staff"].notifications.all()
    assert [n.kind for n in inbox] == ["volunteers/dispatcher_escalated"]


def test_an_accepted_order_never_escalates(world, volunteering):
    order = services.order_dispatch(
        actor=None,
        order=approved(volunteering),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    services.order_accept(actor=None, order=order)
    assert services.orders_escalate(now=order.accept_by + timezone.timedelta(days=1)) == 0


@pytest.mark.parametrize(("accept", "rate"), [(0, 14), (31, 14), (2, 0), (2, 91)])
def test_a_policy_out_of_range_is_refused(world, accept, rate):
    from kexie.core.errors import DomainError

    with pytest.raises(DomainError):
        policy_set(actor=None, organization=world.county_a, accept_workdays=accept, rating_days=rate)


def test_the_hourly_command_escalates_and_closes_once(world, volunteering):
    from io import StringIO

    from django.core.management import call_command

    from kexie.volunteers.models import ServiceOrder

    order = services.order_dispatch(
        actor=None,
        order=approved(volunteering),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    ServiceOrder.objects.filter(pk=order.pk).update(accept_by=timezone.now() - timezone.timedelta(minutes=5))
    out = StringIO()
    call_command("volunteer_orders_housekeeping", stdout=out)
    assert out.getvalue().startswith("1 orders escalated")
    call_command("volunteer_orders_housekeeping", stdout=out)
    assert "0 orders escalated" in out.getvalue()
