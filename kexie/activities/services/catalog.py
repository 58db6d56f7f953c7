"""Writing what activities are classified by: activity kinds (with the figures each asks
for), campaigns and their yearly editions. Each function runs in one transaction and
writes its audit record in it."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kexie.activities.models import ActivityKind, Campaign, CampaignEdition, Category, Figure
from kexie.audit.services import record
from kexie.core.errors import DomainError

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


def _text(value, limit: int, name: str, label: str, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(_("Give %(label)s.") % {"label": label}, field=name)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)s characters.") % {"label": label, "limit": limit}, field=name
        )
    return text


def _code(value: str, model, current=None) -> str:
    code = (value or "").strip().lower()
    if not CODE.match(code):
        raise DomainError(
            _("The code is 2–32 lowercase letters, digits or underscores, starting with a letter."),
            field="code",
        )
    taken = model.objects.filter(code=code)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise DomainError(_("The code “%(code)s” is taken.") % {"code": code}, field="code")
    return code


def _changes(old: dict, new: dict) -> dict:
    return {name: (old.get(name), value) for name, value in new.items() if old.get(name) != value}


# --- kinds -------------------------------------------------------------------------------


@dataclass
class KindData:
    code: str
    name: str
    category: str
    figures: list[str] = field(default_factory=list)
    is_active: bool = True


def _clean_kind(data: KindData, current: ActivityKind | None = None) -> dict:
    if data.category not in Category.values:
        raise DomainError(_("Choose the category of the kind."), field="category")
    unknown = [code for code in data.figures if code not in Figure.values]
    if unknown:
        raise DomainError(_("Unknown figures: %(codes)s") % {"codes": ", ".join(unknown)}, field="figures")
    return {
        "code": _code(data.code, ActivityKind, current),
        "name": _text(data.name, 32, "name", _("a name"), required=True),
        "category": data.category,
        "figures": list(dict.fromkeys(data.figures)),
        "is_active": bool(data.is_active),
    }


@transaction.atomic
def kind_create(*, actor, data: KindData) -> ActivityKind:
    """Add a kind of activity; its category decides the statistics that count it."""
    fields = _clean_kind(data)
    fields["position"] = (
        ActivityKind.objects.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    kind = ActivityKind.objects.create(**fields)
    record(actor, "activity_kind.create", kind, changes=_changes({}, fields))
    return kind


@transaction.atomic
def kind_update(*, actor, kind: ActivityKind, data: KindData) -> ActivityKind:
    """Rename a kind, change its figures or take it out of use (recorded activities keep it)."""
    kind = ActivityKind.objects.select_for_update().get(pk=kind.pk)
    fields = _clean_kind(data, kind)
    old = {name: getattr(kind, name) for name in fields}
    for name, value in fields.items():
        setattr(kind, name, value)
    kind.save()
    record(actor, "activity_kind.update", kind, changes=_changes(old, fields))
    return kind


# --- campaigns ---------------------------------------------------------------------------


@dataclass
class CampaignData:
    code: str
    name: str
    usual_dates: str = ""
    description: str = ""


@transaction.atomic
def campaign_create(*, actor, organization, data: CampaignData) -> Campaign:
    """Add a local campaign run by `organization` (its subtree sees it); national campaigns
    come with the installation (organization None)."""
    fields = {
        "code": _code(data.code, Campaign),
        "name": _text(data.name, 64, "name", _("a name"), required=True),
        "usual_dates": _text(data.usual_dates, 64, "usual_dates", _("The usual dates")),
        "description": (data.description or "").strip(),
    }
    position = Campaign.objects.order_by("-position").values_list("position", flat=True).first() or 0
    campaign = Campaign.objects.create(organization=organization, position=position + 1, **fields)
    record(actor, "campaign.create", campaign, changes=_changes({}, fields))
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: CampaignData) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    fields = {
        "code": _code(data.code, Campaign, campaign),
        "name": _text(data.name, 64, "name", _("a name"), required=True),
        "usual_dates": _text(data.usual_dates, 64, "usual_dates", _("The usual dates")),
        "description": (data.description or "").strip(),
    }
    old = {name: getattr(campaign, name) for name in fields}
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save()
    record(actor, "campaign.update", campaign, changes=_changes(old, fields))
    return campaign


@dataclass
class EditionData:
    year: int | None
    starts_on: date | None
    ends_on: date | None
    theme: str = ""


def _clean_edition(data: EditionData) -> dict:
    if data.year is None or not 2000 <= int(data.year) <= 2100:
        raise DomainError(_("Give the year of the edition."), field="year")
    if data.starts_on is None or data.ends_on is None:
        raise DomainError(_("Give the first and the last day of the edition."), field="starts_on")
    if data.ends_on < data.starts_on:
        raise DomainError(_("The last day is before the first."), field="ends_on")
    if data.starts_on.year != int(data.year):
        raise DomainError(_("The edition starts in another year than its own."), field="starts_on")
    return {
        "year": int(data.year),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "theme": _text(data.theme, 128, "theme", _("The theme")),
    }


@transaction.atomic
def edition_create(*, actor, campaign: Campaign, data: EditionData) -> CampaignEdition:
    """Open a year's edition of a campaign: activities of that year can then join it."""
    fields = _clean_edition(data)
    if CampaignEdition.objects.filter(campaign=campaign, year=fields["year"]).exists():
        raise DomainError(
            _("%(campaign)s has an edition for %(year)s already.")
            % {"campaign": campaign.name, "year": fields["year"]},
            field="year",
        )
    edition = CampaignEdition.objects.create(campaign=campaign, **fields)
    record(actor, "campaign_edition.create", edition, changes=_changes({}, fields))
    return edition


@transaction.atomic
def edition_update(*, actor, edition: CampaignEdition, data: EditionData) -> CampaignEdition:
    edition = CampaignEdition.objects.select_for_update().get(pk=edition.pk)
    fields = _clean_edition(data)
    if fields["year"] != edition.year and edition.activities.exists():
        raise DomainError(_("Activities have joined this edition: its year stays."), field="year")
    if (
        CampaignEdition.objects.filter(campaign=edition.campaign, year=fields["year"])
        .exclude(pk=edition.pk)
        .exists()
    ):
        raise DomainError(_("The campaign has an edition for that year already."), field="year")
    old = {name: getattr(edition, name) for name in fields}
    for name, value in fields.items():
        setattr(edition, name, value)
    edition.save()
    record(actor, "campaign_edition.update", edition, changes=_changes(old, fields))
    return edition
