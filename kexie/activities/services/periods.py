"""Reported periods (层层上报) and who approves: locking a period for a subtree, the
parent's unlock, and the approval policy.

A lock freezes every activity of the organization's subtree dated in the period: no
create, edit, transition or correction until an organization above unlocks it. Locks and
unlocks are audited; an unlocked lock stays as history.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.activities.models import ApprovalPolicy, PeriodLock
from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.orgs.models import PATH_SEGMENT, Kind, Organization

# Organizations whose approval the activities below them wait for ("the parent association").
APPROVING_KINDS = {
    Kind.PROVINCE_ASSOCIATION,
    Kind.CITY_ASSOCIATION,
    Kind.COUNTY_ASSOCIATION,
    Kind.TOWN_ASSOCIATION,
    Kind.ZONE_ASSOCIATION,
}


def period_bounds(period: str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of the `number`th month, quarter or half of `year` (or the year)."""
    months = {
        PeriodLock.Period.MONTH: (12, 1),
        PeriodLock.Period.QUARTER: (4, 3),
        PeriodLock.Period.HALF_YEAR: (2, 6),
        PeriodLock.Period.YEAR: (1, 12),
    }
    if period not in months:
        raise DomainError(_("Choose a month, a quarter, a half year or a year."), field="period")
    count, length = months[period]
    if not 1 <= int(number) <= count:
        raise DomainError(_("There is no such period in the year."), field="number")
    first_month = (int(number) - 1) * length + 1
    last_month = first_month + length - 1
    start = date(year, first_month, 1)
    end = date(year + (last_month == 12), last_month % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def ancestor_paths(organization: Organization) -> list[str]:
    """The paths of the organization and of every organization above it."""
    path = organization.path
    return [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]


def lock_covering(organization: Organization, day: date) -> PeriodLock | None:
    """The active lock, if any, that freezes this organization's activities of that day."""
    return (
        PeriodLock.objects.filter(
            organization__path__in=ancestor_paths(organization),
            unlocked_at__isnull=True,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .select_related("organization")
        .order_by("organization__path")
        .first()
    )


def require_unlocked(organization: Organization, *days: date) -> None:
    """Refuse a change to an activity of a locked period, naming who reported it."""
    for day in days:
        lock = lock_covering(organization, day)
        if lock is not None:
            raise DomainError(
                _(
                    "%(org)s has reported %(start)s to %(end)s and locked it: ask the organization "
                    "above it to unlock the period before changing activities of %(day)s."
                )
                % {"org": lock.organization.name, "start": lock.starts_on, "end": lock.ends_on, "day": day},
                code="locked",
            )


@transaction.atomic
def period_lock(*, actor, organization: Organization, period: str, year: int, number: int = 1) -> PeriodLock:
    """Lock a reported period for the organization's subtree."""
    starts_on, ends_on = period_bounds(period, year, number)
    if ends_on >= timezone.localdate():
        raise DomainError(_("A period can be locked once it has ended."), field="period")
    try:
        with transaction.atomic():
            lock = PeriodLock.objects.create(
                organization=organization,
                period=period,
                starts_on=starts_on,
                ends_on=ends_on,
                locked_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise DomainError(_("This period is locked already.")) from None
    record(actor, "period.lock", lock, starts_on=starts_on, ends_on=ends_on, period=period)
    return lock


def may_unlock(scope, lock: PeriodLock) -> bool:
    """An organization above the one that locked may unlock; a root unlocks its own."""
    organization = lock.organization
    if organization.parent_id is None:
        return scope.contains(organization)
    return scope.organization.path != organization.path and scope.contains(organization)


@transaction.atomic
def period_unlock(*, actor, lock: PeriodLock, reason: str) -> PeriodLock:
    """Unlock a period so that its activities can be changed; the reason is kept."""
    lock = PeriodLock.objects.select_for_update().get(pk=lock.pk)
    if lock.unlocked_at is not None:
        raise DomainError(_("This period has been unlocked already."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Say why the period is unlocked."), field="reason")
    if len(reason) > 255:
        raise DomainError(_("The reason is longer than 255 characters."), field="reason")
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = actor if getattr(actor, "is_authenticated", False) else None
    lock.unlock_reason = reason
    lock.save(update_fields=["unlocked_at", "unlocked_by", "unlock_reason"])
    record(actor, "period.unlock", lock, reason=reason)
    return lock


# --- who approves ------------------------------------------------------------------------


def _policies(paths) -> dict[str, str]:
    """The approval policies set at these paths (path -> approver)."""
    rows = ApprovalPolicy.objects.filter(organization__path__in=paths)
    return dict(rows.values_list("organization__path", "approver"))


def _nearest_policy(chain: list[str], policies: dict[str, str]) -> str:
    """The policy of the organization nearest the end of `chain` (its ancestor paths) that
    has one; the parent approves where none has."""
    nearest = (policies[path] for path in reversed(chain) if path in policies)
    return next(nearest, ApprovalPolicy.Approver.PARENT)


def approver_policy(organization: Organization) -> str:
    """The approval policy that applies to an organizer: the nearest one up the tree."""
    chain = ancestor_paths(organization)
    return _nearest_policy(chain, _policies(chain))


def approving_paths(organizations) -> dict[int, str]:
    """The path of the organization that approves each organizer's activities, by organizer
    id, in two queries however many organizers: the organizer itself where the policy says
    so (or nothing above it approves), else the nearest association above it."""
    chains = {organization.pk: ancestor_paths(organization) for organization in organizations}
    paths = set().union(*chains.values())
    policies = _policies(paths)
    approving = set(
        Organization.objects.filter(path__in=paths, kind__in=APPROVING_KINDS).values_list("path", flat=True)
    )
    found = {}
    for pk, chain in chains.items():
        above = [path for path in chain[:-1] if path in approving]
        self_approves = _nearest_policy(chain, policies) == ApprovalPolicy.Approver.SELF
        found[pk] = chain[-1] if self_approves or not above else above[-1]
    return found


def approving_organization(organization: Organization) -> Organization:
    """The organization whose administrators approve this organizer's activities."""
    path = approving_paths([organization])[organization.pk]
    return organization if path == organization.path else Organization.objects.get(path=path)


@transaction.atomic
def approval_policy_set(*, actor, organization: Organization, approver: str) -> ApprovalPolicy:
    """Choose who approves the activities of the organization's subtree."""
    if approver not in ApprovalPolicy.Approver.values:
        raise DomainError(_("Choose who approves the activities."), field="approver")
    policy, created = ApprovalPolicy.objects.select_for_update().get_or_create(
        organization=organization, defaults={"approver": approver}
    )
    old = None if created else policy.approver
    if not created and policy.approver != approver:
        policy.approver = approver
        policy.save(update_fields=["approver", "updated_at"])
    record(actor, "approval_policy.set", policy, changes={"approver": (old, approver)})
    return policy
