"""The texts of the annual work summary: one template per section, editable by an
administrator and versioned (models.SectionText), with the platform's defaults below.

A template is lines of Chinese; each line becomes a paragraph, and a line “（一）……” a
second-level heading, kept only when a paragraph under it is. `{name}` puts in a value of
the report: a figure (a statistic definition's code, or one of the other numbers listed in
NUMBERS) is phrased as the reports phrase it (“1.2万余人次”) in its unit, or in the measure
word written after a colon (`{experts_engaged:名}`); a text (TEXTS) is put in as it is. A
line is written only when every value it names is there: a figure above zero, a text not
empty. So a template never states a number the records do not hold, and a section whose
lines all drop says so in a comment to the author.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kexie.statistics.definitions import all_definitions

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}:]{1,4}))?\}")
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）")


@dataclass(frozen=True)
class SectionSpec:
    code: str
    heading: str  # the section's heading in the document (the numbering is added)
    default: str


# Numbers a template may state besides the statistic definitions: (unit, what it counts).
NUMBERS = {
    "honours": ("项", "本机构获得的荣誉（人才库“荣誉”，按年度）"),
    "largest_popsci_audience": ("人次", "规模最大的科普活动的现场参与人次"),
    "largest_academic_audience": ("人次", "规模最大的学术交流活动的现场参与人次"),
    "orgs_founded": ("个", "新成立的组织（组织网络，按成立日期）"),
    "orgs_reelected": ("个", "完成换届的组织（新一届理事会任期开始于该期间）"),
    "societies": ("个", "现有学会（截至生成之日）"),
    "party_covered": ("个", "党组织覆盖的学会（截至生成之日）"),
}
# Texts a template may put in.
TEXTS = {
    "span": "“全年”，或多年回顾的“五年来”“几年来”",
    "name": "本机构的简称",
    "years": "“2025年”或“2021—2025年”",
    "closing": "“全年工作总结”或“有关工作回顾”",
    "honour_titles": "荣誉名称（最多六项）",
    "largest_popsci": "规模最大的科普活动：“××举办的‘……’”",
    "largest_academic": "规模最大的学术交流活动：“××举办的‘……’”",
    "campaigns": "举办活动最多的三个主题活动的名称",
    "founded_kinds": "新成立组织最多的三类组织",
    "today": "生成之日，如“2026年3月1日”",
}

SECTIONS = [
    SectionSpec(
        "opening",
        "",
        "{years}，{name}坚持以习近平新时代中国特色社会主义思想为指导，紧紧围绕“四个服务”职责定位，"
        "团结引领广大科技工作者，各项工作取得新进展。现将{closing}如下。\n"
        "{span}，{name}先后获得{honour_titles}等荣誉{honours}。",
    ),
    SectionSpec(
        "workers",
        "为科技工作者服务",
        "{span}共举办培训班{training_courses}，培训科技工作者{people_trained}。\n"
        "开展走访慰问活动{care_activities}，走访慰问科技工作者{visits_made}，把党和政府的关怀送到科技工作者身边。\n"
        "共有{experts_engaged:名}人才库专家在各类活动中担任主讲。",
    ),
    SectionSpec(
        "innovation",
        "为创新驱动发展服务",
        "{span}组织企业与专家、学会、高校开展人才与创新对接活动{matchmaking_events}，"
        "帮助解决技术难题{problems_solved}。",
    ),
    SectionSpec(
        "literacy",
        "为提高全民科学素质服务",
        "（一）科普活动\n"
        "{span}共举办科普活动{popsci_events}，现场受众{popsci_onsite_audience}。\n"
        "线上科普受众{popsci_online_audience}。\n"
        "其中规模最大的是{largest_popsci}，现场参与{largest_popsci_audience}。\n"
        "（二）主题活动\n"
        "围绕{campaigns}等主题活动，共举办活动{campaign_events}。\n"
        "（三）科普资源和队伍\n"
        "科普大篷车巡展{caravan_stops}。\n"
        "发放科普资料{materials_distributed}，惠及学生{students_reached}。\n"
        "参与活动服务的志愿者{volunteers_involved}。",
    ),
    SectionSpec(
        "decision",
        "为党和政府科学决策服务",
        "{span}共举办学术交流活动{academic_events}，参与科技工作者{academic_participants}。\n"
        "交流报告{academic_talks}，线上观看{academic_online_viewers}。\n"
        "其中{largest_academic}规模最大，参与{largest_academic_audience}。",
    ),
    SectionSpec(
        "network",
        "加强自身建设",
        "{span}新建{founded_kinds}等组织{orgs_founded}。\n"
        "{orgs_reelected}组织按期完成换届。\n"
        "截至{today}，{societies}学会中已有{party_covered}建立党组织或由党组织覆盖。\n"
        "{span}召开三会一课和主题党日活动{party_meetings}。",
    ),
]


def section_spec(code: str) -> SectionSpec | None:
    return next((spec for spec in SECTIONS if spec.code == code), None)


def known_names() -> set[str]:
    return {definition.code for definition in all_definitions()} | set(NUMBERS) | set(TEXTS)


def unknown_names(body: str) -> list[str]:
    """The placeholders of a template that the report does not know (in order, once each)."""
    known = known_names()
    unknown = []
    for match in PLACEHOLDER.finditer(body):
        name = match.group(1)
        if name not in known and name not in unknown:
            unknown.append(name)
    return unknown


def template_errors(body: str) -> list[str]:
    """What is wrong with a template, in words a user can act on (empty: nothing)."""
    errors = []
    unknown = unknown_names(body)
    if unknown:
        errors.append(
            _("Unknown names in braces: %(names)s. Use the names listed beside the text.")
            % {"names": "、".join(unknown)}
        )
    stray = PLACEHOLDER.sub("", body)
    if "{" in stray or "}" in stray:
        errors.append(_("A brace is not closed, or holds something other than a name."))
    return errors


def is_subheading(text: str) -> bool:
    """A line “（一）……”: a second-level heading of the document (楷体)."""
    return bool(SUBHEADING.match(text))


def render_lines(body: str, *, numbers: dict, texts: dict, state) -> list[str]:
    """The paragraphs of a template: each line whose values are all there, with its
    numbers phrased and recorded through `state.number(value, unit, source, name)`. A
    subheading line (“（一）科普活动”) stays only when a line under it does, and the
    subheadings that stay are numbered in order."""
    paragraphs: list[str] = []
    heading_at = None  # where the last subheading went, until a line under it stays
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if is_subheading(line) and not PLACEHOLDER.search(line):
            if heading_at is not None:
                del paragraphs[heading_at]
            heading_at = len(paragraphs)
            paragraphs.append(line)
            continue
        names = [(match.group(1), match.group(2)) for match in PLACEHOLDER.finditer(line)]
        if not all(_present(name, numbers, texts) for name, _unit in names):
            continue
        paragraphs.append(PLACEHOLDER.sub(lambda match: _value(match, numbers, texts, state), line))
        heading_at = None
    if heading_at is not None:
        del paragraphs[heading_at]
    return _numbered(paragraphs)


def _numbered(paragraphs: list[str]) -> list[str]:
    """The subheadings that stayed, numbered again in order: （一）, （二）… without gaps."""
    numerals = "一二三四五六七八九十"
    count = 0
    numbered = []
    for text in paragraphs:
        if is_subheading(text) and count < len(numerals):
            text = SUBHEADING.sub(f"（{numerals[count]}）", text, count=1)
            count += 1
        numbered.append(text)
    return numbered


def _present(name: str, numbers: dict, texts: dict) -> bool:
    if name in texts:
        return bool(texts[name])
    value = numbers.get(name)
    return value is not None and value[0] > 0


def _value(match, numbers: dict, texts: dict, state) -> str:
    name, unit = match.group(1), match.group(2)
    if name in texts:
        return texts[name]
    value, default_unit, label = numbers[name]
    return state.number(value, unit or default_unit, name, label)
