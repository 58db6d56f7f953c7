"""Writing people: create, edit, bulk create (imports and demo data), reveal, anonymize.

Every function runs in one transaction and writes its audit record in it. ID numbers and
mobiles are validated, encrypted (kexie.core.crypto), blind-indexed and masked here and
nowhere else; the clear values never reach the database or the audit log.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core import crypto
from kexie.core.bulk import insert_objects
from kexie.core.chinese import person_name_keys
from kexie.core.errors import DomainError
from kexie.core.masking import mask_id_number, mask_phone
from kexie.core.validators import (
    id_number_birth_date,
    id_number_gender,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_mobile,
)
from kexie.people.models import Consent, Person, PersonStatus, TalentListEntry
from kexie.people.services.search_index import index_new_people, reindex_people

MINOR_AGE = 14  # PIPL art. 31: under 14 needs a guardian's consent

# Fields a user edits directly (id_number and mobile are handled separately: encrypted).
PLAIN_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "email",
    "education",
    "title",
    "title_level",
    "discipline",
    "unit",
    "employer",
    "position",
    "division",
    "native_place",
    "political_status",
    "expertise",
    "achievements",
)


@dataclass
class PersonData:
    """What a form, an API call or an import row supplies for a person.

    `tags=None` leaves the tags alone on update; a list replaces them.
    """

    name: str
    gender: str = ""
    birth_date: date | None = None
    id_number: str = ""
    mobile: str = ""
    email: str = ""
    education: str = ""
    title: str = ""
    title_level: str = ""
    discipline: object = None
    unit: object = None
    employer: str = ""
    position: str = ""
    division: object = None
    native_place: object = None
    political_status: str = ""
    expertise: str = ""
    achievements: str = ""
    tags: list | None = field(default=None)


def clean_person(data: PersonData) -> dict:
    """Validate and normalize; raise DomainError naming the field at fault."""
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("The name is required."), field="name")
    if len(name) > 64:
        raise DomainError(_("The name is longer than 64 characters."), field="name")
    id_number = normalize_id_number(data.id_number)
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="id_number") from exc
    birth_date, gender = data.birth_date, data.gender or ""
    if id_number:
        derived = id_number_birth_date(id_number)
        if birth_date and birth_date != derived:
            raise DomainError(
                _("The birth date does not match the ID number (which gives %(date)s).")
                % {"date": derived.isoformat()},
                field="birth_date",
            )
        birth_date = derived
        derived_gender = id_number_gender(id_number)
        if gender and gender != derived_gender:
            raise DomainError(_("The gender does not match the ID number."), field="gender")
        gender = derived_gender
    today = timezone.localdate()
    if birth_date and birth_date > today:
        raise DomainError(_("The birth date cannot be in the future."), field="birth_date")
    if birth_date and birth_date.year < 1900:
        raise DomainError(_("The birth date is before 1900."), field="birth_date")
    if id_number and id_number_birth_date(id_number) and id_number_birth_date(id_number) > today:
        raise DomainError(_("The ID number holds a birth date in the future."), field="id_number")
    mobile = (data.mobile or "").strip()
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="mobile") from exc
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(
                _("“%(value)s” is not a valid e-mail address.") % {"value": email}, field="email"
            ) from exc
    return {
        "name": name,
        "gender": gender,
        "birth_date": birth_date,
        "id_number": id_number,
        "mobile": normalize_phone(mobile),
        "email": email,
        "education": data.education or "",
        "title": (data.title or "").strip(),
        "title_level": data.title_level or "",
        "discipline": data.discipline,
        "unit": data.unit,
        "employer": (data.employer or "").strip() or (data.unit.name if data.unit else ""),
        "position": (data.position or "").strip(),
        "division": data.division,
        "native_place": data.native_place,
        "political_status": data.political_status or "",
        "expertise": (data.expertise or "").strip(),
        "achievements": (data.achievements or "").strip(),
    }


def id_number_lookup(id_number: str) -> str:
    """The blind index of an ID number, for exact-match lookups."""
    return crypto.blind_index("id", normalize_id_number(id_number))


def mobile_lookup(mobile: str) -> str:
    return crypto.blind_index("mobile", normalize_phone(mobile))


def set_identifiers(person: Person, *, id_number: str, mobile: str) -> None:
    """Store the ID number and mobile as ciphertext + blind index + masked copy."""
    person.id_number_encrypted = crypto.encrypt(id_number)
    person.id_number_index = id_number_lookup(id_number) if id_number else ""
    person.id_number_masked = mask_id_number(id_number)
    person.mobile_encrypted = crypto.encrypt(mobile)
    person.mobile_index = mobile_lookup(mobile) if mobile else ""
    person.mobile_masked = mask_phone(mobile)


def id_number_of(person: Person) -> str:
    """The clear ID number. Callers must hold PERSONAL_UNMASK and audit the reveal."""
    return crypto.decrypt(person.id_number_encrypted)


def mobile_of(person: Person) -> str:
    """The clear mobile. Callers must hold PERSONAL_UNMASK and audit the reveal."""
    return crypto.decrypt(person.mobile_encrypted)


def index_name(person: Person) -> None:
    """Set the person's name keys and pinyin sort key (the index rows follow the save:
    search_index.reindex_people)."""
    keys = person_name_keys(person.name)
    person.name_folded, person.pinyin, person.initials, person.sort_key = keys[:4]


def _duplicate_id_number(index: str, *, exclude_pk=None) -> bool:
    # Repeating the partial index's condition lets SQLite (and PostgreSQL, for long IN
    # lists) use person_id_number_unique instead of scanning every person.
    clash = Person.objects.filter(id_number_index=index).exclude(id_number_index="")
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return clash.exists()


def _save(person: Person) -> None:
    """Save; an ID number registered concurrently becomes a domain error, not a 500."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        if person.id_number_index and _duplicate_id_number(person.id_number_index, exclude_pk=person.pk):
            raise DomainError(
                _("This ID number is already registered to another person."), field="id_number"
            ) from exc
        raise


