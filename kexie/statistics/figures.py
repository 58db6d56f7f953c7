"""Figures as pages show them: a figure beside the same period last year, the figures grouped
by service, a breakdown's rows with the links to their records, a monthly trend chart.

Shared by the statistics page and the dashboard, so both present the same numbers the same
way; the numbers themselves come from `selectors.statistic_values`.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kexie.statistics.definitions import Definition, Service
from kexie.statistics.forms import Period
from kexie.statistics.selectors import StatTable, records_url

# The palette of the other statistics pages.
_CHART_COLORS = ["#0b5cab", "#9aa5b1"]


@dataclass
class Comparison:
    """One figure of the period beside the same period last year."""

    definition: Definition
    value: int | Decimal
    last: int | Decimal
    url: str

    @property
    def change(self):
        return self.value - self.last

    @property
    def percent(self) -> Decimal | None:
        if not self.last:
            return None
        return (Decimal(self.value - self.last) * 100 / Decimal(self.last)).quantize(Decimal("0.1"))


@dataclass
class ServiceGroup:
    service: str
    label: str
    figures: list[Comparison]


@dataclass
class Cell:
    value: int | Decimal
    url: str


@dataclass
class BreakdownRow:
    """One child organization (or the organization's own records) across the chosen figures."""

    label: str
    organization: object
    own: bool
    cells: list[Cell]
    drill_url: str = ""


def comparisons(table: StatTable, last: StatTable, period: Period) -> list[Comparison]:
    organization = table.organization
    return [
        Comparison(
            definition,
            table.value(definition.code),
            last.value(definition.code),
            records_url(definition, organization=organization, start=period.start, end=period.end),
        )
        for definition in table.definitions
    ]


def by_service(figures: list[Comparison]) -> list[ServiceGroup]:
    groups = []
    for service in Service:
        rows = [figure for figure in figures if figure.definition.service == service.value]
        if rows:
            groups.append(ServiceGroup(service.value, str(service.label), rows))
    return groups


def breakdown_rows(table: StatTable, period: Period, *, drill=None) -> list[BreakdownRow]:
    rows = []
    for column in table.columns:
        own = column.key == "own"
        cells = [
            Cell(
                table.value(definition.code, column.key),
                records_url(
                    definition,
                    organization=table.organization,
                    start=period.start,
                    end=period.end,
                    column=column,
                ),
            )
            for definition in table.definitions
        ]
        label = _("%(name)s (own)") % {"name": column.label} if own else column.label
        rows.append(
            BreakdownRow(
                label, column.organization, own, cells, "" if own or drill is None else drill(column)
            )
        )
    return rows


def json_number(value):
    """A figure for JSON: counts stay integers, hours keep their decimal (a submission keeps
    a decimal as its text)."""
    if isinstance(value, str):
        value = Decimal(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _number(value) -> float | int:
    return float(value) if isinstance(value, Decimal) else value


def trend_chart(definition: Definition, table: StatTable, last: StatTable) -> str:
    """A line of the period's months and a line of the same months last year (ECharts option)."""
    months = [column.label for column in table.columns]
    return json.dumps(
        {
            "color": _CHART_COLORS,
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 8, "right": 24, "bottom": 8, "top": 36, "containLabel": True},
            "xAxis": {"type": "category", "data": months},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {
                    "name": _("This period"),
                    "type": "line",
                    "data": [_number(table.value(definition.code, c.key)) for c in table.columns],
                },
                {
                    "name": _("Same period last year"),
                    "type": "line",
                    "lineStyle": {"type": "dashed"},
                    "data": [_number(last.value(definition.code, c.key)) for c in last.columns],
                },
            ],
        },
        ensure_ascii=False,
    )
