"""Importing people, units and society members from .xlsx: read, check every row, then apply
all or nothing (the apply services are in kexie.people.services.importing).

Three kinds of file, each with a template that has Chinese headers and an example row:
people (the talent pool), units (employers and institutions) and members (a society's roster).

- `sheet_read` reads the first sheet and maps its headers to columns (in any UI language or
  by internal code); a file that cannot be checked row by row raises `SheetError`.
- `sheet_check` checks every row without writing: every bad cell is listed as
  第N行，列名：原因, and every good row is classified: *new*, a *duplicate* of someone (or
  some unit, or some membership) already registered with other values (the user chooses
  for the whole file to merge the row's filled-in cells or to skip it), or *unchanged*
  (nothing to do: this is what makes importing the same file twice change nothing).
  People are recognised by the blind index of their ID number, or by name and the blind
  index of their mobile; units by credit code or exact name; both only within the
  importer's scope (an ID number registered outside it is a row error, since it cannot
  be registered twice and the other record is not ours to merge).
- Uploads wait for their preview in the *import store*: one directory per one-time token
  under var/imports, holding the meta data (no personal data), the sheet and the checked
  preview (both encrypted with the personal-data key) and a small progress file that the
  background task writes and the preview page polls. Files rather than the cache: the
  cache is per process, and the task runs in the worker process.
"""

import json
import os
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from xml.etree.ElementTree import fromstring, iterparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kexie.core import crypto, sheets
from kexie.core.masking import mask_id_number, mask_phone
from kexie.core.scoping import Scope
from kexie.core.sheets import SheetError, problem
from kexie.core.validators import (
    id_number_birth_date,
    id_number_gender,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_credit_code,
    validate_division_code,
    validate_id_number,
    validate_mobile,
    validate_phone,
)
from kexie.orgs.models import Division, Kind, Organization
from kexie.people.models import (
    Consent,
    Discipline,
    Education,
    Gender,
    Industry,
    MemberStatus,
    Person,
    PoliticalStatus,
    SocietyMembership,
    Tag,
    TitleLevel,
    Unit,
    UnitKind,
    UnitSize,
)
from kexie.people.selectors.people import person_queryset
from kexie.people.services.people import MINOR_AGE, PersonData, id_number_lookup, mobile_lookup

__all__ = ["SheetError", "problem"]

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_ROWS = 100_000
MAX_PART_BYTES = 400 * 1024 * 1024  # a part of the .xlsx, unpacked
SYNC_ROWS = 5_000  # larger files are checked and applied by a background task
LOOKUP_BATCH = 2_000  # values per `__in` query
TABLE_LIMIT = 500  # rows the preview shows (problems and duplicates first)
PROBLEM_LIMIT = 1_000  # problems the preview lists
PROGRESS_EVERY = 1_000  # rows between two progress reports
KEPT_FOR = timedelta(days=1)  # uploads left waiting are deleted after this

# Organizations that have members (学会会员): the society chosen on the upload page.
MEMBER_KINDS = (Kind.SOCIETY, Kind.SOCIETY_BRANCH, Kind.SOCIETY_CONSORTIUM, Kind.RURAL_TECH_ASSOCIATION)


class ImportKind:
    PEOPLE = "people"
    UNITS = "units"
    MEMBERS = "members"

    CHOICES = (
        (PEOPLE, gettext_lazy("People (talent pool)")),
        (UNITS, gettext_lazy("Units")),
        (MEMBERS, gettext_lazy("Society members (a roster)")),
    )
    VALUES = (PEOPLE, UNITS, MEMBERS)
    AUDIT_ACTIONS = {PEOPLE: "person.import", UNITS: "unit.import", MEMBERS: "member.import"}

    @classmethod
    def label(cls, kind: str) -> str:
        return str(dict(cls.CHOICES)[kind])


class RowStatus:
    NEW = "new"
    DUPLICATE = "duplicate"  # matches an existing record whose values differ: merge or skip
    UNCHANGED = "unchanged"  # matches an existing record with the same values: nothing to do
    INVALID = "invalid"


class OnDuplicate:
    MERGE = "merge"
    SKIP = "skip"
    VALUES = (MERGE, SKIP)


class MemberType:
    INDIVIDUAL = "individual"
    INSTITUTIONAL = "institutional"
    CHOICES = (
        (INDIVIDUAL, gettext_lazy("Individual member")),
        (INSTITUTIONAL, gettext_lazy("Institutional member")),
    )


# --- columns ---------------------------------------------------------------------------------


def _field_label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation: the header the template writes
    required: bool = False
    max_length: int | None = None
    text: bool = False  # the template formats it as text so Excel keeps codes and numbers intact
    width: int = 16


FULL_NAME = Column("name", gettext_lazy("Full name"), required=True, max_length=64, width=12)
GENDER = Column("gender", _field_label(Person, "gender"), width=8)
ID_NUMBER = Column("id_number", _field_label(Person, "id_number_masked"), text=True, width=22)
MOBILE = Column("mobile", _field_label(Person, "mobile_masked"), text=True, width=14)
TITLE = Column("title", _field_label(Person, "title"), max_length=64)

PEOPLE_COLUMNS = (
    FULL_NAME,
    GENDER,
    ID_NUMBER,
    MOBILE,
    Column("birth_date", _field_label(Person, "birth_date"), width=12),
    Column("email", _field_label(Person, "email"), max_length=254, width=22),
    Column("education", _field_label(Person, "education")),
    TITLE,
    Column("title_level", _field_label(Person, "title_level")),
    Column("unit", _field_label(Person, "unit"), width=28),
    Column("position", _field_label(Person, "position"), max_length=64),
    Column("political_status", _field_label(Person, "political_status")),
    Column("discipline", _field_label(Person, "discipline")),
    Column("tags", _field_label(Person, "tags")),
    Column("expertise", _field_label(Person, "expertise"), width=28),
)

UNIT_COLUMNS = (
    Column("name", gettext_lazy("Name of the unit"), required=True, max_length=128, width=30),
    Column("kind", gettext_lazy("Kind of unit"), width=16),
    Column("credit_code", gettext_lazy("Unified social credit code"), text=True, width=22),
    Column("industry", _field_label(Unit, "industry"), width=20),
    Column("division", gettext_lazy("Division code"), text=True, width=12),
    Column("size", _field_label(Unit, "size"), width=8),
    Column("address", gettext_lazy("Address"), max_length=255, width=30),
    Column("contact_person", gettext_lazy("Contact person"), max_length=64, width=12),
    Column("contact_phone", gettext_lazy("Contact phone"), max_length=32, text=True, width=16),
)

