"""The dispatch rules an association sets for its network: working days to accept an order
and days to rate it (DispatchPolicy), and the star levels of service hours (StarLevel)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.orgs.models import Organization
from kexie.volunteers.models import DispatchPolicy, StarLevel

DEFAULT_ACCEPT_WORKDAYS = 2
DEFAULT_RATING_DAYS = 14
# 一星 to 五星 by cumulative hours, until the administrator sets others.
DEFAULT_STAR_HOURS = (100, 300, 600, 1000, 1500)


@dataclass(frozen=True)
class Policy:
    accept_workdays: int
    rating_days: int
    # The organization whose policy this is; None for the defaults.
    organization: Organization | None = None


def policy_for(organization: Organization) -> Policy:
    """The policy of the nearest organization on the way up that has one, else the defaults."""
    paths = [organization.path[:end] for end in range(len(organization.path), 0, -1)]
    found = (
        DispatchPolicy.objects.filter(organization__path__in=paths)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )
    if found is None:
        return Policy(DEFAULT_ACCEPT_WORKDAYS, DEFAULT_RATING_DAYS)
    return Policy(found.accept_workdays, found.rating_days, found.organization)


@transaction.atomic
def policy_set(
    *, actor, organization: Organization, accept_workdays: int, rating_days: int
) -> DispatchPolicy:
    """Set the deadlines of the organization's network (the networks below without their
    own policy follow it)."""
    if not 1 <= int(accept_workdays) <= 30:
        raise DomainError(_("Working days to accept are from 1 to 30."), field="accept_workdays")
    if not 1 <= int(rating_days) <= 90:
        raise DomainError(_("Days to rate are from 1 to 90."), field="rating_days")
    policy = DispatchPolicy.objects.select_for_update().filter(organization=organization).first()
    before = (policy.accept_workdays, policy.rating_days) if policy else (None, None)
    if policy is None:
        policy = DispatchPolicy(organization=organization)
    policy.accept_workdays, policy.rating_days = int(accept_workdays), int(rating_days)
    policy.save()
    record(
        actor,
        "volunteers.policy_set",
        policy,
        org_path=organization.path,
        changes={
            "accept_workdays": (before[0], policy.accept_workdays),
            "rating_days": (before[1], policy.rating_days),
        },
    )
    return policy


def star_thresholds() -> list[tuple[int, int]]:
    """(stars, hours needed), lowest first."""
    levels = list(StarLevel.objects.order_by("stars").values_list("stars", "min_hours"))
    return levels or [(index + 1, hours) for index, hours in enumerate(DEFAULT_STAR_HOURS)]


def stars_for(hours, thresholds: list[tuple[int, int]] | None = None) -> int:
    thresholds = thresholds if thresholds is not None else star_thresholds()
    return max((stars for stars, needed in thresholds if hours >= needed), default=0)


@transaction.atomic
def star_levels_set(*, actor, hours: list[int]) -> list[StarLevel]:
    """Replace the thresholds: hours[0] earns one star, hours[1] two stars…"""
    cleaned = [int(value) for value in hours if str(value).strip() != ""]
    if not cleaned:
        raise DomainError(_("Give the hours of at least one star."), field="hours")
    if any(value <= 0 for value in cleaned) or cleaned != sorted(set(cleaned)):
        raise DomainError(_("Each star needs more hours than the one before it."), field="hours")
    before = star_thresholds()
    StarLevel.objects.all().delete()
    levels = StarLevel.objects.bulk_create(
        [StarLevel(stars=index + 1, min_hours=value) for index, value in enumerate(cleaned)]
    )
    record(actor, "volunteers.stars_set", org_path="", changes={"hours": ([h for _s, h in before], cleaned)})
    return levels