def _audit_values(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if k not in {"id_number", "mobile"}}


@transaction.atomic
def person_create(*, actor, organization, data: PersonData) -> Person:
    """Register a person in the talent pool of `organization`; they appear in its search."""
    fields = clean_person(data)
    id_number, mobile = fields.pop("id_number"), fields.pop("mobile")
    if id_number and _duplicate_id_number(id_number_lookup(id_number)):
        raise DomainError(_("This ID number is already registered to another person."), field="id_number")
    person = Person(organization=organization, **fields)
    set_identifiers(person, id_number=id_number, mobile=mobile)
    index_name(person)
    _save(person)
    reindex_people([person.pk])
    if data.tags:
        person.tags.set(data.tags)
    changes = {k: (None, v) for k, v in _audit_values(fields).items() if v not in ("", None)}
    if id_number:
        changes["id_number"] = (None, id_number)
    if mobile:
        changes["mobile"] = (None, mobile)
    record(actor, "person.create", person, changes=changes, org_path=organization.path)
    return person


def _diff(person: Person, fields: dict, *, id_number: str, mobile: str) -> dict:
    changes = {}
    for name, value in fields.items():
        old = getattr(person, name)
        if old != value:
            changes[name] = (old, value)
    old_id = id_number_of(person)
    if old_id != id_number:
        changes["id_number"] = (old_id, id_number)
    old_mobile = mobile_of(person)
    if old_mobile != mobile:
        changes["mobile"] = (old_mobile, mobile)
    return changes


def _apply(person: Person, fields: dict, changes: dict, *, id_number: str, mobile: str, tags) -> None:
    for name in fields:
        setattr(person, name, fields[name])
    if "id_number" in changes or "mobile" in changes:
        set_identifiers(person, id_number=id_number, mobile=mobile)
    if "name" in changes:
        index_name(person)
    _save(person)
    if "name" in changes:
        reindex_people([person.pk])
    if tags is not None:
        old = set(person.tags.values_list("pk", flat=True))
        new = {t.pk for t in tags}
        if old != new:
            person.tags.set(tags)
            changes["tags"] = (",".join(map(str, sorted(old))), ",".join(map(str, sorted(new))))


def _locked(person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_anonymized:
        raise DomainError(_("This person's record has been anonymized and can no longer be edited."))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: PersonData) -> Person:
    """Edit a person's record; the audit keeps old and new values (identifiers masked)."""
    person = _locked(person)
    fields = clean_person(data)
    id_number, mobile = fields.pop("id_number"), fields.pop("mobile")
    if id_number and _duplicate_id_number(id_number_lookup(id_number), exclude_pk=person.pk):
        raise DomainError(_("This ID number is already registered to another person."), field="id_number")
    changes = _diff(person, fields, id_number=id_number, mobile=mobile)
    _apply(person, fields, changes, id_number=id_number, mobile=mobile, tags=data.tags)
    if changes:
        record(actor, "person.update", person, changes=changes)
    return person


def person_data_from(person: Person) -> PersonData:
    """The current record as PersonData (clear identifiers): the base for merges and self-service edits."""
    return PersonData(
        name=person.name,
        gender=person.gender,
        birth_date=person.birth_date,
        id_number=id_number_of(person),
        mobile=mobile_of(person),
        email=person.email,
        education=person.education,
        title=person.title,
        title_level=person.title_level,
        discipline=person.discipline,
        unit=person.unit,
        employer=person.employer,
        position=person.position,
        division=person.division,
        native_place=person.native_place,
        political_status=person.political_status,
        expertise=person.expertise,
        achievements=person.achievements,
        tags=None,
    )


