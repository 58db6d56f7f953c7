"""Permission-matrix rows: the staff pages of activities (kexie/activities/urls.py).

The activities are 甲县科协's: a reported one and a held one (see `_activity`).
Approving and locking need ACTIVITY_APPROVE (organization administrators: the city's, for
甲县科协's activities); kinds, campaigns and the approval policy need ACTIVITY_MANAGE.
"""

from tests.permission_cases import Case

# The separated administrators (province level) do not work with activities.
NO_ACTIVITIES = ("auditor", "sysadmin", "secadmin")
# Approving, locking, kinds, campaigns and the policy: organization administrators only.
NOT_ADMIN = ("county_staff", "society_secretary", *NO_ACTIVITIES)


def _activity(w, status: str):
    """An activity of 甲县科协 in `status`. Written directly rather than through
    `w.events`: the matrix counts audit records before a row's URL is built, and building
    the events there would be counted as a write of the request."""
    from datetime import date, datetime

    from django.utils import timezone

    from kexie.activities.models import Activity

    start = timezone.make_aware(datetime(2025, 5, 20, 9))
    activity, _created = Activity.objects.get_or_create(
        organization=w.county_a,
        title=f"甲县{status}活动",
        defaults={
            "kind": _kind("forum"),
            "starts_at": start,
            "ends_at": start.replace(hour=11),
            "held_on": date(2025, 5, 20),
            "status": status,
            "onsite_participants": 80,
        },
    )
    return activity


LECTURE = lambda w: {"pk": _activity(w, "reported").pk}  # noqa: E731  reported, 甲县科协
FORUM = lambda w: {"pk": _activity(w, "held").pk}  # noqa: E731  held, 甲县科协


def _kind(code: str):
    from kexie.activities.models import ActivityKind

    return ActivityKind.objects.get(code=code)


def _kind_campaign(code: str):
    from kexie.activities.models import Campaign

    return Campaign.objects.get(code=code)


def _form(w, **extra) -> dict:
    return {
        "title": "甲县科技周开幕式",
        "kind": _kind("forum").pk,
        "starts_at": "2025-05-20T09:00",
        "ends_at": "2025-05-20T11:00",
        "mode": "offline",
        "onsite_participants": "90",
    } | extra


def _attachment(w):
    """A document row of the lecture (its file is not in the store: the download says so)."""
    from kexie.activities.models import ActivityAttachment

    attachment, _created = ActivityAttachment.objects.get_or_create(
        activity=_activity(w, "reported"),
        kind=ActivityAttachment.Kind.DOCUMENT,
        defaults={"file": "activities/missing.pdf", "name": "活动方案.pdf", "size": 10},
    )
    return attachment


def _lock(w):
    """甲县科协 has reported and locked 2024."""
    from datetime import date

    from kexie.activities.models import PeriodLock

    lock, _created = PeriodLock.objects.get_or_create(
        organization=w.county_a,
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        unlocked_at=None,
        defaults={"period": "year"},
    )
    return lock


def _local_campaign(w):
    """A local campaign run by 甲县科协, with its 2025 edition."""
    from datetime import date

    from kexie.activities.models import Campaign, CampaignEdition

    campaign, _created = Campaign.objects.get_or_create(
        code="grape_festival", defaults={"name": "葡萄节科普周", "organization": w.county_a}
    )
    CampaignEdition.objects.get_or_create(
        campaign=campaign, year=2025, defaults={"starts_on": date(2025, 8, 1), "ends_on": date(2025, 8, 7)}
    )
    return campaign


