"""Importing activities from an .xlsx sheet: read, check every row, then apply all or nothing.

Staff record last year's activities, or a county's spreadsheet, in one go. The shape is the
organization import's (docs/decisions/0003-xlsx-import.md):

- `template_workbook`: the columns (Chinese headers in the UI language) with an example
  row, and a sheet “可选值” listing the kinds, forms, campaigns, target groups and statuses.
- `sheet_read` reads the first sheet and maps its headers to columns; a file that cannot be
  checked row by row raises `SheetError`.
- `sheet_check` checks every row without writing into `ActivityData`, its organizer and its
  target status. Every bad cell is listed as 第N行，列名：原因. A row whose organizer, title
  and start match an activity already recorded is *skipped* (“已存在，跳过”): importing
  the same file twice changes nothing.
- `sheet_apply` records the new rows in one transaction through the services
  (`activity_create`, then the workflow up to 已举办 or 已上报), followed by one
  `activity.import` record, or writes nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kexie.accounts.roles import Perm
from kexie.activities import selectors
from kexie.activities.models import (
    Activity,
    ActivityKind,
    Campaign,
    CampaignEdition,
    Figure,
    Mode,
    PeriodLock,
    Status,
    TargetGroup,
)
from kexie.activities.services import activities as services
from kexie.activities.services.periods import ancestor_paths, approving_organization, require_unlocked
from kexie.audit.models import AuditEvent
from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.core.scoping import Scope
from kexie.core.sheets import Sheet, SheetError, aliases, folded, problem
from kexie.core.sheets import sheet_read as read_sheet
from kexie.orgs.models import Organization
from kexie.orgs.models import Status as OrgStatus

__all__ = ["SheetError", "problem"]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
ROW_PROBLEM = ""  # the key under which a problem of the whole row is filed
# The statuses a row may ask for, in workflow order.
TARGET_STATUSES = (Status.DRAFT, Status.HELD, Status.REPORTED)
_SEPARATORS = re.compile(r"[、,，;；/／\n]+")
_EDITION = re.compile(r"^\s*(\d{4})\s*年?\s*(?:度\s*)?(.+?)\s*$")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation: the header the template writes
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers people write (Chinese, whatever the .po says)
    width: int = 14
    figure: bool = False


def _field_label(name: str):
    return capfirst(Activity._meta.get_field(name).verbose_name)


COLUMNS = (
    Column("title", gettext_lazy("Activity name"), True, ("活动名称", "活动标题", "名称", "标题"), 30),
    Column("kind", capfirst(ActivityKind._meta.verbose_name), True, ("活动类型", "类型"), 16),
    Column("organizer", _field_label("organization"), False, ("主办单位", "主办方", "举办单位"), 24),
    Column(
        "starts_at", _field_label("starts_at"), True, ("开始时间", "开始日期", "活动时间", "活动日期"), 18
    ),
    Column("ends_at", _field_label("ends_at"), False, ("结束时间", "结束日期"), 18),
    Column("mode", _field_label("mode"), False, ("举办形式", "形式", "线上线下"), 12),
    Column("venue", gettext_lazy("Place"), False, ("地点", "活动地点", "场地"), 24),
    Column("campaign", _field_label("campaign_edition"), False, ("主题活动",), 20),
    Column("target_groups", _field_label("target_groups"), False, ("面向人群", "受众", "对象"), 20),
    Column("status", _field_label("status"), False, ("状态",), 10),
    *(Column(figure.value, figure.label, width=12, figure=True) for figure in Figure),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


# --- matching headers and values in any language ------------------------------------------


def header_aliases() -> dict[str, str]:
    return {
        alias: column.key
        for column in COLUMNS
        for alias in aliases(column.label, column.key, *column.aliases)
    }


def mode_aliases() -> dict[str, str]:
    extra = {Mode.OFFLINE: ("现场", "线下活动"), Mode.ONLINE: ("网上", "线上活动"), Mode.BOTH: ("线上+线下",)}
    return {alias: mode.value for mode in Mode for alias in aliases(mode.label, mode.value, *extra[mode])}


def status_aliases() -> dict[str, str]:
    return {
        alias: status.value for status in TARGET_STATUSES for alias in aliases(status.label, status.value)
    }


def _by_name(objects) -> dict[str, object]:
    found: dict[str, object] = {}
    for obj in objects:
        for alias in (folded(obj.name), folded(obj.code)):
            found.setdefault(alias, obj)
    return found


# --- the template -------------------------------------------------------------------------


def _example_title() -> str:
    return _("Example: popular science lecture on the science day (example row, delete it)")


def _example_row() -> dict[str, str]:
    kind = ActivityKind.objects.filter(code="lecture").first() or ActivityKind.objects.first()
    campaign = Campaign.objects.filter(code="science_day").first() or Campaign.objects.first()
    year = timezone.localdate().year - 1
    row = {
        "title": _example_title(),
        "kind": kind.name if kind else "",
        "organizer": "",
        "starts_at": f"{year}-09-16 09:00",
        "ends_at": f"{year}-09-16 11:00",
        "mode": str(Mode.OFFLINE.label),
        "venue": _("County science and technology museum"),
        "campaign": f"{year}年{campaign.name}" if campaign else "",
        "target_groups": "、".join(TargetGroup.objects.values_list("name", flat=True)[:2]),
        "status": str(Status.HELD.label),
    }
    for index, code in enumerate(kind.figures if kind else []):
        row[code] = str((index + 1) * 10)
    return row


def template_workbook(*, scope: Scope) -> bytes:
    """The import template: the columns with an example row, and the sheet “可选值”."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Activities")[:31]
    bold = Font(bold=True)
    sheet.append([str(column.label) for column in COLUMNS])
    example = _example_row()
    sheet.append([example.get(column.key, "") for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = bold
        sheet[f"{letter}1"].fill = PatternFill("solid", fgColor="FDE2E1" if column.required else "E3ECF8")
        sheet.column_dimensions[letter].width = column.width
    sheet.freeze_panes = "B2"

    values = book.create_sheet(_("Allowed values")[:31])
    values.append([_("Column"), _("Allowed values")])
    values["A1"].font = values["B1"].font = bold
    values.column_dimensions["A"].width = 16
    values.column_dimensions["B"].width = 110
    kinds = ActivityKind.objects.filter(is_active=True)
    campaigns = selectors.campaigns_visible(scope=scope).values_list("name", flat=True)
    rows = [
        ("kind", "、".join(kind.name for kind in kinds)),
        ("mode", "、".join(str(mode.label) for mode in Mode)),
        (
            "campaign",
            _("The year and the campaign, for example %(example)s: ") % {"example": example["campaign"]}
            + "、".join(campaigns),
        ),
        (
            "target_groups",
            _("Separated by 、: ") + "、".join(TargetGroup.objects.values_list("name", flat=True)),
        ),
        ("status", "、".join(str(status.label) for status in TARGET_STATUSES)),
    ]
    for key, text in rows:
        values.append([str(COLUMNS_BY_KEY[key].label), text])
    values.append([])
    values.append(
        [str(COLUMNS_BY_KEY["kind"].label), _("Figures it reports (leave the other figure columns empty)")]
    )
    values[f"A{values.max_row}"].font = values[f"B{values.max_row}"].font = bold
    for kind in kinds:
        values.append([kind.name, "、".join(str(label) for _code, label in kind.figure_labels)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading the upload -------------------------------------------------------------------


def _cell_text(value) -> str:
    """A cell as text: Excel dates keep their time of day (2025-09-16 09:00) when they have one."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


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


# --- checking every row -------------------------------------------------------------------


class RowStatus:
    NEW = "new"
    EXISTING = "existing"  # the same organizer, title and start are recorded: skipped
    INVALID = "invalid"


@dataclass
class RowCheck:
    number: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # what a cell was read as
    organizer: Organization | None = None
    target: str = Status.DRAFT
    data: services.ActivityData | None = None
    key: tuple | None = None  # (organizer, title, start): what recognises an activity recorded already
    existing: bool = False

    @property
    def status(self) -> str:
        if self.errors:
            return RowStatus.INVALID
        return RowStatus.EXISTING if self.existing else RowStatus.NEW

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
    def new_rows(self) -> list[RowCheck]:
        return [row for row in self.rows if row.status == RowStatus.NEW]

    @property
    def new_count(self) -> int:
        return len(self.new_rows)

    @property
    def existing_count(self) -> int:
        return sum(row.status == RowStatus.EXISTING for row in self.rows)

    @property
    def invalid_count(self) -> int:
        return sum(row.status == RowStatus.INVALID for row in self.rows)

    @property
    def reported_count(self) -> int:
        return sum(row.target == Status.REPORTED for row in self.new_rows)

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


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H时%M分", "%H点%M分", "%H时", "%H点")


def parse_moment(text: str) -> tuple[datetime, bool]:
    """A date or a date and time as typed (2025-09-16, 2025/9/16 9:00, 2025年9月16日 09:00):
    the naive moment and whether a time of day was given; ValueError otherwise."""
    text = " ".join(text.replace("T", " ").split())
    day_text, _space, time_text = text.partition(" ")
    if not time_text and len(day_text) > 10 and "日" in day_text:  # 2025年9月16日9:00
        day_text, _ri, time_text = day_text.partition("日")
        day_text += "日"
    for pattern in _DATE_FORMATS:
        try:
            day = datetime.strptime(day_text, pattern).date()
            break
        except ValueError:
            continue
    else:
        raise ValueError(text)
    if not time_text:
        return datetime.combine(day, time(0)), False
    for pattern in _TIME_FORMATS:
        try:
            return datetime.combine(day, datetime.strptime(time_text, pattern).time()), True
        except ValueError:
            continue
    raise ValueError(text)


def _moment_cell(row: RowCheck, key: str) -> tuple[datetime | None, bool]:
    text = row.values.get(key, "")
    if not text:
        return None, False
    try:
        moment, timed = parse_moment(text)
    except ValueError:
        row.add(
            key,
            _("“%(value)s” is not a date or time; write it like 2025-09-16 09:00 or 2025-09-16.")
            % {"value": text},
        )
        return None, False
    return timezone.make_aware(moment), timed


@dataclass
class _Lookups:
    """What the rows refer to, fetched once for the whole sheet."""

    kinds: dict[str, ActivityKind]
    groups: dict[str, TargetGroup]
    modes: dict[str, str]
    statuses: dict[str, str]
    organizers: dict[str, list[Organization]]
    campaigns: dict[str, object]
    editions: dict[tuple[int, int], CampaignEdition]
    locks: list[PeriodLock]
    approvers: dict[int, Organization] = field(default_factory=dict)


def _lookups(scope: Scope, rows: list[RowCheck]) -> _Lookups:
    texts = {row.values.get("organizer", "") for row in rows} - {""}
    organizers: dict[str, list[Organization]] = {}
    for org in scope.organizations().filter(Q(name__in=texts) | Q(short_name__in=texts)):
        for text in {org.name, org.short_name} & texts:
            organizers.setdefault(text, []).append(org)
    campaigns = selectors.campaigns_visible(scope=scope)
    editions = {
        (edition.campaign_id, edition.year): edition
        for edition in CampaignEdition.objects.filter(campaign__in=campaigns).select_related(
            "campaign__organization"
        )
    }
    locks = list(
        PeriodLock.objects.filter(unlocked_at__isnull=True)
        .filter(
            Q(organization__path__in=ancestor_paths(scope.organization))
            | Q(organization__path__startswith=scope.organization.path)
        )
        .select_related("organization")
    )
    return _Lookups(
        kinds=_by_name(ActivityKind.objects.all()),
        groups=_by_name(TargetGroup.objects.all()),
        modes=mode_aliases(),
        statuses=status_aliases(),
        organizers=organizers,
        campaigns=_by_name(campaigns),
        editions=editions,
        locks=locks,
    )


def _check_organizer(scope: Scope, row: RowCheck, lookups: _Lookups) -> None:
    text = row.values.get("organizer", "")
    if not text:
        row.organizer = scope.organization
        return
    matches = lookups.organizers.get(text, [])
    active = [org for org in matches if org.status == OrgStatus.ACTIVE]
    if len(matches) > 1 and len(active) == 1:
        matches = active
    if not matches:
        row.add(
            "organizer",
            _("No organization “%(name)s” was found among your organization and those under it.")
            % {"name": text},
        )
    elif len(matches) > 1:
        row.add(
            "organizer",
            _("Several organizations are called “%(name)s”; write the full name.") % {"name": text},
        )
    else:
        row.organizer = matches[0]
        if matches[0].name != text:
            row.notes["organizer"] = matches[0].name


def _check_kind(row: RowCheck, lookups: _Lookups) -> ActivityKind | None:
    text = row.values.get("kind", "")
    if not text:
        row.add("kind", _("Choose the kind of activity."))
        return None
    kind = lookups.kinds.get(folded(text))
    if kind is None:
        row.add(
            "kind",
            _("Unknown activity kind “%(kind)s” (see the sheet “Allowed values” of the template).")
            % {"kind": text},
        )
    elif not kind.is_active:
        row.add("kind", _("The kind “%(kind)s” is no longer in use.") % {"kind": kind.name})
        return None
    return kind


def _check_campaign(row: RowCheck, lookups: _Lookups, held_on: date | None) -> CampaignEdition | None:
    text = row.values.get("campaign", "")
    if not text:
        return None
    match = _EDITION.match(text)
    year, name = (int(match.group(1)), match.group(2)) if match else (None, text)
    campaign = lookups.campaigns.get(folded(name)) or lookups.campaigns.get(folded(text))
    if campaign is None:
        row.add(
            "campaign",
            _("Unknown campaign “%(campaign)s” (see the sheet “Allowed values” of the template).")
            % {"campaign": name},
        )
        return None
    if held_on is None:
        return None
    if year is not None and year != held_on.year:
        row.add(
            "campaign",
            _("The activity is held in %(year)s but the campaign edition is of %(edition)s.")
            % {"year": held_on.year, "edition": year},
        )
        return None
    edition = lookups.editions.get((campaign.pk, held_on.year))
    if edition is None:
        row.add(
            "campaign",
            _("“%(campaign)s” has no edition of %(year)s; ask an administrator to add it.")
            % {"campaign": campaign.name, "year": held_on.year},
        )
        return None
    if str(edition) != text:
        row.notes["campaign"] = str(edition)  # what "全国科普日" alone was read as
    return edition


def _check_groups(row: RowCheck, lookups: _Lookups) -> list[TargetGroup]:
    names = [name.strip() for name in _SEPARATORS.split(row.values.get("target_groups", ""))]
    groups, unknown = [], []
    for name in filter(None, names):
        group = lookups.groups.get(folded(name))
        if group is None:
            unknown.append(name)
        elif group not in groups:
            groups.append(group)
    if unknown:
        row.add(
            "target_groups",
            _("Unknown target groups: %(names)s (see the sheet “Allowed values” of the template).")
            % {"names": "、".join(unknown)},
        )
    return groups


def _check_figures(row: RowCheck, kind: ActivityKind | None) -> dict[str, object]:
    figures = {}
    for code in Figure.values:
        text = row.values.get(code, "")
        if not text:
            continue
        if kind is not None and code not in kind.figures:
            row.add(
                code,
                _("The kind “%(kind)s” does not report this figure; leave the cell empty.")
                % {"kind": kind.name},
            )
            continue
        try:
            figures[code] = services.clean_figure(code, text)
        except DomainError as error:
            row.add(code, str(error.message))
    return figures


def _lock_of(lookups: _Lookups, organization: Organization, day: date) -> PeriodLock | None:
    paths = set(ancestor_paths(organization))
    for lock in lookups.locks:
        if lock.organization.path in paths and lock.starts_on <= day <= lock.ends_on:
            return lock
    return None


def _check_status(scope: Scope, row: RowCheck, lookups: _Lookups, kind, figures, starts_at) -> None:
    text = row.values.get("status", "")
    if not text:
        row.target = Status.DRAFT
        return
    target = lookups.statuses.get(folded(text))
    if target is None:
        allowed = "、".join(str(status.label) for status in TARGET_STATUSES)
        row.add("status", _("“%(value)s” is not one of %(allowed)s.") % {"value": text, "allowed": allowed})
        return
    row.target = target
    if target == Status.DRAFT:
        return
    if starts_at is not None and starts_at > timezone.now():
        row.add("status", _("The activity has not started yet; import it as a draft."))
    # Held or reported, the row passes the approval step: only its approver may import it so.
    reason = _approval_refusal(scope, row.organizer, lookups)
    if reason:
        row.add("status", reason)
    if target == Status.REPORTED and kind is not None:
        missing = [str(label) for code, label in kind.figure_labels if figures.get(code) is None]
        if missing and not any(code in row.errors for code in kind.figures):
            row.add(
                "status",
                _("Fill in these figures before reporting (0 if there were none): %(figures)s")
                % {"figures": "、".join(missing)},
            )


def _approval_refusal(scope: Scope, organizer: Organization | None, lookups: _Lookups) -> str:
    """Why this user may not import the organizer's activities as held or reported ("" if
    they may): those rows pass the approval step, which is the approver's."""
    if not scope.has(Perm.ACTIVITY_APPROVE):  # asked before require_approver: no denial audited per row
        return _(
            "Only those who approve activities may import them as held or reported; import them as drafts "
            "and submit them for approval."
        )
    if organizer is None:
        return ""
    approver = lookups.approvers.get(organizer.pk)
    if approver is None:
        approver = lookups.approvers[organizer.pk] = approving_organization(organizer)
    if not scope.contains(approver):
        try:
            services.require_approver(scope, Activity(organization=organizer))
        except PermissionDenied as error:
            return str(error.args[0]) if error.args else _("Your role does not allow this.")
    return ""


def _existing_keys(rows: list[RowCheck]) -> set[tuple[int, str, datetime]]:
    """(organizer, title, start) of the activities already recorded that rows could repeat."""
    keys = [row.key for row in rows if row.key is not None]
    if not keys:
        return set()
    found = Activity.objects.filter(
        organization__in={key[0] for key in keys},
        title__in={key[1] for key in keys},
        starts_at__in={key[2] for key in keys},
    ).values_list("organization_id", "title", "starts_at")
    return set(found)


def sheet_check(*, scope: Scope, sheet: Sheet) -> SheetCheck:
    """Check every row against the rules and the database, writing nothing."""
    rows = [RowCheck(number, values) for number, values in sheet.rows]
    lookups = _lookups(scope, rows)
    example = _example_title()
    for row in rows:
        _check_row(scope, row, lookups, example)

    existing = _existing_keys(rows)
    seen: dict[tuple, int] = {}
    for row in rows:
        key = row.key
        if key is None:
            continue
        if key in existing:
            # Recorded already (by an earlier import of this file, say): skipped, whatever else it says.
            row.existing, row.errors = True, {}
        elif key in seen:
            row.add(
                ROW_PROBLEM,
                _("The same activity (organizer, name and start) is also on row %(row)s.")
                % {"row": seen[key]},
            )
        seen.setdefault(key, row.number)
    return SheetCheck(sheet=sheet, rows=rows)


def _check_row(scope: Scope, row: RowCheck, lookups: _Lookups, example: str) -> None:
    values = row.values
    if values.get("title") == example:
        row.add(ROW_PROBLEM, _("This is the example row of the template; delete it."))
        return
    title = " ".join(values.get("title", "").split())
    if not title:
        row.add("title", _("Give the activity a title."))
    elif len(title) > 128:
        row.add("title", _("Longer than %(max)s characters.") % {"max": 128})
    if len(values.get("venue", "")) > 128:
        row.add("venue", _("Longer than %(max)s characters.") % {"max": 128})
    _check_organizer(scope, row, lookups)
    kind = _check_kind(row, lookups)

    starts_at, start_timed = _moment_cell(row, "starts_at")
    if not values.get("starts_at"):
        row.add("starts_at", _("Give the start of the activity."))
    ends_at, end_timed = _moment_cell(row, "ends_at")
    if starts_at is not None and not values.get("ends_at"):
        ends_at, end_timed = starts_at, start_timed  # one day, or one moment
    if ends_at is not None and not end_timed:
        ends_at += timedelta(days=1, minutes=-1)  # a day written alone ends at 23:59
    if starts_at is not None and ends_at is not None:
        if ends_at < starts_at:
            row.add("ends_at", _("The activity cannot end before it starts."))
        elif ends_at - starts_at > services.MAX_DURATION:
            row.add("ends_at", _("An activity lasts a year at most; record longer work as several."))
    held_on = timezone.localtime(starts_at).date() if starts_at is not None else None
    if title and len(title) <= 128 and row.organizer is not None and starts_at is not None:
        row.key = (row.organizer.pk, title, starts_at)

    mode = Mode.OFFLINE
    if values.get("mode"):
        mode = lookups.modes.get(folded(values["mode"]), "")
        if not mode:
            allowed = "、".join(str(choice.label) for choice in Mode)
            row.add(
                "mode",
                _("“%(value)s” is not one of %(allowed)s.") % {"value": values["mode"], "allowed": allowed},
            )

    edition = _check_campaign(row, lookups, held_on)
    groups = _check_groups(row, lookups)
    figures = _check_figures(row, kind)
    _check_status(scope, row, lookups, kind, figures, starts_at)

    if row.organizer is not None and held_on is not None:
        lock = _lock_of(lookups, row.organizer, held_on)
        if lock is not None:
            try:
                require_unlocked(row.organizer, held_on)
            except DomainError as error:
                row.add("starts_at", str(error.message))

    if row.errors:
        return
    row.data = services.ActivityData(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        venue=values.get("venue", ""),
        campaign_edition=edition,
        target_groups=groups,
        figures=figures,
    )
    try:  # the service's own checks (a campaign run in another area, …), without writing
        services.clean_activity(row.data, organization=row.organizer)
    except DomainError as error:
        key = {"campaign_edition": "campaign"}.get(error.field, error.field)
        row.add(key if key in COLUMNS_BY_KEY else ROW_PROBLEM, str(error.message))
        row.data = None


# --- applying -----------------------------------------------------------------------------


@transaction.atomic
def sheet_apply(*, actor, scope: Scope, sheet: Sheet, token: str) -> list[Activity]:
    """Record every new row of a fully valid sheet, all in one transaction, or none.

    Each row is recorded by `services.activity_record` at its status, with the checks and
    the audit records of every workflow step; rows already recorded are skipped; one
    `activity.import` record sums the import up. A token is applied at most once.
    """
    if actor is not None and actor.pk is not None:
        # One import at a time per user, so a double submit sees the first one's summary record.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if AuditEvent.objects.filter(action="activity.import", detail__token=token).exists():
        raise DomainError(_("This import has already been applied."), code="applied")
    check = sheet_check(scope=scope, sheet=sheet)
    if not check.is_valid:
        raise SheetError(check.problems)
    if not check.new_rows:
        raise DomainError(
            _("Every row of this file is recorded already: there is nothing to import."), code="nothing"
        )
    created: list[Activity] = []
    for row in check.new_rows:
        try:
            if row.target in services.NEEDS_APPROVER:
                services.require_approver(scope, Activity(organization=row.organizer))
            activity = services.activity_record(
                actor=actor, organization=row.organizer, data=row.data, status=row.target
            )
        except (DomainError, PermissionDenied) as error:
            message = str(error.message) if isinstance(error, DomainError) else str(error)
            field_name = getattr(error, "field", None)
            key = {"campaign_edition": "campaign"}.get(field_name, field_name)
            column = check.column_label(key) if key in COLUMNS_BY_KEY else None
            raise SheetError([problem(row.number, column, message)]) from error
        created.append(activity)
    record(
        actor,
        "activity.import",
        scope.organization,
        rows=len(created),
        skipped=check.existing_count,
        filename=sheet.filename[:255],
        token=token,
    )
    return created
