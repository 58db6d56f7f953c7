"""The demo sign-ups: the public's registrations for the demo activities that opened sign-up,
with waiting lists, cancellations and check-ins, for `make run`, tests and benchmarks.

`seed_signups()` runs after the activities (seed_demo calls it last). The same activities,
scale, seed and day give the same sign-ups. What it writes:

- sign-up settings for about a quarter of the activities people come to on site (lectures,
  exhibitions, contests, hands-on shows, conferences, forums, report meetings, training
  courses, matchmaking events) that were approved, held or reported: places about the
  audience the activity drew (or expects), a deadline the day before, a waiting list for
  most; the upcoming ones are open on the public page;
- sign-ups until the deadline (or today, for what is still ahead), from a pool of
  registrants who come back to several activities (one mobile a sign-up per activity):
  up to the places confirmed, the rest on the waiting list where there is one, about one
  in twenty-five cancelled;
- check-ins of about three quarters of the confirmed registrants of held and reported
  activities, around the start.

    per year: S ≈ 20,000 · M ≈ 300,000 for the full city · L ≈ 300,000 a full city (ten)

Written with bulk inserts, one audit record "signup.demo" per call of `signups_bulk_create`.
Mobiles are encrypted with a blind index and a masked copy as the sign-up service stores
them; each registrant is encrypted once.
"""

import base64
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kexie.activities.models import Activity, Mode, Signup, SignupSettings, Status
from kexie.activities.services.signups import CODE_ALPHABET, CODE_LENGTH, mobile_lookup
from kexie.audit.services import record
from kexie.core import crypto
from kexie.core.bulk import insert_rows
from kexie.core.masking import mask_phone
from kexie.orgs.models import Organization
from kexie.people.demo import PeoplePlanner, load_network
from kexie.people.models import Unit

# The kinds the public signs up for on site.
KINDS = {
    "lecture",
    "exhibition",
    "contest",
    "hands_on",
    "conference",
    "forum",
    "report_meeting",
    "seminar",
    "training",
    "matchmaking",
}
STATUSES = (Status.APPROVED, Status.HELD, Status.REPORTED)
OPEN_SHARE = 0.25  # of those activities, the ones that open sign-up
UPCOMING_OPEN_SHARE = 0.7  # of those still ahead: the public page has something to show
WAITLIST_SHARE = 0.75
CANCELLED_SHARE = 0.04
CHECKED_IN_SHARE = 0.76
# Places when an activity has no audience figure yet, by kind.
DEFAULT_PLACES = {"training": 60, "conference": 200, "forum": 150, "report_meeting": 120, "seminar": 40}
REGISTRANTS_PER_SIGNUP = 1 / 6  # registrants in the pool per sign-up expected
BATCH = 200_000  # sign-ups per signups_bulk_create call


@dataclass
class SignupsResult:
    settings: int = 0
    signups: int = 0
    seconds: float = 0.0
    by_status: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"Created {self.settings} open sign-ups and {self.signups} sign-ups "
            f"({self.by_status.get(Signup.Status.CONFIRMED, 0)} confirmed, "
            f"{self.by_status.get(Signup.Status.WAITLISTED, 0)} waitlisted, "
            f"{self.by_status.get('checked_in', 0)} checked in) in {self.seconds:.1f} s."
        )


@dataclass
class Registrant:
    name: str
    unit: str
    mobile_encrypted: str
    mobile_index: str
    mobile_masked: str


class Registrants:
    """A pool of people who sign up, each encrypted once, drawn at random."""

    def __init__(self, planner: PeoplePlanner, rng: random.Random, units: list[str]):
        self.planner, self.rng, self.units = planner, rng, units
        self.pool: list[Registrant] = []

    def grow(self, size: int) -> None:
        for _ in range(size - len(self.pool)):
            male = self.rng.random() < 0.48
            mobile = self.planner.mobile()
            self.pool.append(
                Registrant(
                    name=self.planner.name(male, self.rng.randint(1955, 2008)),
                    unit=self.rng.choice(self.units) if self.units and self.rng.random() < 0.6 else "",
                    mobile_encrypted=crypto.encrypt(mobile),
                    mobile_index=mobile_lookup(mobile),
                    mobile_masked=mask_phone(mobile),
                )
            )

    def sample(self, count: int) -> list[Registrant]:
        return self.rng.sample(self.pool, min(count, len(self.pool)))


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).rstrip(b"=").decode()


