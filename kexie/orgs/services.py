"""Every write to the organization network. Each runs in one transaction and audits itself."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.chinese import pinyin_sort_key, search_text_for
from kexie.core.errors import DomainError
from kexie.core.validators import (
    normalize_credit_code,
    normalize_phone,
    validate_credit_code,
    validate_phone,
)

from .models import (
    ALLOWED_PARENTS,
    BOARD_KINDS,
    PATH_SEGMENT,
    BoardTerm,
    Division,
    EventKind,
    Kind,
    LeaderAppointment,
    LeaderPosition,
    Organization,
    OrganizationEvent,
    Status,
)
from .signals import organization_moved

# Fields a user edits directly; changes to the tracked ones become 变更 events.
EDITABLE_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "division",
    "address",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "founded_on",
    "party_building_in_charter",
)
TRACKED_CHANGES = ("name", "legal_representative", "address", "short_name", "credit_code")


@dataclass
class OrganizationData:
    """What a form, an API call or an import row supplies for an organization."""

    name: str
    kind: str = ""
    short_name: str = ""
    credit_code: str = ""
    division: Division | None = None
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    founded_on: date | None = None
    party_building_in_charter: bool = False


def check_parent(kind: str, parent: Organization | None) -> None:
    """A kind may only live under the kinds of parent the network allows."""
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise DomainError(_("Unknown kind of organization."), field="kind")
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        kind_label = Kind(kind).label
        if parent is None:
            raise DomainError(
                _("A %(kind)s must have a parent organization.") % {"kind": kind_label}, field="parent"
            )
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": kind_label, "parent": Kind(parent.kind).label},
            field="parent",
        )
    if parent is not None and parent.status != Status.ACTIVE:
        raise DomainError(_("The parent organization has been dissolved."), field="parent")


def _clean(data: OrganizationData, *, instance: Organization | None = None) -> dict[str, Any]:
    name = (data.name or "").strip()
    if not name:
        raise DomainError(_("The name is required."), field="name")
    credit_code = normalize_credit_code(data.credit_code)
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="credit_code") from exc
    if credit_code:
        clash = Organization.objects.filter(credit_code=credit_code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise DomainError(
                _("Another organization already has the unified social credit code %(code)s.")
                % {"code": credit_code},
                field="credit_code",
            )
    try:
        validate_phone(data.contact_phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="contact_phone") from exc
    if data.founded_on and data.founded_on > timezone.localdate():
        raise DomainError(_("The founding date cannot be in the future."), field="founded_on")
    return {
        "name": name,
        "short_name": (data.short_name or "").strip(),
        "credit_code": credit_code,
        "division": data.division,
        "address": (data.address or "").strip(),
        "legal_representative": (data.legal_representative or "").strip(),
        "contact_person": (data.contact_person or "").strip(),
        "contact_phone": normalize_phone(data.contact_phone),
        "founded_on": data.founded_on,
        "party_building_in_charter": bool(data.party_building_in_charter),
    }


def _index(org: Organization) -> None:
    org.search_text = search_text_for(org.name, org.short_name)
    org.sort_key = pinyin_sort_key(org.name)


def _save_checking_credit_code(org: Organization) -> None:
    """Save; a credit code registered concurrently by another request is a domain error, not a 500."""
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        if (
            org.credit_code
            and Organization.objects.filter(credit_code=org.credit_code).exclude(pk=org.pk).exists()
        ):
            raise DomainError(
                _("Another organization already has the unified social credit code %(code)s.")
                % {"code": org.credit_code},
                field="credit_code",
            ) from exc
        raise


def _segment(pk: int) -> str:
    return str(pk).zfill(PATH_SEGMENT)


@transaction.atomic
def organization_create(*, actor, parent: Organization | None, data: OrganizationData) -> Organization:
    """Found a new organization under `parent`; it appears in the tree and the lists."""
    if parent is not None:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
    check_parent(data.kind, parent)
    fields = _clean(data)
    org = Organization(parent=parent, kind=data.kind, **fields)
    _index(org)
    org.path = f"pending-{timezone.now().timestamp()}-{id(org)}"
    org.depth = parent.depth + 1 if parent else 0
    _save_checking_credit_code(org)
    org.path = (parent.path if parent else "") + _segment(org.pk)
    org.save(update_fields=["path"])
    if parent is not None and data.kind == Kind.PARTY_BRANCH and parent.kind != Kind.PARTY_COMMITTEE:
        # A branch set up inside a society (or association) covers that organization.
        org.covered_organizations.add(parent)
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.FOUNDED,
        occurred_on=org.founded_on or timezone.localdate(),
        recorded_by=actor,
    )
    record(actor, "org.create", org, changes={f: (None, getattr(org, f)) for f in ("name", "kind", *fields)})
    return org


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: OrganizationData) -> Organization:
    """Edit an organization's record; name, representative and address changes enter its history."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization can no longer be edited."))
    fields = _clean(data, instance=org)
    changes = {}
    for field, value in fields.items():
        old = getattr(org, field)
        if old != value:
            changes[field] = (old, value)
            setattr(org, field, value)
    if not changes:
        return org
    _index(org)
    _save_checking_credit_code(org)
    today = timezone.localdate()
    for field in TRACKED_CHANGES:
        if field in changes:
            old, new = changes[field]
            OrganizationEvent.objects.create(
                organization=org,
                kind=EventKind.CHANGED,
                occurred_on=today,
                field=field,
                old_value=str(old or "")[:255],
                new_value=str(new or "")[:255],
                recorded_by=actor,
            )
    record(actor, "org.update", org, changes=changes)
    return org


