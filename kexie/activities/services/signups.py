"""Sign-up and check-in: an activity opens sign-up (places, deadline, waiting list, what it
asks), the public signs up on a page without logging in, registrants and staff cancel
(which gives the place to the first on the waiting list), and attendance is taken at the
door by QR code. Attended counts can become the activity's on-site figure.

Every sign-up, cancellation and promotion of an activity locks the activity's
SignupSettings row (select_for_update) inside its transaction, so however many arrive at
once, no more than `capacity` are ever confirmed. (On SQLite, whose transactions begin
IMMEDIATE here, writers queue for the database lock, which serializes them the same way.)

Mobiles and ID numbers are stored encrypted with a blind index and a masked copy, as the
talent pool's are (kexie.core.crypto). Messages to registrants go out after commit through
`signup_notice_task`, which loads and decrypts what it needs in the worker: no personal
data waits in the task queue.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.activities.models import Activity, Figure, Signup, SignupSettings, Status
from kexie.activities.services.activities import EDITABLE, edit_refusal
from kexie.activities.services.periods import require_unlocked
from kexie.audit.services import record
from kexie.core import crypto
from kexie.core.errors import DomainError
from kexie.core.masking import mask_id_number, mask_phone
from kexie.core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_mobile
from kexie.notifications.backends import Recipient
from kexie.notifications.services import notify, notify_users_later

# Sign-up can be opened or changed until the activity is held; the public sees it once approved.
OPENABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED)
PUBLIC_STATUSES = (Status.APPROVED, Status.HELD)
MAX_CAPACITY = 100_000
MAX_PER_MOBILE = 20
# The door's QR code lets registrants check themselves in from this long before the start.
DOOR_OPENS_BEFORE = timedelta(hours=2)
# Sign-up codes avoid characters that are misread aloud or on a phone (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# Public sign-up attempts allowed per window, per client address and per mobile.
RATE_WINDOW_SECONDS = 600
RATE_PER_IP = 30
RATE_PER_MOBILE = 5


@dataclass
class SignupOptions:
    """What the organizer sets when opening sign-up."""

    capacity: int | None
    deadline: datetime | None
    waitlist: bool = True
    ask_unit: bool = True
    require_id_number: bool = False
    per_mobile_limit: int = 1
    notice: str = ""
    is_open: bool = True


@dataclass
class SignupData:
    """What a registrant enters (the page and the public API)."""

    name: str
    mobile: str
    unit: str = ""
    id_number: str = ""
    email: str = ""


class RateLimited(DomainError):
    """Too many sign-up attempts: pages and the API answer 429."""

    def __init__(self, message):
        super().__init__(message, code="rate_limited")


# --- opening sign-up -----------------------------------------------------------------------


def _clean_options(options: SignupOptions, activity: Activity) -> dict:
    try:
        capacity = int(options.capacity)
    except (TypeError, ValueError):
        raise DomainError(_("Give the number of places."), field="capacity") from None
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("The number of places must be between 1 and %(max)s.") % {"max": MAX_CAPACITY}, field="capacity"
        )
    if options.deadline is None:
        raise DomainError(_("Give the sign-up deadline."), field="deadline")
    if options.deadline > activity.ends_at:
        raise DomainError(_("The sign-up deadline cannot be after the activity ends."), field="deadline")
    try:
        limit = int(options.per_mobile_limit)
    except (TypeError, ValueError):
        raise DomainError(
            _("Give how many sign-ups one mobile may make."), field="per_mobile_limit"
        ) from None
    if not 1 <= limit <= MAX_PER_MOBILE:
        raise DomainError(
            _("One mobile may make between 1 and %(max)s sign-ups.") % {"max": MAX_PER_MOBILE},
            field="per_mobile_limit",
        )
    return {
        "capacity": capacity,
        "deadline": options.deadline,
        "waitlist": bool(options.waitlist),
        "ask_unit": bool(options.ask_unit),
        "require_id_number": bool(options.require_id_number),
        "per_mobile_limit": limit,
        "notice": (options.notice or "").strip()[:2000],
        "is_open": bool(options.is_open),
    }


@transaction.atomic
def signup_settings_save(*, actor, activity: Activity, options: SignupOptions) -> SignupSettings:
    """Open sign-up for an activity, or change it (places, deadline, waiting list, fields,
    per-mobile limit, open or closed). More places go to the waiting list first."""
    activity = (
        Activity.objects.select_for_update(of=("self",)).select_related("organization").get(pk=activity.pk)
    )
    if activity.status not in OPENABLE_STATUSES:
        raise DomainError(
            _("Sign-up is opened or changed only before the activity is held, never once it is cancelled."),
            code="status",
        )
    fields = _clean_options(options, activity)
    current = SignupSettings.objects.select_for_update().filter(activity=activity).first()
    if current is None:
        current = SignupSettings(
            activity=activity, door_token=secrets.token_urlsafe(32), created_by=_user(actor)
        )
        before = {}
    else:
        before = {name: getattr(current, name) for name in fields}
        confirmed = current.activity.signups.filter(status=Signup.Status.CONFIRMED).count()
        if fields["capacity"] < confirmed:
            raise DomainError(
                _("%(count)s people are already confirmed: the places cannot be fewer.")
                % {"count": confirmed},
                field="capacity",
            )
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    changes = {name: (before.get(name), value) for name, value in fields.items() if before.get(name) != value}
    record(actor, "signup.settings", activity, changes=changes)
    _promote(current)
    return current


# --- signing up ----------------------------------------------------------------------------


def public_settings() -> QuerySet:
    """Sign-ups the public sees: open, of an approved (or held) activity."""
    return SignupSettings.objects.filter(is_open=True, activity__status__in=PUBLIC_STATUSES).select_related(
        "activity", "activity__organization", "activity__kind"
    )


def public_upcoming() -> QuerySet:
    """Open sign-ups of activities that have not ended, soonest first."""
    return (
        public_settings().filter(activity__ends_at__gte=timezone.now()).order_by("activity__starts_at", "pk")
    )


def public_settings_get(pk) -> SignupSettings:
    """The open sign-up of activity `pk`, else 404 (no sign-up, closed, or not approved)."""
    try:
        return public_settings().get(activity_id=pk)
    except (SignupSettings.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def places_left(signup_settings: SignupSettings) -> int:
    confirmed = Signup.objects.filter(
        activity_id=signup_settings.activity_id, status=Signup.Status.CONFIRMED
    ).count()
    return max(signup_settings.capacity - confirmed, 0)


def is_accepting(signup_settings: SignupSettings, *, now: datetime | None = None) -> bool:
    return signup_settings.is_open and (now or timezone.now()) <= signup_settings.deadline


def mobile_lookup(mobile: str) -> str:
    return crypto.blind_index("signup-mobile", normalize_phone(mobile))


def id_number_lookup(id_number: str) -> str:
    return crypto.blind_index("signup-id", normalize_id_number(id_number))


def _clean_signup(data: SignupData, signup_settings: SignupSettings) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("Enter your name."), field="name")
    if len(name) > 64:
        raise DomainError(_("The name is longer than 64 characters."), field="name")
    mobile = (data.mobile or "").strip()
    if not mobile:
        raise DomainError(_("Enter your mobile number."), field="mobile")
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="mobile") from exc
    unit = " ".join((data.unit or "").split())[:128] if signup_settings.ask_unit else ""
    # An ID number is kept only when the activity asks for real-name entry.
    id_number = ""
    if signup_settings.require_id_number:
        id_number = normalize_id_number(data.id_number)
        if not id_number:
            raise DomainError(
                _("This activity requires real-name entry: enter your ID number."), field="id_number"
            )
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="id_number") from exc
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(
                _("“%(value)s” is not a valid e-mail address.") % {"value": email}, field="email"
            ) from exc
    return {
        "name": name,
        "mobile": normalize_phone(mobile),
        "unit": unit,
        "id_number": id_number,
        "email": email,
    }


def _new_code(activity_id: int) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Signup.objects.filter(activity_id=activity_id, code=code).exists():
            return code


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_settings(activity_id: int) -> SignupSettings:
    """The activity's sign-up row, locked until the transaction ends: the one gate every
    change of who holds a place passes through."""
    try:
        return (
            SignupSettings.objects.select_for_update(of=("self",))
            .select_related("activity", "activity__organization")
            .get(activity_id=activity_id)
        )
    except SignupSettings.DoesNotExist:
        raise DomainError(_("Sign-up for this activity is not open."), code="closed") from None


def signup_create(*, activity: Activity, data: SignupData, submission_key: str = "") -> Signup:
    """Sign someone up: confirmed while places are left, then on the waiting list (if the
    activity keeps one), else refused. The same form submitted twice is one sign-up.
    A confirmation with the sign-up code and link goes out after commit."""
    submission_key = (submission_key or "").strip()[:64]
    with transaction.atomic():
        signup_settings = _lock_settings(activity.pk)
        activity = signup_settings.activity
        if submission_key:
            earlier = Signup.objects.filter(activity=activity, submission_key=submission_key).first()
            if earlier is not None:
                return earlier
        if not signup_settings.is_open or activity.status not in PUBLIC_STATUSES:
            raise DomainError(_("Sign-up for this activity is not open."), code="closed")
        if timezone.now() > signup_settings.deadline:
            raise DomainError(
                _("Sign-up closed at %(deadline)s.")
                % {"deadline": timezone.localtime(signup_settings.deadline).strftime("%Y-%m-%d %H:%M")},
                code="closed",
            )
        fields = _clean_signup(data, signup_settings)
        mobile_index = mobile_lookup(fields["mobile"])
        active = Signup.objects.filter(activity=activity).exclude(status=Signup.Status.CANCELLED)
        if active.filter(mobile_index=mobile_index).count() >= signup_settings.per_mobile_limit:
            message = (
                _("This mobile has already signed up for the activity.")
                if signup_settings.per_mobile_limit == 1
                else _("This mobile has already made %(limit)s sign-ups, the most allowed for the activity.")
                % {"limit": signup_settings.per_mobile_limit}
            )
            raise DomainError(message, field="mobile", code="limit")
        id_index = id_number_lookup(fields["id_number"]) if fields["id_number"] else ""
        if id_index and active.filter(id_number_index=id_index).exists():
            raise DomainError(
                _("This ID number has already signed up for the activity."), field="id_number", code="limit"
            )
        confirmed = active.filter(status=Signup.Status.CONFIRMED).count()
        if confirmed < signup_settings.capacity:
            status = Signup.Status.CONFIRMED
        elif signup_settings.waitlist:
            status = Signup.Status.WAITLISTED
        else:
            raise DomainError(
                _("All %(capacity)s places have been taken.") % {"capacity": signup_settings.capacity},
                code="full",
            )
        signup = Signup.objects.create(
            activity=activity,
            name=fields["name"],
            unit=fields["unit"],
            email=fields["email"],
            mobile_encrypted=crypto.encrypt(fields["mobile"]),
            mobile_index=mobile_index,
            mobile_masked=mask_phone(fields["mobile"]),
            id_number_encrypted=crypto.encrypt(fields["id_number"]),
            id_number_index=id_index,
            id_number_masked=mask_id_number(fields["id_number"]),
            code=_new_code(activity.pk),
            token=secrets.token_urlsafe(32),
            submission_key=submission_key,
            status=status,
        )
        record(
            None,
            "signup.create",
            signup,
            org_path=activity.organization.path,
            activity=activity.pk,
            status=status,
        )
        kind = "signup_confirmed" if status == Signup.Status.CONFIRMED else "signup_waitlisted"
        transaction.on_commit(lambda: signup_notice_task.enqueue(signup.pk, kind))
        if status == Signup.Status.CONFIRMED and confirmed + 1 == signup_settings.capacity:
            notify_users_later(
                [activity.created_by],
                kind="signup_full",
                context={
                    "title": activity.title,
                    "capacity": signup_settings.capacity,
                    "url": reverse("activities:signup_list", kwargs={"pk": activity.pk}),
                },
            )
    return signup


def rate_check(*, ip: str | None, mobile: str = "") -> None:
    """Count a public sign-up attempt; refuse (RateLimited) when a client address or a mobile
    has tried too often in the last ten minutes."""
    keys = []
    if ip:
        keys.append((f"signup-rate:ip:{ip}", RATE_PER_IP))
    if mobile:
        keys.append((f"signup-rate:mobile:{mobile_lookup(mobile)}", RATE_PER_MOBILE))
    for key, limit in keys:
        cache.add(key, 0, RATE_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW_SECONDS)
            count = 1
        if count > limit:
            raise RateLimited(_("Too many sign-up attempts. Please wait ten minutes and try again."))


# --- cancelling and the waiting list -------------------------------------------------------


def _promote(signup_settings: SignupSettings) -> list[Signup]:
    """Give free places to the waiting list in the order people signed up (the caller holds
    the settings lock); each promoted registrant is told after commit."""
    activity_id = signup_settings.activity_id
    confirmed = Signup.objects.filter(activity_id=activity_id, status=Signup.Status.CONFIRMED).count()
    free = signup_settings.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        Signup.objects.filter(activity_id=activity_id, status=Signup.Status.WAITLISTED).order_by(
            "created_at", "id"
        )[:free]
    )
    now = timezone.now()
    for signup in waiting:
        signup.status, signup.promoted_at = Signup.Status.CONFIRMED, now
        signup.save(update_fields=["status", "promoted_at"])
        record(None, "signup.promote", signup, org_path=signup_settings.activity.organization.path)
        transaction.on_commit(lambda pk=signup.pk: signup_notice_task.enqueue(pk, "signup_promoted"))
    return waiting


@transaction.atomic
def signup_cancel(*, actor, signup: Signup) -> Signup:
    """Cancel a sign-up (staff, or the registrant through their link or code). A confirmed
    place goes to the first person on the waiting list."""
    signup_settings = _lock_settings(signup.activity_id)
    signup = Signup.objects.select_for_update(of=("self",)).get(pk=signup.pk)
    if signup.status == Signup.Status.CANCELLED:
        raise DomainError(_("This sign-up has already been cancelled."), code="status")
    if signup.checked_in_at is not None:
        raise DomainError(
            _("This registrant has already checked in; the sign-up cannot be cancelled."), code="status"
        )
    signup.status, signup.cancelled_at = Signup.Status.CANCELLED, timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    record(
        actor,
        "signup.cancel",
        signup,
        org_path=signup_settings.activity.organization.path,
        by="staff" if _user(actor) else "registrant",
    )
    _promote(signup_settings)
    return signup


def signup_cancel_by_code(*, activity: Activity, mobile: str, code: str) -> Signup:
    """The registrant cancels with the mobile they signed up with and their sign-up code."""
    code = (code or "").strip().upper()
    signup = (
        Signup.objects.filter(activity=activity, code=code, mobile_index=mobile_lookup(mobile))
        .exclude(status=Signup.Status.CANCELLED)
        .first()
        if code and mobile
        else None
    )
    if signup is None:
        raise DomainError(_("No sign-up of this activity matches this mobile and code."), field="code")
    return signup_cancel(actor=None, signup=signup)


# --- check-in ------------------------------------------------------------------------------


def token_from(text: str) -> str:
    """A registrant's token from what a scanner or a person typed: the token itself or the
    whole link of their QR code."""
    text = (text or "").strip().rstrip("/")
    return text.rsplit("/", 1)[-1] if "/" in text else text


def signup_find(*, activity: Activity, query: str) -> list[Signup]:
    """The sign-ups of this activity that a typed or scanned value names: a QR link or token,
    a sign-up code, or a mobile (which may have made several)."""
    query = (query or "").strip()
    if not query:
        return []
    signups = Signup.objects.filter(activity=activity).exclude(status=Signup.Status.CANCELLED)
    token = token_from(query)
    if len(token) >= 40:
        return list(signups.filter(token=token))
    if len(query) <= CODE_LENGTH + 2:  # a code (it may be all digits); a mobile is longer
        return list(signups.filter(code=query.upper()))
    return list(signups.filter(mobile_index=mobile_lookup(query)).order_by("created_at", "id"))


def _check_in(actor, signup: Signup, *, where: str) -> Signup:
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("activity__organization")
        .get(pk=signup.pk)
    )
    if signup.status == Signup.Status.CANCELLED:
        raise DomainError(
            _("The sign-up of %(name)s has been cancelled.") % {"name": signup.name}, code="status"
        )
    if signup.status == Signup.Status.WAITLISTED:
        raise DomainError(
            _("%(name)s is on the waiting list and has no place yet.") % {"name": signup.name}, code="status"
        )
    if signup.checked_in_at is not None:
        raise DomainError(
            _("%(name)s already checked in at %(time)s.")
            % {"name": signup.name, "time": timezone.localtime(signup.checked_in_at).strftime("%H:%M")},
            code="already",
        )
    signup.checked_in_at, signup.checked_in_by = timezone.now(), _user(actor)
    signup.save(update_fields=["checked_in_at", "checked_in_by"])
    record(actor, "signup.checkin", signup, org_path=signup.activity.organization.path, where=where)
    return signup


@transaction.atomic
def signup_checkin(*, actor, signup: Signup) -> Signup:
    """Staff mark one registrant present (a scanned QR code, or the list's button)."""
    return _check_in(actor, signup, where="staff")


@transaction.atomic
def signup_checkin_by_query(*, actor, activity: Activity, query: str) -> list[Signup]:
    """Staff check in whoever a typed code, mobile or scanned link names (all confirmed
    sign-ups of a mobile that are not yet checked in)."""
    found = signup_find(activity=activity, query=query)
    if not found:
        raise DomainError(
            _("No sign-up of this activity matches “%(query)s”.") % {"query": query}, field="query"
        )
    return _check_in_all(actor, found, where="staff")


def _check_in_all(actor, found: list[Signup], *, where: str) -> list[Signup]:
    pending = [s for s in found if s.checked_in_at is None and s.status == Signup.Status.CONFIRMED]
    if not pending:
        _check_in(actor, found[0], where=where)  # raises the reason (already, waiting, cancelled)
    return [_check_in(actor, signup, where=where) for signup in pending]


def door_is_open(activity: Activity, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return activity.starts_at - DOOR_OPENS_BEFORE <= now <= activity.ends_at


@transaction.atomic
def signup_checkin_at_door(*, signup_settings: SignupSettings, door_token: str, query: str) -> list[Signup]:
    """A registrant who scanned the door's QR code checks in with their mobile or code."""
    if not secrets.compare_digest(signup_settings.door_token, door_token or ""):
        raise Http404
    activity = signup_settings.activity
    if not door_is_open(activity):
        raise DomainError(
            _("Check-in opens two hours before the activity starts and closes when it ends."), code="closed"
        )
    query = (query or "").strip()
    found = signup_find(activity=activity, query=query) if query else []
    if not found or len(token_from(query)) >= 40:  # the door takes codes and mobiles, not links
        raise DomainError(_("No sign-up matches this mobile or code."), field="query")
    return _check_in_all(None, found, where="door")


@transaction.atomic
def onsite_from_checkins(*, actor, activity: Activity) -> Activity:
    """Use the number of registrants who checked in as the activity's on-site participants."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organization", "kind")
        .get(pk=activity.pk)
    )
    if activity.status not in EDITABLE:  # as an edit of the activity would be
        raise DomainError(edit_refusal(activity), code="status")
    if Figure.ONSITE_PARTICIPANTS not in activity.kind.figures:
        raise DomainError(_("This kind of activity does not report on-site participants."), code="figures")
    require_unlocked(activity.organization, activity.held_on)
    attended = activity.signups.filter(checked_in_at__isnull=False).count()
    before = activity.onsite_participants
    activity.onsite_participants = attended
    activity.save(update_fields=["onsite_participants", "updated_at"])
    record(
        actor,
        "activity.update",
        activity,
        changes={"onsite_participants": (before, attended)},
        source="check-ins",
    )
    return activity


# --- reads for the staff pages and exports ----------------------------------------------


def signup_list(*, activity: Activity, status: str = "") -> QuerySet:
    signups = Signup.objects.filter(activity=activity).select_related("checked_in_by")
    if status in Signup.Status.values:
        signups = signups.filter(status=status)
    return signups.order_by("created_at", "id")


def signup_counts(*, activity: Activity) -> dict:
    counts = Signup.objects.filter(activity=activity).aggregate(
        confirmed=Count("pk", filter=Q(status=Signup.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Signup.Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Signup.Status.CANCELLED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return counts


@transaction.atomic
def signups_reveal(*, actor, activity: Activity, signups: list[Signup], reason: str) -> dict[int, dict]:
    """The clear mobiles and ID numbers of a page of registrants (PERSONAL_UNMASK, checked
    by the caller), audited once with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for viewing the full personal data."), field="reason")
    record(
        actor,
        "personal.unmask",
        activity,
        reason=reason[:200],
        where="signups",
        signups=[s.pk for s in signups][:200],
    )
    return {
        s.pk: {
            "mobile": crypto.decrypt(s.mobile_encrypted),
            "id_number": crypto.decrypt(s.id_number_encrypted),
        }
        for s in signups
    }


# --- messages to registrants -----------------------------------------------------------------


def site_url(path: str) -> str:
    """An absolute link for messages sent outside a request (settings.KEXIE_SITE_URL)."""
    return getattr(settings, "KEXIE_SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def ticket_path(signup: Signup) -> str:
    return reverse("events:ticket", kwargs={"token": signup.token})


@task()
def signup_notice_task(signup_id: int, kind: str) -> int:
    """Tell a registrant about their sign-up (confirmed, waiting, promoted, tomorrow's
    reminder) by SMS and, if they gave one, e-mail."""
    signup = Signup.objects.select_related("activity").filter(pk=signup_id).first()
    if signup is None or signup.status == Signup.Status.CANCELLED:
        return 0
    if kind in ("signup_reminder", "signup_promoted") and signup.status != Signup.Status.CONFIRMED:
        return 0
    activity = signup.activity
    context = {
        "name": signup.name,
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
        "when": " ".join(
            part
            for part in (
                timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                activity.venue or activity.address,
            )
            if part
        ),
        "code": signup.code,
        "url": site_url(ticket_path(signup)),
    }
    recipient = Recipient(
        mobile=crypto.decrypt(signup.mobile_encrypted), email=signup.email, name=signup.name
    )
    return notify(recipient, kind=kind, context=context)


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Queue the reminder of every confirmed registrant of an activity that starts tomorrow
    (local time) and has not been reminded yet. Running it again reminds nobody twice."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    end = start + timedelta(days=1)
    with transaction.atomic():
        due = Signup.objects.filter(
            status=Signup.Status.CONFIRMED,
            reminded_at__isnull=True,
            activity__status__in=PUBLIC_STATUSES,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
        )
        ids = list(due.select_for_update(of=("self",)).values_list("pk", flat=True))
        Signup.objects.filter(pk__in=ids).update(reminded_at=now)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: signup_notice_task.enqueue(pk, "signup_reminder"))
    return len(ids)
