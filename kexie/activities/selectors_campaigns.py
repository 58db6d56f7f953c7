"""A campaign edition across the network: its activities summed by direct child
organization of the scope (the 全国科普日 report of a city: each county's activities and
audience).

Two queries whatever the size of the subtree: one grouped aggregate over the activities
and one for the children's names.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.urls import reverse

from kexie.activities.models import COUNTED_STATUSES, Activity, CampaignEdition, Figure
from kexie.core.scoping import Scope
from kexie.orgs.models import PATH_SEGMENT, Organization, path_upper_bound

# The statistic whose records are the activities of campaigns: its list link shows exactly
# the activities a row counts (held or reported, in the edition's year).
CAMPAIGN_STATISTIC = "campaign_events"


@dataclass
class EditionRow:
    organization: Organization
    own: bool  # the scope's organization itself, not its subtree
    count: int = 0
    figures: dict[str, object] = field(default_factory=dict)
    url: str = ""


@dataclass
class EditionSummary:
    edition: CampaignEdition
    organization: Organization
    figures: list[tuple[str, str]]  # (code, label) of the figures any activity reported
    rows: list[EditionRow]
    total: EditionRow


def _records_url(edition: CampaignEdition, organization: Organization, *, own: bool) -> str:
    params = {
        "stat": CAMPAIGN_STATISTIC,
        "from": date(edition.year, 1, 1).isoformat(),
        "to": date(edition.year, 12, 31).isoformat(),
        "org": organization.pk,
        "edition": edition.pk,
    }
    if own:
        params["own"] = "1"
    return f"{reverse('activities:list')}?{urlencode(params)}"


def edition_summary(*, scope: Scope, edition: CampaignEdition) -> EditionSummary:
    """The edition's held activities in the scope's subtree: a row for the scope's own
    organization and one per direct child (with its whole subtree), each with the number
    of activities and the sum of every figure."""
    root = scope.organization
    prefix = Substr("organization__path", 1, len(root.path) + PATH_SEGMENT)
    aggregates = {"_count": Count("pk")} | {code: Sum(code) for code in Figure.values}
    grouped = (
        Activity.objects.filter(
            campaign_edition=edition,
            status__in=COUNTED_STATUSES,
            organization__path__gte=root.path,
            organization__path__lt=path_upper_bound(root.path),
        )
        .annotate(_key=prefix)
        .values("_key")
        .annotate(**aggregates)
        .order_by()
    )
    by_key = {row["_key"]: row for row in grouped}
    children = list(Organization.objects.filter(parent=root).order_by("path"))
    rows = [EditionRow(root, own=True)] + [EditionRow(child, own=False) for child in children]
    total = EditionRow(root, own=False, url=_records_url(edition, root, own=False))
    for row in rows:
        data = by_key.get(root.path if row.own else row.organization.path)
        row.url = _records_url(edition, row.organization, own=row.own)
        if data is None:
            continue
        row.count = data["_count"]
        row.figures = {code: data[code] for code in Figure.values if data[code] is not None}
    total.count = sum(row.count for row in rows)
    for code in Figure.values:
        values = [row.figures[code] for row in rows if code in row.figures]
        if values:
            total.figures[code] = sum(values)
    figures = [(code, label) for code, label in Figure.choices if code in total.figures]
    return EditionSummary(edition, root, figures, rows, total)
