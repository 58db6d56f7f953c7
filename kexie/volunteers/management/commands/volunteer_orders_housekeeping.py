"""Escalate the dispatched orders not accepted by their deadline and close the delivered
orders whose rating window has ended. Run it hourly from cron; running it again changes
nothing (each order is escalated or closed once)."""

from django.core.management.base import BaseCommand

from kexie.volunteers.services.orders import orders_close_unrated, orders_escalate


class Command(BaseCommand):
    help = "Escalate overdue acceptances and close unrated service orders (hourly, from cron)."

    def handle(self, *args, **options):
        escalated = orders_escalate()
        closed = orders_close_unrated()
        self.stdout.write(f"{escalated} orders escalated, {closed} orders closed without rating.")
