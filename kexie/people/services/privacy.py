"""Personal-information rights in the talent pool (PIPL): consents, the personal portal,
self-service corrections and the download of everything held about a person.

Anonymizing is `people.person_anonymize`. Every write here runs in one transaction and
audits itself; audit records about a person name the person as their object, so that the
person's own download can list them.
"""

import secrets
import string
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts import services as account_services
from kexie.audit.models import AuditEvent
from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.people.models import (
    BoardSeat,
    Consent,
    Honour,
    Person,
    SocietyMembership,
    TalentListEntry,
    TeamMember,
    Visit,
)
from kexie.people.services.people import (
    _apply,
    _diff,
    _locked,
    clean_person,
    id_number_of,
    is_minor,
    mobile_of,
    person_anonymize,
    person_data_from,
)

NOTICE_MAX = 200

# --- consents ------------------------------------------------------------------------------


@dataclass
class ConsentData:
    """A consent as a staff member records it from the signed form or the online record."""

    purpose: str
    notice: str
    method: str
    given_on: date | None
    given_by: str = Consent.GivenBy.SELF
    guardian_name: str = ""
    guardian_relation: str = ""


def _clean_consent(person: Person, data: ConsentData) -> dict:
    if data.purpose not in Consent.Purpose.values:
        raise DomainError(_("Choose the purpose the consent was given for."), field="purpose")
    if data.method not in Consent.Method.values:
        raise DomainError(_("Choose how the consent was given."), field="method")
    if data.given_by not in Consent.GivenBy.values:
        raise DomainError(_("Choose who gave the consent."), field="given_by")
    notice = " ".join((data.notice or "").split())
    if not notice:
        raise DomainError(_("Name the notice the person was shown (title and version)."), field="notice")
    if len(notice) > NOTICE_MAX:
        raise DomainError(
            _("The notice is longer than %(max)s characters.") % {"max": NOTICE_MAX}, field="notice"
        )
    if data.given_on is None:
        raise DomainError(_("Give the date the consent was given."), field="given_on")
    if data.given_on > timezone.localdate():
        raise DomainError(_("The consent date cannot be in the future."), field="given_on")
    if person.birth_date and data.given_on < person.birth_date:
        raise DomainError(_("The consent date is before the person's birth date."), field="given_on")
    guardian_name = " ".join((data.guardian_name or "").split())
    guardian_relation = " ".join((data.guardian_relation or "").split())
    if data.given_by == Consent.GivenBy.GUARDIAN:
        if not guardian_name:
            raise DomainError(_("Give the name of the guardian who consented."), field="guardian_name")
        if not guardian_relation:
            raise DomainError(
                _("Give the guardian's relation to the person (e.g. mother, father)."),
                field="guardian_relation",
            )
    else:
        if is_minor(person, on=data.given_on):
            raise DomainError(
                _("%(name)s was under 14 on that date: only a guardian can consent for them.")
                % {"name": person.name},
                field="given_by",
            )
        guardian_name = guardian_relation = ""
    return {
        "purpose": data.purpose,
        "notice": notice,
        "method": data.method,
        "given_on": data.given_on,
        "given_by": data.given_by,
        "guardian_name": guardian_name[:64],
        "guardian_relation": guardian_relation[:32],
    }


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def consent_record(*, actor, person: Person, data: ConsentData) -> Consent:
    """Record a consent (the person's own, or for a child under 14 their guardian's). A
    guardian's consent lets the data of a child under 14 be used beyond storage."""
    person = _locked(person)
    fields = _clean_consent(person, data)
    consent = Consent.objects.create(person=person, recorded_by=_user_or_none(actor), **fields)
    record(
        actor,
        "consent.record",
        person,
        changes={k: (None, v) for k, v in fields.items() if v not in ("", None)},
        consent=consent.pk,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: date | None) -> Consent:
    """Mark a consent withdrawn from a date on; a child's data is then only stored again."""
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise DomainError(
            _("This consent was already withdrawn on %(date)s.") % {"date": consent.withdrawn_on.isoformat()}
        )
    if withdrawn_on is None:
        raise DomainError(_("Give the date the consent was withdrawn."), field="withdrawn_on")
    if withdrawn_on > timezone.localdate():
        raise DomainError(_("The withdrawal date cannot be in the future."), field="withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise DomainError(
            _("The withdrawal date is before the consent was given (%(date)s).")
            % {"date": consent.given_on.isoformat()},
            field="withdrawn_on",
        )
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    record(
        actor,
        "consent.withdraw",
        consent.person,
        changes={"withdrawn_on": (None, withdrawn_on)},
        consent=consent.pk,
        purpose=consent.purpose,
    )
    return consent


# --- the personal portal -------------------------------------------------------------------


class PortalAccount(NamedTuple):
    user: object
    password: str  # shown once to the staff member, who hands it over; never stored in clear


