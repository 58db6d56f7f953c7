"""Reading people: the scoped queryset, search, filters.

Search (DOMAIN.md §6): Simplified/Traditional folding, full pinyin, initials and pinyin
tails, one-character queries included. The query picks candidates through PersonToken,
an index range in every case, then ranks: the exact name (or exact pinyin/initials)
first, then names that start with the query, then the rest, each by pinyin.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from kexie.core.chinese import is_cjk, is_latin, normalize_query
from kexie.core.scoping import Scope
from kexie.people.models import Person, PersonToken, SocietyMembership


def person_queryset(*, scope: Scope) -> QuerySet:
    """Every active (not anonymized) person the scope may see: kept by an organization in
    the subtree, or a member of a society in it (so a society's secretary sees the members
    another association keeps).

    The subtree is an id subquery rather than a join, and membership is a per-row EXISTS
    that is only evaluated for people kept outside the subtree: both stay index lookups
    whatever the size of the pool.
    """
    from kexie.orgs.models import Organization

    subtree = Organization.objects.subtree(scope.organization).values("id")
    member_here = Exists(SocietyMembership.objects.filter(person_id=OuterRef("pk"), society_id__in=subtree))
    return Person.objects.active().filter(Q(organization_id__in=subtree) | member_here)


def person_get(*, scope: Scope, pk) -> Person:
    """One person in scope, else 404 (anonymized records included for their history)."""
    from django.http import Http404

    from kexie.orgs.models import path_upper_bound

    root = scope.organization.path
    upper = path_upper_bound(root)
    queryset = Person.objects.filter(
        Q(organization__path__gte=root, organization__path__lt=upper)
        | Q(society_memberships__society__path__gte=root, society_memberships__society__path__lt=upper)
    ).distinct()
    try:
        return queryset.select_related("organization", "unit", "discipline", "division", "native_place").get(
            pk=pk
        )
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _next_prefix(text: str) -> str:
    """The smallest string after every string starting with `text` (letters only)."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def search_tokens(query: str) -> tuple[QuerySet | None, str]:
    """(candidate person ids, folded query); None when the query is empty. For other
    registers' searches by person (visits, rosters): `person_id__in=candidates`."""
    condition, folded = search_condition(query)
    if condition is None:
        return None, ""
    return Person.objects.filter(condition).values("pk"), folded


def search_condition(query: str) -> tuple[Q | None, str]:
    """(the condition on Person that picks the candidates, folded query); None for no query.

    Character queries join PersonToken on an exact key (one row per person, so no
    duplicates, and the planner can start from the index); letter queries take a prefix
    range, which one person can match with several keys, hence an id subquery.
    """
    folded = normalize_query(query)
    if not folded:
        return None, ""
    if is_latin(folded):
        ids = PersonToken.objects.filter(token__gte=folded, token__lt=_next_prefix(folded)).values(
            "person_id"
        )
        return Q(pk__in=ids), folded
    if is_cjk(folded) and len(folded) <= 2:
        return Q(tokens__token=folded), folded
    if is_cjk(folded[:2]) and len(folded[:2]) == 2:
        return Q(tokens__token=folded[:2], name_folded__contains=folded), folded
    return Q(name_folded__contains=folded), folded


def search_rank(folded: str) -> Case:
    if is_latin(folded):
        exact = Q(pinyin=folded) | Q(initials=folded) | Q(name_folded=folded)
        prefix = Q(pinyin__gte=folded, pinyin__lt=_next_prefix(folded)) | Q(
            initials__gte=folded, initials__lt=_next_prefix(folded)
        )
    else:
        exact = Q(name_folded=folded)
        prefix = Q(name_folded__startswith=folded)
    return Case(
        When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2), output_field=IntegerField()
    )


@dataclass
class PersonFilter:
    """The people list's filters; every field optional. `query` is the search box."""

    query: str = ""
    unit: int | None = None
    employer: str = ""
    discipline: int | None = None  # a discipline or a whole category
    title_level: str = ""
    title: str = ""
    tag: str = ""  # Tag.code
    division: str = ""  # a division code: the region and everything under it
    native_place: str = ""
    education: str = ""
    gender: str = ""
    age_min: int | None = None
    age_max: int | None = None
    organization: int | None = None  # kept by this organization's subtree
    society: int | None = None  # active members of this society


