"""Reads of the volunteer service: the registers, the dispatch board, the suggestion of
volunteers for an order, the open orders a volunteer may grab, the hours ledger.

Every staff read takes the scope first (kexie.core.scoping): volunteers, teams and menu
items hang off the association they are registered with, orders off the association
responsible for them now.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Least, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.chinese import normalize_query
from kexie.core.workdays import is_workday
from kexie.orgs.models import path_upper_bound
from kexie.people.models import Discipline
from kexie.volunteers.models import (
    CLOSED,
    IN_HAND,
    HoursEntry,
    HoursStatus,
    MenuItem,
    MenuStatus,
    OrderAction,
    OrderEvent,
    OrderStatus,
    ServiceOrder,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    VolunteerTeam,
)
from kexie.volunteers.services.orders import region_codes

SUGGESTIONS = 10
# How much each reason weighs in the ranking (docs/volunteers.md explains them).
WEIGHT_OFFERS_ITEM = 50
WEIGHT_FIELD = 40
WEIGHT_NEAR_FIELD = 20
WEIGHT_REGION = (30, 15, 5, 0)  # serves or lives in the county; the city; the province; further
WEIGHT_AVAILABLE = 25
WEIGHT_LOAD = 5  # per order in hand, up to five
WEIGHT_RATING = 6  # per star of the mean rating above three
WEIGHT_DECLINED = 40
# A volunteer not yet rated counts as rated 4 twice (so one bad rating does not sink them).
PRIOR_RATING, PRIOR_COUNT = 4, 2


def in_network(organization, via: str = "organization") -> Q:
    """Rows hanging off the organization's subtree (the indexed path range scoping uses)."""
    return Q(
        **{f"{via}__path__gte": organization.path, f"{via}__path__lt": path_upper_bound(organization.path)}
    )


def related_disciplines(discipline: Discipline) -> list[int]:
    """The order's field, its first-level field and that field's other sub-fields."""
    root = discipline.parent_id or discipline.pk
    return list(Discipline.objects.filter(Q(pk=root) | Q(parent_id=root)).values_list("pk", flat=True))


