"""The life of a service order: 点单 (order) → review → 派单 (dispatch, pass down, or open for
grabbing) → 接单 (accept, decline, grab; escalation when not accepted in time) → delivery
(which records an activity and the hours) → 评单 (rating, or closing when the window ends),
and cancellation by either side.

Every step locks the order row, checks the state it starts from, writes an OrderEvent and
an audit record in the same transaction and notifies after commit. The counters of the
volunteer or team holding the order move in that transaction too.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.roles import Perm
from kexie.activities.models import ActivityAttachment, ActivityKind
from kexie.activities.models import Status as ActivityStatus
from kexie.activities.services.activities import (
    ActivityData,
    activity_record,
    attachment_add,
    check_attachment,
)
from kexie.audit.services import record
from kexie.core import crypto
from kexie.core.errors import DomainError
from kexie.core.masking import mask_phone
from kexie.core.validators import normalize_phone, validate_mobile
from kexie.core.workdays import add_workdays
from kexie.orgs.models import Division, Kind, Organization
from kexie.orgs.models import Status as OrgStatus
from kexie.people.models import Discipline
from kexie.volunteers.models import (
    IN_HAND,
    HoursEntry,
    HoursSource,
    MenuItem,
    MenuStatus,
    OrderAction,
    OrderEvent,
    OrderStatus,
    ServiceForm,
    ServiceOrder,
    Volunteer,
    VolunteerStatus,
    VolunteerTeam,
)
from kexie.volunteers.services.policy import policy_for
from kexie.volunteers.services.totals import add_hours

ACTIVITY_KIND = "volunteer_service"
MAX_AUDIENCE = 100_000
MAX_HOURS = Decimal("24")
MAX_PHOTOS = 9
REASON_LENGTH = 255


class OrderError(DomainError):
    pass


@dataclass
class OrderData:
    """What the order form (public, staff or API) supplies."""

    title: str
    discipline: Discipline | None
    division: Division | None
    address: str
    preferred_on: date | None
    expected_audience: int | None
    requester_name: str
    mobile: str
    requester_unit: str = ""
    need: str = ""
    form: str = ServiceForm.LECTURE
    alternative_on: date | None = None
    menu_item: MenuItem | None = None


def _reason(reason: str, *, required: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise OrderError(required, field="reason")
    if len(reason) > REASON_LENGTH:
        raise OrderError(_("Keep the reason under %(n)d characters.") % {"n": REASON_LENGTH}, field="reason")
    return reason


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    person = getattr(actor, "person", None)
    return (person.name if person is not None else actor.get_full_name() or actor.get_username())[:64]


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _locked(order: ServiceOrder, allowed, message: str) -> ServiceOrder:
    order = (
        ServiceOrder.objects.select_for_update(of=("self",)).select_related("organization").get(pk=order.pk)
    )
    if order.status not in allowed:
        raise OrderError(message, code="state")
    return order


def _step(
    order: ServiceOrder,
    *,
    actor,
    action: str,
    from_status: str,
    reason: str = "",
    actor_name: str = "",
    at: datetime | None = None,
    **detail,
) -> None:
    """The order's history line and the audit record of one step."""
    OrderEvent.objects.create(
        order=order,
        action=action,
        from_status=from_status,
        to_status=order.status,
        actor=_user(actor),
        actor_name=actor_name or _actor_name(actor),
        organization=detail.get("organization"),
        volunteer=detail.get("volunteer"),
        team=detail.get("team"),
        reason=reason,
        at=at or timezone.now(),
    )
    audit_detail = {"status": [from_status, order.status]}
    if reason:
        audit_detail["reason"] = reason
    for name, value in detail.items():
        if name in ("organization", "volunteer", "team"):
            if value is not None:
                audit_detail[f"{name}_id"] = value.pk
        else:
            audit_detail[name] = value
    record(actor, f"service_order.{action}", order, org_path=order.organization.path, **audit_detail)


def _notify(order: ServiceOrder, kind: str) -> None:
    from kexie.volunteers.tasks import order_notice_task

    order_id = order.pk
    transaction.on_commit(lambda: order_notice_task.enqueue(order_id, kind))