_PASSWORD_ALPHABET = string.ascii_letters + string.digits + "!@#$%^&*-_=+"
_PASSWORD_LENGTH = 16


def _one_time_password(username: str) -> str:
    """A random password that passes the configured policy (both profiles: 16 characters
    from four classes); drawn again in the rare case it contains part of the username."""
    from kexie.accounts.models import User

    probe = User(username=username)
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(_PASSWORD_LENGTH))
        classes = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
        if not all(any(test(c) for c in password) for test in classes):
            continue
        try:
            validate_password(password, probe)
        except ValidationError:
            continue
        return password


@transaction.atomic
def portal_account_create(*, actor, person: Person, username: str) -> PortalAccount:
    """Give a person a login to the personal portal, where they see and correct their own
    profile and download their data. Returns the one-time password, which they must change
    at their first login."""
    person = _locked(person)
    if is_minor(person):
        raise DomainError(_("%(name)s is under 14 and cannot have a portal account.") % {"name": person.name})
    if person.user_id is not None:
        raise DomainError(
            _("%(name)s already has a portal account (%(username)s).")
            % {"name": person.name, "username": person.user.username},
            field="username",
        )
    username = (username or "").strip()
    password = _one_time_password(username)
    user = account_services.user_create(
        actor=actor,
        username=username,
        password=password,
        display_name=person.name,
        email=person.email,
        must_change_password=True,
    )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    record(actor, "portal.account_create", person, changes={"user": (None, user.username)}, user=user.pk)
    return PortalAccount(user, password)


