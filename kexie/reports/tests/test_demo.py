"""The demo's reports upward: the counties' earlier quarters and last year accepted, most of
them reported for the last ended quarter, one returned, the rest still due."""

import random
from datetime import date

from kexie.activities.models import PeriodLock
from kexie.reports.dashboard import unreported_children
from kexie.reports.demo import seed_reports
from kexie.reports.models import Submission


def test_the_demo_reports_leave_one_county_due_and_lock_the_reported_periods(world, figures):
    result = seed_reports(rng=random.Random(1), today=date(2026, 1, 10))  # the last ended quarter: 2025 Q4
    county_a = Submission.objects.filter(organization=world.county_a)
    assert county_a.filter(state=Submission.State.ACCEPTED, period="quarter").count() == 4  # Q1–Q4 2025
    assert county_a.filter(period="year", year=2025, state=Submission.State.ACCEPTED).exists()
    assert not Submission.objects.filter(
        organization=world.county_b, year=2025, number=4, period="quarter"
    ).exists()
    assert Submission.objects.filter(
        organization=world.city, period="year", state=Submission.State.ACCEPTED
    ).exists()
    assert unreported_children(organization=world.city, today=date(2026, 1, 10)).missing == [world.county_b]
    assert PeriodLock.objects.filter(organization=world.county_a, unlocked_at__isnull=True).count() == 5
    assert result.submitted == Submission.objects.count() and result.accepted >= 9
