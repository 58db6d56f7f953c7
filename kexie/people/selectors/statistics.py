"""The talent-pool figures: one selector per figure, each a single grouped query.

Each figure is defined once here and used by the statistics page, its .xlsx export and
the API alike. People are counted in the scope's subtree (kept by an organization in it,
or a member of a society in it) INCLUDING anonymized records: anonymizing erases who a
person is, not that they are counted, so figures do not change when someone is anonymized.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core.scoping import Scope
from kexie.people.models import (
    Honour,
    HonourLevel,
    MemberStatus,
    Person,
    SocietyMembership,
    TitleLevel,
    UnitKind,
)

NOT_RECORDED = ""  # the key of the "not recorded" row of a figure

# Kinds of organization that keep a member roster, listed even before their first member.
SOCIETY_KINDS = ("society", "society_branch", "society_consortium")


@dataclass(frozen=True)
class FigureRow:
    """One bar of a figure: a key (a choice value, a code, "" for not recorded), what the
    reader sees, and the number of people."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class SocietyRow:
    society_id: int
    name: str
    individual: int
    institutional: int

    @property
    def total(self) -> int:
        return self.individual + self.institutional


@dataclass(frozen=True)
class HonourYearRow:
    year: int
    counts: tuple[int, ...]  # one per HonourLevel, in HonourLevel order

    @property
    def total(self) -> int:
        return sum(self.counts)


def _counted_people(scope: Scope) -> QuerySet:
    """Everyone the figures count in the scope, anonymized people included (see above)."""
    from kexie.orgs.models import path_upper_bound

    root = scope.organization.path
    upper = path_upper_bound(root)
    member_here = SocietyMembership.objects.filter(
        society__path__gte=root, society__path__lt=upper, person_id=OuterRef("pk")
    )
    return Person.objects.filter(
        Q(organization__path__gte=root, organization__path__lt=upper) | Exists(member_here)
    )


def _choice_rows(counts: dict, choices) -> list[FigureRow]:
    """Every choice in its defined order (zeros included), then "not recorded" if any."""
    rows = [FigureRow(value, str(label), counts.get(value, 0)) for value, label in choices]
    unknown = counts.get(NOT_RECORDED, 0) + counts.get(None, 0)
    if unknown:
        rows.append(FigureRow(NOT_RECORDED, str(_("Not filled in")), unknown))
    return rows


def _grouped(queryset: QuerySet, field: str) -> dict:
    return {row[field]: row["count"] for row in queryset.values(field).annotate(count=Count("pk")).order_by()}


def people_by_discipline(*, scope: Scope) -> list[FigureRow]:
    """People by category of their field (学科门类): a discipline counts in its category."""
    rows = (
        _counted_people(scope)
        .annotate(
            category=Coalesce("discipline__parent__code", "discipline__code"),
            category_name=Coalesce("discipline__parent__name", "discipline__name"),
            category_position=Coalesce("discipline__parent__position", "discipline__position"),
        )
        .values("category", "category_name", "category_position")
        .annotate(count=Count("pk"))
        .order_by()
    )
    known = sorted(
        (r for r in rows if r["category"] is not None),
        key=lambda r: (r["category_position"], r["category"]),
    )
    figure = [FigureRow(r["category"], r["category_name"], r["count"]) for r in known]
    unknown = sum(r["count"] for r in rows if r["category"] is None)
    if unknown:
        figure.append(FigureRow(NOT_RECORDED, str(_("Not filled in")), unknown))
    return figure


def people_by_title_level(*, scope: Scope) -> list[FigureRow]:
    """People by the level of their professional title (正高级 … 无)."""
    return _choice_rows(_grouped(_counted_people(scope), "title_level"), TitleLevel.choices)


AGE_BANDS = (
    ("minor", _("Under 14 (minors)"), 0, 14),
    ("under_35", _("Under 35"), 14, 35),
    ("35_44", _("35–44"), 35, 45),
    ("45_54", _("45–54"), 45, 55),
    ("55_64", _("55–64"), 55, 65),
    ("65_plus", _("65 and over"), 65, None),
)


def people_by_age_band(*, scope: Scope, today: date | None = None) -> list[FigureRow]:
    """People by age on `today`: under 35, 35–44, 45–54, 55–64, 65 and over. People under
    14 are counted apart, as minors, and not in "under 35"."""
    today = today or timezone.localdate()
    whens = [When(birth_date__isnull=True, then=Value(NOT_RECORDED))]
    # age < N exactly when the birth date is after the same day N years ago
    for key, _label, _low, high in AGE_BANDS:
        if high is not None:
            whens.append(When(birth_date__gt=today - relativedelta(years=high), then=Value(key)))
    band = SqlCase(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())
    counts = _grouped(_counted_people(scope).annotate(band=band), "band")
    return _choice_rows(counts, [(key, label) for key, label, _low, _high in AGE_BANDS])


def people_by_unit_kind(*, scope: Scope) -> list[FigureRow]:
    """People by the kind of unit they work in (enterprise, university, hospital …)."""
    return _choice_rows(_grouped(_counted_people(scope), "unit__kind"), UnitKind.choices)


def members_per_society(*, scope: Scope) -> list[SocietyRow]:
    """Active individual and institutional members of each active society in the scope
    (and of any other organization that keeps a roster), by pinyin of the society's name."""
    active = Q(members__status=MemberStatus.ACTIVE)
    has_members = SocietyMembership.objects.filter(society_id=OuterRef("pk"), status=MemberStatus.ACTIVE)
    rows = (
        scope.organizations()
        .filter(Q(kind__in=SOCIETY_KINDS, status="active") | Exists(has_members))
        .values("pk", "name", "sort_key")
        .annotate(
            individual=Count("members", filter=active & Q(members__person__isnull=False)),
            institutional=Count("members", filter=active & Q(members__unit__isnull=False)),
        )
        .order_by("sort_key", "pk")
    )
    return [SocietyRow(r["pk"], r["name"], r["individual"], r["institutional"]) for r in rows]


def honours_by_level_and_year(*, scope: Scope) -> list[HonourYearRow]:
    """Honours recorded in the scope (to people and to organizations) per year, split by
    level (national, provincial, city, county, other); latest year first."""
    rows = (
        scope.filter(Honour.objects.all(), via="organization")
        .values("year", "level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_year: dict[int, dict[str, int]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["level"]] = row["count"]
    levels = HonourLevel.values
    return [
        HonourYearRow(year, tuple(by_year[year].get(level, 0) for level in levels))
        for year in sorted(by_year, reverse=True)
    ]


def honour_levels() -> list[str]:
    """The column headings of `honours_by_level_and_year`, in its order."""
    return [str(label) for label in HonourLevel.labels]
