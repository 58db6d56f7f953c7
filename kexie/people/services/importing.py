"""Applying an import of people, units or society members: every row, or none.

`import_apply` checks the stored sheet again inside its transaction (the database may have
changed since the preview) and refuses the whole file when a single row has a problem.
Otherwise it creates the new records (people through `people_bulk_create`, units and
memberships with bulk inserts), merges or skips the duplicates as the user chose, leaves
the unchanged rows alone and writes one audit record, "person.import", "unit.import" or
"member.import", with the counts: created, merged, skipped and unchanged. A token is applied
at most once, so a double submit or a second tab cannot import a file twice.

Files over `SYNC_ROWS` rows are checked and applied by background tasks
(`import_check_task`, `import_apply_task`), which write their progress to the import store.
"""

import logging
import re
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from kexie.audit.models import AuditEvent
from kexie.audit.services import record
from kexie.core.chinese import pinyin_sort_key, search_text_for
from kexie.core.errors import DomainError
from kexie.core.scoping import Scope
from kexie.orgs.models import Organization
from kexie.people.importing import (
    ImportKind,
    MemberType,
    OnDuplicate,
    Phase,
    RowCheck,
    RowStatus,
    Sheet,
    SheetCheck,
    SheetError,
    Upload,
    member_societies,
    merged_person_data,
    preview_store,
    problem,
    progress_writer,
    sheet_check,
    sheet_load,
    society_of,
    state_write,
    upload_forget_data,
    upload_get,
)
from kexie.people.models import Person, SocietyMembership, Unit
from kexie.people.services.people import people_bulk_create, person_data_from, person_update
from kexie.people.services.search_index import place_new_members

logger = logging.getLogger(__name__)

BATCH = 2_000


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    merged: int = 0
    skipped: int = 0
    unchanged: int = 0
    people_created: int = 0  # members: people registered by the roster
    people_merged: int = 0

    def counts(self) -> dict:
        return {key: value for key, value in asdict(self).items() if key != "kind"}


def _row_error(check: SheetCheck, row: RowCheck, error: DomainError) -> SheetError:
    key = error.field if error.field in check.sheet.headers else None
    return SheetError(
        [problem(row.number, check.sheet.column_label(key) if key else None, str(error.message))]
    )


@transaction.atomic
def import_apply(
    *,
    actor,
    scope: Scope,
    sheet: Sheet,
    token: str,
    on_duplicate: str = OnDuplicate.SKIP,
    society: Organization | None = None,
    progress=None,
) -> ImportResult:
    """Import a checked sheet: everything in one transaction, or nothing.

    Raises SheetError listing every problem when a row is no longer valid, and DomainError
    when the token has already been applied.
    """
    if on_duplicate not in OnDuplicate.VALUES:
        raise DomainError(
            _("Choose whether to merge or skip the people already registered."), field="on_duplicate"
        )
    action = ImportKind.AUDIT_ACTIONS[sheet.kind]
    if actor is not None and actor.pk is not None:
        # One import at a time per user, so a double submit sees the first one's summary record.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if AuditEvent.objects.filter(action=action, detail__token=token).exists():
        raise DomainError(_("This import has already been applied."), code="applied")
    if sheet.kind == ImportKind.MEMBERS and (
        society is None or not member_societies(scope).filter(pk=society.pk).exists()
    ):
        raise DomainError(_("Choose the society whose members these are."), field="society")
    check = sheet_check(scope=scope, sheet=sheet, society=society, progress=progress)
    if not check.is_valid:
        raise SheetError(check.problems)
    if progress is not None:
        progress(len(check.rows), len(check.rows))
    result = ImportResult(kind=sheet.kind, rows=len(check.rows))
    if sheet.kind == ImportKind.UNITS:
        _apply_units(scope, check, on_duplicate, result)
    elif sheet.kind == ImportKind.PEOPLE:
        _apply_people(actor, scope.organization, check, on_duplicate, result)
    else:
        _apply_members(actor, society, check, on_duplicate, result)
    record(
        actor,
        action,
        society if sheet.kind == ImportKind.MEMBERS else scope.organization,
        token=token,
        filename=sheet.filename[:255],
        on_duplicate=on_duplicate,
        **result.counts(),
    )
    return result