def _first_dispatch(order: ServiceOrder, now: datetime) -> list[str]:
    """Keep the day of the order's first dispatch (or opening); the fields to save."""
    if order.first_dispatched_at is not None:
        return []
    order.first_dispatched_at, order.dispatched_on = now, timezone.localdate(now)
    return ["first_dispatched_at", "dispatched_on"]


def _holder_counter(order: ServiceOrder, delta: int) -> None:
    """Move the in-hand count of whoever holds the order (one UPDATE, no read)."""
    if order.volunteer_id:
        Volunteer.objects.filter(pk=order.volunteer_id).update(open_orders=F("open_orders") + delta)
    if order.team_id:
        VolunteerTeam.objects.filter(pk=order.team_id).update(open_orders=F("open_orders") + delta)


# --- 点单: ordering -------------------------------------------------------------------


def responsible_organization(division: Division) -> Organization | None:
    """The association that reviews orders for a place: the active 科协 of its county, or
    where the county has none on the platform, of its city, then of its province."""
    codes = region_codes(division.pk)
    found = {
        org.division_id: org
        for org in Organization.objects.active()
        .filter(division_id__in=codes, kind__in=ASSOCIATION_KINDS)
        .order_by("depth", "pk")  # the deepest association of a code wins
    }
    return next((found[code] for code in codes if code in found), None)


# The kinds of organization that take orders (the 科协 of a county, city or province).
ASSOCIATION_KINDS = (Kind.COUNTY_ASSOCIATION, Kind.CITY_ASSOCIATION, Kind.PROVINCE_ASSOCIATION)
# The kinds an order may be passed down to (层层派单): the associations of the network.
DISPATCHING_KINDS = (*ASSOCIATION_KINDS, Kind.TOWN_ASSOCIATION, Kind.ZONE_ASSOCIATION)


def clean_order(data: OrderData, *, today: date) -> dict:
    title = " ".join((data.title or "").split())
    if data.menu_item is not None:
        if data.menu_item.status != MenuStatus.PUBLISHED:
            raise OrderError(_("This service is no longer on the menu."), field="menu_item")
        title = title or data.menu_item.title
    if not title:
        raise OrderError(_("Say what service you need."), field="title")
    if len(title) > 128:
        raise OrderError(_("Keep the service wanted under 128 characters."), field="title")
    discipline = data.discipline or (data.menu_item.discipline if data.menu_item else None)
    if discipline is None:
        raise OrderError(_("Choose the field of the service."), field="discipline")
    if data.division is None:
        raise OrderError(_("Choose the county or district of the place."), field="division")
    address = " ".join((data.address or "").split())
    if not address:
        raise OrderError(_("Give the place: village, school or street and number."), field="address")
    if data.preferred_on is None:
        raise OrderError(_("Give a preferred date."), field="preferred_on")
    if data.preferred_on < today:
        raise OrderError(_("The preferred date has passed."), field="preferred_on")
    if data.preferred_on > today + timedelta(days=366):
        raise OrderError(_("Order at most a year ahead."), field="preferred_on")
    if data.alternative_on is not None and data.alternative_on < today:
        raise OrderError(_("The alternative date has passed."), field="alternative_on")
    if data.expected_audience is None or not 1 <= data.expected_audience <= MAX_AUDIENCE:
        raise OrderError(
            _("Give the expected audience, from 1 to %(max)d people.") % {"max": MAX_AUDIENCE},
            field="expected_audience",
        )
    name = " ".join((data.requester_name or "").split())
    if not name:
        raise OrderError(_("Give the contact person's name."), field="requester_name")
    mobile = normalize_phone(data.mobile or "")
    try:
        validate_mobile(mobile)
    except Exception:
        raise OrderError(_("Give a valid mobile number (11 digits)."), field="mobile") from None
    form = data.form or (data.menu_item.form if data.menu_item else ServiceForm.LECTURE)
    if form not in ServiceForm.values:
        raise OrderError(_("Choose the form of the service."), field="form")
    return {
        "title": title,
        "need": (data.need or "").strip()[:4000],
        "discipline": discipline,
        "division": data.division,
        "address": address[:255],
        "preferred_on": data.preferred_on,
        "alternative_on": data.alternative_on,
        "expected_audience": data.expected_audience,
        "requester_name": name[:64],
        "requester_unit": " ".join((data.requester_unit or "").split())[:128],
        "form": form,
        "menu_item": data.menu_item,
        "mobile_encrypted": crypto.encrypt(mobile),
        "mobile_index": mobile_lookup(mobile),
        "mobile_masked": mask_phone(mobile),
    }