@transaction.atomic
def organization_move(*, actor, organization: Organization, new_parent: Organization) -> Organization:
    """Place an organization and its whole subtree under another parent."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
    if org.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization can no longer be edited."))
    if new_parent.path.startswith(org.path):
        raise DomainError(
            _("An organization cannot be moved under itself or its own branch."), field="parent"
        )
    check_parent(org.kind, new_parent)
    old_parent = org.parent
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return org
    old_path, new_path = org.path, new_parent.path + _segment(org.pk)
    depth_change = (new_parent.depth + 1) - org.depth
    Organization.objects.subtree(org).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") + depth_change,
    )
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    organization_moved.send(sender=Organization, old_path=old_path, new_path=new_path)
    org.refresh_from_db()
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.MOVED,
        occurred_on=timezone.localdate(),
        field="parent",
        old_value=old_parent.name if old_parent else "",
        new_value=new_parent.name,
        recorded_by=actor,
    )
    record(actor, "org.move", org, changes={"parent": (old_parent, new_parent)})
    return org


@transaction.atomic
def organization_dissolve(
    *, actor, organization: Organization, dissolved_on: date, note: str = ""
) -> Organization:
    """Record a dissolution (注销); the organization leaves the active network."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status == Status.DISSOLVED:
        raise DomainError(_("This organization has already been dissolved."))
    if org.parent_id is None:
        raise DomainError(_("The top organization of the network cannot be dissolved."))
    if Organization.objects.filter(parent=org, status=Status.ACTIVE).exists():
        raise DomainError(_("Dissolve or move its active sub-organizations first."))
    if dissolved_on > timezone.localdate():
        raise DomainError(_("The dissolution date cannot be in the future."), field="dissolved_on")
    if org.founded_on and dissolved_on < org.founded_on:
        raise DomainError(_("The dissolution date is before the founding date."), field="dissolved_on")
    org.status, org.dissolved_on = Status.DISSOLVED, dissolved_on
    org.save(update_fields=["status", "dissolved_on", "updated_at"])
    BoardTerm.objects.filter(organization=org, ended_on__isnull=True).update(ended_on=dissolved_on)
    OrganizationEvent.objects.create(
        organization=org, kind=EventKind.DISSOLVED, occurred_on=dissolved_on, note=note, recorded_by=actor
    )
    record(actor, "org.dissolve", org, changes={"status": (Status.ACTIVE, Status.DISSOLVED)}, note=note)
    return org


