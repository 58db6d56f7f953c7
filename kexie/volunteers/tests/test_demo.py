"""The demo volunteer service that `seed_demo` builds on top of the network and its people."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum

from kexie.audit.models import AuditEvent
from kexie.volunteers.models import (
    IN_HAND,
    HoursEntry,
    HoursStatus,
    MenuItem,
    MenuStatus,
    OrderStatus,
    ServiceOrder,
    Volunteer,
)
from kexie.volunteers.selectors import grabbable, volunteer_orders

SEED = 2026


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", scale="S", seed=SEED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def test_seed_demo_reports_the_volunteer_service_it_created(loaded):
    assert "volunteers" in loaded and "service orders" in loaded


def test_orders_are_in_every_state_and_most_old_ones_completed(loaded):
    statuses = Counter(ServiceOrder.objects.values_list("status", flat=True))
    assert set(statuses) == set(OrderStatus.values)
    assert statuses[OrderStatus.COMPLETED] > sum(statuses.values()) * 0.6


def test_every_service_held_has_its_activity_and_hours(loaded):
    held = ServiceOrder.objects.filter(status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED))
    assert not held.filter(activity__isnull=True).exists()
    assert not held.annotate(lines=Count("ledger")).filter(lines=0).exists()
    assert held.filter(rating__isnull=False).exists() and held.filter(rating__isnull=True).exists()


def test_the_counters_match_the_records(loaded):
    in_hand = Counter(ServiceOrder.objects.filter(status__in=IN_HAND).values_list("volunteer_id", flat=True))
    approved = dict(
        HoursEntry.objects.filter(status=HoursStatus.APPROVED)
        .values("volunteer_id")
        .annotate(total=Sum("hours"))
        .values_list("volunteer_id", "total")
    )
    for volunteer in Volunteer.objects.all():
        assert volunteer.open_orders == in_hand.get(volunteer.pk, 0)
        assert volunteer.hours_total == approved.get(volunteer.pk, 0)


def test_the_menu_is_mostly_published_and_teams_offer_it(loaded):
    items = MenuItem.objects.all()
    assert items.filter(status=MenuStatus.PUBLISHED).count() > items.count() * 0.7
    assert items.filter(team__isnull=False).exists() and items.filter(volunteer__isnull=False).exists()


def test_the_volunteer_login_has_an_order_to_answer_and_one_to_grab(loaded):
    volunteer = Volunteer.objects.get(person__user__username="volunteer")
    assert volunteer_orders(volunteer=volunteer).filter(status=OrderStatus.DISPATCHED).exists()
    assert grabbable(volunteer=volunteer).exists()


def test_one_audit_record_per_county(loaded):
    records = AuditEvent.objects.filter(action="volunteers.demo")
    assert records.exists()
    assert sum(record.detail["orders"] for record in records) + 3 == ServiceOrder.objects.count()
    assert HoursEntry.objects.exists()


def test_cities_counties_and_towns_have_their_teams(loaded):
    from kexie.volunteers.models import TeamKind, VolunteerTeam

    kinds = set(VolunteerTeam.objects.values_list("kind", flat=True))
    assert {
        TeamKind.LECTURERS,
        TeamKind.SERVICE,
        TeamKind.SCHOOL,
        TeamKind.HEALTH,
        TeamKind.AGRICULTURE,
    } <= kinds
    assert not VolunteerTeam.objects.filter(leader__isnull=True).exists()
