"""Writing honours, visits (走访慰问), talent lists (人才资源清单) and the classifications
the administrator edits (disciplines and tags).

Every function runs in one transaction and writes its audit record in it. People must be
usable (`require_usable`): a minor without a guardian's consent or an anonymized record
cannot receive an honour, a visit record or a place on a list.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.people.models import (
    Discipline,
    Honour,
    HonourGrade,
    HonourLevel,
    Person,
    Tag,
    TalentList,
    TalentListEntry,
    Visit,
    VisitOccasion,
)
from kexie.people.services.people import require_usable

FIRST_HONOUR_YEAR = 1949
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Accepted evidence files: the extension and the first bytes a genuine file starts with.
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _audit_changes(old: dict, new: dict) -> dict:
    return {name: (old.get(name), value) for name, value in new.items() if old.get(name) != value}


def _created(fields: dict) -> dict:
    return {name: (None, value) for name, value in fields.items() if value not in ("", None)}


# --- honours -----------------------------------------------------------------------------


@dataclass
class HonourData:
    """What the honour form or an API call supplies."""

    title: str
    level: str
    year: int | None
    grade: str = ""
    issuer: str = ""
    note: str = ""


def clean_honour(data: HonourData) -> dict:
    title = _text(data.title)
    if not title:
        raise DomainError(_("Give the title of the honour."), field="title")
    if len(title) > 128:
        raise DomainError(_("The title is longer than 128 characters."), field="title")
    if data.level not in HonourLevel.values:
        raise DomainError(_("Choose the level of the honour."), field="level")
    grade = data.grade or ""
    if grade and grade not in HonourGrade.values:
        raise DomainError(_("Unknown grade of prize."), field="grade")
    next_year = timezone.localdate().year + 1
    if data.year is None or not FIRST_HONOUR_YEAR <= int(data.year) <= next_year:
        raise DomainError(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_HONOUR_YEAR, "last": next_year},
            field="year",
        )
    issuer = _text(data.issuer)
    if len(issuer) > 128:
        raise DomainError(_("The name of the awarding body is longer than 128 characters."), field="issuer")
    note = _text(data.note)
    if len(note) > 255:
        raise DomainError(_("The note is longer than 255 characters."), field="note")
    return {
        "title": title,
        "level": data.level,
        "grade": grade,
        "year": int(data.year),
        "issuer": issuer,
        "note": note,
    }


def validate_evidence(evidence) -> str:
    """Check an uploaded evidence file; return the extension it is stored under."""
    name = getattr(evidence, "name", "") or ""
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_SIGNATURES:
        raise DomainError(
            _("“%(name)s” cannot be kept as evidence: only PDF, JPG and PNG files are accepted.")
            % {"name": name},
            field="evidence",
        )
    if evidence.size > EVIDENCE_MAX_BYTES:
        raise DomainError(
            _("“%(name)s” is larger than 10 MB; scan it at a lower resolution or split it.") % {"name": name},
            field="evidence",
        )
    evidence.seek(0)
    head = evidence.read(16)
    evidence.seek(0)
    if not any(head.startswith(signature) for signature in EVIDENCE_SIGNATURES[suffix]):
        raise DomainError(
            _("“%(name)s” is not a genuine %(kind)s file.") % {"name": name, "kind": suffix[1:].upper()},
            field="evidence",
        )
    return ".jpg" if suffix == ".jpeg" else suffix


def _attach(honour: Honour, evidence, suffix: str) -> None:
    # A random stored name: the original name may carry personal data and is guessable.
    honour.evidence.save(f"{secrets.token_hex(12)}{suffix}", evidence, save=False)


def _delete_file_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def honour_create(
    *,
    actor,
    organization,
    person: Person | None = None,
    recipient_organization=None,
    data: HonourData,
    evidence=None,
) -> Honour:
    """Record an honour of a person or of an organization (exactly one); it shows on the
    recipient's profile, in the honour list and in the statistics of `organization`."""
    if (person is None) == (recipient_organization is None):
        raise DomainError(_("An honour goes either to one person or to one organization."))
    if person is not None:
        require_usable(person)
    fields = clean_honour(data)
    suffix = validate_evidence(evidence) if evidence else ""
    honour = Honour(
        organization=organization, person=person, recipient_organization=recipient_organization, **fields
    )
    if evidence:
        _attach(honour, evidence, suffix)
    try:
        with transaction.atomic():
            honour.save()
    except Exception:
        if honour.evidence:  # the row was refused: do not leave its file behind
            default_storage.delete(honour.evidence.name)
        raise
    changes = _created(fields)
    if evidence:
        changes["evidence"] = (None, honour.evidence.name)
    record(
        actor,
        "honour.create",
        honour,
        changes=changes,
        person=person.pk if person else None,
        recipient_organization=recipient_organization.pk if recipient_organization else None,
    )
    return honour


