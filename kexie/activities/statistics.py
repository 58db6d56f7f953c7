"""The figures activities feed: what each counts, once (docs/statistics.md lists them).

Activities count when they were held (status held or reported), in the period of the day
they started, in the statistics of their organizer and of every organization above it.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kexie.activities.models import COUNTED_STATUSES, Category
from kexie.statistics.definitions import Aggregate, Definition, Service, Source, register


def _held_activities():
    from kexie.activities.models import Activity

    return Activity.objects.filter(status__in=COUNTED_STATUSES)


def _visits():
    from kexie.people.models import Visit

    return Visit.objects.all()


ACTIVITIES = Source(
    code="activities",
    name=_("Activities held"),
    queryset=_held_activities,
    date_field="held_on",
    records_url="activities:list",
)
VISITS = Source(
    code="visits",
    name=_("Visits to S&T workers"),
    queryset=_visits,
    date_field="visited_on",
    records_url="people:visit_list",
)

ACADEMIC = Q(kind__category=Category.ACADEMIC)
POPSCI = Q(kind__category=Category.POPSCI)
TRAINING = Q(kind__category=Category.TRAINING)
CARE = Q(kind__category=Category.CARE)
MATCHMAKING = Q(kind__category=Category.MATCHMAKING)
PARTY = Q(kind__category=Category.PARTY)

PERSON_TIMES = _("person-times")
EVENTS = _("events")

register(
    # 为党和政府科学决策服务: academic exchange.
    Definition(
        code="academic_events",
        name=_("Academic exchanges held"),
        unit=EVENTS,
        service=Service.DECISION,
        source=ACTIVITIES,
        condition=ACADEMIC,
        description=_("Conferences, forums, seminars, salons and report meetings held."),
    ),
    Definition(
        code="academic_participants",
        name=_("Participants in academic exchanges"),
        unit=PERSON_TIMES,
        service=Service.DECISION,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="onsite_participants",
        condition=ACADEMIC,
        description=_("On-site participants of the academic exchanges held."),
    ),
    Definition(
        code="academic_online_viewers",
        name=_("Online viewers of academic exchanges"),
        unit=PERSON_TIMES,
        service=Service.DECISION,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="online_viewers",
        condition=ACADEMIC,
        description=_("Online viewers of the academic exchanges held online or on site and online."),
    ),
    Definition(
        code="academic_talks",
        name=_("Reports and talks at academic exchanges"),
        unit=_("sessions"),
        service=Service.DECISION,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="sessions",
        condition=ACADEMIC,
        description=_("Keynote reports, sub-forums and talks held at academic exchanges."),
    ),
    # 为提高全民科学素质服务: science popularization.
    Definition(
        code="popsci_events",
        name=_("Science-popularization activities held"),
        unit=EVENTS,
        service=Service.LITERACY,
        source=ACTIVITIES,
        condition=POPSCI,
        description=_(
            "Lectures, exhibitions, contests, hands-on shows, caravan stops, outreach visits "
            "and online events."
        ),
    ),
    Definition(
        code="popsci_onsite_audience",
        name=_("Audience reached on site"),
        unit=PERSON_TIMES,
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="onsite_participants",
        condition=POPSCI,
        description=_("On-site participants of the science-popularization activities held."),
    ),
    Definition(
        code="popsci_online_audience",
        name=_("Audience reached online"),
        unit=PERSON_TIMES,
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="online_viewers",
        condition=POPSCI,
        description=_("Online viewers of the science-popularization activities held."),
    ),
    Definition(
        code="popsci_online_interactions",
        name=_("Online interactions"),
        unit=_("times"),
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="online_interactions",
        condition=POPSCI,
        description=_("Comments, likes and questions online at science-popularization activities."),
    ),
    Definition(
        code="caravan_stops",
        name=_("Science caravan stops"),
        unit=_("stops"),
        service=Service.LITERACY,
        source=ACTIVITIES,
        condition=Q(kind__code="caravan"),
        description=_("Stops of the science caravan (科普大篷车) held, one activity per stop."),
    ),
    Definition(
        code="materials_distributed",
        name=_("Materials distributed"),
        unit=_("copies"),
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="leaflets",
        description=_("Leaflets, booklets and other printed materials handed out at any activity."),
    ),
    Definition(
        code="display_boards",
        name=_("Display boards shown"),
        unit=_("boards"),
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="display_boards",
        description=_("Display boards shown at exhibitions and other activities."),
    ),
    Definition(
        code="wall_charts",
        name=_("Wall charts put up"),
        unit=_("charts"),
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="wall_charts",
        description=_("Wall charts put up at exhibitions and other activities."),
    ),
    Definition(
        code="students_reached",
        name=_("Students reached"),
        unit=PERSON_TIMES,
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="students_reached",
        description=_("Students reached by any activity (caravan stops, contests, lectures at schools…)."),
    ),
    Definition(
        code="volunteers_involved",
        name=_("Volunteers involved"),
        unit=PERSON_TIMES,
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="volunteers",
        description=_("Volunteers who served at activities, counted once per activity."),
    ),
    Definition(
        code="service_hours",
        name=_("Volunteer service hours"),
        unit=_("hours"),
        service=Service.LITERACY,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="service_hours",
        description=_("Hours of volunteer service recorded on activities."),
    ),
    Definition(
        code="campaign_events",
        name=_("Activities of campaigns"),
        unit=EVENTS,
        service=Service.LITERACY,
        source=ACTIVITIES,
        condition=Q(campaign_edition__isnull=False),
        description=_("Activities held as part of a campaign (全国科普日, 科技活动周…)."),
    ),
    # 为创新驱动发展服务: matchmaking.
    Definition(
        code="matchmaking_events",
        name=_("Talent and innovation matchmaking events"),
        unit=EVENTS,
        service=Service.INNOVATION,
        source=ACTIVITIES,
        condition=MATCHMAKING,
        description=_("Events matching enterprises with experts, societies and universities."),
    ),
    Definition(
        code="problems_solved",
        name=_("Technical problems solved"),
        unit=_("problems"),
        service=Service.INNOVATION,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="problems_solved",
        description=_("Problems solved at matchmaking events, outreach visits and other activities."),
    ),
    # 为科技工作者服务: training and care.
    Definition(
        code="training_courses",
        name=_("Training courses held"),
        unit=_("courses"),
        service=Service.WORKERS,
        source=ACTIVITIES,
        condition=TRAINING,
        description=_("Training courses held."),
    ),
    Definition(
        code="people_trained",
        name=_("People trained"),
        unit=PERSON_TIMES,
        service=Service.WORKERS,
        source=ACTIVITIES,
        aggregate=Aggregate.SUM,
        field="onsite_participants",
        condition=TRAINING,
        description=_("On-site participants of the training courses held."),
    ),
    Definition(
        code="care_activities",
        name=_("Visit and care activities"),
        unit=EVENTS,
        service=Service.WORKERS,
        source=ACTIVITIES,
        condition=CARE,
        description=_("Visit and care activities (走访慰问) held, as activities."),
    ),
    Definition(
        code="visits_made",
        name=_("S&T workers visited"),
        unit=PERSON_TIMES,
        service=Service.WORKERS,
        source=VISITS,
        description=_("Visits to S&T workers recorded on their profiles (走访慰问), one per person visited."),
    ),
    Definition(
        code="experts_engaged",
        name=_("Experts engaged as speakers"),
        unit=_("persons"),
        service=Service.WORKERS,
        source=ACTIVITIES,
        aggregate=Aggregate.DISTINCT,
        field="speakers",
        description=_(
            "Different people from the talent pool who spoke at activities held (each counted once)."
        ),
    ),
    # The organization's own building.
    Definition(
        code="party_meetings",
        name=_("Party-life meetings held"),
        unit=EVENTS,
        service=Service.NETWORK,
        source=ACTIVITIES,
        condition=PARTY,
        description=_("三会一课 and theme party days held."),
    ),
)