def mobile_lookup(mobile: str) -> str:
    return crypto.blind_index("order-mobile", normalize_phone(mobile))


def mobile_of(order: ServiceOrder) -> str:
    """The requester's clear mobile: for the SMS sender and for staff who unmask (audited)."""
    return crypto.decrypt(order.mobile_encrypted)


@transaction.atomic
def order_create(
    *, actor, data: OrderData, organization: Organization | None = None, via: str = "public"
) -> ServiceOrder:
    """Place an order. It goes to the association responsible for the place (or to the
    organization a staff member takes it for) and waits for review; the requester gets a
    link to follow it."""
    fields = clean_order(data, today=timezone.localdate())
    if organization is None:
        organization = responsible_organization(fields["division"])
        if organization is None:
            raise OrderError(
                _(
                    "No association takes orders for this place yet: "
                    "choose another county or call the association."
                ),
                field="division",
            )
    order = ServiceOrder(
        organization=organization,
        received_by=organization,
        ordered_on=timezone.localdate(),
        # a member of the public ordering while logged in; staff taking an order are not the requester
        requester_user=_user(actor) if via == "public" else None,
        token=secrets.token_urlsafe(32),
        number=secrets.token_hex(8),
        **fields,
    )
    order.save(force_insert=True)
    order.number = f"{timezone.localtime(order.created_at):%Y}{order.pk:07d}"
    order.save(update_fields=["number"])
    _step(
        order,
        actor=actor,
        action=OrderAction.ORDER,
        from_status="",
        actor_name=order.requester_name,
        via=via,
    )
    _notify(order, "received")
    return order


# --- review ----------------------------------------------------------------------------


@transaction.atomic
def order_approve(*, actor, order: ServiceOrder) -> ServiceOrder:
    """Accept an order for dispatch; the requester is told it is being arranged."""
    order = _locked(order, {OrderStatus.PENDING}, _("Only an order waiting for review is accepted."))
    order.status, order.reviewed_at, order.status_reason = OrderStatus.REVIEWED, timezone.now(), ""
    order.save(update_fields=["status", "reviewed_at", "status_reason", "updated_at"])
    _step(order, actor=actor, action=OrderAction.APPROVE, from_status=OrderStatus.PENDING)
    _notify(order, "approved")
    return order


@transaction.atomic
def order_reject(*, actor, order: ServiceOrder, reason: str) -> ServiceOrder:
    """Refuse an order; the requester sees the reason on the order's page."""
    reason = _reason(reason, required=_("Say why the order is rejected: the requester reads it."))
    order = _locked(order, {OrderStatus.PENDING}, _("Only an order waiting for review is rejected."))
    order.status, order.status_reason = OrderStatus.REJECTED, reason
    order.reviewed_at = order.closed_at = timezone.now()
    order.save(update_fields=["status", "status_reason", "reviewed_at", "closed_at", "updated_at"])
    _step(order, actor=actor, action=OrderAction.REJECT, from_status=OrderStatus.PENDING, reason=reason)
    _notify(order, "rejected")
    return order


# --- 派单: dispatch ---------------------------------------------------------------------


@transaction.atomic
def order_pass_down(*, actor, order: ServiceOrder, organization: Organization) -> ServiceOrder:
    """Hand the dispatch to an association below (层层派单); it takes over the order."""
    order = _locked(order, {OrderStatus.REVIEWED}, _("Only an order waiting for dispatch is passed down."))
    if (
        organization.pk == order.organization_id
        or not organization.path.startswith(order.organization.path)
        or organization.kind not in DISPATCHING_KINDS
    ):
        raise OrderError(_("Pass the order to an association below yours."), field="organization")
    if organization.status != OrgStatus.ACTIVE:
        raise OrderError(_("%(org)s is dissolved.") % {"org": organization.name}, field="organization")
    order.organization = organization
    order.save(update_fields=["organization", "updated_at"])
    _step(
        order,
        actor=actor,
        action=OrderAction.PASS_DOWN,
        from_status=OrderStatus.REVIEWED,
        organization=organization,
    )
    _notify(order, "received")
    return order


