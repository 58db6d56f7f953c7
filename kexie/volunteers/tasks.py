"""Notices of the order's steps, sent after commit (django.tasks). The task loads the
order itself, so no mobile number or name waits in the task queue."""

from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse

from kexie.accounts.roles import Perm, permissions_for
from kexie.notifications.backends import Recipient
from kexie.notifications.services import notify
from kexie.volunteers.models import ServiceOrder, Volunteer, VolunteerTeam

# Who hears of each step: the requester, whoever holds the order, the dispatchers.
TO_REQUESTER = {"approved", "rejected", "accepted", "delivered", "cancelled"}
TO_HOLDER = {"dispatched", "cancelled", "cancelled_by_requester"}
TO_DISPATCHERS = {"received", "declined", "escalated", "cancelled_by_requester"}


def _site(path: str) -> str:
    from kexie.activities.services.signups import site_url

    return site_url(path)


def dispatchers(organization) -> list:
    """The active users of the organization whose role dispatches orders."""
    from kexie.accounts.models import Membership

    roles = [
        role
        for role, _label in Membership._meta.get_field("role").choices
        if Perm.VOLUNTEER_DISPATCH in permissions_for(role)
    ]
    return list(
        get_user_model()
        .objects.filter(
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__role__in=roles,
            is_active=True,
        )
        .distinct()
    )


def holder_recipients(volunteer: Volunteer | None, team: VolunteerTeam | None) -> list[Recipient]:
    from kexie.people.services.people import mobile_of

    people = []
    if volunteer is not None:
        people.append(volunteer.person)
    if team is not None and team.leader_id:
        people.append(team.leader.person)
    recipients = []
    for person in people:
        mobile = mobile_of(person) if person.mobile_encrypted else ""
        recipients.append(
            Recipient(
                user=person.user,
                email=person.email if person.user_id is None else "",
                mobile=mobile,
                name=person.name,
            )
        )
    return recipients


def _context(order: ServiceOrder) -> dict:
    return {
        "order": order,
        "number": order.number,
        "title": order.title,
        "organization": order.organization.name,
        "reason": order.status_reason,
        "preferred_on": order.preferred_on,
        "address": order.address,
    }


@task()
def order_notice_task(order_id: int, kind: str) -> int:
    """Tell everyone concerned that an order took a step."""
    from kexie.volunteers.services.orders import mobile_of

    order = (
        ServiceOrder.objects.select_related(
            "organization", "volunteer__person__user", "team__leader__person__user"
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        return 0
    context = _context(order)
    sent = 0
    if kind in TO_REQUESTER:
        context_requester = {
            **context,
            "url": _site(reverse("volunteers_public:order_status", args=[order.token])),
        }
        requester = Recipient(user=order.requester_user, mobile=mobile_of(order), name=order.requester_name)
        sent += notify(requester, kind=f"volunteers/requester_{kind}", context=context_requester)
    if kind in TO_HOLDER:
        holder_context = {**context, "url": _site(reverse("volunteers_portal:order", args=[order.pk]))}
        sent += notify(
            *holder_recipients(order.volunteer, order.team),
            kind=f"volunteers/holder_{kind}",
            context=holder_context,
        )
    if kind in TO_DISPATCHERS:
        staff_context = {**context, "url": _site(reverse("volunteers:order", args=[order.pk]))}
        recipients = [Recipient(user=user) for user in dispatchers(order.organization)]
        sent += notify(*recipients, kind=f"volunteers/dispatcher_{kind}", context=staff_context)
    return sent


@task()
def holder_notice_task(order_id: int, kind: str, volunteer_id: int | None, team_id: int | None) -> int:
    """Tell a volunteer or team that no longer holds an order (the dispatch was withdrawn)."""
    order = ServiceOrder.objects.select_related("organization").filter(pk=order_id).first()
    if order is None:
        return 0
    volunteer = (
        Volunteer.objects.select_related("person__user").filter(pk=volunteer_id).first()
        if volunteer_id
        else None
    )
    team = (
        VolunteerTeam.objects.select_related("leader__person__user").filter(pk=team_id).first()
        if team_id
        else None
    )
    return notify(
        *holder_recipients(volunteer, team), kind=f"volunteers/holder_{kind}", context=_context(order)
    )


@task()
def orders_housekeeping_task() -> dict:
    """Escalate overdue acceptances and close unrated orders (hourly, from cron)."""
    from kexie.volunteers.services.orders import orders_close_unrated, orders_escalate

    return {"escalated": orders_escalate(), "closed": orders_close_unrated()}
