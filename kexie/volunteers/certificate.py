"""A volunteer's certificate of service hours (科技志愿服务时长证明) as .docx, laid out as
an official document (kexie.reports.documents): who, registered with whom, the approved
hours of the period and in all, the star level, each service, the issuing association."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from kexie.reports.documents import OfficialDocument
from kexie.volunteers.models import HoursStatus, Volunteer
from kexie.volunteers.services.policy import stars_for


def certificate_docx(volunteer: Volunteer, *, first: date | None = None, last: date | None = None) -> bytes:
    """The certificate of the approved hours served from `first` to `last` (the whole
    record when not given)."""
    lines = (
        volunteer.ledger.filter(status=HoursStatus.APPROVED)
        .select_related("team")
        .order_by("served_on", "pk")
    )
    if first:
        lines = lines.filter(served_on__gte=first)
    if last:
        lines = lines.filter(served_on__lte=last)
    lines = list(lines)
    period_hours = sum((line.hours for line in lines), Decimal(0))
    total = volunteer.ledger.filter(status=HoursStatus.APPROVED).aggregate(total=Sum("hours"))[
        "total"
    ] or Decimal(0)
    stars = stars_for(total)
    document = OfficialDocument()
    document.title(_("Certificate of science-and-technology volunteer service hours"))
    span = (
        _("from %(first)s to %(last)s")
        % {"first": lines[0].served_on.isoformat(), "last": lines[-1].served_on.isoformat()}
        if lines
        else ""
    )
    document.paragraph(
        _(
            "%(name)s, a science-and-technology volunteer registered with %(org)s since %(since)s, served "
            "%(count)d times %(span)s, for %(hours)s hours approved by the association."
        )
        % {
            "name": volunteer.person.name,
            "org": volunteer.organization.name,
            "since": volunteer.registered_on.isoformat(),
            "count": len(lines),
            "span": span,
            "hours": period_hours,
        }
    )
    level = _("%(stars)d-star volunteer") % {"stars": stars} if stars else _("no star level yet")
    document.paragraph(
        _("Approved service hours in all: %(total)s; star level: %(level)s.")
        % {"total": total, "level": level}
    )
    if lines:
        document.table(
            [_("Served on"), _("Service"), _("Team"), _("Hours")],
            [
                [
                    line.served_on.isoformat(),
                    line.description,
                    line.team.name if line.team else "",
                    str(line.hours),
                ]
                for line in lines
            ],
            caption=_("Services"),
        )
    document.paragraph(_("This is to certify the above."))
    for text in (volunteer.organization.name, timezone.localdate().strftime("%Y-%m-%d")):
        document.paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document.save()
