"""Permission-matrix rows of the activities API (/api/v1/: activities_api:<name>).

Reads need ACTIVITY_VIEW, writes ACTIVITY_CHANGE, approving, returning and unlocking
ACTIVITY_APPROVE (held by organization administrators only). The platform's separated
administrators (system, security, audit) hold none of them: at the province every county-A
record is inside their subtree, so they get 403 where a sibling county gets 404.
"""

from datetime import date

from tests.permission_cases import Case

NO_ACTIVITIES = ("auditor", "sysadmin", "secadmin")


def _activity(w, status: str):
    """An activity of 甲县科协 in `status`. Written directly rather than through `w.events`:
    the matrix counts audit records before it builds a row's URL, and the services would
    audit the building as if the request had written."""
    from datetime import datetime

    from django.utils import timezone

    from kexie.activities.models import Activity, ActivityKind

    start = timezone.make_aware(datetime(2025, 5, 20, 9))
    activity, _created = Activity.objects.get_or_create(
        organization=w.county_a,
        title=f"甲县论坛（{status}）",
        defaults={
            "kind": ActivityKind.objects.get(code="forum"),
            "starts_at": start,
            "ends_at": start.replace(hour=11),
            "held_on": date(2025, 5, 20),
            "status": status,
            "onsite_participants": 80,
        },
    )
    return activity


FORUM = lambda w: {"pk": _activity(w, "held").pk}  # noqa: E731
LECTURE = lambda w: {"pk": _activity(w, "reported").pk}  # noqa: E731
SUBMITTED = lambda w: {"pk": _activity(w, "submitted").pk}  # noqa: E731


def _county_a_lock(w) -> dict:
    """An active lock of 甲县科协's 2025 (written directly: building it must not leave an
    audit record between the matrix's before-and-after count)."""
    from kexie.activities.models import PeriodLock

    lock, _created = PeriodLock.objects.get_or_create(
        organization=w.county_a,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        unlocked_at=None,
        defaults={"period": PeriodLock.Period.YEAR},
    )
    return {"pk": lock.pk}


def _action(kwargs, owner="county_staff", forbidden=NO_ACTIVITIES) -> Case:
    return Case(
        kwargs=kwargs,
        method="POST",
        owner=owner,
        target="county_a",
        write=True,
        api=True,
        forbidden=forbidden,
    )


APPROVER_ONLY = ("county_staff", *NO_ACTIVITIES)

CASES = {
    "activities_api:activity_list": Case(api=True, forbidden=NO_ACTIVITIES),
    "activities_api:activity_detail": Case(
        kwargs=LECTURE, target="county_a", api=True, forbidden=NO_ACTIVITIES
    ),
    "activities_api:activity_submit": _action(FORUM),
    "activities_api:activity_approve": _action(SUBMITTED, owner="city_admin", forbidden=APPROVER_ONLY),
    "activities_api:activity_return": _action(SUBMITTED, owner="city_admin", forbidden=APPROVER_ONLY),
    "activities_api:activity_held": _action(FORUM),
    "activities_api:activity_report": _action(FORUM),
    "activities_api:activity_cancel": _action(FORUM),
    "activities_api:activity_correct": _action(LECTURE),
    "activities_api:activity_bulk": Case(method="POST", write=True, api=True, forbidden=NO_ACTIVITIES),
    "activities_api:kind_list": Case(api=True, forbidden=NO_ACTIVITIES),
    "activities_api:campaign_list": Case(api=True, forbidden=NO_ACTIVITIES),
    "activities_api:period_lock_list": Case(api=True, forbidden=NO_ACTIVITIES),
    "activities_api:period_lock_unlock": _action(_county_a_lock, owner="city_admin", forbidden=APPROVER_ONLY),
}
