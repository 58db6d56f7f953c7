"""The annual work summary (年度工作总结), and the review of several years (五年工作回顾),
drafted from the records.

`annual_report` computes what the document says: every number in its text is a statistic
definition's value (or a record's own figure, or a count of the network) for the
organization's subtree and the years, phrased as the reports phrase it (“1.2万余人次”), and
listed with its exact value and its definition in the companion table at the end. A section
without data says so in a comment to the author instead of inventing prose. `render_docx`
writes the document in the official layout (documents.py), `render_xlsx` the tables behind
it. The text is Simplified Chinese, or Traditional through OpenCC.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import tablib
from django.db.models import Count
from django.utils import timezone

from kexie.activities.models import COUNTED_STATUSES, Activity, Category
from kexie.core.chinese import to_traditional
from kexie.orgs.models import BoardTerm, Kind, Organization, path_upper_bound
from kexie.orgs.selectors import AREA_KINDS, party_coverage
from kexie.people.models import Honour
from kexie.reports.documents import OfficialDocument
from kexie.reports.phrasing import phrase
from kexie.reports.selectors import texts_for
from kexie.reports.texts import NUMBERS, SECTIONS, is_subheading, render_lines
from kexie.statistics.definitions import all_definitions, definitions_for
from kexie.statistics.exporting import breakdown_sheet, cell, new_sheet
from kexie.statistics.selectors import OWN, Breakdown, StatTable, statistic_values

# The figures of the table by child organization (and of the years' table of a review).
TABLE_FIGURES = (
    "academic_events",
    "academic_participants",
    "popsci_events",
    "popsci_onsite_audience",
    "training_courses",
    "matchmaking_events",
    "visits_made",
)
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass
class FigureUse:
    """A number stated in the text: the companion table lists it with its definition."""

    number: int
    section: str
    source: str  # a definition code, or what else the number counts
    name: str
    value: int | Decimal
    unit: str
    text: str  # as the document states it


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    comment: str = ""  # to the author: what is missing and why no text was written
    table: tuple[list[str], list[list]] | None = None


@dataclass
class AnnualReport:
    organization: Organization
    first_year: int
    last_year: int
    start: date
    end: date
    title: str
    opening: list[str]
    opening_comment: str
    sections: list[Section]
    figures: list[FigureUse]
    totals: StatTable
    last_totals: StatTable
    by_child: StatTable
    by_year: list[tuple[int, StatTable]]
    honours: list[Honour]
    traditional: bool = False

    @property
    def is_review(self) -> bool:
        return self.last_year > self.first_year

    def text(self) -> str:
        """Every line of the document's text, in order (for tests and for searching)."""
        lines = [self.title, *self.opening]
        for section in self.sections:
            lines += [section.heading, *section.paragraphs]
        return "\n".join(lines)


class _Writer:
    """Phrases numbers into sentences and keeps the list of every number used."""

    def __init__(self):
        self.figures: list[FigureUse] = []
        self.section = ""

    def number(self, value, unit: str, source: str, name: str) -> str:
        text = phrase(value, unit)
        self.figures.append(FigureUse(len(self.figures) + 1, self.section, source, name, value, unit, text))
        return text


def _held(organization: Organization, start: date, end: date):
    root = organization.path
    return Activity.objects.filter(
        status__in=COUNTED_STATUSES,
        held_on__gte=start,
        held_on__lte=end,
        organization__path__gte=root,
        organization__path__lt=path_upper_bound(root),
    )


def _biggest(organization, start, end, category: str) -> Activity | None:
    """The held activity of the category with the largest audience on site."""
    return (
        _held(organization, start, end)
        .filter(kind__category=category, onsite_participants__gt=0)
        .select_related("organization")
        .order_by("-onsite_participants", "held_on", "pk")
        .first()
    )


def _named(activity: Activity) -> str:
    organizer = activity.organization.short_name or activity.organization.name
    return f"{organizer}举办的“{activity.title}”"


