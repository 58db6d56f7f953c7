"""Writing activities: record and edit, the workflow (draft → submitted → approved → held →
reported, or cancelled), corrections of reported figures, photos and attachments.

Every function runs in one transaction, locks the activity row for a state change and
writes its audit record in it. Nothing changes in a locked period (periods.require_unlocked).
A reported activity changes only through `activity_correct`, which keeps the values it
replaced.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.roles import Perm
from kexie.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityCorrection,
    ActivityKind,
    CampaignEdition,
    Figure,
    Mode,
    Status,
    TargetGroup,
)
from kexie.activities.services.periods import approving_organization, require_unlocked
from kexie.audit.services import record, record_many
from kexie.core.errors import DomainError
from kexie.orgs.models import Division, Organization
from kexie.people.models import Person
from kexie.people.services.people import require_usable

MAX_DURATION = timedelta(days=366)
MAX_FIGURE = 100_000_000
MAX_HOURS = Decimal("10000000")
# The fields a form edits besides the figures, as the audit and corrections name them.
DETAIL_FIELDS = (
    "title",
    "kind_id",
    "starts_at",
    "ends_at",
    "mode",
    "division_id",
    "address",
    "venue",
    "theme",
    "campaign_edition_id",
    "description",
    "partners",
)
FIGURE_FIELDS = tuple(Figure.values)
# Where each status may go next (the services below check it).
EDITABLE = {Status.DRAFT, Status.APPROVED, Status.HELD}


@dataclass
class ActivityData:
    """What the activity form, an API call or an import row supplies."""

    title: str
    kind: ActivityKind | None
    starts_at: datetime | None
    ends_at: datetime | None
    mode: str = Mode.OFFLINE
    division: Division | None = None
    address: str = ""
    venue: str = ""
    theme: str = ""
    campaign_edition: CampaignEdition | None = None
    description: str = ""
    partners: str = ""
    target_groups: list[TargetGroup] = field(default_factory=list)
    co_organizers: list[Organization] = field(default_factory=list)
    speakers: list[Person] = field(default_factory=list)
    # Figure value -> number; figures the kind does not ask for are ignored (stored empty).
    figures: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, activity: Activity) -> "ActivityData":
        """What the activity says now, as the services take it (the base of a partial edit)."""
        return cls(
            title=activity.title,
            kind=activity.kind,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            mode=activity.mode,
            division=activity.division,
            address=activity.address,
            venue=activity.venue,
            theme=activity.theme,
            campaign_edition=activity.campaign_edition,
            description=activity.description,
            partners=activity.partners,
            target_groups=list(activity.target_groups.all()),
            co_organizers=list(activity.co_organizers.all()),
            speakers=list(activity.speakers.all()),
            figures={
                code: getattr(activity, code) for code in FIGURE_FIELDS if getattr(activity, code) is not None
            },
        )


def _text(value, limit: int, name: str, label: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)s characters.") % {"label": label, "limit": limit}, field=name
        )
    return text


def clean_figure(code: str, value) -> int | Decimal | None:
    """A figure as entered: empty, or a whole number (hours: one decimal) not below zero."""
    if value in (None, ""):
        return None
    label = Figure(code).label
    if code == Figure.SERVICE_HOURS:
        try:
            number = Decimal(str(value).strip()).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            raise DomainError(_("%(label)s must be a number.") % {"label": label}, field=code) from None
        if not Decimal(0) <= number < MAX_HOURS:
            raise DomainError(_("%(label)s must be zero or more.") % {"label": label}, field=code)
        return number
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DomainError(_("%(label)s must be a whole number.") % {"label": label}, field=code) from None
    if not 0 <= number <= MAX_FIGURE:
        raise DomainError(
            _("%(label)s must be between 0 and %(max)s.") % {"label": label, "max": MAX_FIGURE}, field=code
        )
    return number


def clean_activity(
    data: ActivityData, *, organization: Organization, current: Activity | None = None
) -> dict:
    """Check what was entered; the fields to store (figures the kind does not ask for empty)."""
    title = _text(data.title, 128, "title", _("The title"))
    if not title:
        raise DomainError(_("Give the activity a title."), field="title")
    kind = data.kind
    if kind is None:
        raise DomainError(_("Choose the kind of activity."), field="kind")
    if not kind.is_active and (current is None or current.kind_id != kind.pk):
        raise DomainError(_("The kind “%(kind)s” is no longer in use.") % {"kind": kind.name}, field="kind")
    if data.starts_at is None:
        raise DomainError(_("Give the start of the activity."), field="starts_at")
    if data.ends_at is None:
        raise DomainError(_("Give the end of the activity."), field="ends_at")
    if data.ends_at < data.starts_at:
        raise DomainError(_("The activity cannot end before it starts."), field="ends_at")
    if data.ends_at - data.starts_at > MAX_DURATION:
        raise DomainError(
            _("An activity lasts a year at most; record longer work as several."), field="ends_at"
        )
    if data.mode not in Mode.values:
        raise DomainError(_("Choose whether it is held on site, online or both."), field="mode")
    held_on = timezone.localtime(data.starts_at).date()
    edition = data.campaign_edition
    if edition is not None:
        campaign = edition.campaign
        if campaign.organization_id and not organization.path.startswith(campaign.organization.path):
            raise DomainError(_("This campaign is not run in your area."), field="campaign_edition")
        if edition.year != held_on.year:
            raise DomainError(
                _("The activity is held in %(year)s but the campaign edition is of %(edition)s.")
                % {"year": held_on.year, "edition": edition.year},
                field="campaign_edition",
            )
    if organization in data.co_organizers:
        raise DomainError(_("The organizer is not its own co-organizer."), field="co_organizers")
    for person in data.speakers:
        require_usable(person)
    fields = {
        "title": title,
        "kind": kind,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "held_on": held_on,
        "mode": data.mode,
        "division": data.division,
        "address": _text(data.address, 200, "address", _("The address")),
        "venue": _text(data.venue, 128, "venue", _("The venue")),
        "theme": _text(data.theme, 128, "theme", _("The theme")),
        "campaign_edition": edition,
        "description": (data.description or "").strip(),
        "partners": _text(data.partners, 255, "partners", _("The other co-organizers")),
    }
    asked = set(kind.figures)
    for code in FIGURE_FIELDS:
        fields[code] = clean_figure(code, data.figures.get(code)) if code in asked else None
    return fields


def _plain(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # the same instant reads the same, whatever its zone
        return timezone.localtime(value).isoformat(sep=" ", timespec="minutes")
    return str(value)


def _snapshot(activity: Activity) -> dict:
    return {name: _plain(getattr(activity, name)) for name in (*DETAIL_FIELDS, *FIGURE_FIELDS)}


def _set_relations(activity: Activity, data: ActivityData) -> None:
    activity.target_groups.set(data.target_groups)
    activity.co_organizers.set(data.co_organizers)
    activity.speakers.set(data.speakers)


def _locked(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organization", "kind")
        .get(pk=activity.pk)
    )


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def activity_create(*, actor, organization: Organization, data: ActivityData) -> Activity:
    """Record an activity as a draft of the organizer."""
    fields = clean_activity(data, organization=organization)
    require_unlocked(organization, fields["held_on"])
    activity = Activity.objects.create(organization=organization, created_by=_actor(actor), **fields)
    _set_relations(activity, data)
    record(
        actor,
        "activity.create",
        activity,
        changes={k: (None, v) for k, v in _snapshot(activity).items() if v},
    )
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: ActivityData) -> Activity:
    """Edit a draft, or an approved or held activity (its details and figures)."""
    activity = _locked(activity)
    if activity.status not in EDITABLE:
        raise DomainError(edit_refusal(activity), code="status")
    fields = clean_activity(data, organization=activity.organization, current=activity)
    require_unlocked(activity.organization, activity.held_on, fields["held_on"])
    before = _snapshot(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    _set_relations(activity, data)
    after = _snapshot(activity)
    record(
        actor,
        "activity.update",
        activity,
        changes={k: (before[k], v) for k, v in after.items() if before[k] != v},
    )
    return activity


def edit_refusal(activity: Activity) -> str:
    if activity.status == Status.SUBMITTED:
        return _("The activity is waiting for approval; ask the approver to return it before editing.")
    if activity.status == Status.REPORTED:
        return _("The activity has been reported; change it through a correction with a reason.")
    return _("A cancelled activity cannot be changed.")


def _transition(activity: Activity, allowed: set[str], message: str) -> Activity:
    activity = _locked(activity)
    if activity.status not in allowed:
        raise DomainError(message, code="status")
    require_unlocked(activity.organization, activity.held_on)
    return activity


@transaction.atomic
def activity_submit(*, actor, activity: Activity) -> Activity:
    """Send a draft to its approver."""
    activity = _transition(activity, {Status.DRAFT}, _("Only a draft can be submitted."))
    activity.status, activity.status_reason, activity.submitted_at = Status.SUBMITTED, "", timezone.now()
    activity.save(update_fields=["status", "status_reason", "submitted_at", "updated_at"])
    record(actor, "activity.submit", activity)
    return activity


def require_approver(scope, activity: Activity) -> None:
    """Refuse unless the scope may approve or return this activity: its approving
    organization (periods.approving_organization) is in the scope, with the permission."""
    scope.require(Perm.ACTIVITY_APPROVE)
    if not scope.contains(approving_organization(activity.organization)):
        raise PermissionDenied(
            _("Activities of %(org)s are approved by %(approver)s.")
            % {
                "org": activity.organization.name,
                "approver": approving_organization(activity.organization).name,
            }
        )


@transaction.atomic
def activity_approve(*, actor, activity: Activity) -> Activity:
    """Approve a submitted activity (the caller has checked `require_approver`)."""
    activity = _transition(activity, {Status.SUBMITTED}, _("Only a submitted activity can be approved."))
    activity.status, activity.approved_at, activity.approved_by = (
        Status.APPROVED,
        timezone.now(),
        _actor(actor),
    )
    activity.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    record(actor, "activity.approve", activity)
    return activity


@transaction.atomic
def activity_return(*, actor, activity: Activity, reason: str) -> Activity:
    """Send a submitted activity back to its organizer as a draft, saying why."""
    reason = _text(reason, 255, "reason", _("The reason"))
    if not reason:
        raise DomainError(_("Say why the activity is returned."), field="reason")
    activity = _transition(activity, {Status.SUBMITTED}, _("Only a submitted activity can be returned."))
    activity.status, activity.status_reason = Status.DRAFT, reason
    activity.save(update_fields=["status", "status_reason", "updated_at"])
    record(actor, "activity.return", activity, reason=reason)
    return activity


@transaction.atomic
def activity_mark_held(*, actor, activity: Activity) -> Activity:
    """Record that an approved activity took place (from its start on)."""
    activity = _transition(activity, {Status.APPROVED}, _("Only an approved activity can be marked as held."))
    _require_started(activity)
    activity.status = Status.HELD
    activity.save(update_fields=["status", "updated_at"])
    record(actor, "activity.held", activity)
    return activity


@transaction.atomic
def activity_report(*, actor, activity: Activity) -> Activity:
    """Make a held activity's figures final: every figure its kind asks for must be filled."""
    activity = _transition(activity, {Status.HELD}, _("Only a held activity can be reported."))
    _require_figures(activity)
    activity.status, activity.reported_at = Status.REPORTED, timezone.now()
    activity.save(update_fields=["status", "reported_at", "updated_at"])
    record(actor, "activity.report", activity)
    return activity