@transaction.atomic
def board_term_start(
    *,
    actor,
    organization: Organization,
    started_on: date,
    length_years: int = 5,
    council_size: int | None = None,
    standing_council_size: int | None = None,
    supervisory_board_size: int | None = None,
    note: str = "",
) -> BoardTerm:
    """Record a board election (成立 or 换届): the current term ends, a new one begins."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.kind not in BOARD_KINDS:
        raise DomainError(_("Only societies and similar bodies have board terms."))
    if org.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization can no longer be edited."))
    if not 1 <= length_years <= 10:
        raise DomainError(_("A board term lasts between 1 and 10 years."), field="length_years")
    if started_on > timezone.localdate():
        raise DomainError(_("The election date cannot be in the future."), field="started_on")
    for label, size in ((_("board"), council_size), (_("standing board"), standing_council_size)):
        if size is not None and size < 1:
            raise DomainError(_("The %(body)s must have at least one member.") % {"body": label})
    if council_size and standing_council_size and standing_council_size > council_size:
        raise DomainError(
            _("The standing board cannot be larger than the board."), field="standing_council_size"
        )
    current = BoardTerm.objects.filter(organization=org, ended_on__isnull=True).order_by("-number").first()
    if current is not None:
        if started_on <= current.started_on:
            raise DomainError(
                _("The new term must start after the current term began (%(date)s).")
                % {"date": current.started_on},
                field="started_on",
            )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    last_number = (
        BoardTerm.objects.filter(organization=org).order_by("-number").values_list("number", flat=True)
    )
    term = BoardTerm.objects.create(
        organization=org,
        number=(last_number.first() or 0) + 1,
        started_on=started_on,
        length_years=length_years,
        due_on=started_on + relativedelta(years=length_years),
        council_size=council_size,
        standing_council_size=standing_council_size,
        supervisory_board_size=supervisory_board_size,
        note=note,
    )
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.RE_ELECTED if term.number > 1 else EventKind.FOUNDED,
        occurred_on=started_on,
        field="board_term",
        new_value=str(term.number),  # shown under the label "Term number" in the reader's language
        note=note,
        recorded_by=actor,
    )
    record(actor, "org.board_term_start", org, term=term.number, due_on=term.due_on.isoformat())
    return term


@transaction.atomic
def leader_appoint(
    *, actor, organization: Organization, position: str, person_name: str, started_on: date
) -> LeaderAppointment:
    """Record who now holds a leading position; the previous holder's appointment ends."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization can no longer be edited."))
    person_name = (person_name or "").strip()
    if not person_name:
        raise DomainError(_("The name is required."), field="person_name")
    if position not in LeaderPosition.values:
        raise DomainError(_("Unknown position."), field="position")
    if started_on > timezone.localdate():
        raise DomainError(_("The appointment date cannot be in the future."), field="started_on")
    previous = LeaderAppointment.objects.filter(organization=org, position=position, ended_on__isnull=True)
    if position != LeaderPosition.VICE_CHAIR:
        for appointment in previous:
            if started_on < appointment.started_on:
                raise DomainError(
                    _("The appointment must start after the current holder's (%(date)s).")
                    % {"date": appointment.started_on},
                    field="started_on",
                )
        previous_names = ", ".join(previous.values_list("person_name", flat=True))
        previous.update(ended_on=started_on)
    else:
        previous_names = ""
    current_term = BoardTerm.objects.filter(organization=org, ended_on__isnull=True).first()
    appointment = LeaderAppointment.objects.create(
        organization=org,
        position=position,
        person_name=person_name,
        started_on=started_on,
        board_term=current_term,
    )
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.APPOINTED,
        occurred_on=started_on,
        field=position,
        old_value=previous_names[:255],
        new_value=person_name,
        recorded_by=actor,
    )
    record(actor, "org.leader_appoint", org, changes={position: (previous_names, person_name)})
    return appointment


@transaction.atomic
def party_branch_set_coverage(*, actor, branch: Organization, covered: list[Organization]) -> Organization:
    """Set which organizations a party branch covers (a joint branch covers several)."""
    branch = Organization.objects.select_for_update().get(pk=branch.pk)
    if branch.kind != Kind.PARTY_BRANCH:
        raise DomainError(_("Only a party branch covers organizations."))
    old = sorted(branch.covered_organizations.values_list("pk", flat=True))
    branch.covered_organizations.set(covered)
    record(actor, "org.party_coverage", branch, changes={"covered": (old, sorted(o.pk for o in covered))})
    return branch
