"""Every non-trivial read of the organization network. Each starts from the scope.

The network statistics are defined once here and used by the page, the .xlsx export
and the API alike.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from kexie.core.chinese import normalize_query
from kexie.core.scoping import Scope

from .models import BOARD_KINDS, PARTY_COVERAGE_KINDS, PATH_SEGMENT, BoardTerm, Kind, Organization, Status


@dataclass
class OrganizationFilter:
    """What a list page, an export or an API call may filter the network by."""

    q: str = ""
    kinds: list[str] = field(default_factory=list)
    status: str = ""  # "", "active" or "dissolved"
    under: Organization | None = None  # restrict to this organization's subtree
    division_code: str = ""  # a division and the divisions under it (code prefix)
    founded_from: int | None = None  # year
    founded_to: int | None = None
    overdue_only: bool = False
    party_covered: bool | None = None
    ordering: str = "tree"  # "tree", "name" (pinyin), "-founded_on", "founded_on"


ORDERINGS = {
    "tree": ("path",),
    "name": ("sort_key", "path"),
    "founded_on": ("founded_on", "path"),
    "-founded_on": ("-founded_on", "path"),
}


def _overdue_terms(today: date):
    return BoardTerm.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True, due_on__lt=today)


def _covered_societies():
    return Organization.covered_organizations.through.objects.filter(
        to_organization=OuterRef("pk"), from_organization__status=Status.ACTIVE
    )


def organization_list(
    *, scope: Scope, filters: OrganizationFilter | None = None, today: date | None = None
) -> QuerySet:
    filters = filters or OrganizationFilter()
    today = today or timezone.localdate()
    qs = scope.organizations().select_related("parent", "division")
    if filters.under is not None:
        qs = qs.filter(pk__in=Organization.objects.subtree(filters.under).values("pk"))
    if filters.q:
        qs = qs.filter(
            Q(search_text__contains=normalize_query(filters.q)) | Q(credit_code=filters.q.strip().upper())
        )
    if filters.kinds:
        qs = qs.filter(kind__in=filters.kinds)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.division_code:
        prefix = filters.division_code.rstrip("0") or filters.division_code
        qs = qs.filter(division__code__startswith=prefix)
    if filters.founded_from:
        qs = qs.filter(founded_on__year__gte=filters.founded_from)
    if filters.founded_to:
        qs = qs.filter(founded_on__year__lte=filters.founded_to)
    if filters.overdue_only:
        qs = qs.filter(Exists(_overdue_terms(today)), status=Status.ACTIVE)
    if filters.party_covered is not None:
        covered = Exists(_covered_societies())
        qs = qs.filter(kind__in=PARTY_COVERAGE_KINDS).filter(covered if filters.party_covered else ~covered)
    return qs.annotate(is_overdue=Exists(_overdue_terms(today))).order_by(
        *ORDERINGS.get(filters.ordering, ("path",))
    )


def tree_children(*, scope: Scope, parent: Organization | None) -> QuerySet:
    """The scope's root (no parent given) or the children of `parent`, each with its child count."""
    qs = scope.organizations()
    qs = qs.filter(pk=scope.organization.pk) if parent is None else qs.filter(parent=parent)
    return qs.annotate(child_count=Count("children")).order_by("status", "kind", "sort_key")


def organization_ancestors(*, scope: Scope, organization: Organization) -> list[Organization]:
    """The breadcrumb from the scope's root down to (not including) the organization."""
    root, path = scope.organization.path, organization.path
    prefixes = [path[:end] for end in range(len(root), len(path), PATH_SEGMENT)]
    by_path = {o.path: o for o in Organization.objects.filter(path__in=prefixes)}
    return [by_path[p] for p in prefixes if p in by_path]


def organization_history(*, organization: Organization) -> QuerySet:
    return organization.events.select_related("recorded_by").order_by("-occurred_on", "-id")


def overdue_reelections(*, scope: Scope, today: date | None = None) -> QuerySet:
    """Current board terms past their due date, oldest first: the compliance list."""
    today = today or timezone.localdate()
    return (
        scope.filter(BoardTerm.objects.all())
        .filter(ended_on__isnull=True, due_on__lt=today, organization__status=Status.ACTIVE)
        .select_related("organization", "organization__parent")
        .order_by("due_on")
    )


