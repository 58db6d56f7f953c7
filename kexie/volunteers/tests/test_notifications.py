"""Who hears of each step, after commit, and nothing when the step rolls back."""

import pytest
from django.db import transaction

from kexie.people.services.privacy import portal_account_create
from kexie.volunteers.services import orders as services
from kexie.volunteers.testing import make_order

pytestmark = pytest.mark.django_db


def test_a_new_order_reaches_the_dispatchers_inbox(world, volunteering, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(volunteering)
    inbox = list(world.users["county_staff"].notifications.all())
    assert [n.kind for n in inbox] == ["volunteers/dispatcher_received"]
    assert order.number in inbox[0].title
    assert not world.users["county_b_staff"].notifications.exists()


def test_the_requester_gets_an_sms_with_their_link_when_the_order_is_accepted(
    world, volunteering, sms_sent, django_capture_on_commit_callbacks
):
    order = make_order(volunteering)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_approve(actor=None, order=order)
    ((mobile, text),) = sms_sent
    assert mobile == "13912345678"
    assert order.number in text and order.token in text


def test_the_volunteer_hears_of_a_dispatch_in_their_inbox_and_by_sms(
    world, volunteering, sms_sent, django_capture_on_commit_callbacks
):
    portal_account_create(actor=None, person=volunteering.zhang.person, username="zhangnong")
    volunteering.zhang.person.refresh_from_db()
    order = services.order_approve(actor=None, order=make_order(volunteering))
    with django_capture_on_commit_callbacks(execute=True):
        services.order_dispatch(
            actor=None, order=order, scope_organization=world.county_a, volunteer=volunteering.zhang
        )
    assert [n.kind for n in volunteering.zhang.person.user.notifications.all()] == [
        "volunteers/holder_dispatched"
    ]
    assert [m for m, _t in sms_sent] == ["13800000001"]


def test_a_step_that_rolls_back_sends_nothing(
    world, volunteering, sms_sent, django_capture_on_commit_callbacks
):
    order = make_order(volunteering)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.order_approve(actor=None, order=order)
                raise RuntimeError("the request failed after the step")
        except RuntimeError:
            pass
    assert sms_sent == []
