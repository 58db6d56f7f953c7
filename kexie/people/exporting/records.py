"""What the exports of honours, visits and talent lists contain. The rows come from
kexie.people.selectors.records, so an export holds exactly the filtered list on screen.

Mobiles are masked unless the caller asks for them in clear (PERSONAL_UNMASK and a reason,
checked and audited by the view); ID numbers are never exported from these lists.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.core import xlsx
from kexie.people.services.people import mobile_of

# More rows than this is not a list anyone reads; the user is asked to filter first.
EXPORT_ROW_LIMIT = 50_000


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation, resolved in the requester's language
    value: Callable[[Any], Any]


def _rows(columns: Sequence[Column], objects: Iterable) -> Iterator[list]:
    for obj in objects:
        yield [column.value(obj) for column in columns]


def _workbook(columns: Sequence[Column], objects: Iterable, title: str) -> bytes:
    return xlsx.workbook([str(c.header) for c in columns], _rows(columns, objects), title=title)


# --- honours -----------------------------------------------------------------------------


def _recipient_kind(honour) -> str:
    return _("Person") if honour.person_id else _("Organization")


HONOUR_COLUMNS = (
    Column(gettext_lazy("Honoured"), lambda h: str(h.recipient)),
    Column(gettext_lazy("Person or organization"), _recipient_kind),
    Column(gettext_lazy("Title of the honour"), lambda h: h.title),
    Column(gettext_lazy("Level"), lambda h: h.get_level_display()),
    Column(gettext_lazy("Grade"), lambda h: h.get_grade_display() if h.grade else ""),
    Column(gettext_lazy("Year"), lambda h: h.year),
    Column(gettext_lazy("Awarded by"), lambda h: h.issuer),
    Column(gettext_lazy("Kept by"), lambda h: h.organization.name),
    Column(gettext_lazy("Evidence"), lambda h: _("Yes") if h.evidence else _("No")),
    Column(gettext_lazy("Note"), lambda h: h.note),
)


def honour_workbook(*, honours: QuerySet) -> bytes:
    return _workbook(HONOUR_COLUMNS, honours.iterator(chunk_size=2000), _("Honours"))


# --- visits ------------------------------------------------------------------------------


VISIT_COLUMNS = (
    Column(gettext_lazy("Date of the visit"), lambda v: v.visited_on),
    Column(gettext_lazy("Person visited"), lambda v: v.person.name),
    Column(gettext_lazy("Employer"), lambda v: v.person.employer),
    Column(gettext_lazy("Occasion"), lambda v: v.get_occasion_display()),
    Column(gettext_lazy("Visited by"), lambda v: v.visitors),
    Column(gettext_lazy("Visiting organization"), lambda v: v.organization.name),
    Column(gettext_lazy("Note"), lambda v: v.note),
)


def visit_workbook(*, visits: QuerySet) -> bytes:
    return _workbook(VISIT_COLUMNS, visits.iterator(chunk_size=2000), _("Visits"))


# --- talent lists ------------------------------------------------------------------------


def _member_columns(*, unmask: bool, notes: dict[int, str] | None) -> list[Column]:
    mobile = mobile_of if unmask else (lambda p: p.mobile_masked)
    columns = [
        Column(gettext_lazy("Name of the person"), lambda p: p.name),
        Column(gettext_lazy("Gender"), lambda p: p.get_gender_display()),
        Column(gettext_lazy("Year of birth"), lambda p: p.birth_date.year if p.birth_date else ""),
        Column(gettext_lazy("Employer"), lambda p: p.employer),
        Column(gettext_lazy("Position"), lambda p: p.position),
        Column(gettext_lazy("Professional title"), lambda p: p.title),
        Column(gettext_lazy("Title level"), lambda p: p.get_title_level_display()),
        Column(gettext_lazy("Discipline"), lambda p: p.discipline.name if p.discipline_id else ""),
        Column(gettext_lazy("Tags"), lambda p: "、".join(tag.name for tag in p.tags.all())),
        Column(gettext_lazy("Mobile"), mobile),
        Column(gettext_lazy("E-mail"), lambda p: p.email),
        Column(gettext_lazy("Kept by"), lambda p: p.organization.name),
    ]
    if notes is not None:
        columns.append(Column(gettext_lazy("Note"), lambda p: notes.get(p.pk, "")))
    return columns


def talent_list_workbook(*, talent_list, people: QuerySet, unmask: bool, notes: dict | None) -> bytes:
    """The members of a talent list; mobiles masked unless `unmask` (checked by the caller)."""
    columns = _member_columns(unmask=unmask, notes=notes)
    objects = people.prefetch_related("tags").iterator(chunk_size=2000)
    return _workbook(columns, objects, talent_list.name)