def upcoming_reelections(*, scope: Scope, today: date | None = None, within_days: int = 180) -> QuerySet:
    today = today or timezone.localdate()
    return (
        scope.filter(BoardTerm.objects.all())
        .filter(
            ended_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=within_days),
            organization__status=Status.ACTIVE,
        )
        .select_related("organization", "organization__parent")
        .order_by("due_on")
    )


@dataclass
class KindCount:
    kind: str
    label: str
    active: int
    dissolved: int


@dataclass
class PartyCoverage:
    societies: int
    covered: int
    in_charter: int

    @property
    def covered_percent(self) -> float:
        return round(100 * self.covered / self.societies, 1) if self.societies else 0.0

    @property
    def in_charter_percent(self) -> float:
        return round(100 * self.in_charter / self.societies, 1) if self.societies else 0.0


@dataclass
class NetworkStatistics:
    root: Organization
    total_active: int
    by_kind: list[KindCount]
    founded_per_year: list[tuple[int, int]]
    dissolved_per_year: list[tuple[int, int]]
    overdue_reelections: int
    societies_with_board: int
    party: PartyCoverage


def party_coverage(organizations: QuerySet) -> PartyCoverage:
    """How many of the active societies among `organizations` have a party organization
    covering them, and how many wrote party building into their charter."""
    societies = organizations.filter(kind__in=PARTY_COVERAGE_KINDS, status=Status.ACTIVE)
    party = societies.aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=Q(Exists(_covered_societies()))),
        in_charter=Count("pk", filter=Q(party_building_in_charter=True)),
    )
    return PartyCoverage(party["total"], party["covered"], party["in_charter"])


def network_statistics(
    *, scope: Scope, root: Organization | None = None, today: date | None = None
) -> NetworkStatistics:
    """The network figures of a subtree (the scope's root unless a root inside it is given)."""
    today = today or timezone.localdate()
    root = root if root is not None else scope.organization
    if not scope.contains(root):
        raise Organization.DoesNotExist
    orgs = Organization.objects.subtree(root)

    counts = {
        (row["kind"], row["status"]): row["n"]
        for row in orgs.values("kind", "status").annotate(n=Count("pk")).order_by()
    }
    by_kind = [
        KindCount(kind, label, counts.get((kind, Status.ACTIVE), 0), counts.get((kind, Status.DISSOLVED), 0))
        for kind, label in Kind.choices
        if counts.get((kind, Status.ACTIVE)) or counts.get((kind, Status.DISSOLVED))
    ]

    def per_year(date_field: str, **conditions) -> list[tuple[int, int]]:
        rows = (
            orgs.filter(**{f"{date_field}__isnull": False}, **conditions)
            .annotate(year=ExtractYear(date_field))
            .values("year")
            .annotate(n=Count("pk"))
            .order_by("year")
        )
        return [(row["year"], row["n"]) for row in rows]

    overdue = (
        BoardTerm.objects.filter(organization__in=orgs.filter(status=Status.ACTIVE))
        .filter(ended_on__isnull=True, due_on__lt=today)
        .count()
    )
    return NetworkStatistics(
        root=root,
        total_active=sum(k.active for k in by_kind),
        by_kind=by_kind,
        founded_per_year=per_year("founded_on"),
        dissolved_per_year=per_year("dissolved_on", status=Status.DISSOLVED),
        overdue_reelections=overdue,
        societies_with_board=orgs.filter(kind__in=BOARD_KINDS, status=Status.ACTIVE).count(),
        party=party_coverage(orgs),
    )


# The body of the network (一体): the children a statistics table is broken down by.
AREA_KINDS = {
    Kind.PROVINCE_ASSOCIATION,
    Kind.CITY_ASSOCIATION,
    Kind.COUNTY_ASSOCIATION,
    Kind.TOWN_ASSOCIATION,
    Kind.ZONE_ASSOCIATION,
}


def network_statistics_by_child(
    *, scope: Scope, root: Organization, today: date | None = None
) -> list[NetworkStatistics]:
    """The same figures for each direct child association of `root` (counties of a city,
    towns of a county) — the table of figures by child organization."""
    children = tree_children(scope=scope, parent=root).filter(kind__in=AREA_KINDS, status=Status.ACTIVE)
    return [network_statistics(scope=scope, root=child, today=today) for child in children]
