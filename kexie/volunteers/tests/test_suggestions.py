"""The dispatch suggestion: who ranks first and why."""

from datetime import timedelta

import pytest

from kexie.volunteers.models import Volunteer
from kexie.volunteers.selectors import suggestions
from kexie.volunteers.services import orders as services
from kexie.volunteers.services.volunteers import unavailability_add, volunteer_set_status
from kexie.volunteers.testing import make_order, make_volunteer, next_weekday

pytestmark = pytest.mark.django_db


def rated(volunteer, mean: int, count: int = 4) -> Volunteer:
    Volunteer.objects.filter(pk=volunteer.pk).update(rating_sum=mean * count, rating_count=count)
    return volunteer


@pytest.fixture
def candidates(world, volunteering):
    a = volunteering.county_a_division
    return {
        "near_free_good": rated(
            make_volunteer(world.county_a, "近闲好", "13700000001", [volunteering.agronomy], divisions=[a]), 5
        ),
        "far": rated(make_volunteer(world.county_b, "远处", "13700000002", [volunteering.agronomy]), 5),
        "away": rated(
            make_volunteer(world.county_a, "出差", "13700000003", [volunteering.agronomy], divisions=[a]), 5
        ),
        "poorly_rated": rated(
            make_volunteer(world.county_a, "差评", "13700000004", [volunteering.agronomy], divisions=[a]), 2
        ),
        "other_field": rated(
            make_volunteer(world.county_a, "医生", "13700000005", [volunteering.medicine], divisions=[a]), 5
        ),
    }


def names(found) -> list[str]:
    return [s.volunteer.person.name for s in found]


def test_a_closer_available_better_rated_volunteer_ranks_first(world, volunteering, candidates):
    day = next_weekday()
    unavailability_add(
        actor=None, volunteer=candidates["away"], starts_on=day - timedelta(days=1), ends_on=day
    )
    order = services.order_approve(actor=None, order=make_order(volunteering, preferred_on=day))
    found = suggestions(order=order, scope_organization=world.city)
    ranked = names(found)
    assert ranked[0] == "近闲好"
    assert ranked.index("近闲好") < ranked.index("差评") < ranked.index("医生")
    assert ranked.index("近闲好") < ranked.index("出差")
    assert ranked.index("近闲好") < ranked.index("远处")
    first = found[0]
    assert any("农学" in reason for reason in first.reasons)
    assert any("5.0" in reason for reason in first.reasons)
    assert first.warnings == []
    away = found[ranked.index("出差")]
    assert away.warnings  # the panel says why they rank lower
    far = found[ranked.index("远处")]
    assert far.reasons and far.score < first.score


def test_orders_in_hand_push_a_volunteer_down(world, volunteering, candidates):
    busy = candidates["near_free_good"]
    Volunteer.objects.filter(pk=busy.pk).update(open_orders=4)
    order = services.order_approve(actor=None, order=make_order(volunteering))
    found = suggestions(order=order, scope_organization=world.county_a)
    assert names(found).index("近闲好") > names(found).index("差评")
    assert any("4" in warning for warning in found[names(found).index("近闲好")].warnings)


def test_a_dispatcher_sees_suggestions_of_their_own_network_only(world, volunteering, candidates):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    assert "远处" not in names(suggestions(order=order, scope_organization=world.county_a))
    assert "远处" in names(suggestions(order=order, scope_organization=world.city))


def test_paused_volunteers_are_not_suggested(world, volunteering, candidates):
    volunteer_set_status(actor=None, volunteer=candidates["near_free_good"], status="paused")
    order = services.order_approve(actor=None, order=make_order(volunteering))
    assert "近闲好" not in names(suggestions(order=order, scope_organization=world.city))


def test_a_volunteer_who_declined_the_order_ranks_lower_and_says_so(world, volunteering, candidates):
    order = services.order_approve(actor=None, order=make_order(volunteering))
    order = services.order_dispatch(
        actor=None, order=order, scope_organization=world.county_a, volunteer=candidates["near_free_good"]
    )
    order = services.order_decline(actor=None, order=order, reason="没空")
    found = suggestions(order=order, scope_organization=world.county_a)
    assert names(found)[0] != "近闲好"
    declined = found[names(found).index("近闲好")]
    assert declined.warnings


def test_a_volunteer_holding_another_order_that_day_is_not_free(world, volunteering, candidates):
    day = next_weekday()
    first = services.order_approve(actor=None, order=make_order(volunteering, preferred_on=day))
    services.order_dispatch(
        actor=None, order=first, scope_organization=world.county_a, volunteer=candidates["near_free_good"]
    )
    second = services.order_approve(
        actor=None, order=make_order(volunteering, preferred_on=day, mobile="13912345670")
    )
    found = suggestions(order=second, scope_organization=world.county_a)
    busy = found[names(found).index("近闲好")]
    assert busy.volunteer.busy and not busy.volunteer.available


def test_the_reasons_shown_are_what_the_score_was_made_of(world, volunteering, candidates):
    day = next_weekday()
    unavailability_add(actor=None, volunteer=candidates["away"], starts_on=day, ends_on=day)
    order = services.order_approve(actor=None, order=make_order(volunteering, preferred_on=day))
    for found in suggestions(order=order, scope_organization=world.city):
        v = found.volunteer
        region = 30 if v.serves_region or v.distance == 0 else {1: 15, 2: 5}.get(v.distance, 0)
        points = (
            (50 if v.offers_item else 0)
            + (40 if v.field_exact else 20 if v.field_near else 0)
            + region
            + (25 if v.available else 0)
            - min(v.open_orders, 5) * 5
            - (40 if v.declined else 0)
        )
        rating = (v.rating_sum + 8) / (v.rating_count + 2)
        assert found.score == round(points + (rating - 3) * 6, 1), v.person.name
