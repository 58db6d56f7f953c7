"""Registering and editing people: validation, derived fields, identifiers, audit."""

from datetime import date

import pytest

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.people.models import Person, PersonToken
from kexie.people.services.people import (
    PersonData,
    id_number_of,
    mobile_of,
    people_bulk_create,
    person_create,
    person_reveal,
    person_update,
)

pytestmark = pytest.mark.django_db


def test_the_id_number_gives_the_birth_date_and_gender(world):
    person = person_create(
        actor=None, organization=world.county_a, data=PersonData(name="赵敏", id_number="11010519491231002x")
    )
    assert person.birth_date == date(1949, 12, 31)
    assert person.gender == "female"
    assert id_number_of(person) == "11010519491231002X"  # upper-case X
    assert person.id_number_masked == "110105********002X"


def test_a_bad_check_digit_is_refused_on_the_id_number_field_and_nothing_is_saved(world):
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=None,
            organization=world.county_a,
            data=PersonData(name="赵敏", id_number="110105194912310021"),
        )
    assert caught.value.field == "id_number"
    assert "校验码" in caught.value.message
    assert not Person.objects.filter(name="赵敏").exists()


def test_a_birth_date_that_contradicts_the_id_number_is_refused(world):
    data = PersonData(name="赵敏", id_number="11010519491231002X", birth_date=date(1950, 1, 1))
    with pytest.raises(DomainError) as caught:
        person_create(actor=None, organization=world.county_a, data=data)
    assert caught.value.field == "birth_date"
    assert "1949-12-31" in caught.value.message


def test_a_landline_is_not_a_mobile(world):
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=None, organization=world.county_a, data=PersonData(name="赵敏", mobile="010-62345678")
        )
    assert caught.value.field == "mobile"


def test_an_id_number_can_be_registered_only_once(world, talent):
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=None,
            organization=world.county_b,
            data=PersonData(name="张伟", id_number="11010519491231002X"),
        )
    assert caught.value.field == "id_number"


def test_the_audit_log_keeps_identifiers_masked(world):
    user = world.users["county_staff"]
    person = person_create(
        actor=user,
        organization=world.county_a,
        data=PersonData(name="赵敏", id_number="11010519491231002X", mobile="13800138000"),
    )
    event = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    text = str(event.changes)
    assert "11010519491231002X" not in text and "13800138000" not in text
    assert "110105********002X" in text and "138****8000" in text


def test_an_edit_records_old_and_new_values(world, talent):
    user = world.users["county_staff"]
    data = PersonData(name="张伟", id_number="11010519491231002X", mobile="13900001111", unit=talent.unit_a)
    person_update(actor=user, person=talent.person_a, data=data)
    talent.person_a.refresh_from_db()
    assert mobile_of(talent.person_a) == "13900001111"
    event = AuditEvent.objects.filter(action="person.update").latest("pk")
    assert event.changes["mobile"] == ["138****8000", "139****1111"]


def test_renaming_a_person_renews_their_search_keys(world, talent):
    data = PersonData(name="张卫", id_number="11010519491231002X", mobile="13800138000")
    person_update(actor=None, person=talent.person_a, data=data)
    tokens = set(PersonToken.objects.filter(person=talent.person_a).values_list("token", flat=True))
    assert "卫" in tokens and "伟" not in tokens


def test_revealing_needs_a_reason_and_is_audited_with_it(world, talent):
    admin = world.users["city_admin"]
    with pytest.raises(DomainError):
        person_reveal(actor=admin, person=talent.person_a, reason="  ")
    values = person_reveal(actor=admin, person=talent.person_a, reason="核对入会资格")
    assert values == {"id_number": "11010519491231002X", "mobile": "13800138000"}
    event = AuditEvent.objects.get(action="person.unmask")
    assert event.detail["reason"] == "核对入会资格"


def test_bulk_creation_indexes_everyone_and_writes_one_audit_record(world):
    rows = [PersonData(name=f"钱{n}") for n in "一二三"] + [
        PersonData(name="孙丽", id_number="11010519491231002X")
    ]
    people = people_bulk_create(actor=None, organization=world.county_a, rows=rows)
    assert len(people) == 4 and all(p.pk for p in people)
    assert PersonToken.objects.filter(token="钱").count() == 3
    assert AuditEvent.objects.filter(action="person.import").count() == 1


def test_bulk_creation_refuses_a_duplicate_id_number_in_the_batch(world):
    rows = [
        PersonData(name="孙丽", id_number="11010519491231002X"),
        PersonData(name="孙莉", id_number="11010519491231002X"),
    ]
    with pytest.raises(DomainError):
        people_bulk_create(actor=None, organization=world.county_a, rows=rows)
    assert not Person.objects.filter(name__startswith="孙").exists()