@transaction.atomic
def portal_account_disable(*, actor, person: Person) -> Person:
    """Close a person's portal account: the login is disabled (and logged out everywhere)
    and no longer linked to the person, who may later be given a new one."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is None:
        raise DomainError(_("%(name)s has no portal account.") % {"name": person.name})
    user = person.user
    account_services.user_set_active(actor=actor, user=user, active=False)
    person.user = None
    person.save(update_fields=["user", "updated_at"])
    record(actor, "portal.account_disable", person, changes={"user": (user.username, None)}, user=user.pk)
    return person


@dataclass
class SelfServiceData:
    """What a person may correct in their own profile. The name and ID number are not here:
    changing them needs the staff who keep the record (and the documents)."""

    mobile: str = ""
    email: str = ""
    employer: str = ""
    position: str = ""
    title: str = ""
    education: str = ""
    expertise: str = ""
    achievements: str = ""


SELF_SERVICE_FIELDS = tuple(SelfServiceData.__dataclass_fields__)


@transaction.atomic
def person_self_update(*, person: Person, data: SelfServiceData) -> Person:
    """The person corrects their own profile through the portal; the audit names them as
    the one who changed it."""
    person = _locked(person)
    actor = person.user
    if actor is None:
        raise DomainError(_("This profile has no portal account."))
    current = person_data_from(person)
    for name in SELF_SERVICE_FIELDS:
        setattr(current, name, getattr(data, name))
    fields = clean_person(current)
    id_number, mobile = fields.pop("id_number"), fields.pop("mobile")
    changes = _diff(person, fields, id_number=id_number, mobile=mobile)
    _apply(person, fields, changes, id_number=id_number, mobile=mobile, tags=None)
    if changes:
        record(actor, "person.self_update", person, changes=changes)
    return person


# --- the person's own data -----------------------------------------------------------------


def _day(value) -> str:
    return value.isoformat() if value else ""


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _profile(person: Person) -> dict:
    return {
        "name": person.name,
        "gender": person.get_gender_display(),
        "birth_date": _day(person.birth_date),
        "id_number": id_number_of(person),
        "mobile": mobile_of(person),
        "email": person.email,
        "education": person.get_education_display(),
        "title": person.title,
        "title_level": person.get_title_level_display(),
        "discipline": person.discipline.name if person.discipline_id else "",
        "unit": person.unit.name if person.unit_id else "",
        "employer": person.employer,
        "position": person.position,
        "region": person.division.name if person.division_id else "",
        "native_place": person.native_place.name if person.native_place_id else "",
        "political_status": person.get_political_status_display(),
        "tags": "、".join(tag.name for tag in person.tags.all()),
        "expertise": person.expertise,
        "achievements": person.achievements,
        "kept_by": person.organization.name,
        "portal_account": person.user.username if person.user_id else "",
        "registered_at": _moment(person.created_at),
        "updated_at": _moment(person.updated_at),
    }


def _memberships(person: Person) -> list[dict]:
    memberships = (
        SocietyMembership.objects.filter(person=person).select_related("society").prefetch_related("dues")
    )
    return [
        {
            "society": m.society.name,
            "number": m.number,
            "joined_on": _day(m.joined_on),
            "status": m.get_status_display(),
            "left_on": _day(m.left_on),
            "note": m.note,
            "dues": "; ".join(f"{d.year}: {d.amount} ({_day(d.paid_on)})" for d in m.dues.all()),
        }
        for m in memberships
    ]


def _board_seats(person: Person) -> list[dict]:
    seats = BoardSeat.objects.filter(person=person).select_related("board_term__organization")
    return [
        {
            "society": s.board_term.organization.name,
            "term": s.board_term.number,
            "position": s.get_role_display(),
            "from": _day(s.started_on),
            "to": _day(s.ended_on),
        }
        for s in seats
    ]


def _teams(person: Person) -> list[dict]:
    rows = TeamMember.objects.filter(person=person).select_related("team")
    return [
        {
            "team": m.team.name,
            "role": m.role,
            "joined_on": _day(m.joined_on),
            "leader": m.team.leader_id == person.pk,
        }
        for m in rows
    ]


def _honours(person: Person) -> list[dict]:
    honours = Honour.objects.filter(person=person).select_related("organization")
    return [
        {
            "title": h.title,
            "level": h.get_level_display(),
            "grade": h.get_grade_display(),
            "year": h.year,
            "awarded_by": h.issuer,
            "recorded_by": h.organization.name,
            "note": h.note,
        }
        for h in honours
    ]


def _visits(person: Person) -> list[dict]:
    visits = Visit.objects.filter(person=person).select_related("organization")
    return [
        {
            "date": _day(v.visited_on),
            "occasion": v.get_occasion_display(),
            "organization": v.organization.name,
            "visited_by": v.visitors,
            "note": v.note,
        }
        for v in visits
    ]


def _consents(person: Person) -> list[dict]:
    return [
        {
            "purpose": c.get_purpose_display(),
            "notice": c.notice,
            "method": c.get_method_display(),
            "given_on": _day(c.given_on),
            "given_by": c.get_given_by_display(),
            "guardian": c.guardian_name,
            "guardian_relation": c.guardian_relation,
            "withdrawn_on": _day(c.withdrawn_on),
        }
        for c in person.consents.all()
    ]


def _talent_lists(person: Person) -> list[dict]:
    entries = TalentListEntry.objects.filter(person=person).select_related("talent_list__organization")
    return [
        {
            "list": e.talent_list.name,
            "kept_by": e.talent_list.organization.name,
            "note": e.note,
            "added_at": _moment(e.added_at),
        }
        for e in entries
    ]


def _audit_events(person: Person) -> list[dict]:
    events = AuditEvent.objects.filter(object_type=Person._meta.label_lower, object_id=str(person.pk))
    return [
        {
            "time": _moment(e.occurred_at),
            "action": e.action_label,
            "by": e.actor_username,
            "changed_fields": ", ".join(sorted(e.changes)),
        }
        for e in events.order_by("occurred_at", "id")
    ]


# The sections of the download, in order; each is a list of rows (the profile is one row).
EXPORT_SECTIONS = (
    ("profile", lambda p: [_profile(p)]),
    ("society_memberships", _memberships),
    ("board_positions", _board_seats),
    ("teams", _teams),
    ("honours", _honours),
    ("visits", _visits),
    ("consents", _consents),
    ("talent_lists", _talent_lists),
    ("audit_events", _audit_events),
)
EXPORT_FORMATS = ("json", "xlsx")


@transaction.atomic
def person_data_export(*, person: Person, file_format: str = "json") -> dict:
    """Everything held about a person, for the person themselves (PIPL art. 45): their
    profile with the ID number and mobile in clear, memberships, board positions, teams,
    honours, visits, consents, talent lists and the audit records about them. The download
    is itself audited, with the person's account as the actor."""
    if file_format not in EXPORT_FORMATS:
        raise DomainError(_("Choose a download format: .xlsx or JSON."), field="format")
    person = (
        Person.objects.select_related(
            "organization", "discipline", "unit", "division", "native_place", "user"
        )
        .prefetch_related("tags")
        .get(pk=person.pk)
    )
    if person.is_anonymized:
        raise DomainError(_("This person's record has been anonymized."))
    data = {
        "generated_at": _moment(timezone.now()),
        **{name: rows(person) for name, rows in EXPORT_SECTIONS},
    }
    record(person.user, "person.self_export", person, format=file_format)
    return data


# --- anonymizing ---------------------------------------------------------------------------


@transaction.atomic
def person_erase(*, actor, person: Person, reason: str) -> Person:
    """Anonymize a person (on request, or when retention ends) and close their portal
    account in the same transaction, so that no login outlives the identity it belonged to.
    What statistics count is kept (see `people.person_anonymize`)."""
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for anonymizing this person."), field="reason")
    if Person.objects.filter(pk=person.pk, user__isnull=False).exists():
        portal_account_disable(actor=actor, person=person)
    return person_anonymize(actor=actor, person=person, reason=reason)
