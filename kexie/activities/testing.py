"""Activities of the test world (fixture `events`), built through the services.

甲县科协  a science-day lecture 甲县科普日讲座 (held 2025-09-16, reported: 300 on site,
          1,200 online, 500 leaflets), speaker 张伟, part of the 2025 全国科普日
          a forum 甲县智慧农业论坛 (held 2025-05-20: 80 on site), approved and held
甲镇科协  a caravan stop 甲镇大篷车进校园 (held 2025-09-18, reported: 150 on site, 400 students)
乙县科协  a lecture 乙县防震减灾讲座 (held 2025-05-12, reported: 200 on site)
示例市计算机学会  an academic conference 2025年学术年会 (draft, 2025-11-08)

`make_activity(...)` records one more through the services and walks it to a status.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kexie.activities.models import Activity, ActivityKind, Campaign, CampaignEdition, Status
from kexie.activities.services.activities import (
    ActivityData,
    activity_approve,
    activity_create,
    activity_mark_held,
    activity_report,
    activity_submit,
)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_activity(
    organization,
    *,
    title: str = "科普讲座",
    kind: str = "lecture",
    day: date = date(2025, 9, 16),
    status: str = Status.REPORTED,
    edition: CampaignEdition | None = None,
    speakers=(),
    **figures,
) -> Activity:
    """An activity recorded by `organization` and walked through the workflow to `status`."""
    activity = activity_create(
        actor=None,
        organization=organization,
        data=ActivityData(
            title=title,
            kind=ActivityKind.objects.get(code=kind),
            starts_at=at(day),
            ends_at=at(day, 11),
            campaign_edition=edition,
            speakers=list(speakers),
            figures=figures,
        ),
    )
    steps = [
        (Status.SUBMITTED, activity_submit),
        (Status.APPROVED, activity_approve),
        (Status.HELD, activity_mark_held),
        (Status.REPORTED, activity_report),
    ]
    order = [Status.DRAFT, *(target for target, _step in steps)]
    for target, step in steps:
        if order.index(status) < order.index(target):
            break
        activity = step(actor=None, activity=activity)
    return activity


@dataclass
class Events:
    science_day: CampaignEdition
    lecture: Activity
    forum: Activity
    caravan: Activity
    lecture_b: Activity
    conference: Activity


def build_events(world, talent=None) -> Events:
    campaign = Campaign.objects.get(code="science_day")
    science_day = CampaignEdition.objects.create(
        campaign=campaign, year=2025, starts_on=date(2025, 9, 15), ends_on=date(2025, 9, 21)
    )
    speakers = [talent.person_a] if talent is not None else []
    lecture = make_activity(
        world.county_a,
        title="甲县科普日讲座",
        edition=science_day,
        speakers=speakers,
        onsite_participants=300,
        online_viewers=1200,
        leaflets=500,
        online_interactions=0,
        sessions=1,
        students_reached=0,
    )
    forum = make_activity(
        world.county_a,
        title="甲县智慧农业论坛",
        kind="forum",
        day=date(2025, 5, 20),
        status=Status.HELD,
        onsite_participants=80,
    )
    caravan = make_activity(
        world.town_a,
        title="甲镇大篷车进校园",
        kind="caravan",
        day=date(2025, 9, 18),
        edition=science_day,
        onsite_participants=150,
        students_reached=400,
        sessions=2,
        display_boards=20,
        leaflets=0,
    )
    lecture_b = make_activity(
        world.county_b,
        title="乙县防震减灾讲座",
        day=date(2025, 5, 12),
        onsite_participants=200,
        online_viewers=0,
        online_interactions=0,
        sessions=1,
        leaflets=0,
        students_reached=0,
    )
    conference = make_activity(
        world.society,
        title="2025年学术年会",
        kind="conference",
        day=date(2025, 11, 8),
        status=Status.DRAFT,
    )
    return Events(science_day, lecture, forum, caravan, lecture_b, conference)


@pytest.fixture
def events(world, talent) -> Events:
    return build_events(world, talent)


def tomorrow_at(hour: int = 9) -> datetime:
    return at(timezone.localdate() + timedelta(days=1), hour)
