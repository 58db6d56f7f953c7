"""Recount the people each scope sees (ScopeCount) from the list index (PersonInScope).

    manage.py people_recount

The services keep the counts in step with the index (decision 0009); run this after rows
were written around them (a restore of some tables, rows deleted by hand). It prints the
scopes whose count was wrong and exits 0; running it twice changes nothing.
See docs/operations.md.
"""

from django.core.management.base import BaseCommand

from kexie.people.services.search_index import scope_counts_recount


class Command(BaseCommand):
    help = "Recount the people each scope sees from the people list index."

    def handle(self, *args, **options):
        wrong = scope_counts_recount()
        for path, (kept, counted) in wrong.items():
            self.stdout.write(f"  {path}: {kept} → {counted}")
        self.stdout.write(f"{len(wrong)} scope counts corrected.")
