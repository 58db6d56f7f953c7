"""Working days under the official holiday calendar (DOMAIN.md §6): deadlines count them.

A day is a working day as the administrator's override table (models.CalendarDay) says;
else as the chinese-calendar package says (the State Council's holidays and make-up working
weekends, for the years it knows); else, for a year it does not know yet, Monday to Friday.
Functions take a date range at once, so a deadline costs one query.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext_lazy as _

from kexie.core.models import CalendarDay

# The package names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "National Day": _("National Day"),
    "Anti-Fascist 70th Day": _("Victory Day (70th anniversary)"),
}

# A deadline further than this many calendar days away is a mistake, not a plan.
LONGEST_SPAN_DAYS = 3660


@dataclass(frozen=True)
class DayStatus:
    day: date
    is_workday: bool
    name: str
    source: str  # "override", "official" or "weekdays"


def _official(day: date) -> tuple[bool, str] | None:
    """(working day, holiday name) from the package, or None for a year it does not know."""
    try:
        workday = chinese_calendar.is_workday(day)
        _holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    if name and workday:  # a weekend worked in the holiday's place
        return workday, str(_("Working day for %(holiday)s") % {"holiday": HOLIDAY_NAMES.get(name, name)})
    return workday, str(HOLIDAY_NAMES.get(name, name or ""))


def official_years() -> range:
    """The years the chinese-calendar package knows."""
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return range(min(days).year, max(days).year + 1)


def statuses(start: date, end: date) -> list[DayStatus]:
    """Every day from start to end (inclusive) with its status and where it comes from."""
    overrides = {row.day: row for row in CalendarDay.objects.filter(day__gte=start, day__lte=end)}
    days = []
    day = start
    while day <= end:
        if day in overrides:
            row = overrides[day]
            days.append(DayStatus(day, row.is_workday, row.name, "override"))
        else:
            official = _official(day)
            if official is not None:
                days.append(DayStatus(day, official[0], official[1], "official"))
            else:
                days.append(DayStatus(day, day.weekday() < 5, "", "weekdays"))
        day += timedelta(days=1)
    return days


def is_workday(day: date) -> bool:
    return statuses(day, day)[0].is_workday


def add_workdays(start: date, count: int) -> date:
    """The day on which `count` working days after `start` have passed: the deadline of
    something due within `count` working days of `start` (start itself not counted)."""
    if count < 1:
        return start
    window = max(count * 2 + 30, 60)
    found = 0
    day = start
    while (day - start).days < LONGEST_SPAN_DAYS:
        for status in statuses(day + timedelta(days=1), day + timedelta(days=window)):
            if status.is_workday:
                found += 1
                if found == count:
                    return status.day
        day += timedelta(days=window)
    raise ValueError(f"{count} working days after {start} is more than ten years away")


def workdays_between(start: date, end: date) -> int:
    """The working days after `start` up to and including `end`."""
    if end <= start:
        return 0
    return sum(1 for status in statuses(start + timedelta(days=1), end) if status.is_workday)


def year_exceptions(year: int) -> list[DayStatus]:
    """The days of a year that are not what their weekday says: holidays on weekdays,
    working weekends, and every override (for the calendar page)."""
    return [
        status
        for status in statuses(date(year, 1, 1), date(year, 12, 31))
        if status.source == "override" or status.is_workday != (status.day.weekday() < 5)
    ]
