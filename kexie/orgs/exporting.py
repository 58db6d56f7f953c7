"""What the organization exports contain: columns of the list export, the re-election
export and the network statistics workbook.

The figures come from `selectors`; this module only lays them out as sheets, so a number
in an export is the number on the page.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import tablib
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.core import xlsx
from kexie.core.masking import mask_phone

from .models import BoardTerm
from .selectors import NetworkStatistics

# More rows than this is not a list anyone reads; the user is asked to filter first.
EXPORT_ROW_LIMIT = 50_000


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation, resolved in the requester's language
    value: Callable[[Any], Any]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _organization_columns(*, unmask: bool) -> list[Column]:
    phone = (lambda o: o.contact_phone) if unmask else (lambda o: mask_phone(o.contact_phone))
    return [
        Column(gettext_lazy("Name"), lambda o: o.name),
        Column(gettext_lazy("Short name"), lambda o: o.short_name),
        Column(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
        Column(gettext_lazy("Parent organization"), lambda o: o.parent.name if o.parent_id else ""),
        Column(gettext_lazy("Unified social credit code"), lambda o: o.credit_code),
        Column(gettext_lazy("Division code"), lambda o: o.division_id or ""),
        Column(gettext_lazy("Division name"), lambda o: o.division.name if o.division_id else ""),
        Column(gettext_lazy("Address"), lambda o: o.address),
        Column(gettext_lazy("Legal representative"), lambda o: o.legal_representative),
        Column(gettext_lazy("Contact person"), lambda o: o.contact_person),
        Column(gettext_lazy("Contact phone"), phone),
        Column(gettext_lazy("Founding date"), lambda o: o.founded_on),
        Column(gettext_lazy("Status"), lambda o: o.get_status_display()),
        Column(gettext_lazy("Current board term due"), lambda o: o.current_term_due_on),
        Column(gettext_lazy("Party building in the charter"), lambda o: _yes_no(o.party_building_in_charter)),
    ]


def _with_current_term_due(organizations: QuerySet) -> QuerySet:
    current = BoardTerm.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True).order_by("-number")
    return organizations.annotate(current_term_due_on=Subquery(current.values("due_on")[:1]))


def _rows(columns: Sequence[Column], objects: Iterable) -> Iterator[list]:
    for obj in objects:
        yield [column.value(obj) for column in columns]


def organization_workbook(*, organizations: QuerySet, unmask: bool) -> bytes:
    """The filtered organization list as one sheet; phones masked unless `unmask`."""
    columns = _organization_columns(unmask=unmask)
    objects = _with_current_term_due(organizations).iterator(chunk_size=2000)
    return xlsx.workbook([c.header for c in columns], _rows(columns, objects), title=_("Organizations"))


# --- re-elections ------------------------------------------------------------------------


def reelection_workbook(*, terms: Iterable[BoardTerm], today: date, overdue: bool) -> bytes:
    """Overdue (or upcoming) board re-elections with the days overdue (or left)."""
    days_header = gettext_lazy("Days overdue") if overdue else gettext_lazy("Days left")
    columns = [
        Column(gettext_lazy("Organization"), lambda t: t.organization.name),
        Column(gettext_lazy("Kind"), lambda t: t.organization.get_kind_display()),
        Column(
            gettext_lazy("Parent organization"),
            lambda t: t.organization.parent.name if t.organization.parent_id else "",
        ),
        Column(gettext_lazy("Current term"), lambda t: t.number),
        Column(gettext_lazy("Term start"), lambda t: t.started_on),
        Column(gettext_lazy("Term length (years)"), lambda t: t.length_years),
        Column(gettext_lazy("Re-election due"), lambda t: t.due_on),
        Column(days_header, lambda t: abs((today - t.due_on).days)),
    ]
    title = _("Overdue re-elections") if overdue else _("Upcoming re-elections")
    return xlsx.workbook([c.header for c in columns], _rows(columns, terms), title=title)


# --- network statistics ------------------------------------------------------------------


def statistics_year_rows(stats: NetworkStatistics) -> list[tuple[int, int, int]]:
    """(year, founded, dissolved) for every year with either, oldest first."""
    founded, dissolved = dict(stats.founded_per_year), dict(stats.dissolved_per_year)
    return [
        (year, founded.get(year, 0), dissolved.get(year, 0))
        for year in sorted(founded.keys() | dissolved.keys())
    ]


def statistics_summary(stats: NetworkStatistics) -> list[tuple[str, Any]]:
    return [
        (_("Organization"), stats.root.name),
        (_("Active organizations"), stats.total_active),
        (_("Societies and similar bodies with a board"), stats.societies_with_board),
        (_("Overdue re-elections"), stats.overdue_reelections),
        (_("Active societies"), stats.party.societies),
        (_("Societies covered by a party organization"), stats.party.covered),
        (_("Party coverage (%)"), stats.party.covered_percent),
        (_("Societies with party building in the charter"), stats.party.in_charter),
        (_("Party building in the charter (%)"), stats.party.in_charter_percent),
    ]


def _child_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Organization"), lambda s: s.root.name),
        Column(gettext_lazy("Kind"), lambda s: s.root.get_kind_display()),
        Column(gettext_lazy("Active organizations"), lambda s: s.total_active),
        Column(gettext_lazy("With a board"), lambda s: s.societies_with_board),
        Column(gettext_lazy("Overdue re-elections"), lambda s: s.overdue_reelections),
        Column(gettext_lazy("Active societies"), lambda s: s.party.societies),
        Column(gettext_lazy("Covered by a party organization"), lambda s: s.party.covered),
        Column(gettext_lazy("Party coverage (%)"), lambda s: s.party.covered_percent),
        Column(gettext_lazy("Party building in the charter"), lambda s: s.party.in_charter),
        Column(gettext_lazy("In the charter (%)"), lambda s: s.party.in_charter_percent),
    ]


def _sheet(title: str, headers: Sequence, rows: Iterable[Sequence]) -> tablib.Dataset:
    sheet = tablib.Dataset(headers=[str(h) for h in headers], title=title[:31])
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    return sheet


def statistics_workbook(*, stats: NetworkStatistics, children: Sequence[NetworkStatistics]) -> bytes:
    """The statistics page as a workbook: summary, kinds, years and one row per sub-organization."""
    child_columns = _child_columns()
    book = tablib.Databook()
    book.add_sheet(_sheet(_("Summary"), [_("Figure"), _("Value")], statistics_summary(stats)))
    book.add_sheet(
        _sheet(
            _("By kind"),
            [_("Kind"), _("Active"), _("Dissolved")],
            [(str(k.label), k.active, k.dissolved) for k in stats.by_kind],
        )
    )
    book.add_sheet(
        _sheet(_("By year"), [_("Year"), _("Founded"), _("Dissolved")], statistics_year_rows(stats))
    )
    book.add_sheet(
        _sheet(_("Sub-organizations"), [c.header for c in child_columns], _rows(child_columns, children))
    )
    return book.export("xlsx")
