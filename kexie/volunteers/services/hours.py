"""The service-hours ledger: lines from delivered orders (orders.order_deliver) and lines
for services outside the platform, entered with evidence and approved by the volunteer's
association before they count."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.volunteers.models import HoursEntry, HoursSource, HoursStatus, Volunteer, VolunteerTeam
from kexie.volunteers.services.totals import add_hours

EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class ManualHours:
    served_on: date | None
    hours: object
    description: str
    evidence: object = None  # an uploaded file
    team: VolunteerTeam | None = None


def _check_evidence(upload) -> None:
    if upload is None:
        raise DomainError(
            _("Attach the evidence: a certificate, a letter or a photo (PDF, JPG, PNG)."), field="evidence"
        )
    name = (upload.name or "").lower()
    if not any(name.endswith(ext) for ext in EVIDENCE_TYPES):
        raise DomainError(_("The evidence must be a PDF, JPG or PNG file."), field="evidence")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise DomainError(_("The evidence file is over 10 MB."), field="evidence")


@transaction.atomic
def hours_enter(*, actor, volunteer: Volunteer, data: ManualHours) -> HoursEntry:
    """Enter hours served outside the platform; they count once approved."""
    if data.served_on is None:
        raise DomainError(_("Give the day of the service."), field="served_on")
    if data.served_on > timezone.localdate():
        raise DomainError(_("The day of the service is in the future."), field="served_on")
    try:
        hours = Decimal(str(data.hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Give the hours as a number, such as 2 or 1.5."), field="hours") from None
    if not Decimal("0.5") <= hours <= Decimal("24"):
        raise DomainError(_("Hours are from 0.5 to 24 per day of service."), field="hours")
    description = " ".join((data.description or "").split())
    if not description:
        raise DomainError(_("Say what the service was and for whom."), field="description")
    if data.team is not None and not data.team.memberships.filter(volunteer=volunteer).exists():
        raise DomainError(_("%(name)s is not in this team.") % {"name": volunteer.person.name}, field="team")
    _check_evidence(data.evidence)
    entry = HoursEntry(
        volunteer=volunteer,
        organization_id=volunteer.organization_id,
        team=data.team,
        source=HoursSource.MANUAL,
        served_on=data.served_on,
        hours=hours,
        description=description[:255],
        status=HoursStatus.PENDING,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry.evidence.save(data.evidence.name, data.evidence, save=False)
    entry.save(force_insert=True)
    record(
        actor,
        "hours.enter",
        entry,
        org_path=volunteer.organization.path,
        volunteer_id=volunteer.pk,
        hours=str(hours),
    )
    return entry


def _pending(entry: HoursEntry) -> HoursEntry:
    entry = (
        HoursEntry.objects.select_for_update(of=("self",))
        .select_related("volunteer__organization")
        .get(pk=entry.pk)
    )
    if entry.status != HoursStatus.PENDING:
        raise DomainError(_("These hours have been decided already."), code="state")
    return entry


@transaction.atomic
def hours_approve(*, actor, entry: HoursEntry) -> HoursEntry:
    """Count the hours in the volunteer's total (and their star level)."""
    entry = _pending(entry)
    entry.status, entry.reviewed_by = HoursStatus.APPROVED, actor
    entry.save(update_fields=["status", "reviewed_by"])
    add_hours(entry)
    record(actor, "hours.approve", entry, org_path=entry.volunteer.organization.path, hours=str(entry.hours))
    return entry


@transaction.atomic
def hours_reject(*, actor, entry: HoursEntry, reason: str) -> HoursEntry:
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Say why the hours are not approved."), field="reason")
    entry = _pending(entry)
    entry.status, entry.reviewed_by, entry.review_note = HoursStatus.REJECTED, actor, reason[:255]
    entry.save(update_fields=["status", "reviewed_by", "review_note"])
    record(actor, "hours.reject", entry, org_path=entry.volunteer.organization.path, reason=reason[:255])
    return entry