def person_list(*, scope: Scope, filters: PersonFilter | None = None, today: date | None = None) -> QuerySet:
    """The filtered, ranked people list for a scope, sorted by pinyin."""
    from kexie.orgs.models import path_upper_bound

    filters = filters or PersonFilter()
    queryset = person_queryset(scope=scope)
    ordering = ["sort_key", "id"]
    candidates, folded = search_condition(filters.query)
    if candidates is not None:
        queryset = queryset.filter(candidates).annotate(rank=search_rank(folded))
        ordering = ["rank", "sort_key", "id"]
    if filters.unit:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.employer:
        queryset = queryset.filter(employer__icontains=filters.employer.strip())
    if filters.discipline:
        queryset = queryset.filter(
            Q(discipline_id=filters.discipline) | Q(discipline__parent_id=filters.discipline)
        )
    if filters.title_level:
        queryset = queryset.filter(title_level=filters.title_level)
    if filters.title:
        queryset = queryset.filter(title__icontains=filters.title.strip())
    if filters.tag:
        queryset = queryset.filter(tags__code=filters.tag)
    if filters.division:
        queryset = queryset.filter(division__code__startswith=_division_prefix(filters.division))
    if filters.native_place:
        queryset = queryset.filter(native_place__code__startswith=_division_prefix(filters.native_place))
    if filters.education:
        queryset = queryset.filter(education=filters.education)
    if filters.gender:
        queryset = queryset.filter(gender=filters.gender)
    today = today or timezone.localdate()
    if filters.age_min is not None:
        queryset = queryset.filter(birth_date__lte=today - relativedelta(years=filters.age_min))
    if filters.age_max is not None:
        queryset = queryset.filter(birth_date__gt=today - relativedelta(years=filters.age_max + 1))
    if filters.organization:
        org = scope.get_organization(filters.organization)
        queryset = queryset.filter(
            organization__path__gte=org.path, organization__path__lt=path_upper_bound(org.path)
        )
    if filters.society:
        society = scope.get_organization(filters.society)
        queryset = queryset.filter(society_memberships__society=society, society_memberships__status="active")
    return queryset.select_related("unit", "discipline", "organization").order_by(*ordering)


def _division_prefix(code: str) -> str:
    """A division and everything under it: 370000 → 37, 370400 → 3704, 370402 → 370402."""
    code = (code or "").strip()
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


FILTER_PARAMS = (
    "q",
    "unit",
    "employer",
    "discipline",
    "title_level",
    "title",
    "tag",
    "division",
    "native_place",
    "education",
    "gender",
    "age_min",
    "age_max",
    "organization",
    "society",
)


def _int_or_none(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def person_filter_from_query(params) -> PersonFilter:
    """A PersonFilter from a query string (the list page's GET parameters, or the text a
    saved talent list keeps). Unknown or malformed values are ignored."""
    if isinstance(params, str):
        from django.http import QueryDict

        params = QueryDict(params)
    return PersonFilter(
        query=(params.get("q") or "").strip()[:64],
        unit=_int_or_none(params.get("unit")),
        employer=(params.get("employer") or "").strip()[:64],
        discipline=_int_or_none(params.get("discipline")),
        title_level=(params.get("title_level") or "").strip(),
        title=(params.get("title") or "").strip()[:64],
        tag=(params.get("tag") or "").strip()[:32],
        division=(params.get("division") or "").strip()[:6],
        native_place=(params.get("native_place") or "").strip()[:6],
        education=(params.get("education") or "").strip(),
        gender=(params.get("gender") or "").strip(),
        age_min=_int_or_none(params.get("age_min")),
        age_max=_int_or_none(params.get("age_max")),
        organization=_int_or_none(params.get("organization")),
        society=_int_or_none(params.get("society")),
    )


def person_filter_query(params) -> str:
    """The canonical query string of the filter parameters present (for saved searches)."""
    from urllib.parse import urlencode

    return urlencode([(k, params.get(k)) for k in FILTER_PARAMS if (params.get(k) or "").strip()])