@dataclass
class Suggestion:
    volunteer: Volunteer
    score: float
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _region_distance(code: str):
    """0 in the county, 1 in the city, 2 in the province, 3 further (by the home region)."""
    return Case(
        When(home_division_id=code, then=Value(0)),
        When(Q(home_city=code[:4]), then=Value(1)),
        When(Q(home_province=code[:2]), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def _facts(order: ServiceOrder, *, declined: list[int], offered_by: int | None) -> dict:
    """What the ranking weighs, as expressions over a volunteer row: each is evaluated once
    per candidate (the ranking query orders by them without selecting them)."""
    day = order.preferred_on
    county = order.division_id
    through = Volunteer.disciplines.through
    areas = Volunteer.divisions.through
    near = [pk for pk in related_disciplines(order.discipline) if pk != order.discipline_id]
    day_flag = "on_workdays" if is_workday(day) else "on_rest_days"
    return {
        "field_exact": Exists(
            through.objects.filter(volunteer_id=OuterRef("pk"), discipline_id=order.discipline_id)
        ),
        "field_near": Exists(
            through.objects.filter(volunteer_id=OuterRef("pk"), discipline_id__in=near or [0])
        ),
        "serves_region": Exists(
            areas.objects.filter(volunteer_id=OuterRef("pk"), division_id__in=region_codes(county))
        ),
        "distance": _region_distance(county),
        "serves_that_day": ExpressionWrapper(Q(**{day_flag: True}), output_field=BooleanField()),
        "away": Exists(
            Unavailability.objects.filter(volunteer=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day)
        ),
        "busy": Exists(
            ServiceOrder.objects.filter(volunteer=OuterRef("pk"), status__in=IN_HAND, preferred_on=day)
        ),
        "declined": ExpressionWrapper(Q(pk__in=declined or [0]), output_field=BooleanField()),
        "offers_item": ExpressionWrapper(Q(pk=offered_by or 0), output_field=BooleanField()),
    }


def _score(flags: dict):
    available = Q(serves_that_day=True) & Q(away=False) & Q(busy=False)
    points = (
        Case(When(offers_item=True, then=Value(WEIGHT_OFFERS_ITEM)), default=Value(0))
        + Case(
            When(field_exact=True, then=Value(WEIGHT_FIELD)),
            When(field_near=True, then=Value(WEIGHT_NEAR_FIELD)),
            default=Value(0),
        )
        + Case(
            When(serves_region=True, then=Value(WEIGHT_REGION[0])),
            When(distance=0, then=Value(WEIGHT_REGION[0])),
            When(distance=1, then=Value(WEIGHT_REGION[1])),
            When(distance=2, then=Value(WEIGHT_REGION[2])),
            default=Value(WEIGHT_REGION[3]),
        )
        + Case(When(available, then=Value(WEIGHT_AVAILABLE)), default=Value(0))
        - Least(F("open_orders"), Value(5)) * WEIGHT_LOAD
        - Case(When(declined=True, then=Value(WEIGHT_DECLINED)), default=Value(0))
    )
    rating = (Cast("rating_sum", FloatField()) + PRIOR_RATING * PRIOR_COUNT) / (
        Cast("rating_count", FloatField()) + PRIOR_COUNT
    )
    return ExpressionWrapper(
        Cast(points, FloatField()) + (rating - 3) * WEIGHT_RATING, output_field=FloatField()
    )


def suggestions(*, order: ServiceOrder, scope_organization, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The volunteers best placed to serve the order, best first, each with why.

    Candidates: the active volunteers of the dispatcher's network, and whoever offers the
    ordered menu item. The ranking weighs, in the database: the field (the order's own,
    or a neighbouring one), the distance in the region tree (the service areas and the
    home region), being free on the preferred date, the orders already in hand, and the
    mean rating. The ranking query selects only the volunteers' ids (the network is a
    semi-join on its organizations; every fact is evaluated once per candidate); the ten
    found are then read with their people, organizations and facts.
    """
    from kexie.orgs.models import Organization

    offered_by = order.menu_item.volunteer_id if order.menu_item_id and order.menu_item.volunteer_id else None
    declined = list(
        OrderEvent.objects.filter(order_id=order.pk, action=OrderAction.DECLINE, volunteer_id__isnull=False)
        .values_list("volunteer_id", flat=True)
        .distinct()
    )
    network = Q(
        organization_id__in=Organization.objects.filter(
            path__gte=scope_organization.path, path__lt=path_upper_bound(scope_organization.path)
        ).values("pk")
    )
    candidates = Volunteer.objects.filter(
        (network | Q(pk=offered_by)) if offered_by else network, status=VolunteerStatus.ACTIVE
    ).alias(home_city=Substr("home_division_id", 1, 4), home_province=Substr("home_division_id", 1, 2))
    facts = _facts(order, declined=declined, offered_by=offered_by)
    ranked = list(
        candidates.alias(**facts)
        .annotate(score=_score(facts))
        .order_by("-score", "open_orders", "-hours_total", "pk")
        .values_list("pk", "score")[:limit]
    )
    volunteers = (
        Volunteer.objects.select_related("person", "organization", "home_division")
        .prefetch_related("disciplines", "divisions")
        .in_bulk([pk for pk, _score_value in ranked])
    )
    _read_facts(volunteers.values(), order, declined=declined, offered_by=offered_by)
    suggested = []
    for pk, score in ranked:
        volunteer = volunteers[pk]
        volunteer.score = score
        suggested.append(_explain(volunteer, order))
    return suggested


def _read_facts(volunteers, order: ServiceOrder, *, declined: list[int], offered_by: int | None) -> None:
    """The facts `_facts` ranks on, read for the few volunteers suggested (to say why)."""
    ids = [volunteer.pk for volunteer in volunteers]
    day, county = order.preferred_on, order.division_id
    away = set(
        Unavailability.objects.filter(volunteer_id__in=ids, starts_on__lte=day, ends_on__gte=day).values_list(
            "volunteer_id", flat=True
        )
    )
    busy = set(
        ServiceOrder.objects.filter(volunteer_id__in=ids, status__in=IN_HAND, preferred_on=day).values_list(
            "volunteer_id", flat=True
        )
    )
    near = set(related_disciplines(order.discipline)) - {order.discipline_id}
    regions = set(region_codes(county))
    day_flag = "on_workdays" if is_workday(day) else "on_rest_days"
    for volunteer in volunteers:
        fields = {discipline.pk for discipline in volunteer.disciplines.all()}
        home = volunteer.home_division_id or ""
        volunteer.field_exact = order.discipline_id in fields
        volunteer.field_near = bool(fields & near)
        volunteer.serves_region = any(division.pk in regions for division in volunteer.divisions.all())
        volunteer.distance = (
            0 if home == county else 1 if home[:4] == county[:4] else 2 if home[:2] == county[:2] else 3
        )
        volunteer.away, volunteer.busy = volunteer.pk in away, volunteer.pk in busy
        volunteer.available = getattr(volunteer, day_flag) and not volunteer.away and not volunteer.busy
        volunteer.declined = volunteer.pk in declined
        volunteer.offers_item = volunteer.pk == offered_by


def _explain(volunteer: Volunteer, order: ServiceOrder) -> Suggestion:
    reasons, warnings = [], []
    if volunteer.offers_item:
        reasons.append(_("offers the ordered menu item"))
    if volunteer.field_exact:
        reasons.append(_("works in %(field)s") % {"field": order.discipline.name})
    elif volunteer.field_near:
        reasons.append(_("works in a neighbouring field"))
    else:
        warnings.append(_("another field"))
    if volunteer.serves_region:
        reasons.append(_("serves this region"))
    elif volunteer.distance == 0:
        reasons.append(_("lives in the same county"))
    elif volunteer.distance == 1:
        reasons.append(_("lives in the same city"))
    else:
        warnings.append(_("far from the place"))
    if volunteer.available:
        reasons.append(_("free on %(day)s") % {"day": order.preferred_on.strftime("%m-%d")})
    elif volunteer.away:
        warnings.append(_("away on the preferred date"))
    elif volunteer.busy:
        warnings.append(_("holds another order that day"))
    else:
        warnings.append(_("does not serve on such days"))
    if volunteer.open_orders:
        warnings.append(_("%(count)d orders in hand") % {"count": volunteer.open_orders})
    else:
        reasons.append(_("no order in hand"))
    if volunteer.rating_count:
        reasons.append(
            _("rated %(mean)s from %(count)d services")
            % {"mean": volunteer.rating_mean, "count": volunteer.rating_count}
        )
    if volunteer.declined:
        warnings.append(_("declined this order before"))
    return Suggestion(
        volunteer=volunteer, score=round(volunteer.score, 1), reasons=reasons, warnings=warnings
    )


def dispatch_teams(*, order: ServiceOrder, scope_organization) -> QuerySet:
    """The active teams the order may go to: of the network, or offering the ordered item."""
    network = in_network(scope_organization)
    if order.menu_item_id and order.menu_item.team_id:
        network |= Q(pk=order.menu_item.team_id)
    return (
        VolunteerTeam.objects.filter(network, is_active=True)
        .select_related("organization", "leader__person")
        .order_by("open_orders", "name", "pk")
    )


# --- registers and lists --------------------------------------------------------------


def volunteer_list(*, scope, query: str = "", status: str = "", discipline=None, division=None) -> QuerySet:
    queryset = scope.filter(Volunteer.objects.all()).select_related("person", "organization", "home_division")
    if status:
        queryset = queryset.filter(status=status)
    if discipline is not None:
        root = discipline.parent_id or discipline.pk
        if discipline.parent_id:
            queryset = queryset.filter(disciplines=discipline)
        else:
            queryset = queryset.filter(Q(disciplines=discipline) | Q(disciplines__parent_id=root))
    if division is not None:
        queryset = queryset.filter(Q(divisions=division) | Q(home_division=division))
    query = normalize_query(query)
    if query:
        queryset = queryset.filter(Q(person__name_folded__contains=query) | Q(expertise__icontains=query))
    return queryset.distinct().order_by("person__sort_key", "pk")


def team_list(*, scope, query: str = "", kind: str = "") -> QuerySet:
    queryset = scope.filter(VolunteerTeam.objects.all()).select_related("organization", "leader__person")
    if kind:
        queryset = queryset.filter(kind=kind)
    if query:
        queryset = queryset.filter(name__icontains=normalize_query(query))
    return queryset.order_by("organization__path", "name", "pk")


def menu_list(*, scope=None, query: str = "", discipline=None, division=None, status: str = "") -> QuerySet:
    """Staff: the items of the scope in any state; public (scope None): published items."""
    queryset = MenuItem.objects.select_related("discipline", "volunteer__person", "team", "organization")
    if scope is None:
        queryset = queryset.filter(status=MenuStatus.PUBLISHED)
    else:
        queryset = scope.filter(queryset)
        if status:
            queryset = queryset.filter(status=status)
    if discipline is not None:
        queryset = queryset.filter(Q(discipline=discipline) | Q(discipline__parent=discipline))
    if division is not None:
        codes = region_codes(division.pk)
        queryset = queryset.filter(Q(divisions__in=codes) | Q(divisions__isnull=True)).distinct()
    query = normalize_query(query)
    if query:
        queryset = queryset.filter(search_text__contains=query)
    return queryset.order_by("-published_at", "-pk")


# The board shows what needs doing first: overdue acceptance, then the steps by age.
BOARD_ORDER = [
    OrderStatus.PENDING,
    OrderStatus.REVIEWED,
    OrderStatus.DISPATCHED,
    OrderStatus.OPEN,
    OrderStatus.ACCEPTED,
    OrderStatus.DELIVERED,
]


def overdue_q(now) -> Q:
    """Dispatched and not accepted by the deadline (the hourly task also tells the
    dispatcher, once; the board does not wait for it)."""
    return Q(status=OrderStatus.DISPATCHED, accept_by__lte=now)


def statistic_records(*, scope, link, sources: tuple[str, ...], queryset: QuerySet):
    """The records behind a figure of the statistics (its link's parameters), in scope: the
    definition must count records of one of `sources`, the organization be in scope."""
    from django.http import Http404

    from kexie.statistics.definitions import get_definition
    from kexie.statistics.selectors import records_of

    definition = get_definition(link.code)
    if definition is None or definition.source.code not in sources:
        raise Http404
    organization = scope.get_organization(link.organization) if link.organization else scope.organization
    start, end = link.start or date(1900, 1, 1), link.end or date(2999, 12, 31)
    ids = records_of(definition, organization=organization, start=start, end=end, own=link.own)
    heading = {
        "definition": definition,
        "organization": organization,
        "own": link.own,
        "start": link.start,
        "end": link.end,
    }
    return queryset.filter(pk__in=ids.values("pk")), heading


ORDER_SOURCES = ("service_orders", "service_orders_dispatched", "service_orders_served")
HOURS_SOURCES = ("volunteer_hours",)


def order_list(
    *, scope, status: str = "", query: str = "", overdue: bool = False, year: int | None = None
) -> QuerySet:
    queryset = scope.filter(ServiceOrder.objects.all()).select_related(
        "organization", "discipline", "volunteer__person", "team", "division"
    )
    if status == "open_steps":
        queryset = queryset.exclude(status__in=CLOSED)
    elif status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(overdue_q(timezone.now()))
    if year:
        queryset = queryset.filter(created_at__year=year)
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(
            Q(number=query)
            | Q(title__icontains=query)
            | Q(requester_unit__icontains=query)
            | Q(address__icontains=query)
        )
    return queryset.annotate(
        overdue_first=Case(
            When(overdue_q(timezone.now()), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue_first", "created_at", "pk")


def board_counts(*, scope) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        scope.filter(ServiceOrder.objects.exclude(status__in=CLOSED))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    counts["overdue"] = scope.filter(ServiceOrder.objects.filter(overdue_q(timezone.now()))).count()
    return counts


def grabbable(*, volunteer: Volunteer) -> QuerySet:
    """The open orders this volunteer may grab (services.orders.may_grab, as one query)."""
    from kexie.orgs.models import Organization

    if volunteer.status != VolunteerStatus.ACTIVE:
        return ServiceOrder.objects.none()
    path = volunteer.organization.path
    pools = [path[:end] for end in range(len(path), 0, -1)]
    own = list(volunteer.disciplines.values_list("pk", "parent_id"))
    roots = {parent or pk for pk, parent in own}
    areas = list(volunteer.divisions.values_list("pk", flat=True))
    region = Q()
    for code in areas:
        if code.endswith("0000"):
            region |= Q(division_id__startswith=code[:2])
        elif code.endswith("00"):
            region |= Q(division_id__startswith=code[:4])
        else:
            region |= Q(division_id=code)
    fits = Q(discipline_id__in=roots) | Q(discipline__parent_id__in=roots)
    if areas:
        fits |= region
    pool_ids = Organization.objects.filter(path__in=pools).values("pk")
    return (
        ServiceOrder.objects.filter(status=OrderStatus.OPEN, pool__in=pool_ids)
        .filter(fits)
        .select_related("organization", "discipline", "division")
        .order_by("preferred_on", "pk")
    )


def volunteer_orders(*, volunteer: Volunteer) -> QuerySet:
    """The orders of the volunteer and of the teams they lead."""
    return (
        ServiceOrder.objects.filter(Q(volunteer=volunteer) | Q(team__leader=volunteer))
        .select_related("organization", "discipline", "team", "division")
        .order_by("-created_at", "-pk")
    )


def ledger(*, volunteer: Volunteer | None = None, team: VolunteerTeam | None = None) -> QuerySet:
    queryset = HoursEntry.objects.select_related("order", "team", "volunteer__person")
    if volunteer is not None:
        queryset = queryset.filter(volunteer=volunteer)
    if team is not None:
        queryset = queryset.filter(team=team)
    return queryset.order_by("-served_on", "-pk")


def hours_lines(*, scope) -> QuerySet:
    """The approved lines of the hours ledger of the scope's volunteers, newest first."""
    return (
        scope.filter(HoursEntry.objects.filter(status=HoursStatus.APPROVED), via="volunteer__organization")
        .select_related("volunteer__person", "volunteer__organization", "team", "order")
        .order_by("-served_on", "-pk")
    )


def hours_pending(*, scope) -> QuerySet:
    return (
        scope.filter(HoursEntry.objects.filter(status=HoursStatus.PENDING), via="volunteer__organization")
        .select_related("volunteer__person", "team")
        .order_by("created_at", "pk")
    )


def hours_ranking(*, scope, year: int, limit: int = 50) -> list[dict]:
    """The volunteers of the scope with the most approved hours in the year."""
    from django.db.models import Count, Sum

    rows = (
        scope.filter(
            HoursEntry.objects.filter(status=HoursStatus.APPROVED, served_on__year=year),
            via="volunteer__organization",
        )
        .values("volunteer_id")
        .annotate(total=Sum("hours"), services=Count("pk"))
        .order_by("-total", "volunteer_id")[:limit]
    )
    volunteers = Volunteer.objects.select_related("person", "organization").in_bulk(
        [row["volunteer_id"] for row in rows]
    )
    return [
        {
            "volunteer": volunteers[row["volunteer_id"]],
            "hours": row["total"] or Decimal(0),
            "services": row["services"],
        }
        for row in rows
    ]
