"""The statistics page as an .xlsx workbook: the same `statistic_values` tables as the page.

Sheet 1: every figure with its value, the same period last year and the change.
Sheet 2: every figure by direct child organization (the organization's own records first).
Sheet 3: every figure by month.
"""

from decimal import Decimal

import tablib
from django.utils.translation import gettext as _

from kexie.statistics.definitions import Service


def new_sheet(title, headers) -> tablib.Dataset:
    return tablib.Dataset(headers=[str(h) for h in headers], title=str(title)[:31])


def cell(value):
    """Numbers stay numbers in Excel; hours keep their decimal."""
    return float(value) if isinstance(value, Decimal) else value


def statistics_workbook(*, organization, period, last_period, figures, by_child, by_month) -> bytes:
    book = tablib.Databook()
    services = dict(Service.choices)
    summary = new_sheet(
        _("Figures against last year"),
        [
            _("Service"),
            _("Code"),
            _("Figure"),
            _("Unit of measure"),
            period.dates,
            last_period.dates,
            _("Change on last year"),
            _("Change on last year (%)"),
        ],
    )
    for figure in figures:
        definition = figure.definition
        summary.append(
            [
                str(services[definition.service]),
                definition.code,
                str(definition.name),
                str(definition.unit),
                cell(figure.value),
                cell(figure.last),
                cell(figure.change),
                "" if figure.percent is None else float(figure.percent),
            ]
        )
    book.add_sheet(summary)
    book.add_sheet(breakdown_sheet(_("By organization"), _("Organization"), by_child, own=True))
    book.add_sheet(breakdown_sheet(_("By month"), _("Month"), by_month))
    return book.export("xlsx")


def breakdown_sheet(title, first_header, table, *, own: bool = False) -> tablib.Dataset:
    """One row per column of the breakdown, one column per figure, and a total row."""
    sheet = new_sheet(title, [first_header, *(f"{d.name}（{d.unit}）" for d in table.definitions)])
    for column in table.columns:
        label = _("%(name)s (own)") % {"name": column.label} if own and column.key == "own" else column.label
        sheet.append([label, *(cell(table.value(d.code, column.key)) for d in table.definitions)])
    sheet.append([_("Total"), *(cell(table.value(d.code)) for d in table.definitions)])
    return sheet
