"""Talent-pool statistics of the scope's subtree: the page (charts and tables) and its
.xlsx export. Every number comes from selectors/statistics.py, so the page and the export
always agree."""

from dataclasses import dataclass

import tablib
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.roles import Perm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.scoping import scoped
from kexie.people.selectors import statistics

# The brand palette of the charts (the same as the organization statistics).
_CHART_COLORS = ["#0b5cab", "#c0392b", "#2e8b57", "#e08e0b", "#6c5ce7", "#16a2b8", "#7f8c8d"]


@dataclass
class Figure:
    """One simple figure on the page: a title, rows, their total and an ECharts option."""

    key: str
    title: str
    icon: str
    rows: list
    chart: dict

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def _figures(scope, today) -> dict:
    simple = [
        (
            "discipline",
            _("People by field (category)"),
            "mortarboard",
            statistics.people_by_discipline(scope=scope),
        ),
        ("title_level", _("People by title level"), "award", statistics.people_by_title_level(scope=scope)),
        (
            "age",
            _("People by age"),
            "hourglass-split",
            statistics.people_by_age_band(scope=scope, today=today),
        ),
        ("unit_kind", _("People by kind of unit"), "building", statistics.people_by_unit_kind(scope=scope)),
    ]
    figures = [Figure(key, title, icon, rows, _bars(rows)) for key, title, icon, rows in simple]
    societies = statistics.members_per_society(scope=scope)
    honours = statistics.honours_by_level_and_year(scope=scope)
    return {
        "figures": figures,
        "societies": societies,
        "society_chart": _society_bars(societies) if societies else None,
        "honours": honours,
        "honour_levels": statistics.honour_levels(),
        "honour_chart": _honour_bars(honours) if honours else None,
        "people_total": figures[1].total,
        "minors": next((r.count for r in figures[2].rows if r.key == "minor"), 0),
    }


@scoped(perm=Perm.PEOPLE_VIEW)
def stats(request):
    today = timezone.localdate()
    context = _figures(request.scope, today)
    context["today"] = today
    return render(request, "people/stats.html", context)


@scoped(perm=Perm.PEOPLE_EXPORT)
def stats_export(request):
    scope = request.scope
    today = timezone.localdate()
    context = _figures(scope, today)
    book = tablib.Databook()
    for figure in context["figures"]:
        sheet = _sheet(figure.title, [_("Group"), _("Number of people")])
        for row in figure.rows:
            sheet.append([row.label, row.count])
        sheet.append([_("Total"), figure.total])
        book.add_sheet(sheet)
    members = _sheet(
        _("Members per society"),
        [_("Name of the society"), _("Individual members"), _("Institutional members"), _("Total")],
    )
    for row in context["societies"]:
        members.append([row.name, row.individual, row.institutional, row.total])
    book.add_sheet(members)
    honours = _sheet(_("Honours by level and year"), [_("Year"), *context["honour_levels"], _("Total")])
    for row in context["honours"]:
        honours.append([row.year, *row.counts, row.total])
    book.add_sheet(honours)
    record(
        request.user,
        "people.stats_export",
        None,
        org_path=scope.organization.path,
        organization=scope.organization.pk,
        on=today.isoformat(),
    )
    return xlsx.download(book.export("xlsx"), f"{scope.organization.display_name}-{_('talent statistics')}")


def _sheet(title, headers) -> tablib.Dataset:
    return tablib.Dataset(headers=[str(h) for h in headers], title=str(title)[:31])


# --- charts (ECharts options, passed to static/kexie/people-stats.js with json_script) ---------


def _grid() -> dict:
    return {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True}


def _bars(rows) -> dict:
    return {
        "color": _CHART_COLORS,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {**_grid(), "top": 8},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [row.label for row in rows]},
        "series": [{"name": _("Number of people"), "type": "bar", "data": [row.count for row in rows]}],
    }


def _society_bars(rows) -> dict:
    return {
        "color": _CHART_COLORS,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": _grid(),
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [row.name for row in rows]},
        "series": [
            {
                "name": _("Individual members"),
                "type": "bar",
                "stack": "m",
                "data": [r.individual for r in rows],
            },
            {
                "name": _("Institutional members"),
                "type": "bar",
                "stack": "m",
                "data": [r.institutional for r in rows],
            },
        ],
    }


def _honour_bars(rows) -> dict:
    years = list(reversed(rows))  # oldest first, left to right
    return {
        "color": _CHART_COLORS,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": _grid(),
        "xAxis": {"type": "category", "data": [str(r.year) for r in years]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": level, "type": "bar", "stack": "h", "data": [r.counts[i] for r in years]}
            for i, level in enumerate(statistics.honour_levels())
        ],
    }
