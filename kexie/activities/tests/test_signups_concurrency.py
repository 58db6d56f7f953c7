"""Sign-ups under real concurrency: 50 people press “sign up” at the same instant for 10
places. Each thread has its own database connection (see tests/test_concurrency.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kexie.activities.models import ActivityKind, Signup
from kexie.activities.services import signups as services
from kexie.activities.services.activities import (
    ActivityData,
    activity_approve,
    activity_create,
    activity_submit,
)
from kexie.core.errors import DomainError
from tests.test_concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]

PEOPLE = 50
PLACES = 10


def open_activity(world, *, waitlist: bool):
    starts = timezone.now() + timedelta(days=3)
    activity = activity_create(
        actor=None,
        organization=world.county_a,
        data=ActivityData(
            title="甲县科技周开放日",
            kind=ActivityKind.objects.get(code="lecture"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
        ),
    )
    activity = activity_approve(actor=None, activity=activity_submit(actor=None, activity=activity))
    services.signup_settings_save(
        actor=None,
        activity=activity,
        options=services.SignupOptions(capacity=PLACES, deadline=starts, waitlist=waitlist),
    )
    return activity


def sign_up_everyone(activity) -> list:
    def sign_up(index: int):
        return services.signup_create(
            activity=activity,
            data=services.SignupData(name=f"并发报名{index}", mobile=f"1391234{index:04d}"),
        )

    return run_together(sign_up, count=PEOPLE)


def test_fifty_simultaneous_sign_ups_for_ten_places_confirm_exactly_ten(world):
    activity = open_activity(world, waitlist=True)
    results = sign_up_everyone(activity)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Signup.objects.filter(activity=activity, status=Signup.Status.CONFIRMED).count() == PLACES
    assert (
        Signup.objects.filter(activity=activity, status=Signup.Status.WAITLISTED).count() == PEOPLE - PLACES
    )
    assert len(set(Signup.objects.filter(activity=activity).values_list("code", flat=True))) == PEOPLE


def test_without_a_waiting_list_the_others_are_refused_with_a_clear_message(world):
    activity = open_activity(world, waitlist=False)
    results = sign_up_everyone(activity)
    confirmed = [r for r in results if isinstance(r, Signup)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(confirmed) == PLACES
    assert len(refused) == PEOPLE - PLACES
    assert all(isinstance(r, DomainError) and r.code == "full" for r in refused), refused
    assert {str(r.message) for r in refused} == {f"{PLACES}个名额已满，报名未成功。"}
    assert Signup.objects.filter(activity=activity).count() == PLACES


def test_cancellations_at_once_promote_as_many_as_were_freed(world):
    activity = open_activity(world, waitlist=True)
    sign_up_everyone(activity)
    confirmed = list(Signup.objects.filter(activity=activity, status=Signup.Status.CONFIRMED))[:5]
    waiting = list(
        Signup.objects.filter(activity=activity, status=Signup.Status.WAITLISTED).order_by("created_at", "id")
    )
    results = run_together(lambda i: services.signup_cancel(actor=None, signup=confirmed[i]), count=5)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Signup.objects.filter(activity=activity, status=Signup.Status.CONFIRMED).count() == PLACES
    promoted = Signup.objects.filter(activity=activity, promoted_at__isnull=False)
    assert set(promoted) == set(waiting[:5])
