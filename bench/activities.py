"""Activity benchmarks: the statistics selector over the demo activities, the SQL floor it is
measured against, and the activity list.

Statistics run as the statistics page does: every definition, for the last full year, of
the city persona's organization broken down by county (direct child) and by month, and of
the province by city (skipped, measuring nothing, when the network has no province).

"the hand-written SQL floor" is one raw SQL statement that computes the same figures for the
same rows, written by hand as well as we know how: the held and reported activities of the
city's subtree in that year are read once (a CTE), grouped by the child's path prefix with
the same conditional counts and sums as the definitions; the distinct speakers per child and
in total come from the same CTE; the visits are grouped in the same statement. The
selector's time over it is the price of the registry. "the activities' aggregate alone" is
the floor's first part by itself (the figures summed over the activity rows, without the
distinct speakers and the visits).

The list is the first page as the list page shows it (the rows and the count); the rendered
page goes through the Django test client, when the list view is installed.
"""

from datetime import date

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.scenarios import BenchContext, scenario
from kexie.activities.models import COUNTED_STATUSES, Activity, ActivityKind
from kexie.activities.selectors import ActivityFilter, activity_list
from kexie.core.listing import PAGE_SIZE
from kexie.core.scoping import Scope
from kexie.orgs.models import PATH_SEGMENT, Kind, Organization, path_upper_bound
from kexie.people.models import Visit
from kexie.statistics.definitions import all_definitions
from kexie.statistics.selectors import Breakdown, statistic_values

USERS = [("city", "city_admin"), ("county", "county_staff")]


def scope_of(ctx: BenchContext, username: str) -> Scope:
    """The persona's scope, built once per run."""
    cache = ctx.__dict__.setdefault("activity_scopes", {})
    if username not in cache:
        cache[username] = ctx.scope(username)
    return cache[username]


def last_full_year() -> tuple[date, date]:
    year = timezone.localdate().year - 1
    return date(year, 1, 1), date(year, 12, 31)


def province(ctx: BenchContext) -> Organization | None:
    if "activity_province" not in ctx.__dict__:
        ctx.__dict__["activity_province"] = (
            Organization.objects.filter(parent__isnull=True, kind=Kind.PROVINCE_ASSOCIATION)
            .order_by("path")
            .first()
        )
    return ctx.__dict__["activity_province"]


# The figures of activities and visits (issue 4's targets and floors are about them); the
# volunteer service's figures have their own scenarios in bench/volunteers.py.
ACTIVITY_SOURCES = ("activities", "visits")


def statistics(organization: Organization, breakdown: str, *, sources=ACTIVITY_SOURCES):
    start, end = last_full_year()
    definitions = [d for d in all_definitions() if sources is None or d.source.code in sources]
    table = statistic_values(
        organization=organization, definitions=definitions, start=start, end=end, breakdown=breakdown
    )
    return list(table.rows())


@scenario("statistics city-year by county")
def statistics_city_by_county(ctx: BenchContext):
    return statistics(ctx.city, Breakdown.CHILD)


@scenario("statistics city-year by county, every figure (the statistics page)")
def statistics_city_every_figure(ctx: BenchContext):
    return statistics(ctx.city, Breakdown.CHILD, sources=None)


@scenario("statistics city-year by month")
def statistics_city_by_month(ctx: BenchContext):
    return statistics(ctx.city, Breakdown.MONTH)


@scenario("statistics province-year by city")
def statistics_province_by_city(ctx: BenchContext):
    root = province(ctx)
    return statistics(root, Breakdown.CHILD) if root is not None else None


# (label, condition on the activity `a` and its kind `k`, summed column or None to count),
# as kexie/activities/statistics.py defines them.
FLOOR = [
    ("academic_events", "k.category = 'academic'", None),
    ("academic_participants", "k.category = 'academic'", "onsite_participants"),
    ("academic_online_viewers", "k.category = 'academic'", "online_viewers"),
    ("academic_talks", "k.category = 'academic'", "sessions"),
    ("popsci_events", "k.category = 'popsci'", None),
    ("popsci_onsite_audience", "k.category = 'popsci'", "onsite_participants"),
    ("popsci_online_audience", "k.category = 'popsci'", "online_viewers"),
    ("popsci_online_interactions", "k.category = 'popsci'", "online_interactions"),
    ("caravan_stops", "k.code = 'caravan'", None),
    ("materials_distributed", "", "leaflets"),
    ("display_boards", "", "display_boards"),
    ("wall_charts", "", "wall_charts"),
    ("students_reached", "", "students_reached"),
    ("volunteers_involved", "", "volunteers"),
    ("service_hours", "", "service_hours"),
    ("campaign_events", "a.campaign_edition_id IS NOT NULL", None),
    ("matchmaking_events", "k.category = 'matchmaking'", None),
    ("problems_solved", "", "problems_solved"),
    ("training_courses", "k.category = 'training'", None),
    ("people_trained", "k.category = 'training'", "onsite_participants"),
    ("care_activities", "k.category = 'care'", None),
    ("party_meetings", "k.category = 'party'", None),
]


def _columns(kind: str = "k") -> list[str]:
    """The figures' SQL, the kind's columns read from the alias `kind`."""
    columns = []
    for _label, condition, column in FLOOR:
        condition = condition.replace("k.", f"{kind}.")
        if column is None:
            columns.append(f"COUNT(CASE WHEN {condition} THEN 1 END)")
        elif condition:
            columns.append(f"SUM(CASE WHEN {condition} THEN a.{column} END)")
        else:
            columns.append(f"SUM(a.{column})")
    return columns


