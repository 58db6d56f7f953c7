"""Personal identifiers at rest: encrypted in the database, found by blind index, and
re-encrypted by `manage.py rotate_personal_keys` when the keys change."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from kexie.audit.models import AuditEvent
from kexie.core import crypto
from kexie.people.models import Person
from kexie.people.services.people import id_number_lookup, id_number_of, mobile_lookup, mobile_of

pytestmark = pytest.mark.django_db

ID_NUMBER, MOBILE = "11010519491231002X", "13800138000"


def raw_row(person) -> dict:
    """The stored columns as the database holds them, bypassing the ORM."""
    table = connection.ops.quote_name(Person._meta.db_table)
    columns = (
        "id_number_encrypted",
        "id_number_index",
        "id_number_masked",
        "mobile_encrypted",
        "mobile_index",
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [person.pk])
        return dict(zip(columns, cursor.fetchone(), strict=True))


def rotate(*args) -> str:
    out = StringIO()
    call_command("rotate_personal_keys", *args, stdout=out)
    return out.getvalue()


def test_the_database_holds_no_clear_id_number_or_mobile(talent):
    row = raw_row(talent.person_a)
    stored = " ".join(row.values())
    assert ID_NUMBER not in stored
    assert MOBILE not in stored
    assert ID_NUMBER.lower() not in stored.lower()
    assert row["id_number_masked"] == "110105********002X"


def test_the_blind_index_finds_the_person_by_id_number_and_mobile(talent):
    assert Person.objects.get(id_number_index=id_number_lookup(ID_NUMBER.lower())) == talent.person_a
    assert list(Person.objects.filter(mobile_index=mobile_lookup("138 0013 8000"))) == [talent.person_a]


def test_rotating_to_a_new_key_re_encrypts_and_the_old_key_can_then_go(settings, talent):
    old_key = crypto._keys()[0]
    new_key = Fernet.generate_key().decode()
    before = raw_row(talent.person_a)

    settings.PERSONAL_DATA_KEYS = [new_key, old_key]
    output = rotate()

    after = raw_row(talent.person_a)
    assert after["id_number_encrypted"] != before["id_number_encrypted"]
    assert after["mobile_encrypted"] != before["mobile_encrypted"]
    assert after["id_number_index"] == before["id_number_index"]
    assert "3 people" in output
    settings.PERSONAL_DATA_KEYS = [new_key]
    person = Person.objects.get(pk=talent.person_a.pk)
    assert (id_number_of(person), mobile_of(person)) == (ID_NUMBER, MOBILE)
    assert mobile_of(Person.objects.get(pk=talent.person_b.pk)) == "13900139000"
    event = AuditEvent.objects.get(action="personal.key_rotation")
    assert (event.detail["people"], event.detail["values"]) == (3, 3)
    assert event.actor_username == "manage.py rotate_personal_keys"


def test_without_the_rotation_dropping_the_old_key_makes_values_unreadable(settings, talent):
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.InvalidToken):
        id_number_of(Person.objects.get(pk=talent.person_a.pk))


def test_a_rotation_that_cannot_decrypt_stops_with_a_clear_message(settings, talent):
    from django.core.management.base import CommandError

    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="Put the old key back"):
        rotate()
    assert not AuditEvent.objects.filter(action="personal.key_rotation").exists()


def test_a_new_blind_index_key_is_applied_by_recomputing_the_indexes(settings, talent):
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key-for-tests"
    assert not Person.objects.filter(id_number_index=id_number_lookup(ID_NUMBER)).exists()

    output = rotate("--blind-index-key-changed", "--batch-size", "2")

    assert Person.objects.get(id_number_index=id_number_lookup(ID_NUMBER)) == talent.person_a
    assert Person.objects.get(mobile_index=mobile_lookup("13900139000")) == talent.person_b
    assert "3 changed" in output  # one ID number and two mobiles
    assert AuditEvent.objects.get(action="personal.key_rotation").detail["indexes_changed"] == 3
