"""The service-hours totals kept on volunteers and teams (moved in the transaction of the
ledger line that changes them)."""

from django.db.models import F

from kexie.volunteers.models import HoursEntry, HoursStatus, Volunteer, VolunteerTeam


def add_hours(entry: HoursEntry, *, sign: int = 1) -> None:
    """Count an approved ledger line in its volunteer's (and team's) total, or take it out."""
    if entry.status != HoursStatus.APPROVED:
        return
    delta = entry.hours * sign
    Volunteer.objects.filter(pk=entry.volunteer_id).update(hours_total=F("hours_total") + delta)
    if entry.team_id:
        VolunteerTeam.objects.filter(pk=entry.team_id).update(hours_total=F("hours_total") + delta)