def _codes(rng: random.Random, count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    return list(codes)


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randrange(seconds + 1))


@dataclass
class Opened:
    """An activity's sign-up settings and its sign-ups as rows (written by signups_bulk_create)."""

    settings: SignupSettings
    signups: list[tuple] = field(default_factory=list)


SIGNUP_COLUMNS = (
    "activity_id",
    "name",
    "unit",
    "email",
    "mobile_encrypted",
    "mobile_index",
    "mobile_masked",
    "id_number_encrypted",
    "id_number_index",
    "id_number_masked",
    "code",
    "token",
    "submission_key",
    "status",
    "created_at",
    "promoted_at",
    "cancelled_at",
    "checked_in_at",
    "reminded_at",
)


def plan_signups(activity: Activity, places: int, *, rng, registrants: Registrants, now: datetime) -> Opened:
    """The settings and the sign-ups of one activity that opened sign-up."""
    deadline = activity.starts_at - timedelta(days=1)
    settings = SignupSettings(
        activity=activity,
        capacity=places,
        deadline=deadline,
        waitlist=rng.random() < WAITLIST_SHARE,
        ask_unit=rng.random() < 0.7,
        door_token=_token(rng),
    )
    opened_at = activity.starts_at - timedelta(days=rng.randint(7, 21))
    settings.created_at = opened_at
    last = min(deadline, now)
    if last <= opened_at:
        return Opened(settings)
    fill = rng.uniform(0.45, 1.2) if settings.waitlist else rng.uniform(0.45, 1.0)
    ahead = activity.starts_at > now
    if ahead:  # still signing up: the share of the sign-up time gone by
        fill *= (last - opened_at) / (deadline - opened_at)
    wanted = int(places * fill)
    people = registrants.sample(wanted)
    moments = sorted(_moment(rng, opened_at, last) for _ in people)
    held = activity.status in (Status.HELD, Status.REPORTED)
    confirmed = 0
    rows = []
    for person, code, signed in zip(people, _codes(rng, len(people)), moments, strict=True):
        cancelled_at = checked_in_at = None
        if rng.random() < CANCELLED_SHARE:
            status = Signup.Status.CANCELLED
            cancelled_at = _moment(rng, signed, min(last, activity.starts_at))
        elif confirmed < places:
            status = Signup.Status.CONFIRMED
            confirmed += 1
            if held and rng.random() < CHECKED_IN_SHARE:
                checked_in_at = activity.starts_at + timedelta(minutes=rng.randint(-40, 25))
        elif settings.waitlist:
            status = Signup.Status.WAITLISTED
        else:
            break  # full, and no waiting list: the rest were refused
        rows.append(
            (
                person,
                code,
                _token(rng),
                status,
                signed,
                cancelled_at,
                checked_in_at,
            )
        )
    return Opened(settings, rows)


SETTINGS_COLUMNS = (
    "activity_id",
    "is_open",
    "capacity",
    "deadline",
    "waitlist",
    "ask_unit",
    "require_id_number",
    "per_mobile_limit",
    "notice",
    "door_token",
    "created_by_id",
    "created_at",
    "updated_at",
)


