"""What the activity export contains. The rows come from selectors.activity_list, so an
export holds exactly the filtered list on screen (or the records behind a figure)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.activities.models import Figure
from kexie.core import xlsx

# More rows than this is not a list anyone reads; the user is asked to filter first.
EXPORT_ROW_LIMIT = 50_000


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation, resolved in the requester's language
    value: Callable[[Any], Any]


def _names(items) -> str:
    return "、".join(str(item) for item in items)


def _local(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


COLUMNS = (
    Column(gettext_lazy("Date"), lambda a: a.held_on),
    Column(gettext_lazy("Title"), lambda a: a.title),
    Column(gettext_lazy("Kind"), lambda a: a.kind.name),
    Column(gettext_lazy("Category"), lambda a: a.kind.get_category_display()),
    Column(gettext_lazy("Status"), lambda a: a.get_status_display()),
    Column(gettext_lazy("Organizer"), lambda a: a.organization.name),
    Column(
        gettext_lazy("Co-organizers"), lambda a: _names([*a.co_organizers.all(), *filter(None, [a.partners])])
    ),
    Column(gettext_lazy("Starts"), lambda a: _local(a.starts_at)),
    Column(gettext_lazy("Ends"), lambda a: _local(a.ends_at)),
    Column(gettext_lazy("Online or on site"), lambda a: a.get_mode_display()),
    Column(gettext_lazy("Venue"), lambda a: a.venue),
    Column(gettext_lazy("Address"), lambda a: a.address),
    Column(gettext_lazy("Target groups"), lambda a: _names(a.target_groups.all())),
    Column(gettext_lazy("Campaign"), lambda a: str(a.campaign_edition) if a.campaign_edition_id else ""),
    Column(gettext_lazy("Theme"), lambda a: a.theme),
    Column(gettext_lazy("Speakers and experts"), lambda a: _names(p.name for p in a.speakers.all())),
    *(Column(label, lambda a, code=code: getattr(a, code)) for code, label in Figure.choices),
)


def activity_workbook(*, activities: QuerySet) -> bytes:
    rows = activities.prefetch_related("co_organizers", "target_groups", "speakers")
    return xlsx.workbook(
        [str(column.header) for column in COLUMNS],
        ([column.value(a) for column in COLUMNS] for a in rows.iterator(chunk_size=2000)),
        title=_("Activities"),
    )
