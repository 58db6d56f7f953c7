"""What the unit, team and roster exports contain. The rows are the filtered lists of
`selectors.units` and `selectors.members`, so an export holds exactly what the page lists.

Personal data is masked: a roster export carries masked mobiles only, and never an ID number.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.core import xlsx
from kexie.core.masking import mask_phone
from kexie.orgs.exporting import Column
from kexie.people.models import BoardSeat

# More rows than this is not a list anyone reads; the user is asked to filter first.
EXPORT_ROW_LIMIT = 50_000


def _rows(columns: Sequence[Column], objects: Iterable) -> Iterator[list]:
    for obj in objects:
        yield [column.value(obj) for column in columns]


def _unit_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Name"), lambda u: u.name),
        Column(gettext_lazy("Kind"), lambda u: u.get_kind_display()),
        Column(gettext_lazy("Unified social credit code"), lambda u: u.credit_code),
        Column(gettext_lazy("Industry"), lambda u: u.get_industry_display()),
        Column(gettext_lazy("Division code"), lambda u: u.division_id or ""),
        Column(gettext_lazy("Division name"), lambda u: u.division.name if u.division_id else ""),
        Column(gettext_lazy("Size"), lambda u: u.get_size_display()),
        Column(gettext_lazy("Address"), lambda u: u.address),
        Column(gettext_lazy("Contact person"), lambda u: u.contact_person),
        Column(gettext_lazy("Contact phone"), lambda u: mask_phone(u.contact_phone)),
        Column(gettext_lazy("People"), lambda u: u.people_count),
        Column(gettext_lazy("Kept by"), lambda u: u.organization.name),
    ]


def unit_workbook(*, units: QuerySet) -> bytes:
    """The filtered unit list; contact phones masked."""
    columns = _unit_columns()
    return xlsx.workbook(
        [c.header for c in columns], _rows(columns, units.iterator(chunk_size=2000)), title=_("Units")
    )


def _team_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Name"), lambda t: t.name),
        Column(gettext_lazy("Leader"), lambda t: t.leader.name if t.leader_id else ""),
        Column(gettext_lazy("Unit"), lambda t: t.unit.name if t.unit_id else ""),
        Column(gettext_lazy("Discipline"), lambda t: t.discipline.name if t.discipline_id else ""),
        Column(gettext_lazy("Founding date"), lambda t: t.founded_on),
        Column(gettext_lazy("Members of the team"), lambda t: t.member_count),
        Column(gettext_lazy("Team description"), lambda t: t.description),
        Column(gettext_lazy("Kept by"), lambda t: t.organization.name),
    ]


def team_workbook(*, teams: QuerySet) -> bytes:
    columns = _team_columns()
    return xlsx.workbook(
        [c.header for c in columns], _rows(columns, teams.iterator(chunk_size=2000)), title=_("Teams")
    )


def _positions_by_person(seats: Iterable[BoardSeat]) -> dict[int, str]:
    held = defaultdict(list)
    for seat in seats:
        held[seat.person_id].append(str(seat.get_role_display()))
    return {person: "、".join(roles) for person, roles in held.items()}


def _roster_columns(*, year: int, positions: dict[int, str]) -> list[Column]:
    def member_type(m):
        return _("Institutional member") if m.unit_id else _("Individual member")

    def employer(m):
        if m.unit_id:
            return ""
        return m.person.unit.name if m.person.unit_id else m.person.employer

    return [
        Column(gettext_lazy("Membership number"), lambda m: m.number),
        Column(gettext_lazy("Membership type"), member_type),
        Column(gettext_lazy("Name"), lambda m: m.member_name),
        Column(gettext_lazy("Gender"), lambda m: m.person.get_gender_display() if m.person_id else ""),
        Column(gettext_lazy("Unit"), employer),
        Column(gettext_lazy("Professional title"), lambda m: m.person.title if m.person_id else ""),
        Column(gettext_lazy("Mobile"), lambda m: m.person.mobile_masked if m.person_id else ""),
        Column(gettext_lazy("Joined on"), lambda m: m.joined_on),
        Column(gettext_lazy("Status"), lambda m: m.get_status_display()),
        Column(gettext_lazy("Left on"), lambda m: m.left_on),
        Column(_("Dues paid for %(year)s (yuan)") % {"year": year}, lambda m: m.dues_paid),
        Column(
            gettext_lazy("Board positions held"),
            lambda m: positions.get(m.person_id, "") if m.person_id else "",
        ),
        Column(gettext_lazy("Note"), lambda m: m.note),
    ]


def roster_workbook(*, memberships: QuerySet, year: int, seats: Iterable[BoardSeat]) -> bytes:
    """A society's filtered roster with this year's dues and the current board positions;
    mobiles masked (the clear number never leaves through this export)."""
    columns = _roster_columns(year=year, positions=_positions_by_person(seats))
    rows = _rows(columns, memberships.iterator(chunk_size=2000))
    return xlsx.workbook([c.header for c in columns], rows, title=_("Roster"))
