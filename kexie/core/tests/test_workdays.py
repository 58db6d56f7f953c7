"""Working days under the official calendar, with the administrator's overrides."""

from datetime import date

import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.models import CalendarDay
from kexie.core.services import calendar_day_remove, calendar_day_set
from kexie.core.workdays import add_workdays, is_workday, workdays_between, year_exceptions

pytestmark = pytest.mark.django_db


def test_national_day_is_a_holiday_and_its_make_up_saturday_a_working_day():
    assert not is_workday(date(2025, 10, 1))  # National Day
    assert is_workday(date(2025, 9, 28))  # a Sunday worked in its place
    assert is_workday(date(2025, 10, 11))  # a Saturday worked in its place
    assert not is_workday(date(2025, 10, 12))  # an ordinary Sunday


def test_a_deadline_in_working_days_skips_the_holiday_and_counts_the_make_up_saturday():
    # From Tuesday 30 September 2025, 1 October to 8 October are the holiday: the first
    # working day after is Thursday 9 October, the third Saturday 11 October (worked).
    assert add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert add_workdays(date(2025, 9, 30), 4) == date(2025, 10, 13)
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 13)) == 4
    assert add_workdays(date(2025, 9, 30), 0) == date(2025, 9, 30)


def test_a_year_the_package_does_not_know_follows_its_weekdays_and_the_overrides():
    assert is_workday(date(2027, 1, 1))  # a Friday, no calendar yet
    calendar_day_set(actor=None, day=date(2027, 1, 1), is_workday=False, name="元旦")
    calendar_day_set(actor=None, day=date(2027, 1, 9), is_workday=True, name="调休上班")
    assert not is_workday(date(2027, 1, 1)) and is_workday(date(2027, 1, 9))
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    exceptions = {status.day: status for status in year_exceptions(2027)}
    assert set(exceptions) == {date(2027, 1, 1), date(2027, 1, 9)}
    assert exceptions[date(2027, 1, 1)].source == "override"


def test_an_override_beats_the_official_calendar_and_is_audited_and_removable():
    calendar_day_set(actor=None, day=date(2025, 10, 8), is_workday=True, name="更正")
    assert is_workday(date(2025, 10, 8))
    calendar_day_remove(actor=None, day=date(2025, 10, 8))
    assert not is_workday(date(2025, 10, 8))
    assert list(AuditEvent.objects.values_list("action", flat=True).order_by("id")) == [
        "calendar.set",
        "calendar.remove",
    ]
    with pytest.raises(DomainError):
        calendar_day_remove(actor=None, day=date(2025, 10, 8))


def test_the_system_administrator_sets_a_day_on_the_page_and_others_only_read(login, world):
    staff = login("county_staff")
    page = staff.get(reverse("core:calendar"), {"year": 2025}).content.decode()
    assert (
        'data-day="2025-10-01" data-workday="0"' in page and 'data-day="2025-09-28" data-workday="1"' in page
    )
    assert 'data-testid="calendar-form"' not in page
    assert (
        staff.post(reverse("core:calendar_set"), {"day": "2027-02-10", "is_workday": "0"}).status_code == 403
    )
    admin = login("sysadmin")
    response = admin.post(
        reverse("core:calendar_set"), {"day": "2027-02-10", "is_workday": "0", "name": "春节"}
    )
    assert response.status_code == 302
    page = admin.get(reverse("core:calendar"), {"year": 2027}).content.decode()
    assert 'data-testid="not-official"' in page and 'data-day="2027-02-10" data-workday="0"' in page
    bad = admin.post(reverse("core:calendar_set"), {"day": "2027-02-31", "is_workday": "0"})
    assert bad.status_code == 400
    admin.post(reverse("core:calendar_remove"), {"day": "2027-02-10"})
    assert not CalendarDay.objects.exists()


def test_the_api_reads_the_year_and_lets_the_system_administrator_set_and_drop_a_day(api_client, world):
    days = api_client("county_staff").get(reverse("core_api:calendar"), {"year": 2025}).json()
    assert {"day": "2025-10-01", "is_workday": False, "name": "国庆节", "source": "official"} in days
    assert {"day": "2025-09-28", "is_workday": True, "name": "国庆节调休上班", "source": "official"} in days
    refused = api_client("county_staff").post(
        reverse("core_api:calendar"), {"day": "2027-01-01", "is_workday": False}
    )
    assert refused.status_code == 403
    admin = api_client("sysadmin")
    created = admin.post(
        reverse("core_api:calendar"), {"day": "2027-01-01", "is_workday": False, "name": "元旦"}
    )
    assert created.status_code == 201 and created.json()["source"] == "override"
    assert admin.delete(reverse("core_api:calendar_day", args=["2027-01-01"])).status_code == 204
    assert admin.delete(reverse("core_api:calendar_day", args=["2027-01-01"])).status_code == 400