@transaction.atomic
def people_bulk_create(
    *, actor, organization, rows: list[PersonData], action: str | None = "person.import"
) -> list[Person]:
    """Create many people at once (imports, demo data): the same validation and keys as
    `person_create`, written with bulk inserts, and one audit record for the batch
    (`action=None`: none, for a caller that writes its own summary record).

    Raises DomainError for the first bad row; callers validate rows beforehand to report
    every bad cell. ID numbers must be unique within the batch and against the database.
    """
    people, seen = [], set()
    for number, data in enumerate(rows, start=1):
        try:
            fields = clean_person(data)
        except DomainError as exc:
            raise DomainError(f"{number}: {exc.message}", field=exc.field) from exc
        id_number, mobile = fields.pop("id_number"), fields.pop("mobile")
        person = Person(organization=organization, **fields)
        set_identifiers(person, id_number=id_number, mobile=mobile)
        if person.id_number_index:
            if person.id_number_index in seen:
                raise DomainError(
                    _("This ID number is already registered to another person."), field="id_number"
                )
            seen.add(person.id_number_index)
        index_name(person)
        people.append(person)
    registered = Person.objects.exclude(id_number_index="")
    ordered = sorted(seen)
    for start in range(0, len(ordered), 2000):  # bounded IN lists: SQLite and PostgreSQL cap parameters
        if registered.filter(id_number_index__in=ordered[start : start + 2000]).exists():
            raise DomainError(_("This ID number is already registered to another person."), field="id_number")
    insert_objects(people)
    index_new_people(people, organization.path)
    tag_rows = []
    Through = Person.tags.through
    for person, data in zip(people, rows, strict=True):
        for tag in data.tags or ():
            tag_rows.append(Through(person_id=person.pk, tag_id=tag.pk))
    Through.objects.bulk_create(tag_rows, batch_size=5000)
    if people and action:
        record(
            actor, action, None, org_path=organization.path, count=len(people), organization=organization.pk
        )
    return people


@transaction.atomic
def person_reveal(*, actor, person: Person, reason: str) -> dict:
    """The clear ID number and mobile of one person, for someone holding PERSONAL_UNMASK.

    The reveal is audited with the reason given; an empty reason is refused.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for viewing the full personal data."), field="reason")
    record(actor, "person.unmask", person, reason=reason[:200])
    return {"id_number": id_number_of(person), "mobile": mobile_of(person)}


@transaction.atomic
def people_reveal(*, actor, people: list[Person], reason: str, where: str) -> dict[int, dict]:
    """Clear identifiers for a page of people (a list view or an API page), audited once."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for viewing the full personal data."), field="reason")
    record(
        actor, "person.unmask", None, reason=reason[:200], where=where, people=[p.pk for p in people][:200]
    )
    return {p.pk: {"id_number": id_number_of(p), "mobile": mobile_of(p)} for p in people}


@transaction.atomic
def person_anonymize(*, actor, person: Person, reason: str) -> Person:
    """Erase what identifies a person (on request, or when retention ends), keeping what
    statistics count: gender, birth year, education, title level, discipline, unit, region,
    tags, memberships and honours. The person leaves search, lists and exports."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for anonymizing this person."), field="reason")
    person = _locked(person)
    person.name = _("Anonymized person %(id)s") % {"id": person.pk}
    set_identifiers(person, id_number="", mobile="")
    if person.birth_date:
        person.birth_date = person.birth_date.replace(month=7, day=1)  # year kept for age bands
    for name in ("email", "employer", "position", "expertise", "achievements"):
        setattr(person, name, "")
    person.native_place = None
    person.user = None
    person.status, person.anonymized_at = PersonStatus.ANONYMIZED, timezone.now()
    person.name_folded = person.pinyin = person.initials = ""
    person.sort_key = "~"
    person.save()
    reindex_people([person.pk])
    person.visits.update(note="")
    TalentListEntry.objects.filter(person=person).delete()
    record(actor, "person.anonymize", person, reason=reason[:200])
    return person


# --- minors (PIPL art. 31) --------------------------------------------------------------


def is_minor(person: Person, *, on: date | None = None) -> bool:
    age = person.age_on(on or timezone.localdate())
    return age is not None and age < MINOR_AGE


def has_guardian_consent(person: Person) -> bool:
    return person.consents.filter(given_by=Consent.GivenBy.GUARDIAN, withdrawn_on__isnull=True).exists()


def require_usable(person: Person) -> None:
    """A person under 14 is only stored until a guardian has consented; any other use
    (memberships, teams, lists, honours, exports) is refused with this error."""
    if person.is_anonymized:
        raise DomainError(_("This person's record has been anonymized."))
    if is_minor(person) and not has_guardian_consent(person):
        raise DomainError(
            _("%(name)s is under 14: record a guardian's consent before using their data.")
            % {"name": person.name}
        )
