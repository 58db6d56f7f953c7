"""The monthly bulletin (月度工作通报): a month's activity figures of the subtree by child
organization, as a short official document and as a workbook.

The same definitions as everywhere (statistics.selectors.statistic_values); the document
states the month's headline figures against the same month last year, then the table by
child organization (each child association a row, the other direct children together, the
organization's own records, the total).
"""

from dataclasses import dataclass
from datetime import date

import tablib

from kexie.orgs.models import Organization
from kexie.reports.annual import COMPANION_HEADERS, FigureUse, child_rows
from kexie.reports.documents import OfficialDocument
from kexie.reports.phrasing import phrase
from kexie.statistics.definitions import definitions_for
from kexie.statistics.exporting import breakdown_sheet, cell, new_sheet
from kexie.statistics.forms import shift_year
from kexie.statistics.selectors import Breakdown, StatTable, statistic_values

# The figures the bulletin states and tabulates, in this order.
BULLETIN_FIGURES = (
    "popsci_events",
    "popsci_onsite_audience",
    "academic_events",
    "academic_participants",
    "training_courses",
    "people_trained",
    "matchmaking_events",
    "visits_made",
)


@dataclass
class Bulletin:
    organization: Organization
    year: int
    month: int
    title: str
    paragraphs: list[str]
    comment: str
    table: tuple[list[str], list[list]] | None
    figures: list[FigureUse]
    totals: StatTable
    last_totals: StatTable
    by_child: StatTable


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)


def monthly_bulletin(*, organization: Organization, year: int, month: int) -> Bulletin:
    start, end = _month_bounds(year, month)
    definitions = definitions_for(BULLETIN_FIGURES)
    totals = statistic_values(organization=organization, definitions=definitions, start=start, end=end)
    last_totals = statistic_values(
        organization=organization,
        definitions=definitions,
        start=shift_year(start, -1),
        end=shift_year(end, -1),
    )
    by_child = statistic_values(
        organization=organization, definitions=definitions, start=start, end=end, breakdown=Breakdown.CHILD
    )
    name = organization.short_name or organization.name
    figures: list[FigureUse] = []
    parts = []
    for definition in definitions:
        value = totals.value(definition.code)
        if not value:
            continue
        text = phrase(value, str(definition.unit))
        figures.append(
            FigureUse(
                len(figures) + 1,
                "通报",
                definition.code,
                str(definition.name),
                value,
                str(definition.unit),
                text,
            )
        )
        last = last_totals.value(definition.code)
        change = ""
        if last:
            percent = round((value - last) * 100 / last, 1)
            change = f"（同比{'增长' if percent >= 0 else '下降'}{abs(percent)}%）"
        parts.append(f"{definition.name}{text}{change}")
    paragraphs, comment = [], ""
    if parts:
        paragraphs.append(f"{year}年{month}月，{name}及所属组织共开展：" + "；".join(parts) + "。")
    else:
        comment = f"平台中没有{year}年{month}月已举办的活动或走访慰问记录，本通报没有生成文字。"
    rows = child_rows(by_child, definitions)
    table = None
    if rows:
        rows.append(["合计", *(totals.value(d.code) for d in definitions)])
        table = (["组织", *(f"{d.name}（{d.unit}）" for d in definitions)], rows)
        paragraphs.append("各下级组织情况见下表。")
    return Bulletin(
        organization=organization,
        year=year,
        month=month,
        title=f"{organization.name}{year}年{month}月工作通报",
        paragraphs=paragraphs,
        comment=comment,
        table=table,
        figures=figures,
        totals=totals,
        last_totals=last_totals,
        by_child=by_child,
    )


def render_bulletin_docx(bulletin: Bulletin) -> bytes:
    document = OfficialDocument()
    title = document.title(bulletin.title)
    if bulletin.comment:
        document.comment(title, bulletin.comment)
    for text in bulletin.paragraphs:
        document.paragraph(text)
    if bulletin.table:
        headers, rows = bulletin.table
        document.table(headers, [[cell(v) if not isinstance(v, str) else v for v in row] for row in rows])
    if bulletin.figures:
        document.heading("附：文中数字的统计口径", 1)
        document.table(
            COMPANION_HEADERS,
            [[f.number, f.section, f.text, cell(f.value), f.name, f.source] for f in bulletin.figures],
            first_width_mm=12,
        )
    return document.save()


def render_bulletin_xlsx(bulletin: Bulletin) -> bytes:
    book = tablib.Databook()
    summary = new_sheet("本月数字", ["指标代码", "指标", "单位", "本月", "上年同月", "增减"])
    for definition in bulletin.totals.definitions:
        value, last = bulletin.totals.value(definition.code), bulletin.last_totals.value(definition.code)
        summary.append(
            [
                definition.code,
                str(definition.name),
                str(definition.unit),
                cell(value),
                cell(last),
                cell(value - last),
            ]
        )
    book.add_sheet(summary)
    book.add_sheet(breakdown_sheet("按下级组织", "组织", bulletin.by_child, own=True))
    return book.export("xlsx")