@transaction.atomic
def signups_bulk_create(*, actor, organization: Organization, opened: list[Opened]) -> int:
    """Write the sign-up settings and sign-ups of activities of `organization`'s subtree
    (demo data) with bulk inserts, and one audit record for them all."""
    # The activities come with their organizer's path (seed_signups reads them so).
    if any(not item.settings.activity.organization.path.startswith(organization.path) for item in opened):
        raise ValueError("every activity must be organized in the organization's subtree")
    insert_rows(
        SignupSettings._meta.db_table,
        SETTINGS_COLUMNS,
        (
            (
                s.activity.pk,
                s.is_open,
                s.capacity,
                s.deadline,
                s.waitlist,
                s.ask_unit,
                s.require_id_number,
                s.per_mobile_limit,
                s.notice,
                s.door_token,
                None,
                s.created_at,
                s.created_at,
            )
            for s in (item.settings for item in opened)
        ),
    )
    rows = (
        (
            item.settings.activity.pk,
            person.name,
            person.unit if item.settings.ask_unit else "",
            "",
            person.mobile_encrypted,
            person.mobile_index,
            person.mobile_masked,
            "",
            "",
            "",
            code,
            token,
            "",
            status,
            signed,
            None,
            cancelled_at,
            checked_in_at,
            None,
        )
        for item in opened
        for person, code, token, status, signed, cancelled_at, checked_in_at in item.signups
    )
    insert_rows(Signup._meta.db_table, SIGNUP_COLUMNS, rows)
    count = sum(len(item.signups) for item in opened)
    record(
        actor,
        "signup.demo",
        None,
        org_path=organization.path,
        settings=len(opened),
        signups=count,
        organization=organization.pk,
    )
    return count


def _places(activity: Activity, kind: str, rng: random.Random) -> int:
    audience = activity.onsite_participants or DEFAULT_PLACES.get(kind, 80)
    places = int(audience * rng.uniform(0.8, 1.1)) // 10 * 10
    return min(max(places, 10), 800)


def seed_signups(
    *,
    scale: str,
    rng: random.Random,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SignupsResult:
    """Open sign-up on the demo activities people come to, and fill it (actor=None), in
    one transaction."""
    started = time.monotonic()
    now = timezone.now()
    if today is not None and today != timezone.localdate():
        now = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=12))
    result = SignupsResult()
    with transaction.atomic():
        roots = {org.path: org for org in Organization.objects.filter(parent__isnull=True)}
        candidates = (
            Activity.objects.filter(
                kind__code__in=KINDS, status__in=STATUSES, mode__in=(Mode.OFFLINE, Mode.BOTH)
            )
            .select_related("kind", "organization")
            .only("pk", "starts_at", "status", "onsite_participants", "kind__code", "organization__path")
            .order_by("pk")
        )
        chosen = []
        for activity in candidates.iterator(chunk_size=5000):
            share = UPCOMING_OPEN_SHARE if activity.starts_at > now else OPEN_SHARE
            if rng.random() < share:
                chosen.append((activity, _places(activity, activity.kind.code, rng)))
        expected = sum(places for _activity, places in chosen)
        planner = PeoplePlanner(
            scale=scale, rng=rng, today=today or timezone.localdate(), network=load_network()
        )
        units = list(Unit.objects.order_by("pk").values_list("name", flat=True)[:3000])
        registrants = Registrants(planner, rng, units)
        registrants.grow(min(600_000, max(500, int(expected * REGISTRANTS_PER_SIGNUP))))
        batch: dict[str, list[Opened]] = {}
        pending = reported = 0

        def flush() -> None:
            for root_path, items in batch.items():
                signups_bulk_create(actor=None, organization=roots[root_path], opened=items)
            batch.clear()

        for activity, places in chosen:
            opened = plan_signups(activity, places, rng=rng, registrants=registrants, now=now)
            root_path = next(path for path in roots if activity.organization.path.startswith(path))
            batch.setdefault(root_path, []).append(opened)
            result.settings += 1
            result.signups += len(opened.signups)
            pending += len(opened.signups)
            for _person, _code, _token, status, _signed, _cancelled, checked_in in opened.signups:
                result.by_status[status] += 1
                result.by_status["checked_in"] += checked_in is not None
            if pending >= BATCH:
                flush()
                pending = 0
            if progress and result.signups - reported >= 500_000:
                reported = result.signups
                progress(result.signups, int(expected * 0.8))
        flush()
    result.seconds = time.monotonic() - started
    return result
