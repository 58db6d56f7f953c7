"""Grabbing an open order under real concurrency: one volunteer gets it, once."""

import pytest

from kexie.volunteers.models import OrderAction, OrderStatus, ServiceOrder, Volunteer
from kexie.volunteers.services import orders as services
from kexie.volunteers.services.orders import OrderError
from kexie.volunteers.testing import build_volunteering, make_order, make_volunteer
from tests.test_concurrency import WORKERS, run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_simultaneous_grabs_assign_the_order_exactly_once(world):
    volunteering = build_volunteering(world)
    grabbers = [
        make_volunteer(
            world.county_a,
            f"抢单{i}",
            f"1370000{i:04d}",
            [volunteering.agronomy],
            divisions=[volunteering.county_a_division],
        )
        for i in range(WORKERS)
    ]
    order = services.order_approve(actor=None, order=make_order(volunteering))
    order = services.order_open(actor=None, order=order, scope_organization=world.county_a)

    results = run_together(
        lambda index: services.order_grab(actor=None, order=order, volunteer=grabbers[index])
    )

    won = [r for r in results if isinstance(r, ServiceOrder)]
    lost = [r for r in results if isinstance(r, OrderError)]
    assert len(won) == 1 and len(lost) == WORKERS - 1, results
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.volunteer_id == won[0].volunteer_id
    assert order.events.filter(action=OrderAction.GRAB).count() == 1
    loads = dict(Volunteer.objects.filter(pk__in=[g.pk for g in grabbers]).values_list("pk", "open_orders"))
    assert sorted(loads.values()) == [0] * (WORKERS - 1) + [1]
