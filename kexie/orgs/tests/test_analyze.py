"""`manage.py analyze_database` leaves planner statistics the database uses."""

from django.core.management import call_command
from django.db import connection


def test_the_command_leaves_statistics_of_the_tables(world):
    call_command("analyze_database", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'orgs_organization'")
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'orgs_organization' AND attname = 'path'"
            )
        assert cursor.fetchone()[0] > 0
