"""Demo reports upward (层层上报): the counties of the demo personas' city have reported the
year's quarters before the last one, and the last year, and the city accepted them; of the
last ended quarter, most counties have reported, one was returned with a reason and a few
have not yet (so the dashboard and the reporting page have something to show). The city
has reported last year to the province, which accepted it.

Written through the services (actor None), so the periods are locked and every step is
audited as a user's would be."""

import random
import time
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kexie.accounts.models import Membership
from kexie.orgs.models import Organization, Status
from kexie.orgs.selectors import AREA_KINDS
from kexie.reports.models import ReportPeriod, Submission
from kexie.reports.selectors import last_ended
from kexie.reports.services import report_accept, report_return, report_submit

RETURN_REASONS = ["培训人次与台账不符，请核对后重新上报。", "部分活动缺少照片和签到表，请补充后重新上报。"]
REPORTED_SHARE = 0.7  # of the counties, for the last ended quarter


@dataclass
class ReportsResult:
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"Created {self.submitted} reports upward ({self.accepted} accepted, {self.returned} returned) "
            f"in {self.seconds:.1f} s."
        )


def _quarters_before(period, count: int) -> list[tuple[int, int]]:
    """The `count` quarters before `period` (year, number), oldest first."""
    year, number = period.year, period.number
    quarters = []
    for _ in range(count):
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
        quarters.append((year, number))
    return list(reversed(quarters))


def seed_reports(*, rng: random.Random, today: date | None = None) -> ReportsResult:
    started = time.monotonic()
    today = today or timezone.localdate()
    result = ReportsResult()
    membership = Membership.objects.select_related("organization").filter(user__username="city_admin").first()
    if membership is None:
        return result
    city = membership.organization
    counties = list(
        Organization.objects.filter(parent=city, kind__in=AREA_KINDS, status=Status.ACTIVE).order_by("path")
    )
    last_quarter = last_ended(ReportPeriod.QUARTER, today)
    last_year = last_ended(ReportPeriod.YEAR, today)

    def submit(organization, period: str, year: int, number: int, accept: bool = True) -> Submission:
        submission = report_submit(
            actor=None, organization=organization, period=period, year=year, number=number
        )
        result.submitted += 1
        if accept:
            report_accept(actor=None, submission=submission)
            result.accepted += 1
        return submission

    with transaction.atomic():
        for county in counties:
            for year, number in _quarters_before(last_quarter, 3):
                submit(county, ReportPeriod.QUARTER, year, number)
            submit(county, ReportPeriod.YEAR, last_year.year, 1)
        reporting = counties[: max(1, round(len(counties) * REPORTED_SHARE))] if counties else []
        for index, county in enumerate(reporting):
            submission = submit(
                county, ReportPeriod.QUARTER, last_quarter.year, last_quarter.number, accept=index % 2 == 0
            )
            if index == 1:
                report_return(actor=None, submission=submission, reason=rng.choice(RETURN_REASONS))
                result.returned += 1
        if city.parent_id is not None:
            submit(city, ReportPeriod.YEAR, last_year.year, 1)
    result.seconds = time.monotonic() - started
    return result