def accept_deadline(order: ServiceOrder, *, now: datetime) -> datetime:
    """The end of the Nth working day after the dispatch (official holidays and make-up
    working weekends counted as the calendar says)."""
    days = policy_for(order.organization).accept_workdays
    due = add_workdays(timezone.localdate(now), days)
    return timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))


def _usable_volunteer(volunteer: Volunteer) -> None:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise OrderError(
            _("%(name)s is not serving at present (%(status)s).")
            % {"name": volunteer.person.name, "status": volunteer.get_status_display()},
            field="volunteer",
        )


def may_receive(order: ServiceOrder, *, scope_organization: Organization, volunteer=None, team=None) -> bool:
    """A dispatcher dispatches to volunteers and teams of their own network, or to whoever
    offers the menu item that was ordered."""
    provider = volunteer or team
    item = order.menu_item
    if item is not None and (
        (volunteer and item.volunteer_id == volunteer.pk) or (team and item.team_id == team.pk)
    ):
        return True
    return provider.organization.path.startswith(scope_organization.path)


@transaction.atomic
def order_dispatch(
    *,
    actor,
    order: ServiceOrder,
    scope_organization: Organization,
    volunteer: Volunteer | None = None,
    team: VolunteerTeam | None = None,
) -> ServiceOrder:
    """Send the order to one volunteer or one team; they have until the deadline (working
    days) to accept it, or it comes back to the dispatcher as overdue."""
    if (volunteer is None) == (team is None):
        raise OrderError(_("Choose one volunteer or one team."), field="volunteer")
    order = _locked(order, {OrderStatus.REVIEWED}, _("Only an order waiting for dispatch is dispatched."))
    if volunteer is not None:
        volunteer = (
            Volunteer.objects.select_for_update()
            .select_related("person", "organization")
            .get(pk=volunteer.pk)
        )
        _usable_volunteer(volunteer)
    if team is not None:
        team = VolunteerTeam.objects.select_for_update().select_related("organization").get(pk=team.pk)
        if not team.is_active:
            raise OrderError(_("%(team)s is no longer active.") % {"team": team.name}, field="team")
    if not may_receive(order, scope_organization=scope_organization, volunteer=volunteer, team=team):
        raise OrderError(_("Dispatch to a volunteer or team of your network."), field="volunteer")
    now = timezone.now()
    order.volunteer, order.team = volunteer, team
    order.status, order.dispatched_at, order.escalated_at = OrderStatus.DISPATCHED, now, None
    order.accept_by = accept_deadline(order, now=now)
    order.status_reason = ""
    first = _first_dispatch(order, now)
    order.save(
        update_fields=[
            "volunteer",
            "team",
            "status",
            "dispatched_at",
            "escalated_at",
            "accept_by",
            "status_reason",
            "updated_at",
            *first,
        ]
    )
    _holder_counter(order, +1)
    _step(
        order,
        actor=actor,
        action=OrderAction.DISPATCH,
        from_status=OrderStatus.REVIEWED,
        volunteer=volunteer,
        team=team,
        at=now,
    )
    _notify(order, "dispatched")
    return order


@transaction.atomic
def order_open(*, actor, order: ServiceOrder, scope_organization: Organization) -> ServiceOrder:
    """Open the order for grabbing (抢单) by the active volunteers of the opener's network
    who work in its field or serve its region; the first to grab it has it."""
    order = _locked(
        order, {OrderStatus.REVIEWED}, _("Only an order waiting for dispatch is opened for grabbing.")
    )
    now = timezone.now()
    order.status, order.pool, order.dispatched_at = OrderStatus.OPEN, scope_organization, now
    first = _first_dispatch(order, now)
    order.save(update_fields=["status", "pool", "dispatched_at", "updated_at", *first])
    _step(
        order,
        actor=actor,
        action=OrderAction.OPEN,
        from_status=OrderStatus.REVIEWED,
        organization=scope_organization,
        at=now,
    )
    return order


