"""Queue tomorrow's reminders to registrants (run it periodically, e.g. hourly by cron or a
systemd timer; a registrant is reminded once however often it runs)."""

from django.core.management.base import BaseCommand

from kexie.activities.services.signups import reminders_enqueue


class Command(BaseCommand):
    help = "Queue reminders to the registrants of activities that start tomorrow (each once)."

    def handle(self, *args, **options):
        count = reminders_enqueue()
        self.stdout.write(f"{count} reminder(s) queued.")