# --- people ----------------------------------------------------------------------------------


def _create_people(actor, organization, check: SheetCheck, rows: list[RowCheck]) -> list[Person]:
    try:
        return people_bulk_create(
            actor=actor, organization=organization, rows=[row.person_data for row in rows], action=None
        )
    except DomainError as error:
        # The checks mirror the service's rules, so this only happens on a race; say where.
        found = re.match(r"(\d+): ", str(error.message))
        row = rows[int(found.group(1)) - 1] if found else rows[0]
        raise _row_error(check, row, error) from error


def _merge_person(actor, check: SheetCheck, row: RowCheck) -> None:
    person = row.person
    existing_tags = list(person.tags.all()) if row.tags else []
    data = merged_person_data(person_data_from(person), row, existing_tags)
    try:
        person_update(actor=actor, person=person, data=data)
    except DomainError as error:
        raise _row_error(check, row, error) from error


def _apply_people(actor, organization, check: SheetCheck, on_duplicate: str, result: ImportResult) -> None:
    new = [row for row in check.rows if row.status == RowStatus.NEW]
    result.created = len(_create_people(actor, organization, check, new)) if new else 0
    for row in check.rows:
        if row.status == RowStatus.UNCHANGED:
            result.unchanged += 1
        elif row.status == RowStatus.DUPLICATE and on_duplicate == OnDuplicate.SKIP:
            result.skipped += 1
        elif row.status == RowStatus.DUPLICATE:
            _merge_person(actor, check, row)
            result.merged += 1


# --- units -----------------------------------------------------------------------------------


def _search_keys(unit: Unit) -> None:
    unit.search_text = search_text_for(unit.name)
    unit.sort_key = pinyin_sort_key(unit.name)


def _apply_units(scope: Scope, check: SheetCheck, on_duplicate: str, result: ImportResult) -> None:
    created, changed, changed_fields = [], [], set()
    for row in check.rows:
        if row.status == RowStatus.NEW:
            unit = Unit(organization=scope.organization, **row.unit_fields)
            _search_keys(unit)
            created.append(unit)
        elif row.status == RowStatus.UNCHANGED:
            result.unchanged += 1
        elif on_duplicate == OnDuplicate.SKIP:
            result.skipped += 1
        else:
            unit = row.unit
            for key in row.changes:
                setattr(unit, key, row.unit_fields[key])
            if "name" in row.changes:
                _search_keys(unit)
                changed_fields.update({"search_text", "sort_key"})
            changed_fields.update(row.changes)
            changed.append(unit)
            result.merged += 1
    Unit.objects.bulk_create(created, batch_size=BATCH)
    if changed:
        Unit.objects.bulk_update(changed, [*sorted(changed_fields), "updated_at"], batch_size=BATCH)
    result.created = len(created)


# --- members ---------------------------------------------------------------------------------


def _apply_members(
    actor, society: Organization, check: SheetCheck, on_duplicate: str, result: ImportResult
) -> None:
    merge = on_duplicate == OnDuplicate.MERGE
    individual = [row for row in check.rows if row.member_type == MemberType.INDIVIDUAL]
    new_people = [row for row in individual if row.person is None]
    if new_people:
        for row, person in zip(new_people, _create_people(actor, society, check, new_people), strict=True):
            row.person = person
        result.people_created = len(new_people)
    if merge:
        for row in individual:
            if row.person_status == RowStatus.DUPLICATE:
                _merge_person(actor, check, row)
                result.people_merged += 1

    created, changed, changed_fields = [], [], set()
    for row in check.rows:
        fields = row.membership_fields
        if row.membership is None:
            holder = (
                {"unit": row.unit} if row.member_type == MemberType.INSTITUTIONAL else {"person": row.person}
            )
            created.append(SocietyMembership(society=society, **holder, **fields))
        elif row.status == RowStatus.UNCHANGED:
            result.unchanged += 1
            continue
        elif not merge:
            result.skipped += 1
            continue
        else:
            membership_changes = [key for key in row.changes if key in fields]
            for key in membership_changes:
                setattr(row.membership, key, fields[key])
            if membership_changes:
                changed.append(row.membership)
                changed_fields.update(membership_changes)
            result.merged += 1
    SocietyMembership.objects.bulk_create(created, batch_size=BATCH)
    place_new_members(m.person_id for m in created if m.person_id)
    if changed:
        SocietyMembership.objects.bulk_update(
            changed, [*sorted(changed_fields), "updated_at"], batch_size=BATCH
        )
    result.created = len(created)