@transaction.atomic
def honour_update(
    *, actor, honour: Honour, data: HonourData, evidence=None, remove_evidence: bool = False
) -> Honour:
    """Correct an honour; a new evidence file replaces the old one, which is deleted."""
    honour = Honour.objects.select_for_update().get(pk=honour.pk)
    fields = clean_honour(data)
    suffix = validate_evidence(evidence) if evidence else ""
    old = {name: getattr(honour, name) for name in fields}
    changes = _audit_changes(old, fields)
    for name, value in fields.items():
        setattr(honour, name, value)
    old_file = honour.evidence.name or ""
    if evidence:
        _attach(honour, evidence, suffix)
        changes["evidence"] = (old_file or None, honour.evidence.name)
    elif remove_evidence and old_file:
        honour.evidence = ""
        changes["evidence"] = (old_file, None)
    if changes:
        honour.save()
        if "evidence" in changes:
            _delete_file_after_commit(old_file)
        record(actor, "honour.update", honour, changes=changes)
    return honour


@transaction.atomic
def honour_delete(*, actor, honour: Honour, reason: str) -> None:
    """Delete a wrongly recorded honour, with the reason; its evidence file goes too."""
    reason = _text(reason)
    if not reason:
        raise DomainError(_("Give the reason for deleting this honour."), field="reason")
    honour = Honour.objects.select_for_update().get(pk=honour.pk)
    record(
        actor,
        "honour.delete",
        honour,
        reason=reason[:200],
        title=honour.title,
        year=honour.year,
        level=honour.level,
        person=honour.person_id,
        recipient_organization=honour.recipient_organization_id,
    )
    _delete_file_after_commit(honour.evidence.name or "")
    honour.delete()


# --- visits ------------------------------------------------------------------------------


@dataclass
class VisitData:
    visited_on: date | None
    occasion: str
    visitors: str
    note: str = ""


def clean_visit(data: VisitData) -> dict:
    if data.visited_on is None:
        raise DomainError(_("Give the date of the visit."), field="visited_on")
    if data.visited_on > timezone.localdate():
        raise DomainError(
            _("The date of the visit cannot be in the future; record a visit once it has taken place."),
            field="visited_on",
        )
    if data.visited_on.year < FIRST_HONOUR_YEAR:
        raise DomainError(_("The date of the visit is before 1949."), field="visited_on")
    if data.occasion not in VisitOccasion.values:
        raise DomainError(_("Choose the occasion of the visit."), field="occasion")
    visitors = _text(data.visitors)
    if not visitors:
        raise DomainError(_("Say who made the visit."), field="visitors")
    if len(visitors) > 200:
        raise DomainError(_("The list of visitors is longer than 200 characters."), field="visitors")
    note = (data.note or "").strip()
    if len(note) > 2000:
        raise DomainError(_("The note is longer than 2000 characters."), field="note")
    return {"visited_on": data.visited_on, "occasion": data.occasion, "visitors": visitors, "note": note}