MEMBER_COLUMNS = (
    Column("member_type", gettext_lazy("Member kind (individual or institutional)"), width=12),
    Column("name", gettext_lazy("Full name"), max_length=64, width=12),
    GENDER,
    ID_NUMBER,
    MOBILE,
    Column("unit", gettext_lazy("Unit (employer or member unit)"), width=28),
    TITLE,
    Column("number", _field_label(SocietyMembership, "number"), max_length=32, text=True, width=14),
    Column("joined_on", _field_label(SocietyMembership, "joined_on"), required=True, width=12),
    Column("status", gettext_lazy("Status of the membership"), width=12),
    Column("note", _field_label(SocietyMembership, "note"), max_length=255, width=20),
)

COLUMNS = {
    ImportKind.PEOPLE: PEOPLE_COLUMNS,
    ImportKind.UNITS: UNIT_COLUMNS,
    ImportKind.MEMBERS: MEMBER_COLUMNS,
}
ROW_PROBLEM = ""  # the key under which a problem of the whole row is filed


def columns_by_key(kind: str) -> dict[str, Column]:
    return {column.key: column for column in COLUMNS[kind]}


def column_help(kind: str) -> dict[str, str]:
    """How to fill in each column, as the upload page explains it."""
    unit_ref = _("The name or credit code of a unit registered in your scope; import the units first.")
    common = {
        "name": _("Required. As on the ID card."),
        "gender": _("男 or 女; when empty, taken from the ID number."),
        "id_number": _("18 characters with a valid check digit; recognises people already registered."),
        "mobile": _("11 digits. With the name, recognises people already registered without an ID number."),
        "birth_date": _("A date such as 1980-05-20; taken from the ID number when empty."),
        "education": _("博士研究生, 硕士研究生, 大学本科, 大专 or 中专及以下."),
        "title_level": _("正高级, 副高级, 中级, 初级 or 无."),
        "unit": unit_ref,
        "political_status": _("中共党员, 中共预备党员, 共青团员, 民主党派, 无党派人士 or 群众."),
        "discipline": _("A discipline, by name or code."),
        "tags": _("Tag names separated by 、 (for example 专家、博士)."),
    }
    if kind == ImportKind.UNITS:
        return {
            "name": _("Required: the full registered name, which recognises units already registered."),
            "kind": _("企业, 高等院校, 医院, 科研院所, 中小学校, 机关事业单位 or 其他; empty: 企业."),
            "credit_code": _(
                "18 characters with a valid check character, which recognises units already registered."
            ),
            "industry": _("A section of GB/T 4754 by name or letter (for example C or 制造业)."),
            "division": _("6-digit administrative division code (GB/T 2260)."),
            "size": _("大型, 中型, 小型 or 微型."),
            "contact_phone": _("A mobile or landline number."),
        }
    if kind == ImportKind.MEMBERS:
        return {
            **common,
            "member_type": _("个人会员 or 单位会员; empty: 个人会员."),
            "name": _("Required for an individual member. A new person is registered in the society."),
            "unit": _(
                "Individual member: the employer, a unit registered in your scope. Institutional member: "
                "the member unit itself, by name or unified social credit code."
            ),
            "number": _("Each number once in the society."),
            "joined_on": _("Required: a date such as 2020-05-20."),
            "status": _("正常, 暂停, 失效（未缴会费） or 已退会; empty: 正常."),
        }
    return common


# --- matching headers and choices in any language --------------------------------------------


def header_aliases(kind: str) -> dict[str, str]:
    return {
        alias: column.key for column in COLUMNS[kind] for alias in sheets.aliases(column.label, column.key)
    }


# Words people write in rosters that are not exactly the labels.
_SYNONYMS = {
    "gender": {"m": Gender.MALE, "f": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE},
    "education": {
        "博士": Education.DOCTORATE,
        "研究生博士": Education.DOCTORATE,
        "硕士": Education.MASTER,
        "研究生": Education.MASTER,
        "本科": Education.BACHELOR,
        "大学": Education.BACHELOR,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "中专": Education.SECONDARY,
        "高中": Education.SECONDARY,
        "初中": Education.SECONDARY,
    },
    "political_status": {
        "党员": PoliticalStatus.CPC_MEMBER,
        "预备党员": PoliticalStatus.CPC_PROBATIONARY,
        "团员": PoliticalStatus.CYL_MEMBER,
        "无党派": PoliticalStatus.NON_PARTISAN,
    },
    "title_level": {"正高": TitleLevel.SENIOR, "副高": TitleLevel.VICE_SENIOR},
}

_CHOICES = {
    "gender": Gender,
    "education": Education,
    "title_level": TitleLevel,
    "political_status": PoliticalStatus,
    "kind": UnitKind,
    "industry": Industry,
    "size": UnitSize,
    "status": MemberStatus,
}


def choice_aliases(key: str) -> dict[str, str]:
    if key == "member_type":
        return {
            alias: value
            for value, label in MemberType.CHOICES
            for alias in sheets.aliases(label, value, "个人" if value == MemberType.INDIVIDUAL else "单位")
        }
    choices = _CHOICES[key]
    aliases = {
        alias: choice.value
        for choice in choices
        for alias in sheets.aliases(choice.label, choice.value, choice.name)
    }
    if choices is TitleLevel:  # "Senior (正高级)": the level written alone in any language
        for choice in choices:
            with translation.override(None):
                english = str(choice.label).split(" (")[0]
            aliases.setdefault(sheets.folded(english), choice.value)
    aliases.update({sheets.folded(word): value for word, value in _SYNONYMS.get(key, {}).items()})
    return aliases


# --- the template ----------------------------------------------------------------------------


def example_row(kind: str) -> dict[str, str]:
    """The template's example row: shows how to fill each column; recognised and refused on import."""
    if kind == ImportKind.UNITS:
        return {
            "name": _("Example Technology Company (example row)"),
            "kind": str(UnitKind.ENTERPRISE.label),
            "credit_code": "",
            "industry": str(Industry.M.label),
            "division": "",
            "size": str(UnitSize.SMALL.label),
            "address": _("No. 1 Example Road"),
            "contact_person": _("Zhang San"),
            "contact_phone": "13800138000",
        }
    person = {
        "name": _("Zhang San (example row)"),
        "gender": str(Gender.MALE.label),
        "id_number": "",
        "mobile": "13800138000",
        "birth_date": "1980-05-20",
        "email": "zhangsan@example.com",
        "education": str(Education.MASTER.label),
        "title": _("Senior engineer"),
        "title_level": str(TitleLevel.VICE_SENIOR.label),
        "unit": "",
        "position": _("Chief engineer"),
        "political_status": str(PoliticalStatus.MASSES.label),
        "discipline": "",
        "tags": "",
        "expertise": _("Smart agriculture"),
    }
    if kind == ImportKind.MEMBERS:
        return {
            **person,
            "member_type": str(MemberType.CHOICES[0][1]),
            "number": "HY-0001",
            "joined_on": "2020-05-20",
            "status": str(MemberStatus.ACTIVE.label),
            "note": "",
        }
    return person


