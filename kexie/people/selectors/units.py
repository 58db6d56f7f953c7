"""Reading units and teams: scoped lists with their filters."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kexie.core.chinese import is_latin, normalize_query
from kexie.core.scoping import Scope
from kexie.orgs.divisions import code_prefix
from kexie.people.models import PersonStatus, SocietyMembership, Team, TeamMember, Unit


@dataclass
class UnitFilter:
    """The unit list's filters; every field optional. `q` is the search box."""

    q: str = ""
    kind: str = ""
    industry: str = ""
    size: str = ""
    division: str = ""  # a division code: the region and everything under it


def unit_list(*, scope: Scope, filters: UnitFilter | None = None) -> QuerySet:
    """The units kept in the scope's subtree, filtered, sorted by pinyin, with how many
    (not anonymized) people work there."""
    filters = filters or UnitFilter()
    queryset = unit_search(scope=scope, query=filters.q)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.industry:
        queryset = queryset.filter(industry=filters.industry)
    if filters.size:
        queryset = queryset.filter(size=filters.size)
    if filters.division:
        queryset = queryset.filter(division__code__startswith=code_prefix(filters.division))
    return (
        queryset.select_related("organization", "division")
        .annotate(people_count=Count("people", filter=Q(people__status=PersonStatus.ACTIVE)))
        .order_by("sort_key", "id")
    )


def scope_units(scope: Scope) -> QuerySet:
    """The units kept by organizations in the scope, by pinyin."""
    return scope.filter(Unit.objects.all(), via="organization").order_by("sort_key", "id")


def unit_search(*, scope: Scope, query: str) -> QuerySet:
    """The units in scope whose name (its characters, pinyin or initials) or credit code
    contains the query, by pinyin; all of them for an empty query (the unit pickers)."""
    folded = normalize_query(query)
    units = scope_units(scope)
    return units.filter(search_text__contains=folded) if folded else units


def unit_memberships(*, unit: Unit) -> QuerySet:
    """The societies a unit is an institutional member of."""
    return SocietyMembership.objects.filter(unit=unit).select_related("society").order_by("-joined_on", "id")


@dataclass
class TeamFilter:
    q: str = ""
    unit: int | None = None
    discipline: int | None = None  # a discipline or a whole category


def team_list(*, scope: Scope, filters: TeamFilter | None = None) -> QuerySet:
    """The teams kept in the scope's subtree, filtered, sorted by pinyin, with their size."""
    filters = filters or TeamFilter()
    queryset = scope.filter(Team.objects.all(), via="organization")
    query = (filters.q or "").strip()
    folded = normalize_query(query)
    if folded:
        matches = Q(name__icontains=query) | Q(name__icontains=folded)
        if is_latin(folded):  # pinyin: 智慧 is found by "zhihui"
            matches |= Q(sort_key__contains=folded)
        queryset = queryset.filter(matches)
    if filters.unit:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.discipline:
        queryset = queryset.filter(
            Q(discipline_id=filters.discipline) | Q(discipline__parent_id=filters.discipline)
        )
    return (
        queryset.select_related("organization", "leader", "unit", "discipline")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__person__status=PersonStatus.ACTIVE), distinct=True
            )
        )
        .order_by("sort_key", "id")
    )


def team_members(*, team: Team) -> QuerySet:
    """A team's members (anonymized records left out), sorted by pinyin."""
    return (
        TeamMember.objects.filter(team=team, person__status=PersonStatus.ACTIVE)
        .select_related("person", "person__unit")
        .order_by("person__sort_key", "id")
    )