def _held_rows_sql() -> str:
    """The held and reported activities of a subtree in a period, with their child's path
    prefix. Parameters: prefix length, lower and upper path bound, start, end."""
    statuses = ", ".join(f"'{status}'" for status in COUNTED_STATUSES)
    return (
        f"FROM {Activity._meta.db_table} a "
        f"JOIN {Organization._meta.db_table} o ON o.id = a.organization_id "
        f"JOIN {ActivityKind._meta.db_table} k ON k.id = a.kind_id "
        "WHERE o.path >= %s AND o.path < %s AND a.held_on >= %s AND a.held_on <= %s "
        f"AND a.status IN ({statuses})"
    )


def aggregate_sql() -> str:
    return (
        f"SELECT SUBSTR(o.path, 1, %s) AS child, {', '.join(_columns())} "
        f"{_held_rows_sql()} GROUP BY SUBSTR(o.path, 1, %s)"
    )


def floor_sql() -> str:
    figures = [f"f{number}" for number in range(len(FLOOR))]
    named = [f"{column} AS {name}" for column, name in zip(_columns(kind="a"), figures, strict=True)]
    held_columns = ", ".join(
        sorted({column for _label, _condition, column in FLOOR if column} | {"id", "campaign_edition_id"})
    )
    speakers = Activity.speakers.through._meta.db_table
    return (
        "WITH held AS ("
        "SELECT SUBSTR(o.path, 1, %s) AS child, k.category, k.code, "
        + ", ".join(f"a.{name}" for name in held_columns.split(", "))
        + f" {_held_rows_sql()}), "
        f"figures AS (SELECT a.child, {', '.join(named)} FROM held a GROUP BY a.child), "
        "pairs AS ("
        f"SELECT DISTINCT h.child, s.person_id FROM held h JOIN {speakers} s ON s.activity_id = h.id), "
        "experts AS ("
        "SELECT child, COUNT(*) AS engaged, SUM(CASE WHEN child = firsts THEN 1 ELSE 0 END) AS firsts "
        "FROM (SELECT child, person_id, MIN(child) OVER (PARTITION BY person_id) AS firsts FROM pairs) r "
        "GROUP BY child), "
        "visits AS ("
        f"SELECT SUBSTR(o.path, 1, %s) AS child, COUNT(*) AS made FROM {Visit._meta.db_table} v "
        f"JOIN {Organization._meta.db_table} o ON o.id = v.organization_id "
        "WHERE o.path >= %s AND o.path < %s AND v.visited_on >= %s AND v.visited_on <= %s "
        "GROUP BY SUBSTR(o.path, 1, %s)), "
        "children AS ("
        "SELECT child FROM figures UNION SELECT child FROM experts UNION SELECT child FROM visits) "
        f"SELECT c.child, {', '.join(f'f.{name}' for name in figures)}, e.engaged, e.firsts, v.made "
        "FROM children c LEFT JOIN figures f ON f.child = c.child "
        "LEFT JOIN experts e ON e.child = c.child LEFT JOIN visits v ON v.child = c.child"
    )


def _floor_params(organization: Organization, *, visits: bool) -> list:
    start, end = last_full_year()
    length = len(organization.path) + PATH_SEGMENT
    rows = [organization.path, path_upper_bound(organization.path), start, end]
    if visits:
        return [length, *rows, length, *rows, length]
    return [length, *rows, length]


def floor(organization: Organization):
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), _floor_params(organization, visits=True))
        return cursor.fetchall()


def activities_aggregate(organization: Organization):
    with connection.cursor() as cursor:
        cursor.execute(aggregate_sql(), _floor_params(organization, visits=False))
        return cursor.fetchall()


@scenario("statistics city-year by county, the hand-written SQL floor")
def statistics_city_floor(ctx: BenchContext):
    return floor(ctx.city)


@scenario("statistics city-year by county, the activities' aggregate alone")
def statistics_city_aggregate(ctx: BenchContext):
    return activities_aggregate(ctx.city)


@scenario("statistics province-year by city, the hand-written SQL floor")
def statistics_province_floor(ctx: BenchContext):
    root = province(ctx)
    return floor(root) if root is not None else None


def _register_list(level: str, username: str) -> None:
    @scenario(f"activity list first page ({level})")
    def first_page(ctx: BenchContext):
        rows = activity_list(scope=scope_of(ctx, username), filters=ActivityFilter())
        return rows.count(), list(rows[:PAGE_SIZE])


def _list_url() -> str | None:
    """The activity list page, when its view is installed (another module provides it)."""
    try:
        return reverse("activities:list")
    except NoReverseMatch:
        return None
    except Exception as exc:  # a URLconf that does not import (yet) leaves the page out
        print(f"activity list page left out of the benchmarks: {exc!r}")
        return None


def _register_page(level: str, username: str, url: str) -> None:
    def client(ctx: BenchContext) -> Client:
        cache = ctx.__dict__.setdefault("activity_clients", {})
        if username not in cache:
            cache[username] = Client()
            cache[username].force_login(scope_of(ctx, username).user)
        return cache[username]

    @scenario(f"activity list page rendered ({level})")
    def page(ctx: BenchContext):
        response = client(ctx).get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)


for _level, _username in USERS:
    _register_list(_level, _username)
_url = _list_url()
if _url:
    for _level, _username in USERS:
        _register_page(_level, _username, _url)


def explain(organization: Organization, breakdown: str = Breakdown.CHILD) -> str:
    """The database's plans for the statistics queries (for analysing a slow scenario by
    hand: `print(explain(ctx.city))`)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        statistics(organization, breakdown)
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(prefix + query["sql"])
            plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
            plans.append(f"{query['sql']}\n{plan}")
    return "\n\n".join(plans)