def template_workbook(kind: str) -> bytes:
    """The import template of a kind: the headers (required ones marked), an example row,
    codes and numbers formatted as text, and a sheet with the allowed values."""
    book = Workbook()
    sheet = book.active
    sheet.title = ImportKind.label(kind)[:31]
    bold = Font(bold=True)
    columns = COLUMNS[kind]
    sheet.append([str(column.label) for column in columns])
    example = example_row(kind)
    sheet.append([example.get(column.key, "") for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = bold
        sheet[f"{letter}1"].fill = PatternFill("solid", fgColor="FDE2E1" if column.required else "E3ECF8")
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            # Text, so Excel keeps ID numbers and phones as typed (no 1.1E+17, no lost zeros).
            sheet.column_dimensions[letter].number_format = "@"
            sheet[f"{letter}2"].number_format = "@"
    sheet.freeze_panes = "A2"

    values = book.create_sheet(_("Values allowed")[:31])
    values.append([_("Column"), _("Values allowed")])
    values["A1"].font = values["B1"].font = bold
    values.column_dimensions["A"].width = 16
    values.column_dimensions["B"].width = 100
    for column in columns:
        if column.key == "member_type":
            allowed = [str(label) for _value, label in MemberType.CHOICES]
        elif column.key in _CHOICES:
            allowed = [str(choice.label) for choice in _CHOICES[column.key]]
        else:
            continue
        values.append([str(column.label), "、".join(allowed)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading the upload ----------------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_DATE_FORMAT_CODE = re.compile(r"[ymd]")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_INTEGER = re.compile(r"-?\d+")
_CELL_COLUMN = re.compile(r"[A-Z]+")


class UnreadableSheet(Exception):
    pass


def _column_index(reference: str) -> int:
    index = 0
    for letter in _CELL_COLUMN.match(reference).group():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _text_of(element) -> str:
    """The text of a shared or inline string: its <t>, or its rich-text runs' <t>s, but not
    the phonetic guides (<rPh>) some Chinese and Japanese Excel versions add."""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{_MAIN}t"))
    return "".join(parts)


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles that show numbers as dates."""
    try:
        root = _parse(archive, "xl/styles.xml")
    except KeyError:
        return set()
    date_formats = set(_BUILTIN_DATE_FORMATS)
    for number_format in root.iter(f"{_MAIN}numFmt"):
        code = _QUOTED.sub("", number_format.get("formatCode", "").lower())
        if _DATE_FORMAT_CODE.search(code):
            date_formats.add(int(number_format.get("numFmtId")))
    styles = root.find(f"{_MAIN}cellXfs")
    if styles is None:
        return set()
    return {index for index, xf in enumerate(styles) if int(xf.get("numFmtId", 0)) in date_formats}


def _open(archive: zipfile.ZipFile, name: str):
    """A part of the workbook, refused when it declares a DTD (entity expansion attacks: an
    Excel file never has one) or unpacks to more than MAX_PART_BYTES (zip bombs)."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise UnreadableSheet(f"{name} is too large")
    with archive.open(info) as head:
        if b"<!DOCTYPE" in head.read(4096).upper():
            raise UnreadableSheet(f"{name} declares a DTD")
    return archive.open(info)


def _parse(archive: zipfile.ZipFile, name: str):
    with _open(archive, name) as part:
        return fromstring(part.read())  # noqa: S314  checked by _open: no DTD, bounded size


def _first_sheet_path(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The path of the first worksheet and whether the workbook counts dates from 1904."""
    workbook = _parse(archive, "xl/workbook.xml")
    properties = workbook.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    relation = first.get(f"{_REL}id")
    for rel in _parse(archive, "xl/_rels/workbook.xml.rels").iter(f"{_PACKAGE_REL}Relationship"):
        if rel.get("Id") == relation:
            target = rel.get("Target")
            return (target.lstrip("/") if target.startswith("/") else f"xl/{target}"), date1904
    raise UnreadableSheet("no first sheet")


def _excel_date(serial: float, date1904: bool) -> str:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    moment = base + timedelta(days=serial)
    return moment.date().isoformat()


def read_rows(content: bytes, *, limit: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header row and the data rows of the first sheet as text, each row with its number
    as Excel shows it; blank rows are skipped, at most `limit` + 1 data rows are read.

    The same contract as kexie.core.xlsx.read_rows, streamed with the standard library's
    XML parser: about five times faster than openpyxl on a 100,000-row roster.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        sheet_path, date1904 = _first_sheet_path(archive)
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            for _event, element in iterparse(_open(archive, "xl/sharedStrings.xml")):  # noqa: S314  see _open
                if element.tag == f"{_MAIN}si":
                    shared.append(_text_of(element))
                    element.clear()
        date_styles = _date_styles(archive)
        rows: list[tuple[int, list[str]]] = []
        number = 0
        for _event, element in iterparse(_open(archive, sheet_path)):  # noqa: S314  see _open
            if element.tag != f"{_MAIN}row":
                continue
            number = int(element.get("r") or number + 1)
            values: list[str] = []
            for position, cell in enumerate(element):
                reference = cell.get("r")
                index = _column_index(reference) if reference else position
                kind = cell.get("t", "n")
                raw = cell.find(f"{_MAIN}v")
                raw = raw.text if raw is not None else None
                if kind == "s":
                    text = shared[int(raw)] if raw is not None else ""
                elif kind == "inlineStr":
                    inline = cell.find(f"{_MAIN}is")
                    text = _text_of(inline) if inline is not None else ""
                elif raw is None:
                    text = ""
                elif kind == "b":
                    text = "TRUE" if raw == "1" else "FALSE"
                elif kind == "n" and int(cell.get("s", 0)) in date_styles:
                    text = _excel_date(float(raw), date1904)
                elif kind == "n" and not _INTEGER.fullmatch(raw):
                    value = float(raw)
                    text = str(int(value)) if value.is_integer() else str(value)
                elif kind == "d":
                    text = raw[:10]
                else:
                    text = raw
                if index >= len(values):
                    values.extend([""] * (index - len(values) + 1))
                values[index] = text.strip()
            element.clear()
            if number == 1 or any(values):
                rows.append((number, values))
            if len(rows) > limit + 1:
                break
    except (zipfile.BadZipFile, KeyError, AttributeError, ValueError, IndexError, SyntaxError) as exc:
        raise UnreadableSheet(str(exc)) from exc
    if not rows or rows[0][0] != 1:
        return [], rows
    return rows[0][1], rows[1:]


class Sheet(sheets.Sheet):
    """A read roster (kexie.core.sheets.Sheet) whose `kind` names its columns."""

    def column_label(self, key: str) -> str:
        return self.headers.get(key) or str(columns_by_key(self.kind)[key].label)


def sheet_read(content: bytes, filename: str, kind: str) -> Sheet:
    """Read the first sheet and map its headers to the kind's columns; raise SheetError for a
    file that cannot be checked row by row (not an .xlsx, unknown or missing headers, no rows)."""
    try:
        headers, data = read_rows(content, limit=MAX_ROWS)
    except UnreadableSheet:
        raise SheetError([_("The file could not be read as an Excel workbook (.xlsx).")]) from None
    found = sheets.map_headers(headers, data, columns=COLUMNS[kind], header_aliases=header_aliases(kind))
    problems, positions = found.problems, found.positions
    if kind == ImportKind.PEOPLE and not problems and not {"id_number", "mobile"} & set(positions):
        problems.append(
            problem(
                1,
                None,
                _("The file needs an ID number or a mobile column, so that people can be recognised."),
            )
        )
    if not problems and not data:
        problems.append(_("The file has no rows to import."))
    if len(data) > MAX_ROWS:
        problems.append(
            _("The file has more than %(max)s rows; split it into several files.") % {"max": MAX_ROWS}
        )
    if problems:
        raise SheetError(problems)
    return Sheet(kind=kind, filename=filename, keys=found.keys, headers=found.texts, rows=found.rows(data))


# --- checking every row ----------------------------------------------------------------------


@dataclass
class RowCheck:
    number: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # what a cell was read as
    status: str = RowStatus.NEW
    changes: list[str] = field(default_factory=list)  # keys of the cells a merge would change
    match: str = ""  # what the row matched, as the preview shows it
    # Parsed values, filled in by the checks:
    person_data: PersonData | None = None
    id_index: str = ""
    mobile_index: str = ""
    tags: list = field(default_factory=list)
    person: Person | None = None  # the existing person the row matched
    merged_data: PersonData | None = None  # that person with the row's cells laid over
    person_status: str = RowStatus.NEW
    unit_fields: dict | None = None
    unit: Unit | None = None  # units: the existing unit; members: the member unit
    membership_fields: dict | None = None
    membership: SocietyMembership | None = None
    member_type: str = MemberType.INDIVIDUAL

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add(self, key: str, message) -> None:
        self.errors.setdefault(key, []).append(str(message))


@dataclass
class SheetCheck:
    sheet: Sheet
    rows: list[RowCheck]
    society: Organization | None = None

    @property
    def is_valid(self) -> bool:
        return all(row.is_valid for row in self.rows)

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def problems(self) -> list[str]:
        """Every problem as 第N行，列名：原因, row by row, each row's cells in the file's order."""
        order = {key: index for index, key in enumerate([ROW_PROBLEM, *self.sheet.keys])}
        return [
            problem(row.number, self.sheet.column_label(key) if key else None, message)
            for row in self.rows
            for key, messages in sorted(row.errors.items(), key=lambda item: order.get(item[0], len(order)))
            for message in messages
        ]


Progress = Callable[[int, int], None] | None


def _first_message(error: ValidationError) -> str:
    return error.messages[0]


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _parse_date(text: str) -> date:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _date_cell(row: RowCheck, key: str, *, required_message: str = "") -> date | None:
    text = row.values.get(key, "")
    if not text:
        if required_message:
            row.add(key, required_message)
        return None
    try:
        value = _parse_date(text)
    except ValueError:
        row.add(key, _("“%(value)s” is not a date; write it like 2020-05-20.") % {"value": text})
        return None
    return value


def _choice_cell(row: RowCheck, key: str, aliases: dict[str, str]) -> str:
    text = row.values.get(key, "")
    if not text:
        return ""
    value = aliases.get(sheets.folded(text), "")
    if not value:
        row.add(
            key,
            _("“%(value)s” is not one of the allowed values (see the template's second sheet).")
            % {"value": text},
        )
    elif str(_choice_label(key, value)) != text:
        row.notes[key] = str(_choice_label(key, value))  # what a code or synonym was read as
    return value


def _choice_label(key: str, value: str) -> str:
    if key == "member_type":
        return dict(MemberType.CHOICES)[value]
    return _CHOICES[key](value).label


def _check_lengths(row: RowCheck, columns: dict[str, Column]) -> None:
    for key, text in row.values.items():
        limit = columns[key].max_length
        if limit and len(text) > limit:
            row.add(key, _("Longer than %(max)s characters.") % {"max": limit})


def _batches(values: Iterable, size: int = LOOKUP_BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Reporter:
    """Calls `progress(done, total)` every PROGRESS_EVERY rows of each pass over the sheet."""

    def __init__(self, progress: Progress, total: int, passes: int):
        self.progress, self.total, self.passes, self.done = progress, total, passes, 0

    def tick(self, count: int = 1) -> None:
        if self.progress is None:
            return
        before = self.done
        self.done += count
        if self.done // PROGRESS_EVERY != before // PROGRESS_EVERY:
            self.progress(min(self.done // self.passes, self.total), self.total)


def sheet_check(
    *, scope: Scope, sheet: Sheet, society: Organization | None = None, progress: Progress = None
) -> SheetCheck:
    """Check every row against the rules and the database, writing nothing."""
    rows = [RowCheck(number, values) for number, values in sheet.rows]
    reporter = _Reporter(progress, len(rows), passes=2)
    if sheet.kind == ImportKind.UNITS:
        _check_units(scope, rows, reporter)
    else:
        _check_people_rows(scope, sheet.kind, rows, reporter, society=society)
    for row in rows:
        if row.errors:
            row.status = RowStatus.INVALID
    return SheetCheck(sheet=sheet, rows=rows, society=society)


# --- people (and the person half of member rows) ---------------------------------------------


@dataclass
class _Lookups:
    """What the rows refer to in the database, fetched in a few batched queries."""

    units_by_code: dict[str, Unit]
    units_by_name: dict[str, list[Unit]]
    disciplines: dict[str, Discipline | None]  # folded name or code → discipline (None: ambiguous)
    tags: dict[str, Tag]


def _scope_units(scope: Scope, texts: set[str]) -> tuple[dict[str, Unit], dict[str, list[Unit]]]:
    """The units in scope a cell could mean: by credit code, or by exact name."""
    by_code: dict[str, Unit] = {}
    by_name: dict[str, list[Unit]] = {}
    codes = {normalize_credit_code(t) for t in texts} - {""}
    names = set(texts) - {""}
    units = scope.filter(Unit.objects.all())
    for batch in _batches(names):
        for unit in units.filter(name__in=batch):
            by_name.setdefault(unit.name, []).append(unit)
    for batch in _batches(codes):
        for unit in units.filter(credit_code__in=batch):
            by_code[unit.credit_code] = unit
    return by_code, by_name


def _lookups(scope: Scope, rows: list[RowCheck]) -> _Lookups:
    unit_texts = {row.values.get("unit", "") for row in rows}
    by_code, by_name = _scope_units(scope, unit_texts)
    disciplines: dict[str, Discipline | None] = {}
    if any(row.values.get("discipline") for row in rows):
        for discipline in Discipline.objects.filter(is_active=True):
            disciplines[sheets.folded(discipline.code)] = discipline
            name = sheets.folded(discipline.name)
            disciplines[name] = (
                None if name in disciplines and disciplines[name] != discipline else discipline
            )
    tags: dict[str, Tag] = {}
    if any(row.values.get("tags") for row in rows):
        for tag in Tag.objects.all():
            tags[sheets.folded(tag.code)] = tag
            tags[sheets.folded(tag.name)] = tag
    return _Lookups(by_code, by_name, disciplines, tags)


def _find_unit(row: RowCheck, lookups: _Lookups, key: str = "unit") -> Unit | None:
    text = row.values.get(key, "")
    if not text:
        return None
    code = normalize_credit_code(text)
    unit = lookups.units_by_code.get(code) if re.fullmatch(r"[0-9A-Z]{18}", code) else None
    if unit is not None:
        return unit
    matches = lookups.units_by_name.get(text, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        row.add(
            key,
            _("Several units are called “%(unit)s”; give the unit's unified social credit code instead.")
            % {"unit": text},
        )
    else:
        row.add(
            key,
            _(
                "Unknown unit “%(unit)s”: no unit of that name or credit code is registered in your "
                "scope. Import or register the unit first, or leave the cell empty."
            )
            % {"unit": text},
        )
    return None


_TAG_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def _parse_person(row: RowCheck, lookups: _Lookups, aliases: dict[str, dict[str, str]], today: date) -> None:
    """Check the person's cells one by one (every bad cell reported) and build PersonData."""
    values = row.values
    name = " ".join(values.get("name", "").split())
    if not name:
        row.add("name", _("The full name is required."))
    gender = _choice_cell(row, "gender", aliases["gender"]) if "gender" in values else ""
    id_number = normalize_id_number(values.get("id_number", ""))
    birth_date = _date_cell(row, "birth_date") if "birth_date" in values else None
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as error:
            row.add("id_number", _first_message(error))
            id_number = ""
        else:
            derived = id_number_birth_date(id_number)
            if derived > today:
                row.add("id_number", _("The ID number holds a birth date in the future."))
            if birth_date and birth_date != derived:
                row.add(
                    "birth_date",
                    _("The birth date does not match the ID number (which gives %(date)s).")
                    % {"date": derived.isoformat()},
                )
            birth_date = derived
            derived_gender = id_number_gender(id_number)
            if gender and gender != derived_gender:
                row.add("gender", _("The gender does not match the ID number."))
            gender = derived_gender
            row.id_index = id_number_lookup(id_number)
    elif birth_date:
        if birth_date > today:
            row.add("birth_date", _("The birth date cannot be in the future."))
        elif birth_date.year < 1900:
            row.add("birth_date", _("The birth date is before 1900."))
    mobile = values.get("mobile", "")
    if mobile:
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            row.add("mobile", _first_message(error))
            mobile = ""
        else:
            mobile = normalize_phone(mobile)
            row.mobile_index = mobile_lookup(mobile)
    if not values.get("id_number") and not values.get("mobile") and name:
        row.add(ROW_PROBLEM, _("Give the ID number or the mobile, so that the person can be recognised."))
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.add("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email})
    discipline = None
    if values.get("discipline"):
        folded = sheets.folded(values["discipline"])
        if folded not in lookups.disciplines:
            row.add("discipline", _("Unknown discipline “%(value)s”.") % {"value": values["discipline"]})
        elif lookups.disciplines[folded] is None:
            row.add(
                "discipline",
                _("Several disciplines are called “%(value)s”; give its code.")
                % {"value": values["discipline"]},
            )
        else:
            discipline = lookups.disciplines[folded]
    for word in _TAG_SEPARATORS.split(values.get("tags", "")):
        if not word:
            continue
        tag = lookups.tags.get(sheets.folded(word))
        if tag is None:
            row.add("tags", _("Unknown tag “%(value)s”.") % {"value": word})
        elif tag not in row.tags:
            row.tags.append(tag)
    unit = _find_unit(row, lookups) if row.member_type == MemberType.INDIVIDUAL else None
    row.person_data = PersonData(
        name=name,
        gender=gender,
        birth_date=birth_date,
        id_number=id_number,
        mobile=mobile,
        email=email,
        education=_choice_cell(row, "education", aliases["education"]) if "education" in values else "",
        title=values.get("title", ""),
        title_level=_choice_cell(row, "title_level", aliases["title_level"])
        if "title_level" in values
        else "",
        discipline=discipline,
        unit=unit,
        position=values.get("position", ""),
        political_status=(
            _choice_cell(row, "political_status", aliases["political_status"])
            if "political_status" in values
            else ""
        ),
        expertise=values.get("expertise", ""),
        tags=list(row.tags) or None,
    )


# PersonData fields an import row may fill, with how the existing person's value compares.
_PERSON_PLAIN = (
    "name",
    "gender",
    "birth_date",
    "email",
    "education",
    "title",
    "title_level",
    "position",
    "political_status",
    "expertise",
)
_PERSON_RELATED = ("unit", "discipline")


def _person_changes(row: RowCheck, person: Person, tag_ids: set[int]) -> list[str]:
    """The keys of the row's filled-in cells whose value differs from the person's record."""
    data = row.person_data
    filled = {key for key, text in row.values.items() if text}
    changes = []
    for name in _PERSON_PLAIN:
        if name in filled and getattr(data, name) != getattr(person, name):
            changes.append(name)
    for name in _PERSON_RELATED:
        related = getattr(data, name)
        if name in filled and (related.pk if related else None) != getattr(person, f"{name}_id"):
            changes.append(name)
    if "id_number" in filled and row.id_index != person.id_number_index:
        changes.append("id_number")
    if "mobile" in filled and row.mobile_index != person.mobile_index:
        changes.append("mobile")
    if "tags" in filled and not {tag.pk for tag in row.tags} <= tag_ids:
        changes.append("tags")
    if (
        "birth_date" not in filled
        and "birth_date" not in changes
        and data.id_number
        and data.birth_date != person.birth_date
    ):
        changes.append("birth_date")  # an ID number added by the row brings its birth date
    if "gender" not in filled and data.id_number and data.gender != person.gender:
        changes.append("gender")
    return changes


def merged_person_data(existing: PersonData, row: RowCheck, existing_tags: list) -> PersonData:
    """The existing person's data with the row's filled-in cells laid over it; the row's tags
    are added to the person's, never removed from them."""
    data = row.person_data
    filled = {key for key, text in row.values.items() if text}
    merged = PersonData(**{name: getattr(existing, name) for name in PersonData.__dataclass_fields__})
    for name in (*_PERSON_PLAIN, *_PERSON_RELATED, "id_number", "mobile"):
        if name in filled:
            setattr(merged, name, getattr(data, name))
    if data.id_number:  # the ID number decides birth date and gender
        merged.birth_date, merged.gender = data.birth_date, data.gender
    if "unit" in filled:
        merged.employer = ""  # taken from the new unit
    merged.tags = (
        [*existing_tags, *(tag for tag in row.tags if tag not in existing_tags)] if row.tags else None
    )
    return merged


def _match_people(scope: Scope, rows: list[RowCheck], reporter: _Reporter) -> None:
    """Find the existing person each valid row means; report ID numbers registered outside
    the scope and rows that repeat a person of an earlier row."""
    candidates = [
        row for row in rows if row.person_data is not None and row.member_type == MemberType.INDIVIDUAL
    ]
    in_scope = person_queryset(scope=scope).select_related("organization")
    id_indexes = {row.id_index for row in candidates if row.id_index}
    by_id: dict[str, Person] = {}
    taken_elsewhere: set[str] = set()
    for batch in _batches(id_indexes):
        # The repeated condition of the partial unique index lets the database use it.
        registered = Person.objects.exclude(id_number_index="").filter(id_number_index__in=batch)
        found = dict(registered.values_list("id_number_index", "pk"))
        if not found:
            continue
        visible = {person.pk: person for person in in_scope.filter(pk__in=found.values())}
        for index, pk in found.items():
            if pk in visible:
                by_id[index] = visible[pk]
            else:
                taken_elsewhere.add(index)
    mobile_indexes = {row.mobile_index for row in candidates if row.mobile_index}
    by_mobile: dict[tuple[str, str], list[Person]] = {}
    for batch in _batches(mobile_indexes):
        for person in in_scope.filter(mobile_index__in=batch).exclude(mobile_index=""):
            by_mobile.setdefault((person.name, person.mobile_index), []).append(person)

    seen_ids: dict[str, int] = {}
    seen_names: dict[tuple[str, str], tuple[int, str]] = {}
    for row in candidates:
        reporter.tick()
        data = row.person_data
        name_key = (data.name, row.mobile_index)
        if row.id_index:
            if row.id_index in seen_ids:
                row.add(
                    "id_number",
                    _("The same ID number is on row %(row)s too.") % {"row": seen_ids[row.id_index]},
                )
                continue
            seen_ids[row.id_index] = row.number
        if row.mobile_index and data.name:
            earlier = seen_names.get(name_key)
            # Two different ID numbers are two people, even with one mobile between them.
            if earlier is not None and not (row.id_index and earlier[1] and row.id_index != earlier[1]):
                row.add(
                    "mobile",
                    _("The same name and mobile are on row %(row)s too.") % {"row": earlier[0]},
                )
                continue
            seen_names.setdefault(name_key, (row.number, row.id_index))
        if row.id_index and row.id_index in taken_elsewhere:
            row.add(
                "id_number",
                _(
                    "This ID number is registered to a person outside your scope; "
                    "it cannot be registered twice."
                ),
            )
            continue
        person = by_id.get(row.id_index) if row.id_index else None
        if person is None and row.mobile_index and data.name:
            matches = [p for p in by_mobile.get(name_key, []) if not row.id_index or not p.id_number_index]
            if len(matches) > 1:
                row.add("mobile", _("Several people of this name have this mobile; give the ID number."))
                continue
            person = matches[0] if matches else None
        row.person = person


def _classify_people(rows: list[RowCheck], today: date, *, members: bool) -> None:
    matched = [row for row in rows if row.person is not None and row.is_valid]
    tag_ids: dict[int, set[int]] = {}
    if any(row.tags for row in matched):
        through = Person.tags.through
        for batch in _batches({row.person.pk for row in matched}):
            for person_id, tag_id in through.objects.filter(person_id__in=batch).values_list(
                "person_id", "tag_id"
            ):
                tag_ids.setdefault(person_id, set()).add(tag_id)
    consenting: set[int] = set()
    if members:
        minors = [row.person.pk for row in matched if _age(row.person.birth_date, today) < MINOR_AGE]
        for batch in _batches(minors):
            consenting.update(
                Consent.objects.filter(
                    person_id__in=batch, given_by=Consent.GivenBy.GUARDIAN, withdrawn_on__isnull=True
                ).values_list("person_id", flat=True)
            )
    for row in rows:
        if not row.is_valid or row.member_type != MemberType.INDIVIDUAL:
            continue
        person = row.person
        birth_date = (
            person.birth_date
            if person is not None and not row.person_data.birth_date
            else row.person_data.birth_date
        )
        if (
            members
            and _age(birth_date, today) < MINOR_AGE
            and (person is None or person.pk not in consenting)
        ):
            row.add(
                ROW_PROBLEM,
                _("%(name)s is under 14: record a guardian's consent before using their data.")
                % {"name": row.person_data.name},
            )
            continue
        if person is None:
            row.person_status = RowStatus.NEW
            continue
        row.match = _("%(name)s, registered by %(organization)s") % {
            "name": person.name,
            "organization": person.organization.display_name,
        }
        if person.id_number_masked:
            row.match += f" · {person.id_number_masked}"
        row.changes = _person_changes(row, person, tag_ids.get(person.pk, set()))
        row.person_status = RowStatus.DUPLICATE if row.changes else RowStatus.UNCHANGED


def _age(birth_date: date | None, today: date) -> int:
    if birth_date is None:
        return 200
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _check_people_rows(
    scope: Scope, kind: str, rows: list[RowCheck], reporter: _Reporter, *, society
) -> None:
    columns = columns_by_key(kind)
    aliases = {
        key: choice_aliases(key)
        for key in ("gender", "education", "title_level", "political_status", "status", "member_type")
    }
    lookups = _lookups(scope, rows)
    today = timezone.localdate()
    example = example_row(kind)["name"]
    members = kind == ImportKind.MEMBERS
    for row in rows:
        reporter.tick()
        if row.values.get("name") == example:
            row.add(ROW_PROBLEM, _("This is the example row of the template; delete it."))
            continue
        _check_lengths(row, columns)
        if members:
            row.member_type = (
                _choice_cell(row, "member_type", aliases["member_type"]) or MemberType.INDIVIDUAL
            )
            if row.member_type == MemberType.INSTITUTIONAL:
                if not row.values.get("unit"):
                    row.add("unit", _("An institutional member row names the member unit."))
                else:
                    row.unit = _find_unit(row, lookups)
                _parse_membership(row, aliases, today)
                continue
            _parse_membership(row, aliases, today)
        _parse_person(row, lookups, aliases, today)
    _match_people(scope, rows, reporter)
    _classify_people(rows, today, members=members)
    if members:
        _classify_memberships(rows, society)
    else:
        for row in rows:
            row.status = row.person_status


# --- members ---------------------------------------------------------------------------------


def _parse_membership(row: RowCheck, aliases: dict[str, dict[str, str]], today: date) -> None:
    joined_on = _date_cell(row, "joined_on", required_message=_("The date of joining is required."))
    if joined_on and joined_on > today:
        row.add("joined_on", _("A member cannot join after today."))
    status = _choice_cell(row, "status", aliases["status"]) if "status" in row.values else ""
    row.membership_fields = {
        "number": row.values.get("number", ""),
        "joined_on": joined_on,
        "status": status or MemberStatus.ACTIVE,
        "note": row.values.get("note", ""),
    }


def _membership_changes(row: RowCheck, membership: SocietyMembership) -> list[str]:
    filled = {key for key, text in row.values.items() if text}
    return [
        key
        for key in ("number", "joined_on", "status", "note")
        if key in filled and row.membership_fields[key] != getattr(membership, key)
    ]


def _classify_memberships(rows: list[RowCheck], society: Organization | None) -> None:
    if society is None:
        for row in rows:
            row.add(ROW_PROBLEM, _("Choose the society whose members these are."))
        return
    valid = [row for row in rows if row.is_valid]
    person_ids = {row.person.pk for row in valid if row.person is not None}
    unit_ids = {
        row.unit.pk for row in valid if row.unit is not None and row.member_type == MemberType.INSTITUTIONAL
    }
    numbers = {row.membership_fields["number"] for row in valid if row.membership_fields["number"]}
    memberships = SocietyMembership.objects.filter(society=society)
    by_person: dict[int, SocietyMembership] = {}
    by_unit: dict[int, SocietyMembership] = {}
    by_number: dict[str, SocietyMembership] = {}
    for batch in _batches(person_ids):
        by_person.update({m.person_id: m for m in memberships.filter(person_id__in=batch)})
    for batch in _batches(unit_ids):
        by_unit.update({m.unit_id: m for m in memberships.filter(unit_id__in=batch)})
    for batch in _batches(numbers):
        by_number.update(
            {m.number: m for m in memberships.filter(number__in=batch).select_related("person", "unit")}
        )

    seen_numbers: dict[str, int] = {}
    seen_units: dict[int, int] = {}
    for row in rows:
        if not row.is_valid:
            continue
        number = row.membership_fields["number"]
        if number:
            if number in seen_numbers:
                row.add(
                    "number",
                    _("The same membership number is on row %(row)s too.") % {"row": seen_numbers[number]},
                )
                continue
            seen_numbers[number] = row.number
        if row.member_type == MemberType.INSTITUTIONAL:
            if row.unit.pk in seen_units:
                row.add(
                    "unit",
                    _("The same member unit is on row %(row)s too.") % {"row": seen_units[row.unit.pk]},
                )
                continue
            seen_units[row.unit.pk] = row.number
            membership = by_unit.get(row.unit.pk)
            row.match = row.unit.name
        else:
            membership = by_person.get(row.person.pk) if row.person is not None else None
        holder = by_number.get(number) if number else None
        if holder is not None and holder != membership:
            row.add(
                "number",
                _("The membership number %(number)s already belongs to %(member)s.")
                % {"number": number, "member": holder.member_name},
            )
            continue
        row.membership = membership
        member_changes = _membership_changes(row, membership) if membership is not None else []
        if row.member_type == MemberType.INSTITUTIONAL:
            person_status = RowStatus.UNCHANGED
        else:
            person_status = row.person_status
        row.changes = [*row.changes, *member_changes]
        if membership is None:
            row.status = RowStatus.DUPLICATE if person_status == RowStatus.DUPLICATE else RowStatus.NEW
        elif member_changes or person_status == RowStatus.DUPLICATE:
            row.status = RowStatus.DUPLICATE
        else:
            row.status = RowStatus.UNCHANGED
        if membership is not None and row.member_type == MemberType.INDIVIDUAL:
            row.match = row.match or membership.member_name


# --- units -----------------------------------------------------------------------------------


def _check_units(scope: Scope, rows: list[RowCheck], reporter: _Reporter) -> None:
    columns = columns_by_key(ImportKind.UNITS)
    aliases = {key: choice_aliases(key) for key in ("kind", "industry", "size")}
    example = example_row(ImportKind.UNITS)["name"]
    codes = {normalize_credit_code(row.values.get("credit_code", "")) for row in rows} - {""}
    names = {row.values.get("name", "") for row in rows} - {""}
    units = scope.filter(Unit.objects.all())
    by_code: dict[str, Unit] = {}
    for batch in _batches(codes):
        by_code.update({unit.credit_code: unit for unit in Unit.objects.filter(credit_code__in=batch)})
    visible = set()
    for batch in _batches({unit.pk for unit in by_code.values()}):
        visible.update(units.filter(pk__in=batch).values_list("pk", flat=True))
    by_name: dict[str, list[Unit]] = {}
    for batch in _batches(names):
        for unit in units.filter(name__in=batch):
            by_name.setdefault(unit.name, []).append(unit)
    division_codes = {row.values.get("division", "") for row in rows} - {""}
    divisions = Division.objects.in_bulk([c for c in division_codes if len(c) == 6 and c.isdigit()])

    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in rows:
        reporter.tick(2)
        values = row.values
        if values.get("name") == example:
            row.add(ROW_PROBLEM, _("This is the example row of the template; delete it."))
            continue
        _check_lengths(row, columns)
        name = " ".join(values.get("name", "").split())
        if not name:
            row.add("name", _("The name is required."))
        code = normalize_credit_code(values.get("credit_code", ""))
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as error:
                row.add("credit_code", _first_message(error))
        division = None
        if values.get("division"):
            try:
                validate_division_code(values["division"])
            except ValidationError as error:
                row.add("division", _first_message(error))
            else:
                division = divisions.get(values["division"])
                if division is None:
                    row.add("division", _("Unknown division code %(code)s.") % {"code": values["division"]})
        try:
            validate_phone(values.get("contact_phone", ""))
        except ValidationError as error:
            row.add("contact_phone", _first_message(error))
        row.unit_fields = {
            "name": name,
            "kind": _choice_cell(row, "kind", aliases["kind"]) or UnitKind.ENTERPRISE,
            "credit_code": code,
            "industry": _choice_cell(row, "industry", aliases["industry"]),
            "division": division,
            "size": _choice_cell(row, "size", aliases["size"]),
            "address": values.get("address", ""),
            "contact_person": values.get("contact_person", ""),
            "contact_phone": normalize_phone(values.get("contact_phone", ""))
            if values.get("contact_phone")
            else "",
        }
        if not row.is_valid:
            continue
        if code in seen_codes:
            row.add(
                "credit_code",
                _("The same unified social credit code is also on row %(row)s.") % {"row": seen_codes[code]},
            )
            continue
        if name in seen_names and not code:
            row.add("name", _("The same unit name is on row %(row)s too.") % {"row": seen_names[name]})
            continue
        if code:
            seen_codes[code] = row.number
        seen_names.setdefault(name, row.number)
        unit = by_code.get(code) if code else None
        if unit is not None and unit.pk not in visible:
            row.add(
                "credit_code",
                _("A unit outside your scope already has the unified social credit code %(code)s.")
                % {"code": code},
            )
            continue
        if unit is None:
            named = by_name.get(name, [])
            if code:
                named = [u for u in named if not u.credit_code]
            if len(named) > 1:
                row.add(
                    "name",
                    _("Several units are called “%(unit)s”; give the unit's unified social credit code.")
                    % {"unit": name},
                )
                continue
            unit = named[0] if named else None
        row.unit = unit
        if unit is None:
            row.status = RowStatus.NEW
            continue
        row.match = unit.name + (f" · {unit.credit_code}" if unit.credit_code else "")
        filled = {key for key, text in values.items() if text}
        row.changes = [
            key
            for key, value in row.unit_fields.items()
            if key in filled
            and (value.pk if key == "division" and value else value)
            != (unit.division_id if key == "division" else getattr(unit, key))
        ]
        row.status = RowStatus.DUPLICATE if row.changes else RowStatus.UNCHANGED


# --- the preview, as stored for the page -----------------------------------------------------


def _display_value(row: RowCheck, key: str) -> str:
    """A cell as the preview shows it: valid ID numbers and mobiles masked."""
    text = row.values.get(key, "")
    if text and not row.errors.get(key):
        if key == "id_number":
            return mask_id_number(normalize_id_number(text))
        if key == "mobile":
            return mask_phone(normalize_phone(text))
    return text


def preview_payload(check: SheetCheck) -> dict:
    """The checked file as the preview page shows it: totals, every problem (up to a limit)
    and a table of rows (problems and duplicates first, up to a limit). Plain JSON."""
    sheet = check.sheet
    problems = check.problems
    order = {RowStatus.INVALID: 0, RowStatus.DUPLICATE: 1, RowStatus.NEW: 2, RowStatus.UNCHANGED: 3}
    shown = sorted(check.rows, key=lambda row: (order[row.status], row.number))[:TABLE_LIMIT]
    shown.sort(key=lambda row: row.number)
    table = [
        {
            "number": row.number,
            "status": row.status,
            "match": row.match,
            "changes": [sheet.column_label(key) for key in row.changes if key in sheet.headers],
            "row_errors": row.errors.get(ROW_PROBLEM, []),
            "problem_count": sum(len(messages) for messages in row.errors.values()),
            "cells": [
                {
                    "value": _display_value(row, key),
                    "errors": row.errors.get(key, []),
                    "note": row.notes.get(key, ""),
                    "changed": key in row.changes,
                }
                for key in sheet.keys
            ],
        }
        for row in shown
    ]
    return {
        "kind": sheet.kind,
        "filename": sheet.filename,
        "headers": [sheet.column_label(key) for key in sheet.keys],
        "row_count": len(check.rows),
        "counts": {status: check.count(status) for status in order},
        "problems": problems[:PROBLEM_LIMIT],
        "problem_count": len(problems),
        "table": table,
        "table_truncated": len(check.rows) > len(table),
        "society": check.society.pk if check.society is not None else None,
    }


# --- the import store ------------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9a-f]{32}")


class Phase:
    CHECKING = "checking"
    CHECKED = "checked"
    APPLYING = "applying"
    APPLIED = "applied"
    FAILED = "failed"


@dataclass
class Upload:
    """An upload waiting in the import store (meta data only: no personal data)."""

    token: str
    kind: str
    filename: str
    user_id: int
    membership_id: int
    organization_id: int
    society_id: int | None
    language: str
    row_count: int

    @property
    def directory(self) -> Path:
        return store_root() / self.token

    @property
    def in_background(self) -> bool:
        return self.row_count > SYNC_ROWS


def store_root() -> Path:
    return Path(getattr(settings, "KEXIE_IMPORT_DIR", Path(settings.VAR_DIR) / "imports"))


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a reader polling the file never sees half of it."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _write_secret(path: Path, payload) -> None:
    _write(path, crypto.encrypt(json.dumps(payload, ensure_ascii=False)).encode())


def _read_secret(path: Path):
    return json.loads(crypto.decrypt(path.read_text()))


def upload_store(*, sheet: Sheet, scope: Scope, society: Organization | None) -> Upload:
    """Keep an upload behind a new one-time token; forget uploads left waiting too long."""
    uploads_purge()
    token = secrets.token_hex(16)
    upload = Upload(
        token=token,
        kind=sheet.kind,
        filename=sheet.filename[:255],
        user_id=scope.user.pk,
        membership_id=scope.membership.pk,
        organization_id=scope.organization.pk,
        society_id=society.pk if society is not None else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        row_count=len(sheet.rows),
    )
    upload.directory.mkdir(parents=True, exist_ok=False)
    _write_secret(upload.directory / "sheet.bin", sheet.to_payload())
    _write(upload.directory / "meta.json", json.dumps(upload.__dict__).encode())
    state_write(upload, phase=Phase.CHECKING, done=0, total=upload.row_count)
    return upload


def upload_get(token: str) -> Upload | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    try:
        meta = json.loads((store_root() / token / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    return Upload(**meta)


def sheet_load(upload: Upload) -> Sheet:
    return Sheet.from_payload(_read_secret(upload.directory / "sheet.bin"))


def preview_store(upload: Upload, check: SheetCheck) -> None:
    _write_secret(upload.directory / "preview.bin", preview_payload(check))


def preview_load(upload: Upload) -> dict | None:
    try:
        return _read_secret(upload.directory / "preview.bin")
    except OSError:
        return None


def state_read(upload: Upload) -> dict:
    try:
        return json.loads((upload.directory / "state.json").read_text())
    except (OSError, ValueError):
        return {"phase": Phase.FAILED, "done": 0, "total": 0}


def state_write(upload: Upload, **changes) -> dict:
    state = {} if changes.get("phase") == Phase.CHECKING else state_read(upload)
    state.update(changes, updated=time.time())
    _write(upload.directory / "state.json", json.dumps(state, ensure_ascii=False).encode())
    return state


def progress_writer(upload: Upload, phase: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        state_write(upload, phase=phase, done=done, total=total)

    return report


def upload_forget_data(upload: Upload) -> None:
    """Delete the personal data of an applied upload; the meta and the state stay for its page."""
    for name in ("sheet.bin", "preview.bin"):
        (upload.directory / name).unlink(missing_ok=True)


def uploads_purge(now: float | None = None) -> None:
    root = store_root()
    if not root.exists():
        return
    limit = (now or time.time()) - KEPT_FOR.total_seconds()
    for directory in root.iterdir():
        try:
            if directory.is_dir() and directory.stat().st_mtime < limit:
                shutil.rmtree(directory, ignore_errors=True)
        except OSError:
            continue


def member_societies(scope: Scope):
    """The organizations in scope whose members a roster may hold."""
    return scope.organizations().filter(kind__in=MEMBER_KINDS, status="active").order_by("path")


def society_of(scope: Scope, upload: Upload) -> Organization | None:
    if upload.society_id is None:
        return None
    return member_societies(scope).filter(pk=upload.society_id).first()
