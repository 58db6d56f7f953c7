"""Writes of the platform's own settings: the working-day calendar's overrides. Each runs in
one transaction with its audit record."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.core.models import CalendarDay


@transaction.atomic
def calendar_day_set(*, actor, day: date, is_workday: bool, name: str = "") -> CalendarDay:
    """Make a day a working day or a holiday, whatever the official calendar says."""
    name = " ".join((name or "").split())
    if len(name) > 64:
        raise DomainError(_("Write at most %(limit)s characters.") % {"limit": 64}, field="name")
    row, created = CalendarDay.objects.select_for_update().get_or_create(
        day=day,
        defaults={
            "is_workday": bool(is_workday),
            "name": name,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    old = None if created else (row.is_workday, row.name)
    if not created:
        row.is_workday, row.name = bool(is_workday), name
        row.save(update_fields=["is_workday", "name"])
    record(actor, "calendar.set", row, changes={"day": (old, (bool(is_workday), name))}, day=day.isoformat())
    return row


@transaction.atomic
def calendar_day_remove(*, actor, day: date) -> None:
    """Drop an override: the day is again what the official calendar says."""
    row = CalendarDay.objects.select_for_update().filter(day=day).first()
    if row is None:
        raise DomainError(_("This day has no setting of its own."), field="day")
    record(actor, "calendar.remove", row, day=day.isoformat(), was_workday=row.is_workday, name=row.name)
    row.delete()
