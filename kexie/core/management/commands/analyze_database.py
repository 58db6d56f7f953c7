"""Refresh the database's planner statistics: `manage.py analyze_database`.

PostgreSQL's autovacuum keeps them current by itself; SQLite keeps none until ANALYZE runs,
and without them it reads a whole year's activities of the province to count one city's
(an index chosen by its first column alone). Run after loading data in bulk (seed_demo
does), and on an SQLite deployment nightly or after a large import (docs/operations.md)."""

import time

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (ANALYZE)."

    def handle(self, *args, **options):
        started = time.monotonic()
        analyze_database()
        if options["verbosity"]:
            self.stdout.write(f"Planner statistics refreshed in {time.monotonic() - started:.1f} s.")


def analyze_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=0")  # every row: sampled statistics misled the planner
        cursor.execute("ANALYZE")