def _require_started(activity: Activity) -> None:
    if activity.starts_at > timezone.now():
        raise DomainError(_("The activity has not started yet."), code="status")


def _require_figures(activity: Activity) -> None:
    """Reporting makes the figures final: every figure the kind asks for must be filled."""
    missing = [label for code, label in activity.kind.figure_labels if getattr(activity, code) is None]
    if missing:
        raise DomainError(
            _("Fill in these figures before reporting (0 if there were none): %(figures)s")
            % {"figures": "、".join(str(label) for label in missing)},
            code="figures",
        )


# The workflow up to each status an activity may be recorded at, with the audit action of
# each step (activity_record).
WORKFLOW = (
    (Status.DRAFT, "activity.create"),
    (Status.SUBMITTED, "activity.submit"),
    (Status.APPROVED, "activity.approve"),
    (Status.HELD, "activity.held"),
    (Status.REPORTED, "activity.report"),
)
NEEDS_APPROVER = {Status.APPROVED, Status.HELD, Status.REPORTED}


@transaction.atomic
def activity_record(*, actor, organization: Organization, data: ActivityData, status: str) -> Activity:
    """Record an activity that has already gone through the workflow up to `status` (an
    import of past work): the checks every step would have made (an unlocked period, a
    held activity has started, a reported one has every figure of its kind), the same
    timestamps, and one audit record per step, as if each had been made by the actor. For
    approved and later, the caller has checked `require_approver`.

    One insert of the activity, one of each of its relations, one of the audit records.
    """
    statuses = [step for step, _action in WORKFLOW]
    steps = [action for _step, action in WORKFLOW[: statuses.index(status) + 1]]
    fields = clean_activity(data, organization=organization)
    require_unlocked(organization, fields["held_on"])
    now = timezone.now()
    activity = Activity(organization=organization, created_by=_actor(actor), status=status, **fields)
    if status in NEEDS_APPROVER | {Status.SUBMITTED}:
        activity.submitted_at = now
    if status in NEEDS_APPROVER:
        activity.approved_at, activity.approved_by = now, _actor(actor)
    if status in (Status.HELD, Status.REPORTED):
        _require_started(activity)
    if status == Status.REPORTED:
        _require_figures(activity)
        activity.reported_at = now
    activity.save(force_insert=True)
    for name in ("target_groups", "co_organizers", "speakers"):
        related = getattr(data, name)
        if related:
            manager = getattr(activity, name)
            through = manager.through
            column = manager.source_field_name, manager.target_field_name
            through.objects.bulk_create(
                [through(**{f"{column[0]}_id": activity.pk, f"{column[1]}_id": item.pk}) for item in related]
            )
    created = {k: (None, v) for k, v in _snapshot(activity).items() if v}
    record_many(actor, [(action, activity, created if action == steps[0] else {}) for action in steps])
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancel an activity that has not been held; it is kept, but no longer counted."""
    reason = _text(reason, 255, "reason", _("The reason"))
    if not reason:
        raise DomainError(_("Say why the activity is cancelled."), field="reason")
    activity = _transition(
        activity,
        {Status.DRAFT, Status.SUBMITTED, Status.APPROVED},
        _("An activity that has been held is not cancelled; correct its figures instead."),
    )
    activity.status, activity.status_reason = Status.CANCELLED, reason
    activity.save(update_fields=["status", "status_reason", "updated_at"])
    record(actor, "activity.cancel", activity, reason=reason)
    return activity


@transaction.atomic
def activity_correct(*, actor, activity: Activity, data: ActivityData, reason: str) -> ActivityCorrection:
    """Change a reported activity; the values it replaces are kept with the reason."""
    reason = _text(reason, 255, "reason", _("The reason"))
    if not reason:
        raise DomainError(_("Say why the reported activity is corrected."), field="reason")
    activity = _locked(activity)
    if activity.status != Status.REPORTED:
        raise DomainError(_("Only a reported activity is corrected; edit the others."), code="status")
    fields = clean_activity(data, organization=activity.organization, current=activity)
    for code, label in fields["kind"].figure_labels:
        if fields[code] is None:
            raise DomainError(
                _("%(label)s cannot be emptied in a reported activity.") % {"label": label}, field=code
            )
    require_unlocked(activity.organization, activity.held_on, fields["held_on"])
    before = _snapshot(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    _set_relations(activity, data)
    after = _snapshot(activity)
    changed = {name for name in after if before[name] != after[name]}
    if not changed:
        raise DomainError(_("Nothing was changed."))
    correction = ActivityCorrection.objects.create(
        activity=activity,
        reason=reason,
        old_values={name: before[name] for name in sorted(changed)},
        new_values={name: after[name] for name in sorted(changed)},
        corrected_by=_actor(actor),
    )
    record(
        actor,
        "activity.correct",
        activity,
        changes={name: (before[name], after[name]) for name in changed},
        reason=reason,
    )
    return correction


# --- photos and attachments -------------------------------------------------------------

MAX_ATTACHMENTS = 30
# The extension and the first bytes a genuine file of that type starts with.
PHOTO_SIGNATURES = {".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}
DOCUMENT_SIGNATURES = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",)}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def check_attachment(upload, kind: str) -> None:
    """Refuse a file that is not an accepted photo or document, or is too large."""
    name = getattr(upload, "name", "") or ""
    suffix = Path(name).suffix.lower()
    photo = kind == ActivityAttachment.Kind.PHOTO
    signatures = PHOTO_SIGNATURES if photo else DOCUMENT_SIGNATURES
    if suffix not in signatures:
        message = (
            _("“%(name)s” is not a photo: JPG and PNG files are accepted.")
            if photo
            else _("“%(name)s” cannot be attached: PDF, Word (.docx) and Excel (.xlsx) files are accepted.")
        )
        raise DomainError(message % {"name": name}, field="file")
    limit = PHOTO_MAX_BYTES if photo else DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures[suffix]):
        raise DomainError(
            _("“%(name)s” is not the kind of file its name says; save it again and retry.") % {"name": name},
            field="file",
        )


@transaction.atomic
def attachment_add(*, actor, activity: Activity, upload, kind: str) -> ActivityAttachment:
    """Attach a photo or a document (type and size checked)."""
    if kind not in ActivityAttachment.Kind.values:
        raise DomainError(_("Choose whether it is a photo or a document."), field="kind")
    activity = _locked(activity)
    if activity.status == Status.CANCELLED:
        raise DomainError(_("A cancelled activity cannot be changed."), code="status")
    require_unlocked(activity.organization, activity.held_on)
    check_attachment(upload, kind)
    if activity.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(
            _("An activity keeps %(max)s photos and documents at most.") % {"max": MAX_ATTACHMENTS},
            field="file",
        )
    attachment = ActivityAttachment(
        activity=activity,
        kind=kind,
        name=Path(upload.name).name[:200],
        size=upload.size,
        uploaded_by=_actor(actor),
    )
    # A random stored name: the original may carry personal data and is guessable.
    suffix = Path(upload.name).suffix.lower().replace(".jpeg", ".jpg")
    attachment.file.save(f"{secrets.token_hex(12)}{suffix}", upload, save=False)
    stored = attachment.file.name
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)  # the row was refused: do not leave its file behind
        raise
    record(actor, "activity.attach", activity, file=attachment.name, kind=kind)
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: ActivityAttachment) -> None:
    """Remove a photo or document (not from a reported activity: that takes a correction)."""
    activity = _locked(attachment.activity)
    if activity.status in (Status.REPORTED, Status.CANCELLED):
        raise DomainError(_("Files of a reported or cancelled activity are kept."), code="status")
    require_unlocked(activity.organization, activity.held_on)
    name, stored = attachment.name, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))
    record(actor, "activity.detach", activity, file=name)
