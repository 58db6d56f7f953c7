"""Print the demo logins that exist in this database (nothing on a database without demo data).

`make run` calls it after `seed_demo --if-empty`, so a newcomer sees where to log in and as whom.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from kexie.accounts.models import Membership
from kexie.orgs.demo import PERSONAS

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "List the demo personas present in the database, with the demo password."

    def handle(self, *args, **options):
        memberships = {
            (m.user.username, m.role): m
            for m in Membership.objects.filter(
                user__username__in=[p.username for p in PERSONAS], user__is_active=True, is_active=True
            ).select_related("user", "organization")
        }
        # Only a persona that holds its demo role is listed: an unrelated account that happens
        # to be called "viewer" on a real database is never advertised.
        rows = [
            (persona.username, m.get_role_display(), m.organization.display_name)
            for persona in PERSONAS
            if (m := memberships.get((persona.username, persona.role)))
        ]
        # A volunteer's portal login (kexie/volunteers/demo.py), when the demo made one.
        from kexie.volunteers.models import Volunteer

        volunteer = (
            Volunteer.objects.filter(person__user__username="volunteer", person__user__is_active=True)
            .select_related("organization")
            .first()
        )
        if volunteer is not None:
            rows.append(("volunteer", "科技志愿者", volunteer.organization.display_name))
        if not rows:
            return
        width = max(len(username) for username, _, _ in rows)
        self.stdout.write("")
        self.stdout.write(f"科协工作平台 (demo data): {URL}")
        self.stdout.write(f"Demo password for every login below: {settings.KEXIE_DEMO_PASSWORD}")
        self.stdout.write("")
        for username, role, organization in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role} · {organization}")
        self.stdout.write("")
