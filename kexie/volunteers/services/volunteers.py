"""Registering volunteers and keeping their teams."""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.orgs.models import Division, Organization
from kexie.people.models import Discipline, Person
from kexie.people.services.people import require_usable
from kexie.volunteers.models import (
    TeamKind,
    TeamMember,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    VolunteerTeam,
)


@dataclass
class VolunteerData:
    disciplines: list[Discipline] = field(default_factory=list)
    divisions: list[Division] = field(default_factory=list)
    expertise: str = ""
    home_division: Division | None = None
    on_workdays: bool = True
    on_rest_days: bool = True
    languages: str = ""
    qualifications: str = ""
    consent_on: date | None = None


def _clean_volunteer(data: VolunteerData) -> dict:
    if not data.disciplines:
        raise DomainError(_("Choose at least one field of expertise."), field="disciplines")
    if not (data.on_workdays or data.on_rest_days):
        raise DomainError(
            _("Choose when the volunteer can serve: working days, rest days or both."), field="on_workdays"
        )
    if data.consent_on is None:
        raise DomainError(
            _("Record the day the volunteer agreed to have their data used for dispatching."),
            field="consent_on",
        )
    if data.consent_on > timezone.localdate():
        raise DomainError(_("The consent date is in the future."), field="consent_on")
    return {
        "expertise": (data.expertise or "").strip()[:4000],
        "home_division": data.home_division,
        "on_workdays": bool(data.on_workdays),
        "on_rest_days": bool(data.on_rest_days),
        "languages": " ".join((data.languages or "").split())[:128],
        "qualifications": (data.qualifications or "").strip()[:4000],
        "consent_on": data.consent_on,
    }


def _snapshot(volunteer: Volunteer) -> dict:
    return {
        "expertise": volunteer.expertise,
        "home_division": volunteer.home_division_id,
        "on_workdays": volunteer.on_workdays,
        "on_rest_days": volunteer.on_rest_days,
        "languages": volunteer.languages,
        "qualifications": volunteer.qualifications,
        "consent_on": str(volunteer.consent_on) if volunteer.consent_on else None,
        "disciplines": sorted(d.pk for d in volunteer.disciplines.all()),
        "divisions": sorted(d.pk for d in volunteer.divisions.all()),
    }


@transaction.atomic
def volunteer_register(
    *, actor, organization: Organization, person: Person, data: VolunteerData
) -> Volunteer:
    """Register a person of the talent pool as a volunteer of the organization."""
    require_usable(person)
    fields = _clean_volunteer(data)
    if Volunteer.objects.filter(person=person).exists():
        raise DomainError(
            _("%(name)s is registered as a volunteer already.") % {"name": person.name}, field="person"
        )
    fields["home_division"] = fields["home_division"] or person.division or organization.division
    volunteer = Volunteer(
        organization=organization, person=person, registered_on=timezone.localdate(), **fields
    )
    try:
        with transaction.atomic():
            volunteer.save(force_insert=True)
    except IntegrityError:
        raise DomainError(
            _("%(name)s is registered as a volunteer already.") % {"name": person.name}, field="person"
        ) from None
    volunteer.disciplines.set(data.disciplines)
    volunteer.divisions.set(data.divisions)
    record(
        actor,
        "volunteer.register",
        volunteer,
        changes={k: (None, v) for k, v in _snapshot(volunteer).items() if v},
    )
    return volunteer


@transaction.atomic
def volunteer_update(*, actor, volunteer: Volunteer, data: VolunteerData) -> Volunteer:
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    before = _snapshot(volunteer)
    for name, value in _clean_volunteer(data).items():
        setattr(volunteer, name, value)
    volunteer.save()
    volunteer.disciplines.set(data.disciplines)
    volunteer.divisions.set(data.divisions)
    after = _snapshot(volunteer)
    record(
        actor,
        "volunteer.update",
        volunteer,
        changes={k: (before[k], after[k]) for k in after if before[k] != after[k]},
    )
    return volunteer


@transaction.atomic
def volunteer_set_status(*, actor, volunteer: Volunteer, status: str, reason: str = "") -> Volunteer:
    """Pause a volunteer, bring them back, or record that they left. A volunteer who is
    paused or has left gets no new orders; orders in hand stay with them."""
    if status not in VolunteerStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    before = volunteer.status
    if before == status:
        return volunteer
    volunteer.status = status
    volunteer.save(update_fields=["status", "updated_at"])
    record(actor, "volunteer.status", volunteer, changes={"status": (before, status)}, reason=reason[:255])
    return volunteer


