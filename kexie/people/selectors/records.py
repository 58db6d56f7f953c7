"""Reading honours, visits and talent lists, always through the scope.

Honours, visits and talent lists belong to the organization that keeps them (for a visit:
the one that visited), so `scope.filter(..., via="organization")` decides who sees them.
Records of anonymized people leave every list.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from kexie.core.scoping import Scope
from kexie.people.models import (
    Discipline,
    Education,
    Gender,
    Honour,
    HonourLevel,
    Person,
    PersonStatus,
    Tag,
    TalentList,
    TitleLevel,
    Visit,
)
from kexie.people.selectors.people import (
    person_filter_from_query,
    person_list,
    person_queryset,
    search_tokens,
)
from kexie.statistics.definitions import get_definition
from kexie.statistics.selectors import records_of

_USABLE_PERSON = Q(person__isnull=True) | Q(person__status=PersonStatus.ACTIVE)


# --- honours -----------------------------------------------------------------------------


@dataclass
class HonourFilter:
    year: int | None = None
    level: str = ""
    grade: str = ""
    recipient: str = ""  # "person" or "organization"
    query: str = ""  # part of the title or of the recipient's name


def honour_queryset(*, scope: Scope) -> QuerySet:
    return scope.filter(Honour.objects.filter(_USABLE_PERSON), via="organization")


def honour_get(*, scope: Scope, pk) -> Honour:
    """One honour kept in the scope, else 404."""
    return scope.get(
        Honour.objects.select_related("person", "recipient_organization", "organization"),
        via="organization",
        pk=pk,
    )


def honour_list(*, scope: Scope, filters: HonourFilter | None = None) -> QuerySet:
    """Honours of people and organizations kept in the scope, newest year first."""
    filters = filters or HonourFilter()
    queryset = honour_queryset(scope=scope)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.grade:
        queryset = queryset.filter(grade=filters.grade)
    if filters.recipient == "person":
        queryset = queryset.filter(person__isnull=False)
    elif filters.recipient == "organization":
        queryset = queryset.filter(recipient_organization__isnull=False)
    query = " ".join((filters.query or "").split())
    if query:
        queryset = queryset.filter(
            Q(title__icontains=query)
            | Q(person__name__icontains=query)
            | Q(recipient_organization__name__icontains=query)
        )
    return queryset.select_related("person", "recipient_organization", "organization").order_by(
        "-year", "level", "title", "id"
    )


def honours_of(*, scope: Scope, person=None, organization=None) -> QuerySet:
    """The honours of one person or one organization that the scope may see (for profiles)."""
    queryset = honour_queryset(scope=scope).select_related("organization")
    if person is not None:
        return queryset.filter(person=person).order_by("-year", "id")
    return queryset.filter(recipient_organization=organization).order_by("-year", "id")


def honour_counts_by_level(*, scope: Scope, year: int | None = None) -> dict[str, int]:
    """How many honours of each level are kept in the scope (one year, or all): the one
    definition the statistics and reports use."""
    queryset = honour_queryset(scope=scope)
    if year:
        queryset = queryset.filter(year=year)
    counts = dict(queryset.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    return {level: counts.get(level, 0) for level in HonourLevel.values}


# --- visits ------------------------------------------------------------------------------


@dataclass
class VisitFilter:
    year: int | None = None
    occasion: str = ""
    query: str = ""  # the visited person's name (pinyin and initials work too)
    # The visits a statistic definition counts (the link behind a figure of the statistics
    # page): its code, the period, the organization (in scope) and whether only its own.
    statistic: str = ""
    start: date | None = None
    end: date | None = None
    organization: int | None = None
    own: bool = False


def visit_queryset(*, scope: Scope) -> QuerySet:
    return scope.filter(Visit.objects.filter(person__status=PersonStatus.ACTIVE), via="organization")


def visit_get(*, scope: Scope, pk) -> Visit:
    """One visit made by an organization in the scope, else 404."""
    return scope.get(Visit.objects.select_related("person", "organization"), via="organization", pk=pk)


def visit_list(*, scope: Scope, filters: VisitFilter | None = None) -> QuerySet:
    filters = filters or VisitFilter()
    queryset = visit_queryset(scope=scope)
    if filters.statistic:
        definition = get_definition(filters.statistic)
        if definition is None or definition.source.code != "visits":
            raise Http404
        organization = (
            scope.get_organization(filters.organization) if filters.organization else scope.organization
        )
        counted = records_of(
            definition,
            organization=organization,
            start=filters.start or date(1900, 1, 1),
            end=filters.end or date(2999, 12, 31),
            own=filters.own,
        )
        queryset = queryset.filter(pk__in=counted.values("pk"))
    if filters.year:
        queryset = queryset.filter(visited_on__year=filters.year)
    if filters.occasion:
        queryset = queryset.filter(occasion=filters.occasion)
    candidates, _folded = search_tokens(filters.query)
    if candidates is not None:
        queryset = queryset.filter(person_id__in=candidates)
    return queryset.select_related("person", "person__unit", "organization", "recorded_by").order_by(
        "-visited_on", "-id"
    )


def visits_of(*, scope: Scope, person) -> QuerySet:
    """The visits to one person made by organizations in the scope (for the profile)."""
    return visit_queryset(scope=scope).filter(person=person).select_related("organization")


# --- talent lists ------------------------------------------------------------------------


def talent_list_queryset(*, scope: Scope) -> QuerySet:
    return scope.filter(TalentList.objects.all(), via="organization")


def talent_list_get(*, scope: Scope, pk) -> TalentList:
    """One talent list kept in the scope, else 404."""
    return scope.get(
        TalentList.objects.select_related("organization", "created_by"), via="organization", pk=pk
    )


def talent_lists(*, scope: Scope, query: str = "") -> QuerySet:
    """The lists kept in the scope, with the number of chosen people on explicit lists."""
    queryset = talent_list_queryset(scope=scope)
    query = " ".join((query or "").split())
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(description__icontains=query))
    return (
        queryset.select_related("organization", "created_by")
        .annotate(
            entry_count=Count(
                "list_entries", filter=Q(list_entries__person__status=PersonStatus.ACTIVE), distinct=True
            )
        )
        .order_by("name", "id")
    )


def talent_list_members(*, scope: Scope, talent_list: TalentList) -> QuerySet:
    """The people on a list as the scope sees them: the chosen people, or whoever the saved
    search finds today (exactly the people list with that query)."""
    if talent_list.kind == TalentList.Kind.EXPLICIT:
        chosen = talent_list.list_entries.values("person_id")
        return (
            person_queryset(scope=scope)
            .filter(pk__in=chosen)
            .select_related("unit", "discipline", "organization")
            .order_by("sort_key", "id")
        )
    try:
        return person_list(scope=scope, filters=person_filter_from_query(talent_list.filter_query))
    except Http404:
        # The search names an organization this user cannot see: nothing for them.
        return Person.objects.none()


def talent_list_notes(*, talent_list: TalentList, people) -> dict[int, str]:
    """The note kept beside each chosen person, for a page of members."""
    if talent_list.kind != TalentList.Kind.EXPLICIT:
        return {}
    pks = [person.pk for person in people]
    return dict(talent_list.list_entries.filter(person_id__in=pks).values_list("person_id", "note"))


def talent_lists_of(*, scope: Scope, person) -> QuerySet:
    """The explicit lists kept in the scope that hold this person (for the profile)."""
    return talent_list_queryset(scope=scope).filter(list_entries__person=person).order_by("name")


def describe_filter(filter_query: str) -> list[tuple[str, str]]:
    """A saved search in words: (condition, value) pairs a user can read."""
    from kexie.orgs.models import Division, Organization
    from kexie.people.models import Unit

    params = QueryDict(filter_query or "")
    filters = person_filter_from_query(params)
    lines: list[tuple[str, str]] = []

    def label_of(model, pk):
        obj = model.objects.filter(pk=pk).first()
        return obj.name if obj else str(pk)

    if filters.query:
        lines.append((_("Name, pinyin or initials"), filters.query))
    if filters.tag:
        lines.append((_("Tag"), _tag_name(filters.tag)))
    if filters.discipline:
        lines.append((_("Discipline"), label_of(Discipline, filters.discipline)))
    if filters.title_level:
        lines.append((_("Title level"), _choice_label(TitleLevel, filters.title_level)))
    if filters.title:
        lines.append((_("Professional title"), filters.title))
    if filters.education:
        lines.append((_("Education"), _choice_label(Education, filters.education)))
    if filters.gender:
        lines.append((_("Gender"), _choice_label(Gender, filters.gender)))
    if filters.age_min is not None or filters.age_max is not None:
        lines.append((_("Age"), _age_range(filters.age_min, filters.age_max)))
    if filters.division:
        lines.append((_("Region"), label_of(Division, filters.division)))
    if filters.native_place:
        lines.append((_("Native place"), label_of(Division, filters.native_place)))
    if filters.employer:
        lines.append((_("Employer"), filters.employer))
    if filters.unit:
        lines.append((_("Unit"), label_of(Unit, filters.unit)))
    if filters.organization:
        lines.append((_("Kept by"), label_of(Organization, filters.organization)))
    if filters.society:
        lines.append((_("Member of"), label_of(Organization, filters.society)))
    return lines


def _tag_name(code: str) -> str:
    tag = Tag.objects.filter(code=code).first()
    return tag.name if tag else code


def _choice_label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _age_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("%(low)s to %(high)s") % {"low": low, "high": high}
    if low is not None:
        return _("%(low)s or older") % {"low": low}
    return _("%(high)s or younger") % {"high": high}