def _facts(
    organization: Organization,
    start: date,
    end: date,
    totals: StatTable,
    *,
    today: date,
    review: bool,
    span: str,
) -> tuple[dict, dict, list[Honour]]:
    """The values the section templates may name: (numbers, texts, honours). A number is
    (value, unit, what it counts); the statistic definitions are numbers too."""
    numbers = {
        definition.code: (totals.value(definition.code), str(definition.unit), str(definition.name))
        for definition in totals.definitions
    }
    name = organization.short_name or organization.name
    first, last = start.year, end.year
    texts = {
        "span": span,
        "name": name,
        "years": f"{first}—{last}年" if review else f"{first}年",
        "closing": "有关工作回顾" if review else "全年工作总结",
        "today": f"{today.year}年{today.month}月{today.day}日",
    }
    honours = list(
        Honour.objects.filter(recipient_organization=organization, year__gte=first, year__lte=last).order_by(
            "year", "level", "pk"
        )
    )
    texts["honour_titles"] = "、".join(f"“{honour.title}”" for honour in honours[:6])
    numbers["honours"] = (len(honours), *NUMBERS["honours"])
    for category, key in ((Category.POPSCI, "popsci"), (Category.ACADEMIC, "academic")):
        biggest = _biggest(organization, start, end, category)
        texts[f"largest_{key}"] = _named(biggest) if biggest else ""
        audience = biggest.onsite_participants if biggest else 0
        numbers[f"largest_{key}_audience"] = (
            audience,
            "人次",
            f"“{biggest.title}”的现场参与人次" if biggest else NUMBERS[f"largest_{key}_audience"][1],
        )
    campaigns = (
        _held(organization, start, end)
        .filter(campaign_edition__isnull=False)
        .values("campaign_edition__campaign__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "campaign_edition__campaign__name")[:3]
    )
    texts["campaigns"] = "".join(f"“{row['campaign_edition__campaign__name']}”" for row in campaigns)
    subtree = Organization.objects.subtree(organization)
    founded = subtree.filter(founded_on__gte=start, founded_on__lte=end).exclude(pk=organization.pk)
    kinds = dict(Kind.choices)
    by_kind = list(founded.values("kind").annotate(n=Count("pk")).order_by("-n", "kind"))
    texts["founded_kinds"] = "、".join(str(kinds[row["kind"]]) for row in by_kind[:3])
    numbers["orgs_founded"] = (sum(row["n"] for row in by_kind), *NUMBERS["orgs_founded"])
    reelected = (
        BoardTerm.objects.filter(
            organization__in=subtree, started_on__gte=start, started_on__lte=end, number__gt=1
        )
        .values("organization")
        .distinct()
        .count()
    )
    numbers["orgs_reelected"] = (reelected, *NUMBERS["orgs_reelected"])
    party = party_coverage(subtree)
    day = texts["today"]
    numbers["societies"] = (party.societies, "个", f"现有学会（截至{day}）")
    numbers["party_covered"] = (party.covered, "个", f"党组织覆盖的学会（截至{day}）")
    return numbers, texts, honours


def _growth(writer: _Writer, by_year: list[tuple[int, StatTable]], definitions) -> list[str]:
    """How each figure changed from the first year of a review to its last (“学术交流活动增长
    12.5%”), for the figures the first year has; each percentage listed with the others."""
    (first_year, first), (last_year, last) = by_year[0], by_year[-1]
    phrases = []
    for definition in definitions:
        before, after = first.value(definition.code), last.value(definition.code)
        if not before:
            continue
        percent = round((Decimal(after) - Decimal(before)) * 100 / Decimal(before), 1)
        word = "增长" if percent >= 0 else "下降"
        text = f"{abs(percent)}%"
        writer.figures.append(
            FigureUse(
                len(writer.figures) + 1,
                writer.section,
                f"growth:{definition.code}",
                f"{definition.name}{first_year}年至{last_year}年的增减（{before}→{after}）",
                percent,
                "%",
                text,
            )
        )
        phrases.append(f"{definition.name}{word}{text}")
    return phrases


def child_rows(by_child: StatTable, definitions) -> list[list]:
    """A row for each direct child association, one for the other direct children together
    (societies, museums…), one for the organization's own records: they sum to the total."""
    children = [column for column in by_child.columns if column.key != OWN]
    if not children:
        return []
    areas = [column for column in children if column.organization.kind in AREA_KINDS]
    others = [column for column in children if column.organization.kind not in AREA_KINDS]
    rows = [[column.label, *(by_child.value(d.code, column.key) for d in definitions)] for column in areas]
    if others:
        label = f"学会等其他直属组织（{len(others)}个）"
        rows.append([label, *(sum(by_child.value(d.code, c.key) for c in others) for d in definitions)])
    rows.append(["本级", *(by_child.value(d.code, OWN) for d in definitions)])
    return rows


def annual_report(
    *,
    organization: Organization,
    first_year: int,
    last_year: int | None = None,
    traditional: bool = False,
    today: date | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> AnnualReport:
    """What the summary of `first_year` (or the review of first_year to last_year) says."""
    today = today or timezone.localdate()
    last_year = last_year or first_year
    progress = progress or (lambda percent, message: None)
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    review = last_year > first_year
    span = "五年来" if last_year - first_year == 4 else ("几年来" if review else "全年")

    progress(5, "statistics")
    definitions = all_definitions()
    totals = statistic_values(organization=organization, definitions=definitions, start=start, end=end)
    length = last_year - first_year + 1
    last_totals = statistic_values(
        organization=organization,
        definitions=definitions,
        start=date(first_year - length, 1, 1),
        end=date(last_year - length, 12, 31),
    )
    progress(30, "children")
    by_child = statistic_values(
        organization=organization,
        definitions=definitions,
        start=start,
        end=end,
        breakdown=Breakdown.CHILD,
    )
    by_year = []
    if review:
        for year in range(first_year, last_year + 1):
            by_year.append(
                (
                    year,
                    statistic_values(
                        organization=organization,
                        definitions=definitions_for(TABLE_FIGURES),
                        start=date(year, 1, 1),
                        end=date(year, 12, 31),
                    ),
                )
            )
    progress(50, "sections")
    writer = _Writer()
    numbers, texts, honours = _facts(organization, start, end, totals, today=today, review=review, span=span)
    templates = texts_for(organization)
    title = f"{organization.name}{texts['years']}工作{'回顾' if review else '总结'}"
    writer.section = "开头"
    opening = render_lines(templates["opening"], numbers=numbers, texts=texts, state=writer)
    opening_comment = (
        ""
        if honours
        else "平台中没有登记本机构在这一期间获得的荣誉，因此没有写荣誉一段。"
        "如有，请在“荣誉”中登记后重新生成，或在此补写。"
    )
    sections = []
    for index, spec in enumerate(spec for spec in SECTIONS if spec.code != "opening"):
        writer.section = spec.heading
        paragraphs = render_lines(templates[spec.code], numbers=numbers, texts=texts, state=writer)
        section = Section(f"{CHINESE_NUMERALS[index]}、{spec.heading}", paragraphs)
        if not paragraphs:
            section.comment = (
                f"平台中没有这一期间“{spec.heading}”的记录（已举办的活动、走访慰问或组织变化），"
                "因此本节没有生成文字。请核对记录是否已经登记，或补写、删除本节。"
            )
        sections.append(section)
        progress(50 + 6 * (index + 1), spec.heading)

    number = len(sections)
    table_definitions = definitions_for(TABLE_FIGURES)
    heading = f"{CHINESE_NUMERALS[number]}、各下级组织主要数字"
    rows = child_rows(by_child, table_definitions)
    if rows:
        headers = ["组织", *(f"{d.name}（{d.unit}）" for d in table_definitions)]
        rows.append(["合计", *(totals.value(d.code) for d in table_definitions)])
        sections.append(
            Section(heading, ["各下级科协（含其全部下级）主要数字见下表。"], table=(headers, rows))
        )
    else:
        sections.append(Section(heading, comment="本机构没有下级组织，没有分组织的数字。可删除本节。"))
    number += 1
    if review:
        headers = ["年度", *(f"{d.name}（{d.unit}）" for d in table_definitions)]
        rows = [[f"{year}年", *(table.value(d.code) for d in table_definitions)] for year, table in by_year]
        writer.section = "历年主要数字"
        paragraphs = [f"{texts['years']}各年度主要数字见下表。"]
        growth = _growth(writer, by_year, table_definitions)
        if growth:
            paragraphs.append(f"{last_year}年与{first_year}年相比，" + "，".join(growth) + "。")
        sections.append(
            Section(f"{CHINESE_NUMERALS[number]}、历年主要数字", paragraphs, table=(headers, rows))
        )
        number += 1
    next_year = last_year + 1
    sections.append(
        Section(
            f"{CHINESE_NUMERALS[number]}、{next_year}年工作打算",
            comment=f"{next_year}年工作打算由您填写：平台中还没有工作计划，这里不自动生成内容。",
        )
    )
    progress(90, "done")
    report = AnnualReport(
        organization=organization,
        first_year=first_year,
        last_year=last_year,
        start=start,
        end=end,
        title=title,
        opening=opening,
        opening_comment=opening_comment,
        sections=sections,
        figures=writer.figures,
        totals=totals,
        last_totals=last_totals,
        by_child=by_child,
        by_year=by_year,
        honours=honours,
        traditional=traditional,
    )
    return _converted(report) if traditional else report


def _converted(report: AnnualReport) -> AnnualReport:
    """The report's text in Traditional characters (its numbers and tables unchanged)."""
    report.title = to_traditional(report.title)
    report.opening = [to_traditional(text) for text in report.opening]
    report.opening_comment = to_traditional(report.opening_comment)
    for section in report.sections:
        section.heading = to_traditional(section.heading)
        section.paragraphs = [to_traditional(text) for text in section.paragraphs]
        section.comment = to_traditional(section.comment)
        if section.table:
            headers, rows = section.table
            section.table = (
                [to_traditional(h) for h in headers],
                [[to_traditional(v) if isinstance(v, str) else v for v in row] for row in rows],
            )
    for figure in report.figures:
        figure.section = to_traditional(figure.section)
        figure.name = to_traditional(figure.name)
        figure.unit = to_traditional(figure.unit)
        figure.text = to_traditional(figure.text)
    return report


def _t(report: AnnualReport, text: str) -> str:
    return to_traditional(text) if report.traditional else text


COMPANION_HEADERS = ["序号", "所在部分", "文中表述", "准确数值", "统计口径（指标）", "代码或来源"]


def _companion_rows(report: AnnualReport) -> list[list]:
    return [
        [figure.number, figure.section, figure.text, cell(figure.value), figure.name, figure.source]
        for figure in report.figures
    ]


def render_docx(report: AnnualReport) -> bytes:
    """The document in the official layout, with the companion table of its numbers."""
    document = OfficialDocument()
    document.title(report.title)
    for index, text in enumerate(report.opening):
        paragraph = document.paragraph(text)
        if index == 0 and report.opening_comment:
            document.comment(paragraph, report.opening_comment)
    for section in report.sections:
        heading = document.heading(section.heading, 1)
        for text in section.paragraphs:
            if is_subheading(text):
                document.heading(text, 2)
            else:
                document.paragraph(text)
        if section.table:
            headers, rows = section.table
            document.table(headers, [[cell(v) if not isinstance(v, str) else v for v in row] for row in rows])
        if section.comment:
            document.comment(heading, section.comment)
    if report.figures:
        document.heading(_t(report, "附：文中数字的统计口径"), 1)
        document.paragraph(
            _t(
                report,
                "文中的数字按公文习惯表述（如“1.2万余人次”），下表列出每个数字的准确数值和统计口径，便于核对。",
            )
        )
        document.table([_t(report, h) for h in COMPANION_HEADERS], _companion_rows(report), first_width_mm=12)
    return document.save()


def render_xlsx(report: AnnualReport) -> bytes:
    """The tables behind the document: every figure against the previous period, every
    figure by child organization (and by year for a review), the companion table, honours."""
    book = tablib.Databook()
    summary = new_sheet(
        _t(report, "全部指标"),
        [
            "指标代码",
            "指标",
            "单位",
            f"{report.first_year}—{report.last_year}" if report.is_review else str(report.first_year),
            "上一期",
            "增减",
        ],
    )
    for definition in report.totals.definitions:
        value, last = report.totals.value(definition.code), report.last_totals.value(definition.code)
        summary.append(
            [
                definition.code,
                _t(report, str(definition.name)),
                _t(report, str(definition.unit)),
                cell(value),
                cell(last),
                cell(value - last),
            ]
        )
    book.add_sheet(summary)
    book.add_sheet(breakdown_sheet(_t(report, "按下级组织"), _t(report, "组织"), report.by_child, own=True))
    if report.by_year:
        years = new_sheet(
            _t(report, "历年"), ["年度", *(f"{d.name}（{d.unit}）" for d in definitions_for(TABLE_FIGURES))]
        )
        for year, table in report.by_year:
            years.append([year, *(cell(table.value(d.code)) for d in definitions_for(TABLE_FIGURES))])
        book.add_sheet(years)
    companion = new_sheet(_t(report, "文中数字"), [_t(report, h) for h in COMPANION_HEADERS])
    for row in _companion_rows(report):
        companion.append(row)
    book.add_sheet(companion)
    honours = new_sheet(_t(report, "荣誉"), ["年度", "荣誉", "级别", "颁发单位"])
    for honour in report.honours:
        honours.append([honour.year, honour.title, str(honour.get_level_display()), honour.issuer])
    book.add_sheet(honours)
    return book.export("xlsx")
