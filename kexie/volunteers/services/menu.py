"""The service menu: a volunteer or team drafts an item, the association reviews and
publishes it, and withdraws it when it is no longer offered."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.audit.services import record
from kexie.core.chinese import search_text_for
from kexie.core.errors import DomainError
from kexie.orgs.models import Division, Organization
from kexie.people.models import Discipline
from kexie.volunteers.models import MenuItem, MenuStatus, ServiceForm, Volunteer, VolunteerTeam


@dataclass
class MenuItemData:
    title: str
    discipline: Discipline | None
    form: str = ServiceForm.LECTURE
    volunteer: Volunteer | None = None
    team: VolunteerTeam | None = None
    audience: str = ""
    duration_hours: object = "2"
    description: str = ""
    requirements: str = ""
    divisions: list[Division] = field(default_factory=list)


def _clean(data: MenuItemData, organization: Organization) -> dict:
    title = " ".join((data.title or "").split())
    if not title:
        raise DomainError(_("Give the topic of the service."), field="title")
    if data.discipline is None:
        raise DomainError(_("Choose the field of the service."), field="discipline")
    if data.form not in ServiceForm.values:
        raise DomainError(_("Choose the form of the service."), field="form")
    if (data.volunteer is None) == (data.team is None):
        raise DomainError(_("Choose who offers the service: one volunteer or one team."), field="volunteer")
    provider = data.volunteer or data.team
    if not provider.organization.path.startswith(organization.path):
        raise DomainError(_("The provider must be of the organization's network."), field="volunteer")
    try:
        duration = Decimal(str(data.duration_hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(
            _("Give the duration in hours, such as 2 or 1.5."), field="duration_hours"
        ) from None
    if not Decimal("0.5") <= duration <= Decimal("24"):
        raise DomainError(_("The duration is from 0.5 to 24 hours."), field="duration_hours")
    return {
        "title": title[:128],
        "discipline": data.discipline,
        "form": data.form,
        "volunteer": data.volunteer,
        "team": data.team,
        "audience": " ".join((data.audience or "").split())[:128],
        "duration_hours": duration,
        "description": (data.description or "").strip()[:4000],
        "requirements": (data.requirements or "").strip()[:2000],
    }


def _index(item: MenuItem) -> None:
    provider = item.team.name if item.team_id else item.volunteer.person.name
    item.search_text = search_text_for(
        item.title, item.audience, provider, item.discipline.name, item.description
    )


@transaction.atomic
def menu_item_create(*, actor, organization: Organization, data: MenuItemData) -> MenuItem:
    """Draft a menu item; it is not on the public menu until the association publishes it."""
    fields = _clean(data, organization)
    item = MenuItem(organization=organization, **fields)
    _index(item)
    item.save(force_insert=True)
    item.divisions.set(data.divisions)
    record(actor, "menu_item.create", item, title=item.title)
    return item


@transaction.atomic
def menu_item_update(*, actor, item: MenuItem, data: MenuItemData) -> MenuItem:
    """Change an item; a published item's changes show on the menu at once."""
    item = MenuItem.objects.select_for_update().select_related("organization").get(pk=item.pk)
    if item.status == MenuStatus.WITHDRAWN:
        raise DomainError(_("A withdrawn item is not changed; draft a new one."))
    fields = _clean(data, item.organization)
    changes = {}
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            changes[name] = (getattr(old, "pk", old), getattr(value, "pk", value))
            setattr(item, name, value)
    _index(item)
    item.save()
    item.divisions.set(data.divisions)
    record(actor, "menu_item.update", item, changes=changes)
    return item


def _transition(item: MenuItem, allowed: set[str], message: str) -> MenuItem:
    item = MenuItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in allowed:
        raise DomainError(message, code="state")
    return item


@transaction.atomic
def menu_item_submit(*, actor, item: MenuItem) -> MenuItem:
    item = _transition(item, {MenuStatus.DRAFT}, _("Only a draft is sent for review."))
    item.status = MenuStatus.PENDING
    item.save(update_fields=["status", "updated_at"])
    record(actor, "menu_item.submit", item)
    return item


@transaction.atomic
def menu_item_publish(*, actor, item: MenuItem) -> MenuItem:
    """Put the item on the public menu."""
    item = _transition(
        item, {MenuStatus.DRAFT, MenuStatus.PENDING}, _("This item is published or withdrawn already.")
    )
    item.status, item.published_at, item.review_note = MenuStatus.PUBLISHED, timezone.now(), ""
    item.save(update_fields=["status", "published_at", "review_note", "updated_at"])
    record(actor, "menu_item.publish", item)
    return item


@transaction.atomic
def menu_item_return(*, actor, item: MenuItem, reason: str) -> MenuItem:
    """Send an item waiting for review back to draft with what to change."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Say what should change before the item is published."), field="reason")
    item = _transition(item, {MenuStatus.PENDING}, _("Only an item waiting for review is returned."))
    item.status, item.review_note = MenuStatus.DRAFT, reason[:255]
    item.save(update_fields=["status", "review_note", "updated_at"])
    record(actor, "menu_item.return", item, reason=reason[:255])
    return item


@transaction.atomic
def menu_item_withdraw(*, actor, item: MenuItem, reason: str = "") -> MenuItem:
    """Take the item off the menu; orders placed from it go on."""
    item = _transition(
        item,
        {MenuStatus.DRAFT, MenuStatus.PENDING, MenuStatus.PUBLISHED},
        _("This item is withdrawn already."),
    )
    item.status, item.review_note = MenuStatus.WITHDRAWN, (reason or "")[:255]
    item.save(update_fields=["status", "review_note", "updated_at"])
    record(actor, "menu_item.withdraw", item, reason=reason[:255])
    return item