@transaction.atomic
def order_withdraw(*, actor, order: ServiceOrder, reason: str) -> ServiceOrder:
    """Take a dispatched or open order back to dispatch it again (an overdue acceptance,
    a better volunteer)."""
    reason = _reason(reason, required=_("Say why the dispatch is withdrawn."))
    order = _locked(
        order, {OrderStatus.DISPATCHED, OrderStatus.OPEN}, _("Only a dispatched or open order is withdrawn.")
    )
    before = order.status
    held_by = {"volunteer": order.volunteer, "team": order.team}
    if before == OrderStatus.DISPATCHED:
        _holder_counter(order, -1)
    order.status, order.status_reason = OrderStatus.REVIEWED, reason
    order.volunteer = order.team = order.pool = None
    order.accept_by = order.escalated_at = None
    order.save(
        update_fields=[
            "status",
            "status_reason",
            "volunteer",
            "team",
            "pool",
            "accept_by",
            "escalated_at",
            "updated_at",
        ]
    )
    _step(order, actor=actor, action=OrderAction.WITHDRAW, from_status=before, reason=reason, **held_by)
    if before == OrderStatus.DISPATCHED:
        _notify_holder_withdrawn(order, held_by)
    return order


def _notify_holder_withdrawn(order, held_by) -> None:
    from kexie.volunteers.tasks import holder_notice_task

    volunteer_id = held_by["volunteer"].pk if held_by["volunteer"] else None
    team_id = held_by["team"].pk if held_by["team"] else None
    order_id = order.pk
    transaction.on_commit(lambda: holder_notice_task.enqueue(order_id, "withdrawn", volunteer_id, team_id))


# --- 接单: accepting ---------------------------------------------------------------------


def acts_for(user, order: ServiceOrder) -> bool:
    """The volunteer holding the order, or the leader of the team holding it."""
    person = getattr(user, "person", None)
    if person is None:
        return False
    volunteer = getattr(person, "volunteer", None)
    if volunteer is None:
        return False
    if order.volunteer_id:
        return order.volunteer_id == volunteer.pk
    if order.team_id:
        return order.team.leader_id == volunteer.pk
    return False


@transaction.atomic
def order_accept(*, actor, order: ServiceOrder) -> ServiceOrder:
    """The volunteer or team takes the order on (or the dispatcher records that they did)."""
    order = _locked(order, {OrderStatus.DISPATCHED}, _("Only an order waiting for acceptance is accepted."))
    order.status, order.accepted_at = OrderStatus.ACCEPTED, timezone.now()
    order.save(update_fields=["status", "accepted_at", "updated_at"])
    _step(
        order,
        actor=actor,
        action=OrderAction.ACCEPT,
        from_status=OrderStatus.DISPATCHED,
        volunteer=order.volunteer,
        team=order.team,
    )
    _notify(order, "accepted")
    return order


@transaction.atomic
def order_decline(*, actor, order: ServiceOrder, reason: str) -> ServiceOrder:
    """The volunteer or team declines; the order goes back to the dispatcher to send again."""
    reason = _reason(reason, required=_("Say why you cannot take the order: the dispatcher reads it."))
    order = _locked(order, {OrderStatus.DISPATCHED}, _("Only an order waiting for acceptance is declined."))
    held_by = {"volunteer": order.volunteer, "team": order.team}
    _holder_counter(order, -1)
    order.status, order.status_reason = OrderStatus.REVIEWED, reason
    order.volunteer = order.team = None
    order.accept_by = order.escalated_at = None
    order.save(
        update_fields=[
            "status",
            "status_reason",
            "volunteer",
            "team",
            "accept_by",
            "escalated_at",
            "updated_at",
        ]
    )
    _step(
        order,
        actor=actor,
        action=OrderAction.DECLINE,
        from_status=OrderStatus.DISPATCHED,
        reason=reason,
        **held_by,
    )
    _notify(order, "declined")
    return order


