"""Writing units (employers and institutions) and teams of S&T workers.

Every function runs in one transaction and writes its audit record in it. The callers
(views, imports) fetch units, teams and people through the user's scope; these functions
check the rules that hold whoever calls them.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.chinese import pinyin_sort_key, search_text_for
from kexie.core.errors import DomainError
from kexie.core.validators import normalize_credit_code, normalize_phone, validate_credit_code, validate_phone
from kexie.people.models import Industry, Person, Team, TeamMember, Unit, UnitKind, UnitSize
from kexie.people.services.people import require_usable

# --- units ------------------------------------------------------------------------------

UNIT_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "industry",
    "division",
    "size",
    "address",
    "contact_person",
    "contact_phone",
)


@dataclass
class UnitData:
    """What a form, an API call or an import row supplies for a unit."""

    name: str
    kind: str = UnitKind.ENTERPRISE
    credit_code: str = ""
    industry: str = ""
    division: object = None
    size: str = ""
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""


def _credit_code_taken(code: str) -> DomainError:
    return DomainError(
        _("The unified social credit code %(code)s is already registered to another unit.") % {"code": code},
        field="credit_code",
    )


def clean_unit(data: UnitData, *, instance: Unit | None = None) -> dict:
    """Validate and normalize; raise DomainError naming the field at fault."""
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("The name is required."), field="name")
    if len(name) > 128:
        raise DomainError(_("The name is longer than 128 characters."), field="name")
    if data.kind not in UnitKind.values:
        raise DomainError(_("Choose one of the listed kinds of unit."), field="kind")
    if data.industry and data.industry not in Industry.values:
        raise DomainError(_("Choose an industry from the list (GB/T 4754)."), field="industry")
    if data.size and data.size not in UnitSize.values:
        raise DomainError(_("Choose one of the listed unit sizes."), field="size")
    credit_code = normalize_credit_code(data.credit_code)
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="credit_code") from exc
    if credit_code:
        clash = Unit.objects.filter(credit_code=credit_code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise _credit_code_taken(credit_code)
    try:
        validate_phone(data.contact_phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="contact_phone") from exc
    return {
        "name": name,
        "kind": data.kind,
        "credit_code": credit_code,
        "industry": data.industry or "",
        "division": data.division,
        "size": data.size or "",
        "address": (data.address or "").strip(),
        "contact_person": (data.contact_person or "").strip(),
        "contact_phone": normalize_phone(data.contact_phone),
    }


def _index_unit(unit: Unit) -> None:
    unit.search_text = search_text_for(unit.name, unit.credit_code)
    unit.sort_key = pinyin_sort_key(unit.name)


def _save_checking_credit_code(unit: Unit) -> None:
    """Save; a credit code registered concurrently by another request is a domain error, not a 500."""
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        if (
            unit.credit_code
            and Unit.objects.filter(credit_code=unit.credit_code).exclude(pk=unit.pk).exists()
        ):
            raise _credit_code_taken(unit.credit_code) from exc
        raise


@transaction.atomic
def unit_create(*, actor, organization, data: UnitData) -> Unit:
    """Register a unit kept by `organization`; it appears in the unit list and can employ people."""
    fields = clean_unit(data)
    unit = Unit(organization=organization, **fields)
    _index_unit(unit)
    _save_checking_credit_code(unit)
    changes = {k: (None, v) for k, v in fields.items() if v not in ("", None)}
    record(actor, "unit.create", unit, changes=changes)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, data: UnitData) -> Unit:
    """Edit a unit's record; the audit keeps old and new values."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    fields = clean_unit(data, instance=unit)
    changes = {}
    for name, value in fields.items():
        old = getattr(unit, name)
        if old != value:
            changes[name] = (old, value)
            setattr(unit, name, value)
    if not changes:
        return unit
    _index_unit(unit)
    _save_checking_credit_code(unit)
    record(actor, "unit.update", unit, changes=changes)
    return unit


# --- teams ------------------------------------------------------------------------------

TEAM_FIELDS = ("name", "leader", "unit", "discipline", "description", "founded_on")


@dataclass
class TeamData:
    name: str
    leader: Person | None = None
    unit: Unit | None = None
    discipline: object = None
    description: str = ""
    founded_on: date | None = None


def clean_team(data: TeamData) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("The name is required."), field="name")
    if len(name) > 128:
        raise DomainError(_("The name is longer than 128 characters."), field="name")
    if data.founded_on and data.founded_on > timezone.localdate():
        raise DomainError(_("The founding date cannot be in the future."), field="founded_on")
    if data.leader is not None:
        try:
            require_usable(data.leader)
        except DomainError as exc:
            raise DomainError(exc.message, field="leader") from exc
    return {
        "name": name,
        "leader": data.leader,
        "unit": data.unit,
        "discipline": data.discipline,
        "description": (data.description or "").strip(),
        "founded_on": data.founded_on,
    }


def _leader_is_member(team: Team) -> None:
    """The leader is always one of the team's members."""
    if team.leader_id and not TeamMember.objects.filter(team=team, person_id=team.leader_id).exists():
        TeamMember.objects.create(team=team, person_id=team.leader_id, role=_("Leader"))


@transaction.atomic
def team_create(*, actor, organization, data: TeamData) -> Team:
    """Create a team kept by `organization`; its leader (if given) becomes its first member."""
    fields = clean_team(data)
    team = Team(organization=organization, **fields)
    team.sort_key = pinyin_sort_key(team.name)
    team.save()
    _leader_is_member(team)
    changes = {k: (None, v) for k, v in fields.items() if v not in ("", None)}
    record(actor, "team.create", team, changes=changes)
    return team


@transaction.atomic
def team_update(*, actor, team: Team, data: TeamData) -> Team:
    """Edit a team; a new leader who was not yet a member joins the team."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    fields = clean_team(data)
    changes = {}
    for name, value in fields.items():
        old = getattr(team, name)
        if old != value:
            changes[name] = (old, value)
            setattr(team, name, value)
    if not changes:
        return team
    team.sort_key = pinyin_sort_key(team.name)
    team.save()
    _leader_is_member(team)
    record(actor, "team.update", team, changes=changes)
    return team


@transaction.atomic
def team_member_add(*, actor, team: Team, person: Person, role: str = "", joined_on=None) -> TeamMember:
    """Add a person to a team; they appear in its member list."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    require_usable(person)
    role = (role or "").strip()
    if len(role) > 64:
        raise DomainError(_("The role is longer than 64 characters."), field="role")
    if joined_on and joined_on > timezone.localdate():
        raise DomainError(_("The joining date is later than today."), field="joined_on")
    if TeamMember.objects.filter(team=team, person=person).exists():
        raise DomainError(
            _("%(name)s is already a member of this team.") % {"name": person.name}, field="person"
        )
    member = TeamMember.objects.create(team=team, person=person, role=role, joined_on=joined_on)
    record(
        actor,
        "team.member_add",
        team,
        changes={"member": (None, person.pk)},
        person=person.pk,
        role=role,
    )
    return member


@transaction.atomic
def team_member_remove(*, actor, team: Team, person: Person) -> None:
    """Remove a person from a team. The leader stays until another leader is chosen."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    member = TeamMember.objects.filter(team=team, person=person).first()
    if member is None:
        raise DomainError(_("%(name)s is not a member of this team.") % {"name": person.name})
    if team.leader_id == person.pk:
        raise DomainError(
            _("%(name)s leads this team: choose another leader before removing them.") % {"name": person.name}
        )
    member.delete()
    record(actor, "team.member_remove", team, changes={"member": (person.pk, None)}, person=person.pk)