@transaction.atomic
def unavailability_add(
    *, actor, volunteer: Volunteer, starts_on: date, ends_on: date, note: str = ""
) -> Unavailability:
    if starts_on is None or ends_on is None:
        raise DomainError(_("Give the first and the last day."), field="starts_on")
    if ends_on < starts_on:
        raise DomainError(_("The last day is before the first."), field="ends_on")
    period = Unavailability.objects.create(
        volunteer=volunteer, starts_on=starts_on, ends_on=ends_on, note=note[:128]
    )
    record(actor, "volunteer.unavailable_add", volunteer, starts_on=starts_on, ends_on=ends_on)
    return period


@transaction.atomic
def unavailability_remove(*, actor, period: Unavailability) -> None:
    record(
        actor,
        "volunteer.unavailable_remove",
        period.volunteer,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
    )
    period.delete()


# --- teams ------------------------------------------------------------------------------


@dataclass
class TeamData:
    name: str
    kind: str = TeamKind.SERVICE
    leader: Volunteer | None = None
    description: str = ""
    founded_on: date | None = None


def _clean_team(data: TeamData, organization: Organization) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("Give the team a name."), field="name")
    if data.kind not in TeamKind.values:
        raise DomainError(_("Choose the kind of team."), field="kind")
    if data.leader is not None and not data.leader.organization.path.startswith(organization.path):
        raise DomainError(_("The leader must be a volunteer of the organization's network."), field="leader")
    return {
        "name": name[:128],
        "kind": data.kind,
        "leader": data.leader,
        "description": (data.description or "").strip()[:4000],
        "founded_on": data.founded_on,
    }


@transaction.atomic
def team_create(*, actor, organization: Organization, data: TeamData) -> VolunteerTeam:
    fields = _clean_team(data, organization)
    if VolunteerTeam.objects.filter(organization=organization, name=fields["name"]).exists():
        raise DomainError(_("The organization has a team of this name already."), field="name")
    team = VolunteerTeam.objects.create(organization=organization, **fields)
    if team.leader is not None:
        TeamMember.objects.create(team=team, volunteer=team.leader, joined_on=timezone.localdate())
    record(actor, "volunteer_team.create", team, name=team.name, leader_id=team.leader_id)
    return team


@transaction.atomic
def team_update(*, actor, team: VolunteerTeam, data: TeamData) -> VolunteerTeam:
    team = VolunteerTeam.objects.select_for_update().select_related("organization").get(pk=team.pk)
    fields = _clean_team(data, team.organization)
    clash = VolunteerTeam.objects.filter(organization=team.organization, name=fields["name"]).exclude(
        pk=team.pk
    )
    if clash.exists():
        raise DomainError(_("The organization has a team of this name already."), field="name")
    changes = {}
    for name, value in fields.items():
        old = getattr(team, name)
        if old != value:
            changes[name] = (getattr(old, "pk", old), getattr(value, "pk", value))
            setattr(team, name, value)
    team.save()
    if team.leader is not None and not team.memberships.filter(volunteer=team.leader).exists():
        TeamMember.objects.create(team=team, volunteer=team.leader, joined_on=timezone.localdate())
    record(actor, "volunteer_team.update", team, changes=changes)
    return team


@transaction.atomic
def team_set_active(*, actor, team: VolunteerTeam, is_active: bool) -> VolunteerTeam:
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    if team.is_active != is_active:
        team.is_active = is_active
        team.save(update_fields=["is_active", "updated_at"])
        record(actor, "volunteer_team.active", team, changes={"is_active": (not is_active, is_active)})
    return team


@transaction.atomic
def team_member_add(*, actor, team: VolunteerTeam, volunteer: Volunteer) -> TeamMember:
    if not volunteer.organization.path.startswith(team.organization.path):
        raise DomainError(_("Add volunteers of the team's own network."), field="volunteer")
    if team.memberships.filter(volunteer=volunteer).exists():
        raise DomainError(
            _("%(name)s is in the team already.") % {"name": volunteer.person.name}, field="volunteer"
        )
    member = TeamMember.objects.create(team=team, volunteer=volunteer, joined_on=timezone.localdate())
    record(actor, "volunteer_team.member_add", team, volunteer_id=volunteer.pk)
    return member


@transaction.atomic
def team_member_remove(*, actor, team: VolunteerTeam, volunteer: Volunteer) -> None:
    if team.leader_id == volunteer.pk:
        raise DomainError(_("Choose another leader before the leader leaves the team."), field="volunteer")
    deleted, _rows = TeamMember.objects.filter(team=team, volunteer=volunteer).delete()
    if deleted:
        record(actor, "volunteer_team.member_remove", team, volunteer_id=volunteer.pk)