def may_grab(order: ServiceOrder, volunteer: Volunteer) -> bool:
    """Whether the order is open to this volunteer: active, of the opener's network, and
    working in its field (the same first-level field) or serving its region."""
    if order.status != OrderStatus.OPEN or order.pool is None or volunteer.status != VolunteerStatus.ACTIVE:
        return False
    if not volunteer.organization.path.startswith(order.pool.path):
        return False
    root = order.discipline.parent_id or order.discipline_id
    if (
        volunteer.disciplines.filter(pk=order.discipline_id).exists()
        or volunteer.disciplines.filter(parent_id=root).exists()
        or volunteer.disciplines.filter(pk=root).exists()
    ):
        return True
    return volunteer.divisions.filter(pk__in=region_codes(order.division_id)).exists()


def region_codes(code: str) -> list[str]:
    """The county's code and those of its city and province (a volunteer serving the whole
    city serves the county)."""
    return [code, code[:4] + "00", code[:2] + "0000"]


@transaction.atomic
def order_grab(*, actor, order: ServiceOrder, volunteer: Volunteer) -> ServiceOrder:
    """The first eligible volunteer to grab an open order has it (accepted at once); the
    row lock makes a second grab wait and then find it taken."""
    order = (
        ServiceOrder.objects.select_for_update(of=("self",))
        .select_related("organization", "pool", "discipline")
        .get(pk=order.pk)
    )
    if order.status != OrderStatus.OPEN:
        raise OrderError(_("Someone else has taken this order."), code="taken")
    volunteer = Volunteer.objects.select_related("organization", "person").get(pk=volunteer.pk)
    if not may_grab(order, volunteer):
        raise OrderError(_("This order is not open to you."), code="not_eligible")
    now = timezone.now()
    order.volunteer, order.status, order.accepted_at = volunteer, OrderStatus.ACCEPTED, now
    order.save(update_fields=["volunteer", "status", "accepted_at", "updated_at"])
    _holder_counter(order, +1)
    _step(
        order, actor=actor, action=OrderAction.GRAB, from_status=OrderStatus.OPEN, volunteer=volunteer, at=now
    )
    _notify(order, "accepted")
    return order


def orders_escalate(*, now: datetime | None = None) -> int:
    """Flag every dispatched order whose acceptance deadline has passed and tell its
    dispatcher (run hourly; an order is escalated once). Returns how many were."""
    now = now or timezone.now()
    due = list(
        ServiceOrder.objects.filter(
            status=OrderStatus.DISPATCHED, accept_by__lte=now, escalated_at__isnull=True
        )
        .order_by("accept_by")
        .values_list("pk", flat=True)[:1000]
    )
    escalated = 0
    for pk in due:
        with transaction.atomic():
            order = (
                ServiceOrder.objects.select_for_update(of=("self",)).select_related("organization").get(pk=pk)
            )
            if (
                order.status != OrderStatus.DISPATCHED
                or order.escalated_at is not None
                or order.accept_by > now
            ):
                continue
            order.escalated_at = now
            order.save(update_fields=["escalated_at", "updated_at"])
            _step(
                order,
                actor=None,
                action=OrderAction.ESCALATE,
                from_status=order.status,
                at=now,
                volunteer=order.volunteer,
                team=order.team,
            )
            _notify(order, "escalated")
            escalated += 1
    return escalated


# --- delivery ----------------------------------------------------------------------------


@dataclass
class DeliveryData:
    served_on: date | None
    hours: object
    audience: int | None
    report: str
    # who served (members of the team; the volunteer alone when dispatched to one)
    volunteers: list[Volunteer] | None = None
    # photos of the service (uploaded files), kept with the activity record
    photos: list = field(default_factory=list)


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise OrderError(_("Give the hours served as a number, such as 2 or 1.5."), field="hours") from None
    if not Decimal("0.5") <= hours <= MAX_HOURS:
        raise OrderError(_("Hours served are from 0.5 to 24 per service."), field="hours")
    return hours


def _activity_kind() -> ActivityKind:
    return ActivityKind.objects.get(code=ACTIVITY_KIND)


