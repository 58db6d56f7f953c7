"""Writing society memberships, dues and board positions.

A membership is kept by its society, so the society's secretary (whose scope is the
society) manages it. Every function runs in one transaction and audits itself under the
society's path, so the audit log of a society shows its roster's history.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.orgs.models import BoardTerm, Kind, Organization, Status
from kexie.people.models import (
    BoardRole,
    BoardSeat,
    DuesPayment,
    MemberStatus,
    Person,
    SocietyMembership,
    Unit,
)
from kexie.people.services.people import require_usable
from kexie.people.services.search_index import place_new_members

# Kinds of organization that admit members (individual and institutional).
MEMBER_KINDS = frozenset(
    {Kind.SOCIETY, Kind.SOCIETY_BRANCH, Kind.SOCIETY_CONSORTIUM, Kind.RURAL_TECH_ASSOCIATION}
)
# Positions one person at a time holds on a board.
SINGLE_HOLDER_ROLES = frozenset({BoardRole.CHAIR, BoardRole.SECRETARY_GENERAL, BoardRole.CHIEF_SUPERVISOR})
# How a membership ends.
END_STATUSES = frozenset({MemberStatus.LEFT, MemberStatus.LAPSED})


@dataclass
class MembershipData:
    """What a form or an import row supplies for a membership."""

    joined_on: date
    number: str = ""
    status: str = MemberStatus.ACTIVE
    note: str = ""


def _clean_membership(data: MembershipData) -> dict:
    number = (data.number or "").strip()
    if len(number) > 32:
        raise DomainError(_("The membership number is longer than 32 characters."), field="number")
    if data.joined_on is None:
        raise DomainError(_("Enter the joining date."), field="joined_on")
    if data.joined_on > timezone.localdate():
        raise DomainError(_("The joining date is later than today."), field="joined_on")
    if data.status not in MemberStatus.values:
        raise DomainError(_("Unknown membership status."), field="status")
    note = (data.note or "").strip()
    if len(note) > 255:
        raise DomainError(_("The note is longer than 255 characters."), field="note")
    return {"number": number, "joined_on": data.joined_on, "status": data.status, "note": note}


def _number_taken(number: str) -> DomainError:
    return DomainError(
        _("The membership number %(number)s is already given to another member of this society.")
        % {"number": number},
        field="number",
    )


def _check_number(society: Organization, number: str, *, exclude_pk=None) -> None:
    if not number:
        return
    clash = SocietyMembership.objects.filter(society=society, number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _number_taken(number)


def _already_member(society: Organization, *, person=None, unit=None) -> DomainError | None:
    existing = SocietyMembership.objects.filter(
        society=society, **({"person": person} if person is not None else {"unit": unit})
    ).first()
    if existing is None:
        return None
    name = person.name if person is not None else unit.name
    if existing.status in END_STATUSES:
        message = _(
            "%(name)s was a member of %(society)s before (status: %(status)s): "
            "edit that membership to admit them again."
        ) % {"name": name, "society": society.name, "status": existing.get_status_display()}
    else:
        message = _("%(name)s is already a member of %(society)s.") % {"name": name, "society": society.name}
    return DomainError(message, field="person" if person is not None else "unit")


def _save_membership(membership: SocietyMembership) -> None:
    """Save; a number or a member added concurrently by another request is a domain error."""
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        society = membership.society
        _check_number(society, membership.number, exclude_pk=membership.pk)
        clash = _already_member(
            society,
            person=membership.person if membership.person_id else None,
            unit=membership.unit if membership.unit_id else None,
        )
        if membership.pk is None and clash is not None:
            raise clash from exc
        raise


@transaction.atomic
def membership_create(
    *,
    actor,
    society: Organization,
    person: Person | None = None,
    unit: Unit | None = None,
    data: MembershipData,
) -> SocietyMembership:
    """Admit a person (individual member) or a unit (institutional member) to a society;
    they appear on its roster."""
    society = Organization.objects.select_for_update().get(pk=society.pk)
    if society.kind not in MEMBER_KINDS:
        raise DomainError(
            _("Only societies, society branches, consortia and rural technical associations admit members.")
        )
    if society.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization can no longer be edited."))
    if (person is None) == (unit is None):
        raise DomainError(_("Choose either a person or a unit as the member."), field="person")
    if person is not None:
        try:
            require_usable(person)
        except DomainError as exc:
            raise DomainError(exc.message, field="person") from exc
    fields = _clean_membership(data)
    if fields["status"] in END_STATUSES:
        raise DomainError(_("A new member cannot start as lapsed or left."), field="status")
    clash = _already_member(society, person=person, unit=unit)
    if clash is not None:
        raise clash
    _check_number(society, fields["number"])
    membership = SocietyMembership(society=society, person=person, unit=unit, **fields)
    _save_membership(membership)
    if person is not None:
        place_new_members([person.pk])  # a society outside the keeper's branch adds a place
    changes = {k: (None, v) for k, v in fields.items() if v not in ("", None)}
    changes["person" if person is not None else "unit"] = (None, person or unit)
    record(actor, "member.create", membership, changes=changes, org_path=society.path)
    return membership


def _locked(membership: SocietyMembership) -> SocietyMembership:
    return (
        SocietyMembership.objects.select_for_update(of=("self",))
        .select_related("society", "person", "unit")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_update(*, actor, membership: SocietyMembership, data: MembershipData) -> SocietyMembership:
    """Edit a membership: number, joining date, status, note. Setting a member who had
    left back to active re-admits them (the leaving date is cleared); leaving is recorded
    with `membership_end`."""
    membership = _locked(membership)
    fields = _clean_membership(data)
    if fields["status"] == MemberStatus.LEFT and membership.status != MemberStatus.LEFT:
        raise DomainError(_("Use “End membership” to record that a member left."), field="status")
    if membership.person_id and membership.person.is_anonymized:
        raise DomainError(_("This person's record has been anonymized."))
    _check_number(membership.society, fields["number"], exclude_pk=membership.pk)
    if membership.left_on and fields["status"] not in END_STATUSES:
        fields["left_on"] = None
    changes = {}
    for name, value in fields.items():
        old = getattr(membership, name)
        if old != value:
            changes[name] = (old, value)
            setattr(membership, name, value)
    if not changes:
        return membership
    _save_membership(membership)
    record(actor, "member.update", membership, changes=changes, org_path=membership.society.path)
    return membership


@transaction.atomic
def membership_end(
    *, actor, membership: SocietyMembership, left_on: date, status: str = MemberStatus.LEFT
) -> SocietyMembership:
    """Record that a member left (or lapsed): they leave the roster's active members."""
    membership = _locked(membership)
    if status not in END_STATUSES:
        raise DomainError(_("A membership ends as left or lapsed."), field="status")
    if membership.status in END_STATUSES:
        raise DomainError(
            _("This membership has already ended (%(status)s).") % {"status": membership.get_status_display()}
        )
    if left_on is None:
        raise DomainError(_("Enter the date the member left."), field="left_on")
    if left_on > timezone.localdate():
        raise DomainError(_("The leaving date is later than today."), field="left_on")
    if left_on < membership.joined_on:
        raise DomainError(
            _("The leaving date is before the joining date (%(date)s).")
            % {"date": membership.joined_on.isoformat()},
            field="left_on",
        )
    changes = {"status": (membership.status, status), "left_on": (None, left_on)}
    membership.status, membership.left_on = status, left_on
    membership.save(update_fields=["status", "left_on", "updated_at"])
    record(actor, "member.end", membership, changes=changes, org_path=membership.society.path)
    return membership