# --- checking and applying an upload of the import store (in the request or a task) ---------


def upload_check(*, upload: Upload, scope: Scope) -> None:
    """Check a stored upload and store its preview; the progress file says when it is ready."""
    try:
        check = sheet_check(
            scope=scope,
            sheet=sheet_load(upload),
            society=society_of(scope, upload),
            progress=progress_writer(upload, Phase.CHECKING),
        )
        preview_store(upload, check)
    except Exception:
        state_write(
            upload, phase=Phase.FAILED, message=_("The file could not be checked. Nothing was written.")
        )
        raise
    state_write(upload, phase=Phase.CHECKED, done=upload.row_count, total=upload.row_count, problems=[])


def upload_apply(*, upload: Upload, scope: Scope, on_duplicate: str) -> ImportResult:
    """Apply a stored upload; record the outcome in its progress file and forget its data.

    SheetError (rows no longer valid) and DomainError (already applied) are recorded and
    raised again; nothing has been written then.
    """
    state_write(upload, phase=Phase.APPLYING, done=0, total=upload.row_count, on_duplicate=on_duplicate)
    try:
        result = import_apply(
            actor=scope.user,
            scope=scope,
            sheet=sheet_load(upload),
            token=upload.token,
            on_duplicate=on_duplicate,
            society=society_of(scope, upload),
            progress=progress_writer(upload, Phase.APPLYING),
        )
    except SheetError as error:
        state_write(upload, phase=Phase.CHECKED, problems=error.problems[:1000])
        raise
    except DomainError as error:
        phase = Phase.APPLIED if error.code == "applied" else Phase.CHECKED
        state_write(upload, phase=phase, message=str(error.message))
        raise
    except Exception:
        state_write(upload, phase=Phase.FAILED, message=_("The import failed. Nothing was written."))
        raise
    state_write(upload, phase=Phase.APPLIED, result=result.counts(), problems=[], message="")
    upload_forget_data(upload)
    return result


def _task_scope(upload: Upload) -> Scope | None:
    """The uploader's scope as it is now; None (and the upload marked failed) when their role
    has been revoked meanwhile."""
    from kexie.accounts.models import Membership

    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(pk=upload.membership_id, user_id=upload.user_id, is_active=True)
        .first()
    )
    if membership is None:
        state_write(upload, phase=Phase.FAILED, message=_("Your role has changed; upload the file again."))
        return None
    return Scope(user=membership.user, membership=membership)


@task()
def import_check_task(token: str) -> None:
    """Check a large upload in the background (the preview page polls its progress)."""
    upload = upload_get(token)
    if upload is None:
        return
    with translation.override(upload.language):
        scope = _task_scope(upload)
        if scope is not None:
            upload_check(upload=upload, scope=scope)


@task()
def import_apply_task(token: str, on_duplicate: str) -> dict:
    """Apply a large upload in the background; its outcome is written to the progress file."""
    upload = upload_get(token)
    if upload is None:
        return {}
    with translation.override(upload.language):
        scope = _task_scope(upload)
        if scope is None:
            return {}
        try:
            return upload_apply(upload=upload, scope=scope, on_duplicate=on_duplicate).counts()
        except DomainError:  # SheetError included: the outcome is in the progress file
            logger.info("import %s not applied", token)
            return {}
