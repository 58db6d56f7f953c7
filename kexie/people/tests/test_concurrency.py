"""People registered at the same instant under one city: every scope above them counts
each of them once (the kept counts lock their rows in path order, decision 0009)."""

import pytest

from kexie.people.models import PersonInScope, ScopeCount
from kexie.people.services.people import PersonData, person_create
from tests.test_concurrency import WORKERS, run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_simultaneous_registrations_are_each_counted_once_by_every_scope_above_them(world):
    keepers = [world.town_a, world.county_a, world.town_b, world.county_b, world.city, world.society]

    def register(index: int):
        keeper = keepers[index % len(keepers)]
        return person_create(actor=None, organization=keeper, data=PersonData(name=f"并发{index}"))

    results = run_together(register)
    assert not [r for r in results if isinstance(r, Exception)], results
    kept = dict(ScopeCount.objects.values_list("path", "people"))
    assert kept[world.province.path] == kept[world.city.path] == WORKERS
    assert kept[world.county_a.path] == sum(
        1 for i in range(WORKERS) if keepers[i % len(keepers)] in (world.town_a, world.county_a)
    )
    for path, people in kept.items():
        assert PersonInScope.objects.filter(path=path).count() == people, path
