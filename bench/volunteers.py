"""Volunteer service benchmarks: the dispatch suggestion for an order waiting for dispatch
in the county persona's county, as the county and as the city dispatch it (the city's
network holds about a tenth of the province's volunteers: 100,000 at L), the order's page
with its suggestion panel rendered, and the dispatch board rendered. Issue target: the
suggestion at L (2M people, 100k volunteers) p95 under 100 ms on PostgreSQL."""

from functools import cache

from django.test import Client
from django.urls import reverse

from bench.scenarios import BenchContext, scenario
from kexie.volunteers.models import OrderStatus, ServiceOrder
from kexie.volunteers.selectors import suggestions


@cache
def _order(county_pk: int) -> ServiceOrder:
    """An order of the county waiting for dispatch (the demo leaves some in every county)."""
    from kexie.orgs.models import Organization, path_upper_bound

    county = Organization.objects.get(pk=county_pk)
    orders = ServiceOrder.objects.filter(
        organization__path__gte=county.path, organization__path__lt=path_upper_bound(county.path)
    ).select_related("discipline", "menu_item", "organization")
    found = orders.filter(status=OrderStatus.REVIEWED).order_by("pk").first() or orders.order_by("pk").first()
    assert found is not None, "the demo county has no service orders"
    return found


def _client(ctx: BenchContext, username: str) -> Client:
    clients = ctx.__dict__.setdefault("volunteer_clients", {})
    if username not in clients:
        clients[username] = Client()
        clients[username].force_login(ctx.scope(username).user)
    return clients[username]


@scenario("dispatch suggestion for an order (county dispatches)")
def suggestion_county(ctx: BenchContext):
    found = suggestions(order=_order(ctx.county.pk), scope_organization=ctx.county)
    return len(found)


@scenario("dispatch suggestion for an order (city dispatches)")
def suggestion_city(ctx: BenchContext):
    found = suggestions(order=_order(ctx.county.pk), scope_organization=ctx.city)
    return len(found)


@scenario("order page with the suggestion panel rendered (county)")
def order_page(ctx: BenchContext):
    response = _client(ctx, "county_staff").get(reverse("volunteers:order", args=[_order(ctx.county.pk).pk]))
    assert response.status_code == 200, response.status_code
    return len(response.content)


@scenario("dispatch board rendered (county)")
def board_county(ctx: BenchContext):
    response = _client(ctx, "county_staff").get(reverse("volunteers:board"))
    assert response.status_code == 200, response.status_code
    return len(response.content)


@scenario("dispatch board rendered (city)")
def board_city(ctx: BenchContext):
    response = _client(ctx, "city_admin").get(reverse("volunteers:board"))
    assert response.status_code == 200, response.status_code
    return len(response.content)


@scenario("volunteer service figures, city-year by county")
def volunteer_figures_city(ctx: BenchContext):
    from bench.activities import last_full_year
    from kexie.statistics.definitions import all_definitions
    from kexie.statistics.selectors import Breakdown, statistic_values
    from kexie.volunteers.selectors import HOURS_SOURCES, ORDER_SOURCES

    start, end = last_full_year()
    definitions = [d for d in all_definitions() if d.source.code in ORDER_SOURCES + HOURS_SOURCES]
    table = statistic_values(
        organization=ctx.city, definitions=definitions, start=start, end=end, breakdown=Breakdown.CHILD
    )
    return list(table.rows())