@transaction.atomic
def dues_record(
    *,
    actor,
    membership: SocietyMembership,
    year: int,
    amount: Decimal,
    paid_on: date,
    receipt_number: str = "",
) -> DuesPayment:
    """Record the dues a member paid for a year. Recording a year again corrects it; the
    audit keeps the old and the new values."""
    membership = _locked(membership)
    today = timezone.localdate()
    if year is None or not 1900 <= year <= today.year + 1:
        raise DomainError(
            _("The year must be between 1900 and %(year)s.") % {"year": today.year + 1}, field="year"
        )
    if year < membership.joined_on.year:
        raise DomainError(
            _("The member joined in %(year)s; dues cannot be recorded for an earlier year.")
            % {"year": membership.joined_on.year},
            field="year",
        )
    if amount is None or amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if amount >= Decimal("100000000"):
        raise DomainError(_("The amount is more than 99,999,999.99 yuan."), field="amount")
    if paid_on is None:
        raise DomainError(_("Enter the payment date."), field="paid_on")
    if paid_on > today:
        raise DomainError(_("The payment date is later than today."), field="paid_on")
    receipt_number = (receipt_number or "").strip()
    if len(receipt_number) > 32:
        raise DomainError(_("The receipt number is longer than 32 characters."), field="receipt_number")
    amount = Decimal(amount).quantize(Decimal("0.01"))
    values = {"amount": amount, "paid_on": paid_on, "receipt_number": receipt_number}
    payment = DuesPayment.objects.select_for_update().filter(membership=membership, year=year).first()
    if payment is None:
        payment = DuesPayment.objects.create(membership=membership, year=year, **values)
        changes = {k: (None, v) for k, v in values.items() if v not in ("", None)}
    else:
        changes = {}
        for name, value in values.items():
            old = getattr(payment, name)
            if old != value:
                changes[name] = (old, value)
                setattr(payment, name, value)
        if not changes:
            return payment
        payment.save()
    record(
        actor,
        "member.dues",
        membership,
        changes=changes,
        org_path=membership.society.path,
        year=year,
    )
    return payment


