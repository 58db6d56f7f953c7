"""The records the statistics, dashboard and report tests count (fixture `figures`), on top
of the test world.

2025 (the period the tests look at):
  示例市科协  培训班 市级培训 (held 11-05: 25 trained)                       — its own records
  甲县科协    科普讲座 甲县春季讲座 (held 03-10: 100 on site, 50 leaflets, speaker 张伟)
              科普讲座 甲县夏季讲座 (reported 07-02: 40 on site)
              科普讲座 甲县草稿讲座 (draft 04-01: 999)                        — not counted
              科普讲座 甲县待审讲座 (submitted 04-03: 999)                    — not counted
  甲镇科协    科普大篷车 甲镇大篷车 (held 07-15: 60 on site, 200 students)
  乙县科协    科普讲座 乙县讲座 (held 03-20: 30 on site, speaker 张伟)
              科普讲座 乙县取消讲座 (cancelled, 04-02: 999)                   — not counted
  visits      甲县科协 → 张伟 01-20 (the talent fixture's), 甲镇科协 → 张伟 02-02,
              乙县科协 → 李娜 06-01, 示例市科协 → 李娜 10-10
2024 (last year): 甲县科协 科普讲座 甲县去年讲座 (held 03-11: 70 on site),
                  乙县科协 科普讲座 乙县去年讲座 (held 08-01: 10 on site), 甲县科协 → 李娜 2024-05-05
2026: 甲县科协 科普讲座 甲县明年讲座 (held 2026-01-15)                     — outside 2025
"""

from dataclasses import dataclass
from datetime import date

import pytest

from kexie.activities.models import Activity, Status
from kexie.activities.services.activities import activity_cancel
from kexie.activities.testing import make_activity
from kexie.people.models import Visit, VisitOccasion

LECTURE_FIGURES = {
    "online_viewers": 0,
    "online_interactions": 0,
    "sessions": 1,
    "leaflets": 0,
    "students_reached": 0,
}


@dataclass
class Figures:
    activities: dict
    visits: list


def _visit(organization, person, day) -> Visit:
    return Visit.objects.create(
        organization=organization,
        person=person,
        visited_on=day,
        occasion=VisitOccasion.OTHER,
        visitors="科协",
    )


@pytest.fixture
def figures(world, talent) -> Figures:
    zhang = talent.person_a
    made = {
        "city_training": make_activity(
            world.city,
            title="市级培训",
            kind="training",
            day=date(2025, 11, 5),
            status=Status.HELD,
            onsite_participants=25,
        ),
        "a_spring": make_activity(
            world.county_a,
            title="甲县春季讲座",
            day=date(2025, 3, 10),
            status=Status.HELD,
            onsite_participants=100,
            leaflets=50,
            speakers=[zhang],
        ),
        "a_summer": make_activity(
            world.county_a,
            title="甲县夏季讲座",
            day=date(2025, 7, 2),
            onsite_participants=40,
            **LECTURE_FIGURES,
        ),
        "a_draft": make_activity(
            world.county_a,
            title="甲县草稿讲座",
            day=date(2025, 4, 1),
            status=Status.DRAFT,
            onsite_participants=999,
        ),
        "a_submitted": make_activity(
            world.county_a,
            title="甲县待审讲座",
            day=date(2025, 4, 3),
            status=Status.SUBMITTED,
            onsite_participants=999,
        ),
        "town_caravan": make_activity(
            world.town_a,
            title="甲镇大篷车",
            kind="caravan",
            day=date(2025, 7, 15),
            status=Status.HELD,
            onsite_participants=60,
            students_reached=200,
        ),
        "b_lecture": make_activity(
            world.county_b,
            title="乙县讲座",
            day=date(2025, 3, 20),
            status=Status.HELD,
            onsite_participants=30,
            speakers=[zhang],
        ),
        "b_cancelled": make_activity(
            world.county_b,
            title="乙县取消讲座",
            day=date(2025, 4, 2),
            status=Status.APPROVED,
            onsite_participants=999,
        ),
        "a_last_year": make_activity(
            world.county_a,
            title="甲县去年讲座",
            day=date(2024, 3, 11),
            status=Status.HELD,
            onsite_participants=70,
        ),
        "b_last_year": make_activity(
            world.county_b,
            title="乙县去年讲座",
            day=date(2024, 8, 1),
            status=Status.HELD,
            onsite_participants=10,
        ),
        "a_next_year": make_activity(
            world.county_a,
            title="甲县明年讲座",
            day=date(2026, 1, 15),
            status=Status.HELD,
            onsite_participants=5,
        ),
    }
    made["b_cancelled"] = activity_cancel(actor=None, activity=made["b_cancelled"], reason="天气原因")
    visits = [
        talent.visit,
        _visit(world.town_a, zhang, date(2025, 2, 2)),
        _visit(world.county_b, talent.person_b, date(2025, 6, 1)),
        _visit(world.city, talent.person_b, date(2025, 10, 10)),
        _visit(world.county_a, talent.person_b, date(2024, 5, 5)),
    ]
    return Figures({key: Activity.objects.get(pk=a.pk) for key, a in made.items()}, visits)
