"""The people list as .xlsx: the rows the user filtered on screen, masked by default.

Left out: anonymized people (never in the list), and children under 14 whose guardian has
not consented (PIPL art. 31); how many were left out is said in the sheet and the audit.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.audit.services import record
from kexie.core import xlsx
from kexie.people.models import Consent
from kexie.people.services.people import MINOR_AGE, id_number_of, mobile_of

# More rows than this is not a list anyone reads; the user is asked to filter first.
EXPORT_ROW_LIMIT = 50_000


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation, resolved in the requester's language
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class PeopleExport:
    content: bytes
    rows: int
    left_out: int  # minors without a guardian's consent


def _columns(*, unmask: bool, today) -> list[Column]:
    id_number = id_number_of if unmask else (lambda p: p.id_number_masked)
    mobile = mobile_of if unmask else (lambda p: p.mobile_masked)
    return [
        Column(gettext_lazy("Person's name"), lambda p: p.name),
        Column(gettext_lazy("Gender"), lambda p: p.get_gender_display()),
        Column(gettext_lazy("Birth date"), lambda p: p.birth_date),
        Column(gettext_lazy("Age"), lambda p: p.age_on(today)),
        Column(gettext_lazy("Resident ID number"), id_number),
        Column(gettext_lazy("Mobile number"), mobile),
        Column(gettext_lazy("E-mail"), lambda p: p.email),
        Column(gettext_lazy("Highest education"), lambda p: p.get_education_display()),
        Column(gettext_lazy("Professional title"), lambda p: p.title),
        Column(gettext_lazy("Title level"), lambda p: p.get_title_level_display()),
        Column(gettext_lazy("Discipline"), lambda p: p.discipline.name if p.discipline_id else ""),
        Column(gettext_lazy("Unit"), lambda p: p.unit.name if p.unit_id else ""),
        Column(gettext_lazy("Employer"), lambda p: p.employer),
        Column(gettext_lazy("Position"), lambda p: p.position),
        Column(gettext_lazy("Region"), lambda p: str(p.division) if p.division_id else ""),
        Column(gettext_lazy("Native place"), lambda p: str(p.native_place) if p.native_place_id else ""),
        Column(gettext_lazy("Political status"), lambda p: p.get_political_status_display()),
        Column(gettext_lazy("Tags"), lambda p: "、".join(t.name for t in p.tags.all())),
        Column(gettext_lazy("Expertise"), lambda p: p.expertise),
        Column(gettext_lazy("Kept by"), lambda p: p.organization.name),
    ]


def minors_without_consent(*, today) -> Q:
    """Under 14 today (as `services.people.is_minor` counts) and no guardian's consent in force."""
    guardian = Consent.objects.filter(
        person=OuterRef("pk"), given_by=Consent.GivenBy.GUARDIAN, withdrawn_on__isnull=True
    )
    return Q(birth_date__gt=today - relativedelta(years=MINOR_AGE)) & ~Exists(guardian)


def _rows(columns: list[Column], people: Iterable, width: int, note: str) -> Iterator[list]:
    for person in people:
        yield [column.value(person) for column in columns]
    if note:
        yield [""] * width
        yield [note] + [""] * (width - 1)


@transaction.atomic
def people_export(
    *, actor, org_path: str, people: QuerySet, unmask: bool, reason: str, filters: str
) -> PeopleExport:
    """The filtered list as one sheet, and its audit record ("person.export" with the filter,
    the count and how many minors were left out; unmasked exports also as "person.unmask").

    Callers check PEOPLE_EXPORT, and PERSONAL_UNMASK with a non-empty reason for `unmask`.
    """
    today = timezone.localdate()
    left_out_q = minors_without_consent(today=today)
    left_out = people.filter(left_out_q).count()
    kept = people.exclude(left_out_q).select_related("division", "native_place").prefetch_related("tags")
    rows = kept.count()
    columns = _columns(unmask=unmask, today=today)
    note = ""
    if left_out:
        note = _("People under 14 without a guardian's consent left out of this export: %(count)s.") % {
            "count": left_out
        }
    content = xlsx.workbook(
        [c.header for c in columns],
        _rows(columns, kept.iterator(chunk_size=2000), len(columns), note),
        title=_("People"),
    )
    detail = {"filters": filters, "count": rows, "left_out": left_out, "unmasked": unmask}
    if unmask:
        detail["reason"] = reason[:200]
    record(actor, "person.export", None, org_path=org_path, **detail)
    if unmask:
        record(
            actor, "person.unmask", None, org_path=org_path, reason=reason[:200], where="export", count=rows
        )
    return PeopleExport(content=content, rows=rows, left_out=left_out)