@transaction.atomic
def order_deliver(*, actor, order: ServiceOrder, data: DeliveryData) -> ServiceOrder:
    """Record the service held: it becomes a reported activity of the dispatching
    association (so the statistics count it), each volunteer who served gets the hours on
    their ledger, and the requester is asked to rate it."""
    order = _locked(order, {OrderStatus.ACCEPTED}, _("Only an accepted order is recorded as delivered."))
    today = timezone.localdate()
    if data.served_on is None:
        raise OrderError(_("Give the day the service was held."), field="served_on")
    if data.served_on > today:
        raise OrderError(
            _("The service has not been held yet: record it on the day or after."), field="served_on"
        )
    if order.accepted_at and data.served_on < timezone.localdate(
        order.dispatched_at or order.accepted_at
    ) - timedelta(days=1):
        raise OrderError(_("The service was held before the order was dispatched."), field="served_on")
    hours = _hours(data.hours)
    if data.audience is None or not 0 <= data.audience <= MAX_AUDIENCE:
        raise OrderError(
            _("Give the audience reached, from 0 to %(max)d.") % {"max": MAX_AUDIENCE}, field="audience"
        )
    report = (data.report or "").strip()
    if not report:
        raise OrderError(_("Write a short report of the service."), field="report")
    served = _served_by(order, data.volunteers)
    photos = list(data.photos or [])
    if len(photos) > MAX_PHOTOS:
        raise OrderError(_("Add at most %(max)d photos.") % {"max": MAX_PHOTOS}, field="photos")
    for photo in photos:
        try:
            check_attachment(photo, ActivityAttachment.Kind.PHOTO)
        except DomainError as error:
            raise OrderError(error.message, field="photos") from None
    duration = timedelta(minutes=int(hours * 60))
    start = timezone.make_aware(datetime.combine(data.served_on, time(9)))
    if start > timezone.now():  # recorded on the day itself before nine: it began earlier that day
        midnight = timezone.make_aware(datetime.combine(data.served_on, time(0)))
        start = max(midnight, timezone.now() - duration)
    activity = activity_record(
        actor=actor,
        organization=order.organization,
        data=ActivityData(
            title=order.title[:128],
            kind=_activity_kind(),
            starts_at=start,
            ends_at=start + duration,
            division=order.division,
            address=order.address,
            description=report[:4000],
            partners=order.requester_unit,
            figures={
                "onsite_participants": data.audience,
                "sessions": 1,
                "volunteers": len(served),
                "service_hours": hours * len(served),
            },
        ),
        status=ActivityStatus.REPORTED,
    )
    for photo in photos:
        attachment_add(actor=actor, activity=activity, upload=photo, kind=ActivityAttachment.Kind.PHOTO)
    now = timezone.now()
    order.status, order.delivered_at = OrderStatus.DELIVERED, now
    order.served_on, order.hours, order.audience, order.report = (
        data.served_on,
        hours,
        data.audience,
        report[:4000],
    )
    order.activity = activity
    order.save(
        update_fields=[
            "status",
            "delivered_at",
            "served_on",
            "hours",
            "audience",
            "report",
            "activity",
            "updated_at",
        ]
    )
    _holder_counter(order, -1)
    for volunteer in served:
        entry = HoursEntry.objects.create(
            volunteer=volunteer,
            organization_id=volunteer.organization_id,
            team=order.team,
            order=order,
            source=HoursSource.SERVICE,
            served_on=data.served_on,
            hours=hours,
            description=order.title[:255],
            recorded_by=_user(actor),
        )
        add_hours(entry)
    _step(
        order,
        actor=actor,
        action=OrderAction.DELIVER,
        from_status=OrderStatus.ACCEPTED,
        at=now,
        volunteer=order.volunteer,
        team=order.team,
    )
    _notify(order, "delivered")
    return order


def _served_by(order: ServiceOrder, chosen: list[Volunteer] | None) -> list[Volunteer]:
    if order.volunteer_id:
        return [order.volunteer]
    members = {member.pk: member for member in order.team.members.all()}
    if not chosen:
        if order.team.leader_id:
            return [order.team.leader]
        raise OrderError(_("Choose the team members who served."), field="volunteers")
    outside = [volunteer.person.name for volunteer in chosen if volunteer.pk not in members]
    if outside:
        raise OrderError(_("%(names)s not in the team.") % {"names": "、".join(outside)}, field="volunteers")
    return list({volunteer.pk: volunteer for volunteer in chosen}.values())


