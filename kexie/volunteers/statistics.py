"""The figures of the volunteer service (docs/volunteers.md lists them), in the dashboard,
the statistics page and its exports, by child organization or by month.

Orders count in the statistics of the association responsible for them (the one that
dispatched them, after passing down) and of every association above it; orders received
and the completion rate are dated by the day of the order, dispatches and the time to
dispatch by the day of the first dispatch, services and their ratings by the day served.
Service hours and active volunteers come from the approved lines of the hours ledger,
counted where the volunteer is registered.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kexie.statistics.definitions import Aggregate, Definition, Service, Source, register

SERVED = ("delivered", "completed")


def _orders():
    from kexie.volunteers.models import ServiceOrder

    return ServiceOrder.objects.all()


def _dispatched():
    from kexie.volunteers.models import ServiceOrder

    return ServiceOrder.objects.filter(dispatched_on__isnull=False)


def _served():
    from kexie.volunteers.models import ServiceOrder

    return ServiceOrder.objects.filter(status__in=SERVED, served_on__isnull=False)


def _hours():
    from kexie.volunteers.models import HoursEntry, HoursStatus

    return HoursEntry.objects.filter(status=HoursStatus.APPROVED)


ORDERS = Source(
    code="service_orders",
    name=_("Service orders received"),
    queryset=_orders,
    date_field="ordered_on",
    records_url="volunteers:board",
)
DISPATCHED = Source(
    code="service_orders_dispatched",
    name=_("Service orders dispatched"),
    queryset=_dispatched,
    date_field="dispatched_on",
    records_url="volunteers:board",
)
SERVED_ORDERS = Source(
    code="service_orders_served",
    name=_("Services delivered"),
    queryset=_served,
    date_field="served_on",
    records_url="volunteers:board",
)
HOURS = Source(
    code="volunteer_hours",
    name=_("S&T volunteer service hours"),
    queryset=_hours,
    date_field="served_on",
    organization="organization",
    records_url="volunteers:ledger",
)

ORDERS_UNIT = _("orders")
PER_CENT = "%"
HOURS_UNIT = _("hours")

register(
    Definition(
        code="volunteer_orders_received",
        name=_("Service orders received"),
        unit=ORDERS_UNIT,
        service=Service.LITERACY,
        source=ORDERS,
        description=_("Orders for science services placed (点单) in the period, whatever became of them."),
    ),
    Definition(
        code="volunteer_orders_dispatched",
        name=_("Service orders dispatched"),
        unit=ORDERS_UNIT,
        service=Service.LITERACY,
        source=DISPATCHED,
        description=_(
            "Orders first dispatched to a volunteer or team, or opened for grabbing, in the period."
        ),
    ),
    Definition(
        code="volunteer_orders_completed",
        name=_("Volunteer services delivered"),
        unit=ORDERS_UNIT,
        service=Service.LITERACY,
        source=SERVED_ORDERS,
        description=_("Orders whose service was held in the period (rated or waiting for the rating)."),
    ),
    Definition(
        code="volunteer_completion_rate",
        name=_("Order completion rate"),
        unit=PER_CENT,
        service=Service.LITERACY,
        source=ORDERS,
        aggregate=Aggregate.SHARE,
        numerator=Q(status__in=SERVED),
        description=_("Of the orders received in the period, the share whose service has been held."),
    ),
    Definition(
        code="volunteer_hours_to_dispatch",
        name=_("Median time to dispatch"),
        unit=HOURS_UNIT,
        service=Service.LITERACY,
        source=DISPATCHED,
        aggregate=Aggregate.MEDIAN,
        span=("created_at", "first_dispatched_at"),
        description=_(
            "Median hours from the order to its first dispatch, of the orders first dispatched in the period."
        ),
    ),
    Definition(
        code="volunteer_hours_to_accept",
        name=_("Median time to accept"),
        unit=HOURS_UNIT,
        service=Service.LITERACY,
        source=DISPATCHED,
        aggregate=Aggregate.MEDIAN,
        span=("dispatched_at", "accepted_at"),
        description=_(
            "Median hours from the (last) dispatch to its acceptance or grabbing, of the orders first "
            "dispatched in the period."
        ),
    ),
    Definition(
        code="volunteer_rating_mean",
        name=_("Mean rating of services"),
        unit=_("stars"),
        service=Service.LITERACY,
        source=SERVED_ORDERS,
        aggregate=Aggregate.MEAN,
        field="rating",
        condition=Q(rating__isnull=False),
        description=_("The requesters' mean rating (1–5 stars) of the services held in the period."),
    ),
    Definition(
        code="volunteer_rating_good_share",
        name=_("Services rated 4 or 5 stars"),
        unit=PER_CENT,
        service=Service.LITERACY,
        source=SERVED_ORDERS,
        aggregate=Aggregate.SHARE,
        condition=Q(rating__isnull=False),
        numerator=Q(rating__gte=4),
        description=_("Of the rated services held in the period, the share rated 4 or 5 stars."),
    ),
    Definition(
        code="volunteer_service_hours",
        name=_("S&T volunteer service hours"),
        unit=HOURS_UNIT,
        service=Service.LITERACY,
        source=HOURS,
        aggregate=Aggregate.SUM,
        field="hours",
        description=_(
            "Approved hours of the volunteers registered in the network: services dispatched on the platform "
            "and hours entered with evidence."
        ),
    ),
    Definition(
        code="volunteers_active",
        name=_("Volunteers who served"),
        unit=_("persons"),
        service=Service.LITERACY,
        source=HOURS,
        aggregate=Aggregate.DISTINCT,
        field="volunteer",
        description=_("Different volunteers with approved service hours in the period (each counted once)."),
    ),
)
