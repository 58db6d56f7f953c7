"""Importing organizations from an .xlsx sheet: read, check every row, then apply all or nothing.

Staff fill in the template (`template_workbook`), upload it, and see every problem at once,
row by row and cell by cell, before anything is written (`sheet_read`, `sheet_check`). Only
a sheet without a single problem can be applied (`sheet_apply`): every row goes through
`services.organization_create` (so each is audited like a hand-made one) inside one
transaction, followed by one `org.import` summary record.

Headers and kinds are matched in every UI language as well as by their internal codes, so
a template downloaded in Chinese, in English, or filled in by hand with codes all work.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kexie.audit.models import AuditEvent
from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.core.scoping import Scope
from kexie.core.sheets import Sheet, SheetError, aliases, folded, problem
from kexie.core.sheets import sheet_read as read_sheet
from kexie.core.validators import (
    normalize_credit_code,
    validate_credit_code,
    validate_division_code,
    validate_phone,
)

from . import services
from .models import ALLOWED_PARENTS, Division, Kind, Organization, Status

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # applying runs inside the request: about 10 ms a row


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation: the header the template writes
    required: bool = False
    max_length: int | None = None
    text: bool = False  # the template formats it as text so Excel keeps codes intact


COLUMNS = (
    Column("name", gettext_lazy("Name"), required=True, max_length=128),
    Column("short_name", gettext_lazy("Short name"), max_length=64),
    Column("kind", gettext_lazy("Kind"), required=True),
    Column("parent", gettext_lazy("Parent")),
    Column("credit_code", gettext_lazy("Unified social credit code"), text=True),
    Column("division", gettext_lazy("Division code"), text=True),
    Column("address", gettext_lazy("Address"), max_length=255),
    Column("legal_representative", gettext_lazy("Legal representative"), max_length=64),
    Column("contact_person", gettext_lazy("Contact person"), max_length=64),
    Column("contact_phone", gettext_lazy("Contact phone"), max_length=32, text=True),
    Column("founded_on", gettext_lazy("Founding date")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
ROW_PROBLEM = ""  # the key under which a problem of the whole row is filed

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


# --- matching headers and kinds in any language ----------------------------------------------


def header_aliases() -> dict[str, str]:
    return {alias: column.key for column in COLUMNS for alias in aliases(column.label, column.key)}


def kind_aliases() -> dict[str, str]:
    return {alias: kind.value for kind in Kind for alias in aliases(kind.label, kind.value, kind.name)}


# --- the template ----------------------------------------------------------------------------


def _example_row() -> dict[str, str]:
    return {
        "name": _("Example Town Science and Technology Association"),
        "short_name": _("Example Town Association"),
        "kind": str(Kind.TOWN_ASSOCIATION.label),
        "parent": _("Example County Science and Technology Association"),
        "credit_code": "",
        "division": "",
        "address": _("No. 1 Example Road"),
        "legal_representative": "",
        "contact_person": _("Zhang San"),
        "contact_phone": "13800138000",
        "founded_on": "2020-05-20",
    }


def template_workbook() -> bytes:
    """The import template: the columns with an example row, and a sheet of valid kinds."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Organizations")[:31]
    bold = Font(bold=True)
    sheet.append([str(column.label) for column in COLUMNS])
    example = _example_row()
    sheet.append([example[column.key] for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = bold
        sheet[f"{letter}1"].fill = PatternFill("solid", fgColor="E3ECF8")
        sheet.column_dimensions[letter].width = 34 if column.key in ("name", "parent", "address") else 20
        if column.text:
            # Text, so Excel keeps codes and phone numbers as typed (no 9.1E+17, no lost zeros).
            sheet.column_dimensions[letter].number_format = "@"
            sheet[f"{letter}2"].number_format = "@"
    sheet.freeze_panes = "A2"

    kinds = book.create_sheet(_("Kinds")[:31])
    kinds.append([_("Kind"), _("Code"), _("May be placed under")])
    for kind in Kind:
        parents = [str(Kind(p).label) for p in sorted(p for p in ALLOWED_PARENTS[kind] if p)]
        under = "、".join(parents) if parents else _("(top of the network)")
        kinds.append([str(kind.label), kind.value, under])
    for letter, width in (("A", 34), ("B", 26), ("C", 80)):
        kinds[f"{letter}1"].font = bold
        kinds.column_dimensions[letter].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading the upload ----------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_read(content: bytes, filename: str) -> Sheet:
    """Read the first sheet (kexie.core.sheets.sheet_read) with this import's columns."""
    return read_sheet(
        content,
        filename,
        columns=COLUMNS,
        header_aliases=header_aliases(),
        max_rows=MAX_ROWS,
        cell_text=_cell_text,
    )


# --- checking every row ----------------------------------------------------------------------


@dataclass
class RowCheck:
    number: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    kind: str = ""
    parent_org: Organization | None = None  # an existing organization in scope
    parent_row: int | None = None  # or a row above in the same file
    parent_label: str = ""  # what the preview shows the parent resolved to
    data: services.OrganizationData | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(str(message))


@dataclass
class SheetCheck:
    sheet: Sheet
    rows: list[RowCheck]

    @property
    def is_valid(self) -> bool:
        return all(row.is_valid for row in self.rows)

    @property
    def valid_count(self) -> int:
        return sum(row.is_valid for row in self.rows)

    @property
    def invalid_count(self) -> int:
        return len(self.rows) - self.valid_count

    def column_label(self, key: str) -> str:
        return self.sheet.headers.get(key) or str(COLUMNS_BY_KEY[key].label)

    @property
    def problems(self) -> list[str]:
        return [
            problem(row.number, self.column_label(key) if key else None, message)
            for row in self.rows
            for key, messages in row.errors.items()
            for message in messages
        ]


def _parse_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _first_message(error: ValidationError) -> str:
    return error.messages[0]


def _stand_in(kind: str) -> Organization:
    """An unsaved organization of `kind`, so `check_parent` can judge a row above as a parent."""
    return Organization(kind=kind, status=Status.ACTIVE)


def sheet_check(*, scope: Scope, sheet: Sheet) -> SheetCheck:
    """Check every row against the rules and the database, writing nothing.

    A row's parent is the credit code or exact name (or short name) of an organization in
    the user's scope, or of a row above; left empty it is the scope's own organization.
    """
    kinds = kind_aliases()
    rows = [RowCheck(number, values) for number, values in sheet.rows]
    existing = _existing_parents(scope, rows)
    codes_in_file = {normalize_credit_code(r.values.get("credit_code", "")) for r in rows} - {""}
    taken_codes = set(
        Organization.objects.filter(credit_code__in=codes_in_file).values_list("credit_code", flat=True)
    )
    division_codes = {r.values.get("division", "") for r in rows} - {""}
    divisions = Division.objects.in_bulk([c for c in division_codes if len(c) == 6 and c.isdigit()])
    example_name = _example_row()["name"]

    seen_codes: dict[str, int] = {}
    above = _Parents({}, {}, {})  # the rows above the current one, indexed like `existing`
    for row in rows:
        values = row.values
        if values.get("name") == example_name:
            row.add(ROW_PROBLEM, _("This is the example row of the template; delete it."))
            continue
        for key, text in values.items():
            limit = COLUMNS_BY_KEY[key].max_length
            if limit and len(text) > limit:
                row.add(key, _("Longer than %(max)s characters.") % {"max": limit})
        if not values.get("name"):
            row.add("name", _("The name is required."))

        kind_text = values.get("kind", "")
        row.kind = kinds.get(folded(kind_text), "")
        if not kind_text:
            row.add("kind", _("The kind is required."))
        elif not row.kind:
            row.add(
                "kind",
                _("Unknown kind “%(kind)s” (see the sheet of kinds in the template).") % {"kind": kind_text},
            )

        _check_parent(scope, row, above, existing)

        code = normalize_credit_code(values.get("credit_code", ""))
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as error:
                row.add("credit_code", _first_message(error))
            else:
                if code in seen_codes:
                    row.add(
                        "credit_code",
                        _("The same unified social credit code is also on row %(row)s.")
                        % {"row": seen_codes[code]},
                    )
                elif code in taken_codes:
                    taken = _("Another organization already has the unified social credit code %(code)s.")
                    row.add("credit_code", taken % {"code": code})
                seen_codes.setdefault(code, row.number)

        division = None
        division_text = values.get("division", "")
        if division_text:
            try:
                validate_division_code(division_text)
            except ValidationError as error:
                row.add("division", _first_message(error))
            else:
                division = divisions.get(division_text)
                if division is None:
                    row.add("division", _("Unknown division code %(code)s.") % {"code": division_text})

        try:
            validate_phone(values.get("contact_phone", ""))
        except ValidationError as error:
            row.add("contact_phone", _first_message(error))

        founded_on = None
        if values.get("founded_on"):
            try:
                founded_on = _parse_date(values["founded_on"])
            except ValueError:
                row.add(
                    "founded_on",
                    _("“%(value)s” is not a date; write it like 2020-05-20.")
                    % {"value": values["founded_on"]},
                )
            else:
                if founded_on > timezone.localdate():
                    row.add("founded_on", _("The founding date cannot be in the future."))

        if row.is_valid:
            row.data = services.OrganizationData(
                name=values.get("name", ""),
                kind=row.kind,
                short_name=values.get("short_name", ""),
                credit_code=code,
                division=division,
                address=values.get("address", ""),
                legal_representative=values.get("legal_representative", ""),
                contact_person=values.get("contact_person", ""),
                contact_phone=values.get("contact_phone", ""),
                founded_on=founded_on,
            )
        above.add(row, code=code, name=values.get("name", ""), short_name=values.get("short_name", ""))
    return SheetCheck(sheet=sheet, rows=rows)


@dataclass
class _Parents:
    """Candidate parents (organizations, or rows above) by credit code, name and short name."""

    by_code: dict[str, Organization | RowCheck]
    by_name: dict[str, list]
    by_short_name: dict[str, list]

    def add(self, candidate, *, code: str, name: str, short_name: str) -> None:
        if code:
            self.by_code.setdefault(code, candidate)
        if name:
            self.by_name.setdefault(name, []).append(candidate)
        if short_name:
            self.by_short_name.setdefault(short_name, []).append(candidate)


def _existing_parents(scope: Scope, rows: list[RowCheck]) -> _Parents:
    """The organizations in scope that a row's parent cell could mean, in one query."""
    texts = {r.values.get("parent", "") for r in rows} - {""}
    codes = {normalize_credit_code(t) for t in texts}
    found = scope.organizations().filter(
        Q(name__in=texts) | Q(short_name__in=texts) | Q(credit_code__in=codes - {""})
    )
    parents = _Parents({}, {}, {})
    for org in found:
        parents.add(org, code=org.credit_code, name=org.name, short_name=org.short_name)
    return parents


def _check_parent(scope: Scope, row: RowCheck, above: _Parents, existing: _Parents) -> None:
    text = row.values.get("parent", "")
    parent: Organization | None = None
    if not text:
        row.parent_org = parent = scope.organization
        row.parent_label = parent.name
    else:
        code = normalize_credit_code(text)
        by_code = existing.by_code.get(code) or above.by_code.get(code)
        if re.fullmatch(r"[0-9A-Z]{18}", code) and by_code is not None:
            matches: list = [by_code]
        else:
            matches = [*existing.by_name.get(text, []), *above.by_name.get(text, [])]
            if not matches:
                matches = [*existing.by_short_name.get(text, []), *above.by_short_name.get(text, [])]
            active = [m for m in matches if isinstance(m, RowCheck) or m.status == Status.ACTIVE]
            if len(matches) > 1 and len(active) == 1:
                matches = active
        if not matches:
            row.add(
                "parent",
                _("No organization “%(parent)s” was found among your organizations or the rows above.")
                % {"parent": text},
            )
            return
        if len(matches) > 1:
            row.add(
                "parent",
                _(
                    "Several organizations are called “%(parent)s”; give the parent's unified "
                    "social credit code instead."
                )
                % {"parent": text},
            )
            return
        match = matches[0]
        if isinstance(match, RowCheck):
            row.parent_row = match.number
            row.parent_label = _("%(name)s (row %(row)s)") % {
                "name": match.values.get("name", ""),
                "row": match.number,
            }
            if not match.kind:
                return  # the row above already reports its unknown kind
            parent = _stand_in(match.kind)
        else:
            row.parent_org = parent = match
            row.parent_label = match.name
    if row.kind:
        try:
            services.check_parent(row.kind, parent)
        except DomainError as error:
            row.add("parent", str(error.message))


# --- applying --------------------------------------------------------------------------------


@transaction.atomic
def sheet_apply(*, actor, scope: Scope, sheet: Sheet, token: str) -> list[Organization]:
    """Found every organization of a fully valid sheet, all in one transaction, or none.

    Each row is created through `services.organization_create` (audited one by one), then
    one `org.import` record sums the import up. A token is applied at most once.
    """
    if actor is not None and actor.pk is not None:
        # One import at a time per user, so a double submit sees the first one's summary record.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if AuditEvent.objects.filter(action="org.import", detail__token=token).exists():
        raise DomainError(_("This import has already been applied."), code="applied")
    check = sheet_check(scope=scope, sheet=sheet)
    if not check.is_valid:
        raise SheetError(check.problems)
    created: dict[int, Organization] = {}
    for row in check.rows:
        parent = created[row.parent_row] if row.parent_row is not None else row.parent_org
        try:
            created[row.number] = services.organization_create(actor=actor, parent=parent, data=row.data)
        except DomainError as error:
            column = check.column_label(error.field) if error.field in COLUMNS_BY_KEY else None
            raise SheetError([problem(row.number, column, str(error.message))]) from error
    record(
        actor, "org.import", scope.organization, rows=len(created), filename=sheet.filename[:255], token=token
    )
    return list(created.values())
