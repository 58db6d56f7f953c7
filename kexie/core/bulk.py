"""Bulk inserts for imports and demo data, where building model instances through
`bulk_create` would cost most of the time: COPY on PostgreSQL, executemany on SQLite.

Callers are services inside a transaction; these functions write rows, nothing else (no
signals, no validation, no audit).
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows of plain values (str, int, date, datetime, bool, None) into a table."""
    quoted_table = connection.ops.quote_name(table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted_table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {quoted_table} ({quoted}) VALUES ({marks})",  # noqa: S608  names quoted, values bound
            list(rows),
        )


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for the model's table, never handed out again."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so nobody else
        # inserts meanwhile; AUTOINCREMENT's counter moves past the ids written.
        quoted, column = connection.ops.quote_name(table), connection.ops.quote_name(pk)
        cursor.execute(f"SELECT MAX({column}) FROM {quoted}")  # noqa: S608  names quoted
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def insert_objects(objs: list[models.Model]) -> None:
    """Insert new model instances of one model and set their primary keys, as bulk_create
    does for the concrete fields of a model without multi-table inheritance."""
    if not objs:
        return
    model = type(objs[0])
    if not connection.in_atomic_block:
        raise RuntimeError("insert_objects runs inside the caller's transaction")
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    rows = (
        [obj.pk, *(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)]
        for obj in objs
    )
    insert_rows(model._meta.db_table, [model._meta.pk.column, *(f.column for f in fields)], rows)
