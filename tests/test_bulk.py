"""Bulk inserts (kexie.core.bulk): every row written with its fields, ids handed out once."""

import pytest
from django.db import transaction

from kexie.core.bulk import insert_objects
from kexie.people.models import Unit

pytestmark = pytest.mark.django_db


def test_inserted_objects_get_ids_and_the_next_create_gets_a_later_one(world):
    units = [Unit(organization=world.county_a, name=f"单位{n}", sort_key=f"danwei{n}") for n in range(3)]
    with transaction.atomic():
        insert_objects(units)
    assert len({u.pk for u in units}) == 3 and all(u.pk for u in units)
    stored = Unit.objects.get(pk=units[1].pk)
    assert stored.name == "单位1" and stored.organization_id == world.county_a.pk and stored.created_at
    later = Unit.objects.create(organization=world.county_a, name="后来的单位")
    assert later.pk > max(u.pk for u in units)


@pytest.mark.django_db(transaction=True)
def test_bulk_inserts_refuse_to_run_outside_a_transaction(world):
    with pytest.raises(RuntimeError):
        insert_objects([Unit(organization=world.county_a, name="单位")])