CASES = {
    # --- the list, the export, the calendar ---
    "activities:list": Case(forbidden=NO_ACTIVITIES),
    "activities:export": Case(forbidden=NO_ACTIVITIES),
    "activities:calendar": Case(query=lambda w: "?month=2025-09", forbidden=NO_ACTIVITIES),
    "activities:organization_options": Case(query=lambda w: "?find=jiaxian", forbidden=NO_ACTIVITIES),
    # --- recording and editing ---
    "activities:create": Case(
        method="POST",
        write=True,
        forbidden=NO_ACTIVITIES,
        data=lambda w: _form(w, starts_at="2026-01-10T09:00"),
    ),
    "activities:figure_fields": Case(
        query=lambda w: f"?kind={_kind('caravan').pk}", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:speaker_choices": Case(query=lambda w: "?find=zhang", write=True, forbidden=NO_ACTIVITIES),
    "activities:detail": Case(kwargs=LECTURE, target="county_a", forbidden=NO_ACTIVITIES),
    "activities:update": Case(
        kwargs=FORUM, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES, data=_form
    ),
    "activities:correct": Case(
        kwargs=LECTURE,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_ACTIVITIES,
        data=lambda w: _form(
            w, kind=_kind("lecture").pk, starts_at="2025-09-16T09:00", reason="人数统计有误"
        ),
    ),
    # --- the workflow ---
    "activities:submit": Case(
        kwargs=FORUM, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:approve": Case(
        kwargs=FORUM,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=NOT_ADMIN[:1] + NO_ACTIVITIES,
    ),
    "activities:send_back": Case(
        kwargs=FORUM,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=NOT_ADMIN[:1] + NO_ACTIVITIES,
        data=lambda w: {"reason": "请补充活动方案"},
    ),
    "activities:mark_held": Case(
        kwargs=FORUM, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:report": Case(
        kwargs=FORUM, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:cancel": Case(
        kwargs=FORUM,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_ACTIVITIES,
        data=lambda w: {"reason": "天气原因"},
    ),
    # --- photos and documents ---
    "activities:attachment_add": Case(
        kwargs=FORUM, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:attachment": Case(
        kwargs=lambda w: {"pk": _activity(w, "reported").pk, "attachment_pk": _attachment(w).pk},
        target="county_a",
        forbidden=NO_ACTIVITIES,
    ),
    "activities:attachment_remove": Case(
        kwargs=lambda w: {"pk": _activity(w, "reported").pk, "attachment_pk": _attachment(w).pk},
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_ACTIVITIES,
    ),
    # --- approvals, reported periods, who approves ---
    "activities:approvals": Case(owner="city_admin", forbidden=("viewer", *NOT_ADMIN)),
    "activities:locks": Case(forbidden=NO_ACTIVITIES),
    "activities:lock_create": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=NOT_ADMIN,
        data=lambda w: {"period": "year", "year": "2024", "number": "1"},
    ),
    "activities:unlock": Case(
        kwargs=lambda w: {"pk": _lock(w).pk},
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", *NO_ACTIVITIES),
        data=lambda w: {"reason": "补录遗漏的活动"},
    ),
    "activities:policy": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=NOT_ADMIN,
        data=lambda w: {"approver": "self"},
    ),
    # --- campaigns and kinds ---
    "activities:campaigns": Case(forbidden=NO_ACTIVITIES),
    "activities:campaign_detail": Case(
        kwargs=lambda w: {"pk": _kind_campaign("science_day").pk}, forbidden=NO_ACTIVITIES
    ),
    "activities:campaign_create": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=NOT_ADMIN,
        data=lambda w: {"code": "city_science_month", "name": "示例市科普月"},
    ),
    "activities:campaign_update": Case(
        kwargs=lambda w: {"pk": _local_campaign(w).pk},
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", *NO_ACTIVITIES),
        data=lambda w: {"code": "grape_festival", "name": "葡萄节科普活动周"},
    ),
    "activities:edition_create": Case(
        kwargs=lambda w: {"pk": _local_campaign(w).pk},
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", *NO_ACTIVITIES),
        data=lambda w: {"year": "2026", "starts_on": "2026-08-01", "ends_on": "2026-08-07"},
    ),
    "activities:edition_update": Case(
        kwargs=lambda w: {"pk": _local_campaign(w).editions.get().pk},
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", *NO_ACTIVITIES),
        data=lambda w: {
            "year": "2025",
            "starts_on": "2025-08-02",
            "ends_on": "2025-08-08",
            "theme": "科学发展",
        },
    ),
    "activities:kinds": Case(forbidden=NO_ACTIVITIES),
    "activities:kind_create": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=NOT_ADMIN,
        data=lambda w: {"code": "science_night", "name": "科学之夜", "category": "popsci"},
    ),
    "activities:kind_update": Case(
        kwargs=lambda w: {"pk": _kind("lecture").pk},
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=NOT_ADMIN,
        data=lambda w: {
            "code": "lecture",
            "name": "科普讲座",
            "category": "popsci",
            "figures": "onsite_participants",
        },
    ),
}