@transaction.atomic
def visit_create(*, actor, organization, person: Person, data: VisitData) -> Visit:
    """Record that `organization` visited or cared for `person` (走访慰问)."""
    require_usable(person)
    fields = clean_visit(data)
    visit = Visit.objects.create(
        organization=organization,
        person=person,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    record(actor, "visit.create", visit, changes=_created(fields), person=person.pk)
    return visit


@transaction.atomic
def visit_update(*, actor, visit: Visit, data: VisitData) -> Visit:
    visit = Visit.objects.select_for_update().select_related("person").get(pk=visit.pk)
    if visit.person.is_anonymized:
        raise DomainError(_("This person's record has been anonymized."))
    fields = clean_visit(data)
    changes = _audit_changes({name: getattr(visit, name) for name in fields}, fields)
    if changes:
        for name, value in fields.items():
            setattr(visit, name, value)
        visit.save()
        record(actor, "visit.update", visit, changes=changes)
    return visit


@transaction.atomic
def visit_delete(*, actor, visit: Visit) -> None:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    record(
        actor,
        "visit.delete",
        visit,
        person=visit.person_id,
        visited_on=visit.visited_on.isoformat(),
        occasion=visit.occasion,
    )
    visit.delete()


# --- talent lists ------------------------------------------------------------------------


@dataclass
class TalentListData:
    name: str
    kind: str
    description: str = ""
    filter_query: str = ""  # a people-list query string, for saved searches


def clean_talent_list(data: TalentListData) -> dict:
    from kexie.people.selectors.people import person_filter_query

    name = _text(data.name)
    if not name:
        raise DomainError(_("Give the list a name."), field="name")
    if len(name) > 128:
        raise DomainError(_("The name is longer than 128 characters."), field="name")
    if data.kind not in TalentList.Kind.values:
        raise DomainError(_("Choose the kind of list."), field="kind")
    filter_query = ""
    if data.kind == TalentList.Kind.SAVED_FILTER:
        from django.http import QueryDict

        filter_query = person_filter_query(QueryDict(data.filter_query or ""))
        if not filter_query:
            raise DomainError(
                _("A saved search needs at least one condition, such as a name, a tag or a discipline."),
                field="filter_query",
            )
        if len(filter_query) > 1000:
            raise DomainError(_("The search is too long to be saved."), field="filter_query")
    return {
        "name": name,
        "kind": data.kind,
        "description": (data.description or "").strip()[:2000],
        "filter_query": filter_query,
    }


@transaction.atomic
def talent_list_create(*, actor, organization, data: TalentListData) -> TalentList:
    """Create a talent list kept by `organization`: a saved search (always up to date) or
    a list of chosen people (filled by hand, may start empty)."""
    fields = clean_talent_list(data)
    talent_list = TalentList.objects.create(
        organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    record(actor, "talent_list.create", talent_list, changes=_created(fields))
    return talent_list


@transaction.atomic
def talent_list_update(*, actor, talent_list: TalentList, data: TalentListData) -> TalentList:
    talent_list = TalentList.objects.select_for_update().get(pk=talent_list.pk)
    if data.kind != talent_list.kind:
        raise DomainError(_("The kind of a list cannot be changed; create a new list instead."), field="kind")
    fields = clean_talent_list(data)
    changes = _audit_changes({name: getattr(talent_list, name) for name in fields}, fields)
    if changes:
        for name, value in fields.items():
            setattr(talent_list, name, value)
        talent_list.save()
        record(actor, "talent_list.update", talent_list, changes=changes)
    return talent_list


@transaction.atomic
def talent_list_delete(*, actor, talent_list: TalentList) -> None:
    """Delete a list; the people on it stay in the talent pool."""
    talent_list = TalentList.objects.select_for_update().get(pk=talent_list.pk)
    record(
        actor,
        "talent_list.delete",
        talent_list,
        name=talent_list.name,
        kind=talent_list.kind,
        entries=talent_list.list_entries.count(),
    )
    talent_list.delete()


def _require_explicit(talent_list: TalentList) -> None:
    if talent_list.kind != TalentList.Kind.EXPLICIT:
        raise DomainError(
            _("“%(name)s” is a saved search: its members follow the search and cannot be chosen by hand.")
            % {"name": talent_list.name}
        )


@transaction.atomic
def talent_list_add(*, actor, talent_list: TalentList, person: Person, note: str = "") -> TalentListEntry:
    """Put a person on a list of chosen people."""
    talent_list = TalentList.objects.select_for_update().get(pk=talent_list.pk)
    _require_explicit(talent_list)
    require_usable(person)
    if TalentListEntry.objects.filter(talent_list=talent_list, person=person).exists():
        raise DomainError(
            _("%(person)s is already on “%(list)s”.") % {"person": person.name, "list": talent_list.name}
        )
    entry = TalentListEntry.objects.create(talent_list=talent_list, person=person, note=_text(note)[:255])
    talent_list.save(update_fields=["updated_at"])
    record(actor, "talent_list.add", talent_list, person=person.pk, note=entry.note)
    return entry


@transaction.atomic
def talent_list_remove(*, actor, talent_list: TalentList, person: Person) -> None:
    talent_list = TalentList.objects.select_for_update().get(pk=talent_list.pk)
    _require_explicit(talent_list)
    deleted, _rows = TalentListEntry.objects.filter(talent_list=talent_list, person=person).delete()
    if not deleted:
        raise DomainError(
            _("%(person)s is not on “%(list)s”.") % {"person": person.name, "list": talent_list.name}
        )
    talent_list.save(update_fields=["updated_at"])
    record(actor, "talent_list.remove", talent_list, person=person.pk)


# --- disciplines and tags (deployment-wide, edited by administrators) -----------------


@dataclass
class DisciplineData:
    code: str
    name: str
    parent: Discipline | None = None
    position: int = 0
    is_active: bool = True


def _save_unique(obj, field: str, message: str) -> None:
    """Save; a code taken concurrently becomes a domain error, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise DomainError(message, field=field) from exc


def _clean_discipline(data: DisciplineData, *, instance: Discipline | None) -> dict:
    code = (data.code or "").strip().upper()
    if not code:
        raise DomainError(_("Give the code."), field="code")
    if len(code) > 16:
        raise DomainError(_("The code is longer than 16 characters."), field="code")
    clash = Discipline.objects.filter(code__iexact=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code")
    name = _text(data.name)
    if not name:
        raise DomainError(_("Give the name."), field="name")
    if len(name) > 64:
        raise DomainError(_("The name is longer than 64 characters."), field="name")
    parent = data.parent
    if parent is not None:
        if instance is not None and parent.pk == instance.pk:
            raise DomainError(_("A discipline cannot be its own category."), field="parent")
        if not parent.is_category:
            raise DomainError(
                _("“%(name)s” is itself a discipline; choose a category (the first level).")
                % {"name": parent.name},
                field="parent",
            )
        if instance is not None and instance.children.exists():
            raise DomainError(
                _("“%(name)s” is a category with disciplines under it and cannot be placed under another.")
                % {"name": instance.name},
                field="parent",
            )
    position = int(data.position or 0)
    if not 0 <= position <= 32767:
        raise DomainError(_("The order must be between 0 and 32767."), field="position")
    return {
        "code": code,
        "name": name,
        "parent": parent,
        "position": position,
        "is_active": bool(data.is_active),
    }


@transaction.atomic
def discipline_create(*, actor, data: DisciplineData) -> Discipline:
    """Add a category (no parent) or a discipline under a category; people can then be
    classified under it everywhere in the deployment."""
    fields = _clean_discipline(data, instance=None)
    discipline = Discipline(**fields)
    _save_unique(discipline, "code", _("The code %(code)s is already used.") % {"code": fields["code"]})
    record(actor, "discipline.create", discipline, changes=_created(fields))
    return discipline


@transaction.atomic
def discipline_update(*, actor, discipline: Discipline, data: DisciplineData) -> Discipline:
    """Rename, renumber, move or retire a discipline (retired ones stay on existing records)."""
    discipline = Discipline.objects.select_for_update().get(pk=discipline.pk)
    fields = _clean_discipline(data, instance=discipline)
    changes = _audit_changes({name: getattr(discipline, name) for name in fields}, fields)
    if changes:
        for name, value in fields.items():
            setattr(discipline, name, value)
        _save_unique(discipline, "code", _("The code %(code)s is already used.") % {"code": fields["code"]})
        record(actor, "discipline.update", discipline, changes=changes)
    return discipline


@dataclass
class TagData:
    code: str
    name: str
    position: int = 0


def _clean_tag(data: TagData, *, instance: Tag | None) -> dict:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_slug

    code = (data.code or "").strip().lower()
    if not code:
        raise DomainError(_("Give the code."), field="code")
    if len(code) > 32:
        raise DomainError(_("The code is longer than 32 characters."), field="code")
    try:
        validate_slug(code)
    except ValidationError as exc:
        raise DomainError(
            _("The code may hold only Latin letters, digits, hyphens and underscores, e.g. young_talent."),
            field="code",
        ) from exc
    clash = Tag.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code")
    name = _text(data.name)
    if not name:
        raise DomainError(_("Give the name."), field="name")
    if len(name) > 32:
        raise DomainError(_("The name is longer than 32 characters."), field="name")
    position = int(data.position or 0)
    if not 0 <= position <= 32767:
        raise DomainError(_("The order must be between 0 and 32767."), field="position")
    return {"code": code, "name": name, "position": position}


@transaction.atomic
def tag_create(*, actor, data: TagData) -> Tag:
    """Add a tag people can be labelled with (and searched and listed by)."""
    fields = _clean_tag(data, instance=None)
    tag = Tag(**fields)
    _save_unique(tag, "code", _("The code %(code)s is already used.") % {"code": fields["code"]})
    record(actor, "tag.create", tag, changes=_created(fields))
    return tag


@transaction.atomic
def tag_update(*, actor, tag: Tag, data: TagData) -> Tag:
    """Rename or renumber a tag. Saved searches that filter by its code follow a new code."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    fields = _clean_tag(data, instance=tag)
    changes = _audit_changes({name: getattr(tag, name) for name in fields}, fields)
    if changes:
        old_code = tag.code
        for name, value in fields.items():
            setattr(tag, name, value)
        _save_unique(tag, "code", _("The code %(code)s is already used.") % {"code": fields["code"]})
        followed = _saved_searches_follow_tag(old_code, tag.code) if "code" in changes else 0
        record(actor, "tag.update", tag, changes=changes, saved_searches_updated=followed)
    return tag


def _saved_searches_follow_tag(old_code: str, new_code: str) -> int:
    from django.http import QueryDict

    from kexie.people.selectors.people import person_filter_query

    lists = TalentList.objects.select_for_update().filter(
        kind=TalentList.Kind.SAVED_FILTER, filter_query__contains=f"tag={old_code}"
    )
    updated = 0
    for talent_list in lists:
        params = QueryDict(talent_list.filter_query, mutable=True)
        if params.get("tag") != old_code:
            continue
        params["tag"] = new_code
        talent_list.filter_query = person_filter_query(params)
        talent_list.save(update_fields=["filter_query", "updated_at"])
        updated += 1
    return updated