# --- 评单: rating ------------------------------------------------------------------------


def rating_open_until(order: ServiceOrder) -> datetime | None:
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=policy_for(order.organization).rating_days)


@transaction.atomic
def order_rate(
    *, actor, order: ServiceOrder, rating, comment: str = "", now: datetime | None = None
) -> ServiceOrder:
    """The requester rates the service (1–5 stars and a comment); the order is complete and
    the rating counts for whoever served."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise OrderError(_("Choose from one to five stars."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise OrderError(_("Keep the comment under 1000 characters."), field="comment")
    order = _locked(order, {OrderStatus.DELIVERED}, _("This order has been rated or closed already."))
    now = now or timezone.now()
    if now > rating_open_until(order):
        raise OrderError(_("The time to rate this service has ended."), code="window")
    order.status, order.rating, order.rating_comment = OrderStatus.COMPLETED, rating, comment
    order.rated_at = order.closed_at = now
    order.save(update_fields=["status", "rating", "rating_comment", "rated_at", "closed_at", "updated_at"])
    served = list(order.ledger.values_list("volunteer_id", flat=True))
    Volunteer.objects.filter(pk__in=served).update(
        rating_sum=F("rating_sum") + rating, rating_count=F("rating_count") + 1
    )
    if order.team_id:
        VolunteerTeam.objects.filter(pk=order.team_id).update(
            rating_sum=F("rating_sum") + rating, rating_count=F("rating_count") + 1
        )
    _step(
        order,
        actor=actor,
        action=OrderAction.RATE,
        from_status=OrderStatus.DELIVERED,
        at=now,
        actor_name=order.requester_name,
        rating=rating,
    )
    return order


def orders_close_unrated(*, now: datetime | None = None) -> int:
    """Complete every delivered order whose rating window has ended (run daily)."""
    now = now or timezone.now()
    closed = 0
    candidates = ServiceOrder.objects.filter(
        status=OrderStatus.DELIVERED, delivered_at__lte=now - timedelta(days=1)
    )
    for pk in candidates.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            order = (
                ServiceOrder.objects.select_for_update(of=("self",)).select_related("organization").get(pk=pk)
            )
            if order.status != OrderStatus.DELIVERED or now <= rating_open_until(order):
                continue
            order.status, order.closed_at = OrderStatus.COMPLETED, now
            order.save(update_fields=["status", "closed_at", "updated_at"])
            _step(order, actor=None, action=OrderAction.CLOSE, from_status=OrderStatus.DELIVERED, at=now)
            closed += 1
    return closed


# --- cancelling --------------------------------------------------------------------------

CANCELLABLE = {
    OrderStatus.PENDING,
    OrderStatus.REVIEWED,
    OrderStatus.OPEN,
    OrderStatus.DISPATCHED,
    OrderStatus.ACCEPTED,
}


@transaction.atomic
def order_cancel(*, actor, order: ServiceOrder, reason: str, by_requester: bool = False) -> ServiceOrder:
    """Call the order off (the requester, or the association with a reason the requester
    sees); whoever held it is told."""
    reason = _reason(reason, required=_("Say why the order is cancelled."))
    order = _locked(order, CANCELLABLE, _("A delivered, rejected or cancelled order is not cancelled."))
    before = order.status
    held_by = {"volunteer": order.volunteer, "team": order.team}
    if before in IN_HAND:
        _holder_counter(order, -1)
    order.status, order.status_reason, order.closed_at = OrderStatus.CANCELLED, reason, timezone.now()
    order.save(update_fields=["status", "status_reason", "closed_at", "updated_at"])
    _step(
        order,
        actor=actor,
        action=OrderAction.CANCEL,
        from_status=before,
        reason=reason,
        actor_name=order.requester_name if by_requester else "",
        by_requester=by_requester,
        **held_by,
    )
    _notify(order, "cancelled_by_requester" if by_requester else "cancelled")
    return order


def require_dispatcher(scope, order: ServiceOrder) -> None:
    """Steps of the association (review, dispatch, record for a volunteer) need the dispatch
    permission; the caller has fetched the order through the scope."""
    scope.require(Perm.VOLUNTEER_DISPATCH)
