"""The benchmark scenarios. Add one with a decorated function; `python -m bench` runs them all.

Each function receives a `BenchContext` and must evaluate what it reads (list(), count(),
aggregates): an unevaluated queryset costs nothing and measures nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from kexie.accounts.models import Membership
from kexie.core.scoping import Scope
from kexie.orgs import selectors
from kexie.orgs.models import Organization


@dataclass(frozen=True)
class Scenario:
    name: str
    func: Callable[["BenchContext"], object]


SCENARIOS: list[Scenario] = []


def scenario(name: str):
    """Register a benchmark scenario under a human-readable name."""

    def register(func):
        SCENARIOS.append(Scenario(name, func))
        return func

    return register


class BenchContext:
    """What scenarios work on: the demo personas' scopes and some organizations."""

    def scope(self, username: str) -> Scope:
        membership = Membership.objects.select_related("user", "organization").get(
            user__username=username, is_active=True
        )
        return Scope(user=membership.user, membership=membership)

    @cached_property
    def city_admin(self) -> Scope:
        return self.scope("city_admin")

    @cached_property
    def city(self) -> Organization:
        return self.city_admin.organization

    @cached_property
    def county(self) -> Organization:
        return self.scope("county_staff").organization


@scenario("organization list, page 1 (city admin)")
def organization_list_first_page(ctx: BenchContext):
    rows = selectors.organization_list(scope=ctx.city_admin, filters=selectors.OrganizationFilter())
    return rows.count(), list(rows[:25])


@scenario("organization search by pinyin initials, page 1")
def organization_search_first_page(ctx: BenchContext):
    rows = selectors.organization_list(scope=ctx.city_admin, filters=selectors.OrganizationFilter(q="jsj"))
    return rows.count(), list(rows[:25])


@scenario("subtree count of a county")
def county_subtree_count(ctx: BenchContext):
    return Organization.objects.subtree(ctx.county).count()


@scenario("tree children of the city")
def city_tree_children(ctx: BenchContext):
    return list(selectors.tree_children(scope=ctx.city_admin, parent=ctx.city))


@scenario("network statistics of the city")
def city_network_statistics(ctx: BenchContext):
    return selectors.network_statistics(scope=ctx.city_admin)


@scenario("overdue re-elections (city)")
def city_overdue_reelections(ctx: BenchContext):
    return list(selectors.overdue_reelections(scope=ctx.city_admin))


# Scenarios of other areas, registered when their module is imported.
from bench import activities, people, people_import, reports, volunteers  # noqa: E402, F401