# --- board positions --------------------------------------------------------------------


@transaction.atomic
def seat_assign(*, actor, board_term: BoardTerm, person: Person, role: str, started_on: date) -> BoardSeat:
    """Give a person a position on the society's current board; they appear in its board list."""
    term = (
        BoardTerm.objects.select_for_update(of=("self",)).select_related("organization").get(pk=board_term.pk)
    )
    society = term.organization
    if society.kind not in MEMBER_KINDS:
        raise DomainError(
            _("Only societies, society branches, consortia and rural technical associations admit members.")
        )
    if society.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization can no longer be edited."))
    current = (
        BoardTerm.objects.filter(organization=society, ended_on__isnull=True).order_by("-number").first()
    )
    if term.ended_on is not None or current is None or current.pk != term.pk:
        raise DomainError(_("Positions can only be assigned on the society's current board term."))
    try:
        require_usable(person)
    except DomainError as exc:
        raise DomainError(exc.message, field="person") from exc
    if role not in BoardRole.values:
        raise DomainError(_("Unknown position."), field="role")
    if started_on is None:
        raise DomainError(_("Enter the date the position starts."), field="started_on")
    if started_on > timezone.localdate():
        raise DomainError(_("The position's start date is later than today."), field="started_on")
    if started_on < term.started_on:
        raise DomainError(
            _("The position's start date is before the board term began (%(date)s).")
            % {"date": term.started_on.isoformat()},
            field="started_on",
        )
    label = BoardRole(role).label
    if BoardSeat.objects.filter(board_term=term, person=person, role=role).exists():
        raise DomainError(
            _("%(name)s already holds (or held) the position of %(role)s in this board term.")
            % {"name": person.name, "role": label},
            field="role",
        )
    if role in SINGLE_HOLDER_ROLES:
        holder = (
            BoardSeat.objects.filter(board_term=term, role=role, ended_on__isnull=True)
            .select_related("person")
            .first()
        )
        if holder is not None:
            raise DomainError(
                _("%(name)s already holds the position of %(role)s: end that position first.")
                % {"name": holder.person.name, "role": label},
                field="role",
            )
    try:
        with transaction.atomic():
            seat = BoardSeat.objects.create(board_term=term, person=person, role=role, started_on=started_on)
    except IntegrityError as exc:
        raise DomainError(
            _("%(name)s already holds (or held) the position of %(role)s in this board term.")
            % {"name": person.name, "role": label},
            field="role",
        ) from exc
    record(
        actor,
        "board_seat.assign",
        seat,
        changes={"role": (None, role), "person": (None, person), "started_on": (None, started_on)},
        org_path=society.path,
        term=term.number,
    )
    return seat


@transaction.atomic
def seat_end(*, actor, seat: BoardSeat, ended_on: date) -> BoardSeat:
    """End a board position (resignation, removal); it leaves the current board list."""
    seat = (
        BoardSeat.objects.select_for_update(of=("self",))
        .select_related("board_term__organization")
        .get(pk=seat.pk)
    )
    if seat.ended_on is not None:
        raise DomainError(_("This position already ended on %(date)s.") % {"date": seat.ended_on.isoformat()})
    if ended_on is None:
        raise DomainError(_("Enter the date the position ends."), field="ended_on")
    if ended_on > timezone.localdate():
        raise DomainError(_("The position's end date is later than today."), field="ended_on")
    if ended_on < seat.started_on:
        raise DomainError(
            _("The end date is before the position began (%(date)s).")
            % {"date": seat.started_on.isoformat()},
            field="ended_on",
        )
    seat.ended_on = ended_on
    seat.save(update_fields=["ended_on"])
    record(
        actor,
        "board_seat.end",
        seat,
        changes={"ended_on": (None, ended_on)},
        org_path=seat.board_term.organization.path,
    )
    return seat
