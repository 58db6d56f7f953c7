"""Audit records are append-only in the database itself, on SQLite and on PostgreSQL alike."""

import pytest
from django.db import DatabaseError, connection, transaction

from kexie.audit.models import AuditEvent
from kexie.audit.services import record


@pytest.fixture
def event(db):
    return record(None, "test.event", username="someone", changes={"name": ("old", "new")})


def _refused(operation) -> None:
    # A savepoint, so that PostgreSQL can go on after the refused statement.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        operation()


def _unchanged(event) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.changes) == ("test.event", {"name": ["old", "new"]})


def test_the_suite_runs_on_a_database_with_audit_triggers():
    assert connection.vendor in {"sqlite", "postgresql"}


def test_an_audit_record_cannot_be_updated_through_the_orm(event):
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="x"))
    event.action = "x"
    _refused(event.save)
    _unchanged(event)


def test_an_audit_record_cannot_be_deleted_through_the_orm(event):
    _refused(event.delete)
    _refused(AuditEvent.objects.all().delete)
    _unchanged(event)


def test_raw_sql_cannot_change_or_delete_audit_records(event):
    def execute(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql)

        return run

    _refused(execute("UPDATE audit_auditevent SET action='x'"))
    _refused(execute("DELETE FROM audit_auditevent"))
    _refused(execute(f"DELETE FROM audit_auditevent WHERE id = {int(event.pk)}"))
    _unchanged(event)


def test_new_records_can_still_be_added(event):
    record(None, "test.second", username="someone")
    assert AuditEvent.objects.count() == 2
