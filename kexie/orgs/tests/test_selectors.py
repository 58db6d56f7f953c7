from datetime import date

import pytest

from kexie.core.scoping import resolve_scope
from kexie.core.testing import make_org
from kexie.orgs import selectors, services
from kexie.orgs.models import Kind

pytestmark = pytest.mark.django_db


class _Request:
    def __init__(self, user):
        self.user = user


def scope_of(world, name):
    return resolve_scope(_Request(world.users[name]))


def test_a_county_user_lists_only_the_county_subtree(world):
    scope = scope_of(world, "county_staff")
    names = set(selectors.organization_list(scope=scope).values_list("name", flat=True))
    assert names == {"甲县科学技术协会", "甲镇科学技术协会"}


def test_search_folds_traditional_characters(world):
    scope = scope_of(world, "city_admin")
    found = selectors.organization_list(scope=scope, filters=selectors.OrganizationFilter(q="計算機"))
    assert [o.name for o in found] == ["示例市计算机学会"]


def test_overdue_re_elections_are_listed_and_counted(world):
    scope = scope_of(world, "city_admin")
    overdue = selectors.overdue_reelections(scope=scope, today=date(2026, 11, 1))
    assert [t.organization for t in overdue] == [world.society]
    stats = selectors.network_statistics(scope=scope, today=date(2026, 11, 1))
    assert stats.overdue_reelections == 1


def test_party_coverage_counts_societies_with_a_branch(world):
    scope = scope_of(world, "city_admin")
    make_org(world.city, Kind.SOCIETY, "示例市医学会")
    make_org(world.society, Kind.PARTY_BRANCH, "计算机学会党支部")
    party = selectors.network_statistics(scope=scope).party
    assert (party.societies, party.covered, party.covered_percent) == (2, 1, 50.0)


def test_statistics_count_kinds_and_founding_years(world):
    scope = scope_of(world, "city_admin")
    stats = selectors.network_statistics(scope=scope)
    counts = {k.kind: k.active for k in stats.by_kind}
    assert counts[Kind.COUNTY_ASSOCIATION] == 2 and counts[Kind.TOWN_ASSOCIATION] == 2
    assert (2001, 1) in stats.founded_per_year
    services.organization_dissolve(actor=None, organization=world.town_b, dissolved_on=date(2025, 12, 31))
    assert selectors.network_statistics(scope=scope).dissolved_per_year == [(2025, 1)]


def test_breadcrumb_starts_at_the_scope_root(world):
    scope = scope_of(world, "city_admin")
    assert selectors.organization_ancestors(scope=scope, organization=world.town_a) == [
        world.city,
        world.county_a,
    ]
