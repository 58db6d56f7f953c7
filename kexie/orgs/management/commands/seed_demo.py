"""Build the demo network and the demo logins (never on a production database).

    manage.py seed_demo --scale S --seed 2026 [--if-empty]

S (a few hundred organizations) is what `make run` loads; M is a city with thousands of
organizations; L a province of ten such cities, for benchmarks. The same scale and seed
give the same network. Everything is written through the services, in one transaction.
"""

import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kexie.activities.demo import seed_activities
from kexie.activities.demo_signups import seed_signups
from kexie.orgs.demo import SCALES, build_network, plan_network
from kexie.orgs.models import Kind, Organization
from kexie.people.demo import seed_people
from kexie.reports.demo import seed_reports
from kexie.volunteers.demo import seed_volunteers


class Command(BaseCommand):
    help = "Create a deterministic demo 科协 network and the demo personas (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="S", help="S, M or L (default S)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (successfully) when organizations already exist",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="allow running with KEXIE_ENV=production (a public demo server; the password is published)",
        )

    def handle(self, *args, scale: str, seed: int, if_empty: bool, allow_production: bool, **options):
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts with a published password on a production deployment "
                "(KEXIE_ENV=production). Use --allow-production only for a public demo server."
            )
        existing = Organization.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"The database already has {existing} organizations: demo data not loaded.")
                return
            raise CommandError(
                f"The database already has {existing} organizations; seed_demo only fills an empty database. "
                "Use a fresh database (or --if-empty to skip silently)."
            )

        plan = plan_network(scale=scale, seed=seed)
        self.stdout.write(
            f"Building the scale-{scale} demo network (seed {seed}): {len(plan.orgs)} organizations…"
        )

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total}")

        result = build_network(plan, progress=progress if options["verbosity"] > 1 or scale != "S" else None)
        labels = dict(Kind.choices)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.organizations} organizations ({result.dissolved} dissolved), "
                f"{result.board_terms} board terms and {len(result.personas)} demo logins "
                f"in {result.seconds:.1f} s."
            )
        )
        if options["verbosity"] > 1:
            for kind, count in sorted(result.by_kind.items(), key=lambda item: -item[1]):
                self.stdout.write(f"  {labels.get(kind, kind)}: {count}")
        # The talent pool of the network: people, units, memberships, honours, visits, lists.
        people = seed_people(
            scale=scale,
            rng=random.Random(f"kexie-demo-people/{scale}/{seed}"),
            progress=progress if options["verbosity"] > 1 or scale != "S" else None,
        )
        self.stdout.write(self.style.SUCCESS(people.summary()))
        # Five years of activities of the network, with the campaigns' editions.
        activities = seed_activities(
            scale=scale,
            rng=random.Random(f"kexie-demo-activities/{scale}/{seed}"),
            progress=progress if options["verbosity"] > 1 or scale != "S" else None,
        )
        self.stdout.write(self.style.SUCCESS(activities.summary()))
        # The public's sign-ups for the activities that opened sign-up, and their check-ins.
        signups = seed_signups(
            scale=scale,
            rng=random.Random(f"kexie-demo-signups/{scale}/{seed}"),
            progress=progress if options["verbosity"] > 1 or scale != "S" else None,
        )
        self.stdout.write(self.style.SUCCESS(signups.summary()))
        # The volunteer service: volunteers, teams, the menu and three years of orders (before
        # the reports upward lock the periods its services are recorded in).
        volunteers = seed_volunteers(
            scale=scale,
            rng=random.Random(f"kexie-demo-volunteers/{scale}/{seed}"),
            progress=progress if options["verbosity"] > 1 or scale != "S" else None,
        )
        self.stdout.write(self.style.SUCCESS(volunteers.summary()))
        # Reports upward of the city's counties (层层上报), so the dashboard has them.
        reports = seed_reports(rng=random.Random(f"kexie-demo-reports/{scale}/{seed}"))
        self.stdout.write(self.style.SUCCESS(reports.summary()))
        # Planner statistics for the bulk-loaded tables (SQLite gathers none by itself).
        call_command("analyze_database", verbosity=0)
