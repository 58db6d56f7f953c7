"""Race-sensitive writes under real concurrency: several threads, one database each."""

import threading
from datetime import date

import pytest
from django.db import connections

from kexie.core.errors import DomainError
from kexie.orgs import services
from kexie.orgs.models import LeaderAppointment, LeaderPosition, Organization

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]

WORKERS = 8


def run_together(target, count: int = WORKERS) -> list:
    """Start `count` threads at the same instant; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int):
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_appointments_leave_exactly_one_current_chair(world):
    society = world.society

    def appoint(index: int):
        return services.leader_appoint(
            actor=None,
            organization=society,
            position=LeaderPosition.CHAIR,
            person_name=f"理事长{index}",
            started_on=date(2024, 1, 1),
        )

    results = run_together(appoint)
    assert not [r for r in results if isinstance(r, Exception)], results
    current = LeaderAppointment.objects.filter(
        organization=society, position=LeaderPosition.CHAIR, ended_on=None
    )
    assert current.count() == 1
    assert (
        LeaderAppointment.objects.filter(organization=society, position=LeaderPosition.CHAIR).count()
        == WORKERS
    )


def test_simultaneous_creates_under_one_parent_all_get_distinct_paths(world):
    def create(index: int):
        return services.organization_create(
            actor=None,
            parent=world.county_a,
            data=services.OrganizationData(name=f"并发企业科协{index}", kind="enterprise_association"),
        )

    results = run_together(create)
    assert not [r for r in results if isinstance(r, Exception)], results
    created = Organization.objects.filter(name__startswith="并发企业科协")
    assert created.count() == WORKERS
    assert len(set(created.values_list("path", flat=True))) == WORKERS
    assert all(o.path.startswith(world.county_a.path) for o in created)


def test_the_same_credit_code_registered_twice_at_once_is_kept_once(world):
    def create(index: int):
        return services.organization_create(
            actor=None,
            parent=world.city,
            data=services.OrganizationData(
                name=f"并发学会{index}", kind="society", credit_code="91110000802100433B"
            ),
        )

    results = run_together(create, count=4)
    assert Organization.objects.filter(credit_code="91110000802100433B").count() == 1
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 3
    assert all(isinstance(f, DomainError) and f.field == "credit_code" for f in failures), failures


def test_simultaneous_reports_of_one_period_leave_exactly_one_report_and_one_lock(world):
    from kexie.activities.models import PeriodLock
    from kexie.reports.models import Submission
    from kexie.reports.services import report_submit

    def submit(index: int):
        return report_submit(
            actor=None, organization=world.county_a, period="year", year=2025, remarks=f"第{index}次"
        )

    results = run_together(submit)
    reports = [r for r in results if isinstance(r, Submission)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(reports) == 1 and len(refused) == WORKERS - 1, results
    assert Submission.objects.count() == 1
    assert PeriodLock.objects.filter(organization=world.county_a, unlocked_at__isnull=True).count() == 1
