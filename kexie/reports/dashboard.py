"""The dashboard, every staff user's home page: for the active organization's subtree and a
period, the headline figures of the four services against the same period last year, a
monthly trend, a ranking of the direct child organizations on a chosen figure, the state of
the network, and what needs attention.

Every figure is a statistic definition computed by `statistics.selectors.statistic_values`
(the statistics page, its export and the API compute the same), and every number links to
the records behind it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kexie.accounts.roles import Perm
from kexie.activities.models import Activity
from kexie.activities.selectors import approval_queue_ids
from kexie.core.scoping import Scope
from kexie.orgs import selectors as org_selectors
from kexie.orgs.models import Organization, Status
from kexie.reports.models import ReportPeriod
from kexie.reports.selectors import child_reports, last_ended
from kexie.statistics.definitions import Definition, definitions_for, get_definition
from kexie.statistics.figures import ServiceGroup, by_service, comparisons
from kexie.statistics.forms import Period
from kexie.statistics.selectors import OWN, Breakdown, StatTable, records_url, statistic_values

# The headline figures of each service, in the order the annual reports state them.
HEADLINE = (
    # serving S&T workers
    "training_courses",
    "people_trained",
    "visits_made",
    "experts_engaged",
    # serving innovation-driven development
    "matchmaking_events",
    "problems_solved",
    # serving civic science literacy
    "popsci_events",
    "popsci_onsite_audience",
    "popsci_online_audience",
    "campaign_events",
    "volunteer_orders_completed",
    "volunteer_service_hours",
    # serving decision-making
    "academic_events",
    "academic_participants",
    "academic_talks",
    # building the organization
    "party_meetings",
)
DEFAULT_TREND = "popsci_events"
DEFAULT_RANK = "popsci_events"
RANKING_SHOWN = 10
ATTENTION_SHOWN = 5


@dataclass
class RankedChild:
    """A direct child organization's value of the ranking figure."""

    place: int
    organization: Organization
    value: int | Decimal
    url: str
    percent_of_first: int  # the bar's length, against the first place


@dataclass
class UnreportedChildren:
    """The direct child associations that have not reported a period upward (层层上报) yet."""

    label: str
    start: date
    end: date
    expected: int
    missing: list[Organization]


@dataclass
class Attention:
    approvals: int | None  # how many wait for the user's approval; None: the user approves none
    first_approvals: list  # the oldest of them
    unreported: UnreportedChildren
    overdue: list  # board terms past their due date, oldest first (the first few)
    overdue_count: int


@dataclass
class Dashboard:
    organization: Organization
    period: Period
    last_period: Period
    groups: list[ServiceGroup]
    trend: Definition
    monthly: StatTable
    monthly_last: StatTable
    rank: Definition
    ranking: list[RankedChild]  # every direct child (the page shows the first RANKING_SHOWN)
    network: org_selectors.NetworkStatistics
    attention: Attention


def unreported_children(*, organization: Organization, today: date) -> UnreportedChildren:
    """The direct child associations that have not submitted the last ended quarter (or
    whose report was returned and not submitted again)."""
    period = last_ended(ReportPeriod.QUARTER, today)
    rows = child_reports(organization=organization, period=period)
    missing = [row.organization for row in rows if not row.reported]
    return UnreportedChildren(period.label, period.start, period.end, len(rows), missing)


def ranking(table: StatTable, definition: Definition, period: Period) -> list[RankedChild]:
    """The direct children by their value of the figure, highest first (then in tree order);
    a dissolved child only when it has a value in the period."""
    columns = [
        column
        for column in table.columns
        if column.key != OWN
        and (column.organization.status == Status.ACTIVE or table.value(definition.code, column.key))
    ]
    columns.sort(key=lambda column: (-table.value(definition.code, column.key), column.organization.path))
    first = table.value(definition.code, columns[0].key) if columns else 0
    return [
        RankedChild(
            place,
            column.organization,
            table.value(definition.code, column.key),
            records_url(
                definition, organization=table.organization, start=period.start, end=period.end, column=column
            ),
            round(100 * table.value(definition.code, column.key) / first) if first else 0,
        )
        for place, column in enumerate(columns, start=1)
    ]


def dashboard(*, scope: Scope, period: Period, today: date, trend: str = "", rank: str = "") -> Dashboard:
    """The dashboard of the scope's organization for the period."""
    organization = scope.organization
    last_period = period.last_year()
    headline = definitions_for(HEADLINE)
    this_year = statistic_values(
        organization=organization, definitions=headline, start=period.start, end=period.end
    )
    last_year = statistic_values(
        organization=organization, definitions=headline, start=last_period.start, end=last_period.end
    )
    trend_definition = get_definition(trend) or get_definition(DEFAULT_TREND)
    monthly = statistic_values(
        organization=organization,
        definitions=[trend_definition],
        start=period.start,
        end=period.end,
        breakdown=Breakdown.MONTH,
    )
    monthly_last = statistic_values(
        organization=organization,
        definitions=[trend_definition],
        start=last_period.start,
        end=last_period.end,
        breakdown=Breakdown.MONTH,
    )
    rank_definition = get_definition(rank) or get_definition(DEFAULT_RANK)
    by_child = statistic_values(
        organization=organization,
        definitions=[rank_definition],
        start=period.start,
        end=period.end,
        breakdown=Breakdown.CHILD,
    )
    network = org_selectors.network_statistics(scope=scope, today=today)
    overdue = org_selectors.overdue_reelections(scope=scope, today=today)
    waiting = approval_queue_ids(scope=scope) if scope.has(Perm.ACTIVITY_APPROVE) else None
    first = Activity.objects.select_related("organization").in_bulk((waiting or [])[:ATTENTION_SHOWN])
    attention = Attention(
        approvals=None if waiting is None else len(waiting),
        first_approvals=[first[pk] for pk in (waiting or [])[:ATTENTION_SHOWN]],
        unreported=unreported_children(organization=organization, today=today),
        overdue=list(overdue[:ATTENTION_SHOWN]),
        overdue_count=network.overdue_reelections,
    )
    return Dashboard(
        organization=organization,
        period=period,
        last_period=last_period,
        groups=by_service(comparisons(this_year, last_year, period)),
        trend=trend_definition,
        monthly=monthly,
        monthly_last=monthly_last,
        rank=rank_definition,
        ranking=ranking(by_child, rank_definition, period),
        network=network,
        attention=attention,
    )
