"""Reading activities, campaigns and period locks, always through the scope."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from kexie.activities.models import Activity, ActivityKind, Campaign, CampaignEdition, PeriodLock, Status
from kexie.activities.services.periods import ancestor_paths, approving_paths
from kexie.core.scoping import Scope
from kexie.orgs.models import path_upper_bound
from kexie.statistics.definitions import get_definition
from kexie.statistics.selectors import records_of


def activity_queryset(*, scope: Scope) -> QuerySet:
    return scope.filter(Activity.objects.all(), via="organization")


def activity_get(*, scope: Scope, pk) -> Activity:
    """One activity organized in the scope, else 404."""
    return scope.get(
        Activity.objects.select_related(
            "organization", "kind", "division", "campaign_edition__campaign", "created_by", "approved_by"
        ),
        via="organization",
        pk=pk,
    )


@dataclass
class ActivityFilter:
    """The activity list's filters; every field optional."""

    query: str = ""  # words of the title, the theme or the venue
    kind: int | None = None
    category: str = ""
    campaign: int | None = None  # any edition of this campaign
    edition: int | None = None
    target_group: int | None = None
    status: str = ""
    mode: str = ""
    organization: int | None = None  # organized in this organization's subtree
    own: bool = False  # organized by `organization` itself, not below it
    start: date | None = None
    end: date | None = None
    statistic: str = ""  # the records a statistic definition counts (with start, end, organization)


def activity_list(*, scope: Scope, filters: ActivityFilter | None = None) -> QuerySet:
    filters = filters or ActivityFilter()
    queryset = activity_queryset(scope=scope)
    organization = (
        scope.get_organization(filters.organization) if filters.organization else scope.organization
    )
    if filters.statistic:
        definition = get_definition(filters.statistic)
        if definition is None or definition.source.code != "activities":
            raise Http404
        start, end = filters.start or date(1900, 1, 1), filters.end or date(2999, 12, 31)
        ids = records_of(definition, organization=organization, start=start, end=end, own=filters.own)
        queryset = queryset.filter(pk__in=ids.values("pk"))
    else:
        if filters.own and filters.organization:
            queryset = queryset.filter(organization=organization)
        elif filters.organization:
            queryset = queryset.filter(
                organization__path__gte=organization.path,
                organization__path__lt=path_upper_bound(organization.path),
            )
        if filters.start:
            queryset = queryset.filter(held_on__gte=filters.start)
        if filters.end:
            queryset = queryset.filter(held_on__lte=filters.end)
    if filters.query:
        for word in filters.query.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(theme__icontains=word) | Q(venue__icontains=word)
            )
    if filters.kind:
        queryset = queryset.filter(kind_id=filters.kind)
    if filters.category:
        queryset = queryset.filter(kind__category=filters.category)
    if filters.edition:
        queryset = queryset.filter(campaign_edition_id=filters.edition)
    elif filters.campaign:
        queryset = queryset.filter(campaign_edition__campaign_id=filters.campaign)
    if filters.target_group:
        queryset = queryset.filter(target_groups=filters.target_group)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.mode:
        queryset = queryset.filter(mode=filters.mode)
    return queryset.select_related("organization", "kind", "campaign_edition__campaign").order_by(
        "-starts_at", "-id"
    )


def approval_queue_ids(*, scope: Scope) -> list[int]:
    """The ids of the submitted activities in the scope that this scope approves (oldest
    first), without reading the activities' rows. Who approves depends on the organizer
    only: worked out for all the organizers at once."""
    from kexie.orgs.models import Organization

    rows = list(
        activity_queryset(scope=scope)
        .filter(status=Status.SUBMITTED)
        .order_by("submitted_at", "id")
        .values_list("pk", "organization_id", "organization__path")
    )
    organizers = {org_id: Organization(pk=org_id, path=path) for _pk, org_id, path in rows}
    approvers = approving_paths(organizers.values())
    root = scope.organization.path
    return [pk for pk, org_id, _path in rows if approvers[org_id].startswith(root)]


def approval_queue(*, scope: Scope) -> list[Activity]:
    """Submitted activities in the scope that this scope approves (oldest first)."""
    ids = approval_queue_ids(scope=scope)
    found = Activity.objects.select_related("organization", "kind").in_bulk(ids)
    return [found[pk] for pk in ids]


# --- kinds, campaigns ------------------------------------------------------------------


def kinds_in_use() -> QuerySet:
    return ActivityKind.objects.filter(is_active=True)


def campaigns_visible(*, scope: Scope) -> QuerySet:
    """National campaigns, and local ones run in the scope or above it."""
    root = scope.organization.path
    return Campaign.objects.filter(
        Q(organization__isnull=True)
        | Q(organization__path__in=ancestor_paths(scope.organization))
        | Q(organization__path__gte=root, organization__path__lt=path_upper_bound(root))
    ).select_related("organization")


def campaign_get(*, scope: Scope, pk) -> Campaign:
    try:
        return campaigns_visible(scope=scope).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def editions_visible(*, scope: Scope) -> QuerySet:
    return CampaignEdition.objects.filter(campaign__in=campaigns_visible(scope=scope)).select_related(
        "campaign"
    )


def edition_get(*, scope: Scope, pk) -> CampaignEdition:
    try:
        return editions_visible(scope=scope).get(pk=pk)
    except (CampaignEdition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_manage_campaign(scope: Scope, campaign: Campaign) -> bool:
    """National campaigns are edited by a root organization's administrators; a local
    one by its organization's subtree scope."""
    if campaign.organization_id is None:
        return scope.organization.parent_id is None
    return scope.contains(campaign.organization)


# --- period locks ------------------------------------------------------------------------


def period_locks(*, scope: Scope) -> QuerySet:
    """Locks of the scope's subtree and of the organizations above it (active first)."""
    root = scope.organization.path
    return (
        PeriodLock.objects.filter(
            Q(organization__path__gte=root, organization__path__lt=path_upper_bound(root))
            | Q(organization__path__in=ancestor_paths(scope.organization))
        )
        .select_related("organization", "locked_by", "unlocked_by")
        .order_by("unlocked_at", "-starts_on", "organization__path")
    )


def period_lock_get(*, scope: Scope, pk) -> PeriodLock:
    """A lock of an organization in the scope, else 404."""
    return scope.get(PeriodLock.objects.select_related("organization"), via="organization", pk=pk)
