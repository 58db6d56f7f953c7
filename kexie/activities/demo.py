"""The demo activities: five years of the work the demo network did, for `make run`, tests
and benchmarks.

`seed_activities()` runs after the talent pool (seed_demo calls it last). The same network,
people, scale, seed and day give the same activities. What it writes:

- a yearly edition of every national campaign with its usual dates: 防灾减灾日 week from
  12 May, 科技活动周 from the Saturday after 17 May, 科技工作者日 on 30 May, 食品安全宣传周 in
  June, 全国科普日 in the third week of September, 国际减灾日 on 13 October (through
  `edition_create`, one audit record each);
- activities of every organization while it existed, from the first of January four years
  ago up to today and a few weeks ahead: associations at every level, societies (mostly
  academic kinds), universities, enterprises, towns, rural associations, the science museum
  and the party branches (三会一课), each with the mix of kinds it really runs;
- science popularization is the most common work; May and September peak (the campaigns),
  February is quiet (Spring Festival), visits and care cluster before the Spring Festival,
  on 30 May and at Mid-Autumn;
- figures only of the kind's figures, of plausible size (a lecture 50–300 on site, an
  online event thousands of viewers, a caravan stop 200–800 students, an exhibition 10–60
  boards); speakers are people tagged expert near the organizer;
- statuses as work goes: older activities reported, a few only held, recent ones held,
  approved, submitted or drafts, planned ones ahead, about 2% cancelled.

Activities are written by `activities_bulk_create` (bulk inserts, one audit record
"activity.demo" per call), one call per county or city area.

    per full city and year: S ≈ 900 · M and L ≈ 20,000 (L: ten full cities)
"""

import bisect
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kexie.activities.models import (
    Activity,
    ActivityKind,
    Campaign,
    CampaignEdition,
    Category,
    Mode,
    Status,
    TargetGroup,
)
from kexie.activities.services.catalog import EditionData, edition_create
from kexie.audit.services import record
from kexie.core.bulk import insert_objects, insert_rows
from kexie.orgs.demo import PLACE_FIRST, PLACE_SECOND
from kexie.orgs.models import PATH_SEGMENT, Kind, Organization
from kexie.people.demo import Area, load_network
from kexie.people.models import Person, PersonStatus

YEARS = 5  # this year and the four before it
AHEAD = 30  # days of planned activities after today (within this year)
# Activities per full city and year are ~20,000 at M and L; S is a small demo.
SCALE_FACTOR = {"S": 0.1, "M": 1.0, "L": 1.0}
# Cities built as a skeleton (a few counties and societies) do a fraction of a full city's work.
SKELETON_FACTOR = 0.25
# Yearly volume relative to this year (the work grew; 2022 was a year of online events).
YEAR_FACTOR = (0.86, 0.92, 0.97, 1.0, 1.04)

# Activities an organization runs a year (at M and L), by kind.
RATE = {
    Kind.PROVINCE_ASSOCIATION: 300,
    Kind.CITY_ASSOCIATION: 520,
    Kind.COUNTY_ASSOCIATION: 500,
    Kind.TOWN_ASSOCIATION: 22,
    Kind.ZONE_ASSOCIATION: 80,
    Kind.ENTERPRISE_ASSOCIATION: 1.6,
    Kind.UNIVERSITY_ASSOCIATION: 120,
    Kind.SOCIETY: 36,  # a city or province society; county societies below
    Kind.SOCIETY_BRANCH: 8,
    Kind.SOCIETY_CONSORTIUM: 8,
    Kind.RURAL_TECH_ASSOCIATION: 0.9,
    Kind.SCIENCE_MUSEUM: 360,
    Kind.SUBORDINATE_INSTITUTION: 30,
    Kind.PARTY_COMMITTEE: 12,
    Kind.PARTY_BRANCH: 16,
}
COUNTY_SOCIETY_RATE = 10

_ASSOCIATION_MIX = (
    "lecture:25 exhibition:6 contest:4 hands_on:6 caravan:4 outreach:15 online:8 report_meeting:3 forum:3 "
    "seminar:3 training:8 visit_care:4 matchmaking:4 party_meeting:3 party_day:3 other:2"
)
# Which kinds each kind of organization runs, with weights.
KIND_MIX = {
    Kind.PROVINCE_ASSOCIATION: _ASSOCIATION_MIX,
    Kind.CITY_ASSOCIATION: _ASSOCIATION_MIX,
    Kind.COUNTY_ASSOCIATION: _ASSOCIATION_MIX,
    Kind.TOWN_ASSOCIATION: (
        "outreach:35 lecture:25 hands_on:5 exhibition:5 online:2 training:12 visit_care:4 party_day:3 "
        "party_meeting:3 matchmaking:2 other:4"
    ),
    Kind.ZONE_ASSOCIATION: (
        "matchmaking:25 training:25 seminar:10 forum:10 lecture:10 salon:5 party_day:5 other:3"
    ),
    Kind.ENTERPRISE_ASSOCIATION: (
        "training:35 seminar:15 salon:10 matchmaking:15 lecture:8 report_meeting:10 party_day:5 other:2"
    ),
    Kind.UNIVERSITY_ASSOCIATION: (
        "report_meeting:25 conference:8 forum:10 seminar:15 salon:10 lecture:15 hands_on:8 contest:6 "
        "training:3"
    ),
    Kind.SOCIETY: (
        "conference:12 forum:12 seminar:18 salon:10 report_meeting:18 training:10 lecture:12 outreach:4 "
        "online:4 matchmaking:2"
    ),
    Kind.SOCIETY_BRANCH: "seminar:25 salon:20 report_meeting:15 forum:10 training:10 lecture:15 outreach:5",
    Kind.SOCIETY_CONSORTIUM: "forum:40 conference:20 seminar:20 matchmaking:20",
    Kind.RURAL_TECH_ASSOCIATION: "training:55 outreach:25 lecture:10 matchmaking:10",
    Kind.SCIENCE_MUSEUM: "exhibition:30 hands_on:30 lecture:20 online:10 contest:5 caravan:5",
    Kind.SUBORDINATE_INSTITUTION: "training:20 visit_care:20 matchmaking:30 lecture:15 seminar:15",
    Kind.PARTY_COMMITTEE: "party_meeting:40 party_day:40 training:20",
    Kind.PARTY_BRANCH: "party_meeting:70 party_day:30",
}
# Month weights (January first) of activities outside campaigns, by category.
MONTHS = {
    Category.POPSCI: (6, 3, 8, 9, 10, 8, 8, 7, 9, 8, 9, 7),
    Category.ACADEMIC: (4, 2, 6, 8, 9, 8, 6, 5, 8, 10, 11, 9),
    Category.TRAINING: (4, 2, 9, 10, 9, 9, 7, 6, 9, 10, 9, 6),
    Category.CARE: (25, 8, 3, 3, 6, 3, 3, 3, 12, 5, 3, 5),
    Category.MATCHMAKING: (4, 2, 8, 9, 9, 9, 7, 6, 9, 9, 9, 6),
    Category.PARTY: (8, 6, 8, 8, 8, 8, 10, 8, 8, 8, 8, 8),
    Category.OTHER: (6, 3, 8, 9, 9, 9, 7, 6, 9, 9, 9, 7),
}
# The share of a category's activities held for a campaign, and which campaigns they join.
CAMPAIGN_SHARE = {
    Category.POPSCI: 0.24,
    Category.ACADEMIC: 0.08,
    Category.CARE: 0.3,
    Category.MATCHMAKING: 0.15,
    Category.TRAINING: 0.03,
}
CAMPAIGN_MIX = {
    Category.POPSCI: (
        "science_day:45 science_week:25 disaster_day:14 food_safety_week:8 disaster_reduction_day:8"
    ),
    Category.ACADEMIC: "science_week:50 workers_day:50",
    Category.CARE: "workers_day:100",
    Category.MATCHMAKING: "science_week:60 workers_day:40",
    Category.TRAINING: "science_week:100",
}
# Campaign topics, so that a 防灾减灾日 lecture is about disasters.
CAMPAIGN_TOPICS = {
    "disaster_day": ("防震减灾", "应急避险", "地质灾害防治", "气象灾害防御", "家庭应急包"),
    "disaster_reduction_day": ("防灾减灾", "应急避险", "森林防火", "防汛抗旱"),
    "food_safety_week": ("食品安全", "科学辨别食品谣言", "农产品质量安全", "合理膳食"),
}
THEMES = {
    "science_day": (
        "提升全民科学素质 协力建设科技强国",
        "科学普及 惠及全民",
        "弘扬科学家精神 激发全社会创新活力",
        "科普赋能高质量发展",
        "科技创新 科普同行",
    ),
    "science_week": (
        "走进科技 你我同行",
        "热爱科学 崇尚科学",
        "科技强国 创新未来",
        "科技惠民 创新发展",
        "科技助力现代化",
    ),
    "workers_day": (
        "致敬科技工作者",
        "弘扬科学家精神 建功新时代",
        "创新争先 科技报国",
        "矢志科技自立自强",
        "潜心科研 服务发展",
    ),
    "disaster_day": (
        "人人讲安全 个个会应急",
        "科学防灾减灾 守护美好家园",
        "防范灾害风险 护航高质量发展",
        "提升基层防灾能力",
        "增强防灾意识 提高避险能力",
    ),
    "food_safety_week": (
        "尚俭崇信 守护食品安全",
        "共建食品安全 共享美好生活",
        "守护舌尖上的安全",
        "食品安全 人人有责",
        "健康饮食 安全为先",
    ),
    "disaster_reduction_day": (
        "早预警 早行动",
        "减轻灾害风险 共建韧性社区",
        "科学减灾 共享平安",
        "提升全社会减灾能力",
        "防范化解重大灾害风险",
    ),
}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _science_week(year: int) -> tuple[date, date]:
    start = date(year, 5, 18) + timedelta(days=(5 - date(year, 5, 18).weekday()) % 7)  # a Saturday
    return start, start + timedelta(days=7)


# Campaign code → (first day, last day) of its edition in a year.
CAMPAIGN_DATES: dict[str, Callable[[int], tuple[date, date]]] = {
    "disaster_day": lambda y: (date(y, 5, 11), date(y, 5, 17)),  # 防灾减灾宣传周, 12 May in it
    "science_week": _science_week,
    "workers_day": lambda y: (date(y, 5, 30), date(y, 5, 30)),
    "food_safety_week": lambda y: (_nth_weekday(y, 6, 0, 2), _nth_weekday(y, 6, 0, 2) + timedelta(days=6)),
    "science_day": lambda y: (_nth_weekday(y, 9, 0, 3), _nth_weekday(y, 9, 0, 3) + timedelta(days=6)),
    "disaster_reduction_day": lambda y: (date(y, 10, 13), date(y, 10, 13)),
}

MODES = {
    Category.ACADEMIC: ((Mode.OFFLINE, Mode.BOTH, Mode.ONLINE), (70, 25, 5)),
    Category.TRAINING: ((Mode.OFFLINE, Mode.BOTH, Mode.ONLINE), (75, 15, 10)),
    "lecture": ((Mode.OFFLINE, Mode.BOTH, Mode.ONLINE), (75, 15, 10)),
    "contest": ((Mode.OFFLINE, Mode.BOTH, Mode.ONLINE), (70, 20, 10)),
}
# Who each kind is for (first weight list); a second group is added now and then.
AUDIENCE = {
    "lecture": "youth:35 residents:25 elderly:15 farmers:15 officials:5 workers:5",
    "exhibition": "residents:50 youth:40 elderly:10",
    "contest": "youth:80 residents:10 officials:10",
    "hands_on": "youth:90 residents:10",
    "caravan": "youth:100",
    "outreach": "farmers:45 residents:35 elderly:15 youth:5",
    "online": "residents:50 youth:30 elderly:20",
    "training": "scientists:40 farmers:30 workers:20 officials:10",
    "visit_care": "scientists:100",
    "matchmaking": "scientists:50 workers:50",
    "other": "residents:60 scientists:40",
}
ACADEMIC_KINDS = {"conference", "forum", "seminar", "salon", "report_meeting"}
# Who speaks: the share of activities of a kind with speakers, and how many.
SPEAKERS = {
    "conference": (0.8, 2, 5),
    "forum": (0.75, 2, 4),
    "seminar": (0.6, 1, 3),
    "salon": (0.5, 1, 2),
    "report_meeting": (0.85, 1, 2),
    "lecture": (0.5, 1, 1),
    "training": (0.4, 1, 3),
    "matchmaking": (0.4, 1, 3),
    "online": (0.3, 1, 1),
}

# --- words -------------------------------------------------------------------------------------

TOPICS = {
    "youth": (
        "人工智能",
        "航天科技",
        "近视防控",
        "防溺水安全",
        "趣味数学",
        "生物多样性",
        "科学家精神",
        "网络安全",
    ),
    "residents": (
        "健康生活方式",
        "防范电信网络诈骗",
        "垃圾分类",
        "心肺复苏急救",
        "科学用药",
        "低碳生活",
        "数字素养",
    ),
    "elderly": ("老年人智能手机使用", "慢性病防治", "防范养老诈骗", "合理膳食", "防跌倒"),
    "farmers": ("农作物病虫害防治", "科学施肥", "设施农业", "畜禽疫病防控", "农村电商", "绿色种养"),
    "officials": ("碳达峰碳中和", "人工智能与数字政府", "科学决策", "应急管理"),
    "workers": ("安全生产", "职业健康", "数字技能", "质量管理"),
    "scientists": ("科研诚信", "成果转化", "学术规范", "知识产权"),
}
FIELD_TOPICS = {
    "med": (
        "心血管疾病诊疗新进展",
        "基层医疗服务能力提升",
        "慢病管理",
        "急危重症救治",
        "合理用药",
        "中医药传承创新",
    ),
    "agri": ("现代种业", "智慧农业", "绿色高效栽培", "畜禽健康养殖", "农产品质量安全", "乡村振兴科技支撑"),
    "eng": ("智能制造", "新材料应用", "工业互联网", "绿色低碳技术", "数字化转型", "工程安全"),
    "sci": ("基础研究前沿", "生态环境保护", "气候变化", "数学建模", "新能源材料", "地质灾害监测"),
    "pop": ("科学教育", "青少年科技创新", "科普创作", "老科技工作者作用发挥", "科技志愿服务"),
}
HANDS_ON = (
    "趣味物理实验",
    "机器人编程",
    "无人机",
    "化学魔术",
    "3D打印",
    "天文观测",
    "航模制作",
    "VR科普体验",
)
TRAININGS = {
    "scientists": ("学会秘书长", "科技工作者创新能力", "科普讲解员", "专业技术人员继续教育"),
    "farmers": ("高素质农民", "农村实用技术", "果树修剪", "农村电商"),
    "workers": ("安全生产", "职业技能提升", "企业科协工作"),
    "officials": ("基层科协干部", "领导干部科学素质", "科协系统业务"),
}
MATCHMAKING = ("产学研对接会", "科技成果转化对接活动", "专家服务企业行", "院士专家企业行", "科技需求对接会")
PARTY_MEETINGS = ("支部党员大会", "支部委员会会议", "党小组会", "党课")
PARTY_DAY_THEMES = (
    "学习贯彻党的创新理论",
    "重温入党誓词",
    "红色教育基地参观学习",
    "志愿服务进社区",
    "廉政警示教育",
)
OTHERS = ("科协工作座谈会", "科技工作者之家活动", "学会工作交流会", "科协系统业务交流")
PARTNERS = (
    "{city}市教育局",
    "{city}市卫生健康委员会",
    "{city}市应急管理局",
    "{city}市农业农村局",
    "共青团{city}市委员会",
    "{city}市妇女联合会",
    "{city}市气象局",
    "{city}市地震局",
    "{city}市市场监督管理局",
    "{city}市科学技术局",
)
CANCEL_REASONS = (
    "受天气影响，活动取消",
    "场地调整，活动取消",
    "主讲专家临时有事，活动取消",
    "与上级安排冲突，活动取消",
)
RETURN_REASONS = ("请补充活动方案和安全预案", "请核实活动时间和地点", "请补充主讲人信息")
HOTELS = ("国际会议中心", "科技会堂", "迎宾馆", "学术交流中心")


def _weights(spec: str) -> tuple[list[str], list[float]]:
    """'lecture:25 exhibition:6 …' → (items, cumulative weights)."""
    items, weights = [], []
    for token in spec.split():
        item, weight = token.rsplit(":", 1)
        items.append(item)
        weights.append(float(weight))
    return items, list(itertools.accumulate(weights))


_MIXES = {kind: _weights(spec) for kind, spec in KIND_MIX.items()}
_CAMPAIGN_MIXES = {category: _weights(spec) for category, spec in CAMPAIGN_MIX.items()}
_AUDIENCES = {kind: _weights(spec) for kind, spec in AUDIENCE.items()}
_MONTHS = {category: list(itertools.accumulate(weights)) for category, weights in MONTHS.items()}


# --- writing -----------------------------------------------------------------------------------


@dataclass
class Planned:
    """An activity as planned, with its many-to-many rows."""

    activity: Activity
    target_groups: list[int] = field(default_factory=list)
    co_organizers: list[int] = field(default_factory=list)
    speakers: list[int] = field(default_factory=list)


def _through(name: str) -> tuple[str, list[str]]:
    relation = Activity._meta.get_field(name)
    return relation.remote_field.through._meta.db_table, [
        relation.m2m_column_name(),
        relation.m2m_reverse_name(),
    ]


@transaction.atomic
def activities_bulk_create(*, actor, organization: Organization, planned: list[Planned]) -> list[Activity]:
    """Record many activities of `organization`'s subtree at once (demo data), with their
    target groups, co-organizers and speakers, and one audit record for them all."""
    root = organization.path
    activities = [item.activity for item in planned]
    paths = dict(
        Organization.objects.filter(pk__in={a.organization_id for a in activities}).values_list("pk", "path")
    )
    if any(not paths.get(a.organization_id, "").startswith(root) for a in activities):
        raise ValueError("every activity must be organized in the organization's subtree")
    insert_objects(activities)
    for name in ("target_groups", "co_organizers", "speakers"):
        table, columns = _through(name)
        insert_rows(
            table, columns, ((item.activity.pk, pk) for item in planned for pk in getattr(item, name))
        )
    record(
        actor,
        "activity.demo",
        None,
        org_path=root,
        count=len(activities),
        organization=organization.pk,
        statuses=dict(Counter(a.status for a in activities)),
    )
    return activities


# --- planning ----------------------------------------------------------------------------------


@dataclass
class ActivitiesResult:
    activities: int = 0
    editions: int = 0
    speakers: int = 0
    seconds: float = 0.0
    by_category: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"Created {self.activities} activities ({self.by_category.get(Category.POPSCI, 0)} science "
            f"popularization, {self.by_status.get(Status.REPORTED, 0)} reported), {self.editions} campaign "
            f"editions and {self.speakers} speaker entries in {self.seconds:.1f} s."
        )


def campaign_editions(*, years: list[int]) -> dict[tuple[str, int], CampaignEdition]:
    """The edition of every campaign with known dates for each year, opened when missing."""
    editions = {
        (e.campaign.code, e.year): e
        for e in CampaignEdition.objects.filter(year__in=years).select_related("campaign")
    }
    for campaign in Campaign.objects.order_by("position", "code"):
        dates = CAMPAIGN_DATES.get(campaign.code)
        if dates is None:
            continue  # a campaign the administrator added: its dates are unknown
        for year in years:
            if (campaign.code, year) in editions:
                continue
            starts_on, ends_on = dates(year)
            themes = THEMES.get(campaign.code, ("",))
            editions[(campaign.code, year)] = edition_create(
                actor=None,
                campaign=campaign,
                data=EditionData(
                    year=year, starts_on=starts_on, ends_on=ends_on, theme=themes[year % len(themes)]
                ),
            )
    return editions


class ActivityPlanner:
    """Turns the network, the campaign editions, the experts and an rng into activities
    (unsaved; pure data until written)."""

    def __init__(
        self,
        *,
        scale: str,
        rng: random.Random,
        today: date,
        network: list[Area],
        editions: dict[tuple[str, int], CampaignEdition],
    ):
        self.scale, self.rng, self.today, self.network = scale, rng, today, network
        self.years = _years(today)
        self.horizon = min(today + timedelta(days=AHEAD), date(today.year, 12, 31))
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.kinds = {k.code: k for k in ActivityKind.objects.filter(is_active=True)}
        self.groups = {g.code: g.pk for g in TargetGroup.objects.all()}
        self.editions = editions
        self.children: dict[int, list[Area]] = defaultdict(list)
        for area in network:
            if area.org.parent_id and area.org.is_active:
                self.children[area.org.parent_id].append(area)
        self.towns: dict[int, list[str]] = defaultdict(list)  # county pk → town names
        for area in network:
            if area.org.kind == Kind.TOWN_ASSOCIATION and area.county is not None:
                self.towns[area.county.pk].append((area.org.short_name or area.org.name).removesuffix("科协"))
        # Full cities have universities (as in kexie.people.demo); the others are skeletons.
        full = {
            a.city.pk for a in network if a.org.kind == Kind.UNIVERSITY_ASSOCIATION and a.city is not None
        }
        self.skeleton = {
            a.org.pk for a in network if a.org.kind == Kind.CITY_ASSOCIATION and a.org.pk not in full
        }
        # Experts near each organization: by the path of their keeper's county, city, province.
        self.experts: dict[str, list[int]] = defaultdict(list)
        experts = (
            Person.objects.filter(tags__code="expert")
            .exclude(status=PersonStatus.ANONYMIZED)
            .order_by("pk")
            .values_list("pk", "organization__path")
        )
        for pk, path in experts:
            for depth in range(1, min(len(path) // PATH_SEGMENT, 3) + 1):
                self.experts[path[: depth * PATH_SEGMENT]].append(pk)

    # --- small generators -------------------------------------------------------------
    def pick(self, weighted: tuple[list[str], list[float]]) -> str:
        items, cum = weighted
        return items[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def spread(self, low: int, high: int) -> int:
        """A whole number between low and high, most of them in the lower half."""
        return int(low + (high - low) * self.rng.random() ** 1.6)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    # --- how many ---------------------------------------------------------------------
    def rate(self, area: Area) -> float:
        org = area.org
        rate = RATE.get(org.kind, 0)
        if org.kind == Kind.SOCIETY and area.county is not None:
            rate = COUNTY_SOCIETY_RATE
        city = area.city.pk if area.city is not None else None
        if city in self.skeleton:
            rate *= SKELETON_FACTOR
        return rate * SCALE_FACTOR[self.scale]

    def counts(self) -> list[tuple[Area, list[int]]]:
        """(area, activities per year) of every organization that runs some, in path order."""
        plan = []
        for area in self.network:
            rate = self.rate(area)
            if not rate or area.org.kind not in _MIXES:
                continue
            level = 0.6 + 0.8 * self.rng.random()  # some organizations are busier than others
            per_year = []
            for index, _year in enumerate(self.years):
                expected = rate * level * YEAR_FACTOR[index]
                count = int(expected)
                per_year.append(count + (self.rng.random() < expected - count))
            if any(per_year):
                plan.append((area, per_year))
        return plan

    # --- one activity -----------------------------------------------------------------
    def activities(self, area: Area, per_year: list[int]) -> list[Planned]:
        org = area.org
        first = max(org.founded_on or date.min, date(self.years[0], 1, 1))
        last = min(org.dissolved_on or self.horizon, self.horizon)
        planned = []
        for year, count in zip(self.years, per_year, strict=True):
            for _ in range(count):
                code = self.pick(_MIXES[org.kind])
                kind = self.kinds.get(code)
                if kind is None:
                    continue
                edition, day = self.when(kind, year)
                if not first <= day <= last:
                    continue
                planned.append(self.activity(area, kind, day, edition))
        return planned

    def when(self, kind: ActivityKind, year: int) -> tuple[CampaignEdition | None, date]:
        rng = self.rng
        share = CAMPAIGN_SHARE.get(kind.category, 0)
        if share and rng.random() < share:
            edition = self.editions.get((self.pick(_CAMPAIGN_MIXES[kind.category]), year))
            if edition is not None and edition.starts_on <= self.horizon:
                span = (min(edition.ends_on, self.horizon) - edition.starts_on).days
                return edition, edition.starts_on + timedelta(days=rng.randint(0, span))
        months = _MONTHS[kind.category]
        month = bisect.bisect_right(months, rng.random() * months[-1]) + 1
        first = date(year, month, 1)
        length = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
        return None, first + timedelta(days=rng.randrange(length))

    def activity(self, area: Area, kind: ActivityKind, day: date, edition: CampaignEdition | None) -> Planned:
        rng, org = self.rng, area.org
        code = kind.code
        modes = MODES.get(code) or MODES.get(kind.category)
        mode = Mode.ONLINE if code == "online" else rng.choices(*modes)[0] if modes else Mode.OFFLINE
        if day.year == self.years[0] and mode == Mode.OFFLINE and modes and rng.random() < 0.2:
            mode = Mode.BOTH  # the pandemic year moved events online
        audience = self.pick(_AUDIENCES[code]) if code in _AUDIENCES else ""
        groups = [audience] if audience else []
        if audience and rng.random() < 0.25:
            second = self.pick(_AUDIENCES[code])
            if second != audience:
                groups.append(second)
        title, venue = self.title_and_venue(area, code, audience, day, edition)
        starts_at, ends_at = self.times(code, day)
        status, reason = self.status(day)
        activity = Activity(
            organization_id=org.pk,
            title=title[:128],
            kind_id=kind.pk,
            starts_at=starts_at,
            ends_at=ends_at,
            held_on=day,
            division_id=org.division_id,
            address=org.address if venue and mode != Mode.ONLINE and rng.random() < 0.3 else "",
            venue=venue[:128] if mode != Mode.ONLINE else "",
            mode=mode,
            theme=edition.theme if edition is not None else "",
            campaign_edition_id=edition.pk if edition is not None else None,
            description=f"{org.short_name or org.name}组织开展{kind.name}：{title}。",
            status=status,
            status_reason=reason,
            partners=self.partners(area, kind),
        )
        if status in (Status.HELD, Status.REPORTED):
            values = self.figures(code, mode, audience)
            for figure in kind.figures:
                value = values.get(figure, 0)
                setattr(
                    activity,
                    figure,
                    Decimal(value).quantize(Decimal("0.1")) if figure == "service_hours" else value,
                )
        self.stamps(activity)
        return Planned(
            activity,
            target_groups=[self.groups[g] for g in groups if g in self.groups],
            co_organizers=self.co_organizers(area),
            speakers=self.speakers(area, code),
        )

    def times(self, code: str, day: date) -> tuple[datetime, datetime]:
        rng = self.rng
        if code == "exhibition":
            return self.at(day, 9), self.at(day + timedelta(days=rng.choice((0, 2, 6, 13))), 17)
        if code in ("conference", "training"):
            days = rng.choice((0, 0, 1, 2, 4)) if code == "training" else rng.choice((0, 1, 1, 2))
            return self.at(day, 8, 30), self.at(day + timedelta(days=days), 17, 30)
        if code == "online":
            return self.at(day, 19, 30), self.at(day, 21)
        if code in ("party_meeting", "party_day"):
            return self.at(day, 15), self.at(day, 17)
        hour = rng.choice((9, 9, 10, 14, 15))
        minute = rng.choice((0, 0, 30))
        return self.at(day, hour, minute), self.at(day, hour + rng.choice((1, 2, 2, 3)), minute)

    def status(self, day: date) -> tuple[str, str]:
        """Where the workflow is: reported after a month or two, drafts and plans ahead."""
        rng = self.rng
        roll = rng.random()
        age = (self.today - day).days
        if roll < 0.02:
            return Status.CANCELLED, rng.choice(CANCEL_REASONS)
        if age <= 0:
            status = rng.choices((Status.APPROVED, Status.SUBMITTED, Status.DRAFT), (50, 30, 20))[0]
        elif age < 14:
            status = rng.choices(
                (Status.HELD, Status.APPROVED, Status.SUBMITTED, Status.DRAFT, Status.REPORTED),
                (45, 20, 10, 10, 15),
            )[0]
        elif age < 60:
            status = rng.choices((Status.REPORTED, Status.HELD, Status.APPROVED), (55, 40, 5))[0]
        else:
            status = rng.choices((Status.REPORTED, Status.HELD), (93, 7))[0]
        reason = rng.choice(RETURN_REASONS) if status == Status.DRAFT and rng.random() < 0.15 else ""
        return status, reason

    def stamps(self, activity: Activity) -> None:
        """Submitted some days before, approved a day or two later, reported weeks after."""
        rng, status = self.rng, activity.status
        if status in (Status.DRAFT, Status.CANCELLED):
            return
        submitted = activity.starts_at - timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 6))
        activity.submitted_at = min(submitted, self.now - timedelta(hours=2))
        if status == Status.SUBMITTED:
            return
        activity.approved_at = min(
            activity.submitted_at + timedelta(days=rng.randint(0, 3), hours=2), self.now
        )
        if status == Status.REPORTED:
            reported = activity.ends_at + timedelta(days=rng.randint(2, 40))
            activity.reported_at = min(reported, self.now)

    def co_organizers(self, area: Area) -> list[int]:
        if area.org.kind not in (Kind.CITY_ASSOCIATION, Kind.COUNTY_ASSOCIATION) or self.rng.random() >= 0.08:
            return []
        children = self.children.get(area.org.pk)
        if not children:
            return []
        return sorted(
            {c.org.pk for c in self.rng.sample(children, min(len(children), self.rng.randint(1, 2)))}
        )

    def partners(self, area: Area, kind: ActivityKind) -> str:
        """Government departments that co-organized an association's science popularization."""
        associations = (Kind.CITY_ASSOCIATION, Kind.COUNTY_ASSOCIATION, Kind.TOWN_ASSOCIATION)
        if area.org.kind not in associations or kind.category != Category.POPSCI or not area.city_name:
            return ""
        if self.rng.random() >= 0.2:
            return ""
        chosen = self.rng.sample(PARTNERS, self.rng.choice((1, 1, 2)))
        return "、".join(partner.format(city=area.city_name) for partner in chosen)

    def speakers(self, area: Area, code: str) -> list[int]:
        share, low, high = SPEAKERS.get(code, (0, 0, 0))
        if not share or self.rng.random() >= share:
            return []
        path = area.org.path
        prefixes = (path[: depth * PATH_SEGMENT] for depth in (3, 2, 1))  # county, city, province
        pool = next((self.experts[prefix] for prefix in prefixes if self.experts.get(prefix)), None)
        if not pool:
            return []
        return sorted(set(self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))))

    # --- words ------------------------------------------------------------------------
    def place(self, area: Area) -> str:
        """The place an activity is named after: the town, the county or the city."""
        org = area.org
        if org.kind == Kind.TOWN_ASSOCIATION:
            return (org.short_name or org.name).removesuffix("科协")
        return area.county_name or (f"{area.city_name}市" if area.city_name else area.province)

    def school(self, area: Area) -> str:
        rng = self.rng
        towns = self.towns.get(area.county.pk) if area.county is not None else None
        if towns and rng.random() < 0.6:
            return f"{rng.choice(towns)}中心学校"
        where = area.county_name or f"{area.city_name}市"
        return rng.choice(
            (
                f"{where}第{rng.choice('一二三四五六')}中学",
                f"{where}实验小学",
                f"{where}第{rng.choice('一二三四五')}小学",
            )
        )

    def village(self) -> str:
        return self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND) + "村"

    def title_and_venue(
        self, area: Area, code: str, audience: str, day: date, edition: CampaignEdition | None
    ) -> tuple[str, str]:
        rng, org = self.rng, area.org
        short = org.short_name or org.name
        place = self.place(area)
        city = f"{area.city_name}市" if area.city_name else area.province
        campaign = edition.campaign.code if edition is not None else ""
        topics = CAMPAIGN_TOPICS.get(campaign) or TOPICS.get(audience) or TOPICS["residents"]
        topic = rng.choice(topics)
        field_topic = rng.choice(
            FIELD_TOPICS.get(area.group) or FIELD_TOPICS[rng.choice(sorted(FIELD_TOPICS))]
        )
        prefix = f"{edition.campaign.name}·" if edition is not None and rng.random() < 0.6 else ""
        if code == "lecture":
            if audience == "youth":
                school = self.school(area)
                return f"{prefix}科普进校园——{topic}", school
            title = rng.choice((f"{topic}科普讲座", f"“{topic}”专题科普讲座", f"科普大讲堂：{topic}"))
            venue = rng.choice((f"{place}新时代文明实践站", f"{short}报告厅", f"{place}图书馆报告厅"))
            return prefix + title, venue
        if code == "exhibition":
            return prefix + rng.choice((f"{topic}科普展览", f"“{topic}”主题科普展")), rng.choice(
                (f"{city}科技馆", f"{place}文化广场", f"{place}文化站")
            )
        if code == "contest":
            return (
                prefix + f"{day.year}年{place}{'青少年' if audience == 'youth' else ''}科普知识竞赛",
                self.school(area),
            )
        if code == "hands_on":
            return prefix + f"{rng.choice(HANDS_ON)}科学体验活动", rng.choice(
                (self.school(area), f"{city}科技馆")
            )
        if code == "caravan":
            school = self.school(area)
            return prefix + f"科普大篷车进{school}", school
        if code == "outreach":
            if audience == "farmers":
                village = self.village()
                return prefix + f"科技下乡进{village}——{topic}", f"{village}党群服务中心"
            if audience == "youth":
                return prefix + f"科普进校园——{topic}", self.school(area)
            if audience == "elderly" or rng.random() < 0.5:
                return prefix + f"科普进社区——{topic}", f"{place}新时代文明实践站"
            village = self.village()
            return prefix + f"科普进乡村——{topic}", f"{village}新时代文明实践站"
        if code == "online":
            return prefix + rng.choice((f"“{topic}”线上科普直播", f"科普云课堂：{topic}")), ""
        if code in ACADEMIC_KINDS:
            venue = rng.choice((f"{city}{rng.choice(HOTELS)}", f"{short}会议室"))
            if org.kind == Kind.UNIVERSITY_ASSOCIATION:
                venue = f"{org.name.removesuffix('科学技术协会')}学术报告厅"
            if code == "conference":
                name = org.name if org.kind == Kind.SOCIETY else short
                return f"{name}{day.year}年学术年会", venue
            if code == "salon":
                return f"青年科技工作者学术沙龙——{field_topic}", venue
            suffix = {"forum": "发展论坛", "seminar": "学术研讨会", "report_meeting": "专题学术报告会"}[code]
            return prefix + f"{field_topic}{suffix}", venue
        if code == "training":
            group = audience if audience in TRAININGS else "scientists"
            return f"{place}{rng.choice(TRAININGS[group])}培训班", rng.choice(
                (f"{short}培训中心", f"{city}科技会堂", f"{place}党校")
            )
        if code == "visit_care":
            occasion = {1: "春节", 2: "春节", 5: "全国科技工作者日", 9: "中秋节"}.get(day.month, "")
            return f"{occasion}走访慰问科技工作者" if occasion else "走访慰问老科技工作者", ""
        if code == "matchmaking":
            return prefix + f"{field_topic}{rng.choice(MATCHMAKING)}", f"{city}科技成果转化服务中心"
        if code == "party_meeting":
            meeting = rng.choice(PARTY_MEETINGS)
            return f"{day.month}月{meeting}", f"{short}党员活动室"
        if code == "party_day":
            return f"{day.month}月主题党日——{rng.choice(PARTY_DAY_THEMES)}", f"{short}党员活动室"
        return rng.choice(OTHERS), f"{short}会议室"

    def figures(self, code: str, mode: str, audience: str) -> dict[str, int | float]:
        """Plausible figures for an activity of this kind (the caller keeps the kind's)."""
        rng, spread = self.rng, self.spread
        onsite, online = mode != Mode.ONLINE, mode != Mode.OFFLINE
        youth = audience == "youth"
        values: dict[str, int | float] = {}
        if code in ACADEMIC_KINDS:
            low, high, sessions_low, sessions_high = {
                "conference": (80, 400, 6, 30),
                "forum": (60, 300, 3, 12),
                "seminar": (20, 80, 2, 8),
                "salon": (15, 50, 1, 4),
                "report_meeting": (50, 250, 1, 3),
            }[code]
            viewers = spread(500, 8000) if online else 0
            values.update(
                onsite_participants=spread(low, high) if onsite else 0,
                online_viewers=viewers,
                online_interactions=int(viewers * rng.uniform(0.02, 0.15)),
                sessions=rng.randint(sessions_low, sessions_high),
            )
        elif code == "lecture":
            people = spread(50, 300) if onsite else 0
            viewers = spread(1000, 20000) if online else 0
            values.update(
                onsite_participants=people,
                online_viewers=viewers,
                online_interactions=int(viewers * rng.uniform(0.02, 0.15)),
                sessions=rng.choice((1, 1, 1, 2)),
                leaflets=spread(50, 500) if onsite and rng.random() < 0.7 else 0,
                students_reached=people if youth else 0,
            )
        elif code == "exhibition":
            values.update(
                onsite_participants=spread(300, 3000),
                display_boards=rng.randint(10, 60),
                wall_charts=rng.randint(0, 40),
                leaflets=spread(200, 2000),
            )
        elif code == "contest":
            people = spread(50, 400)
            values.update(
                onsite_participants=people,
                online_viewers=spread(1000, 20000) if online else 0,
                students_reached=int(people * rng.uniform(0.6, 1.0)) if youth else 0,
            )
        elif code == "hands_on":
            people = spread(30, 200)
            values.update(
                onsite_participants=people,
                sessions=rng.randint(1, 6),
                students_reached=int(people * rng.uniform(0.7, 1.0)) if youth else 0,
            )
        elif code == "caravan":
            students = rng.randint(200, 800)
            values.update(
                onsite_participants=students + rng.randint(10, 80),
                students_reached=students,
                sessions=rng.randint(2, 6),
                display_boards=rng.randint(10, 30),
                leaflets=spread(100, 800),
            )
        elif code == "outreach":
            volunteers = rng.randint(5, 40)
            values.update(
                onsite_participants=spread(50, 500),
                leaflets=spread(200, 2000),
                display_boards=rng.randint(0, 20),
                problems_solved=rng.randint(0, 30) if audience == "farmers" else rng.randint(0, 5),
                volunteers=volunteers,
                service_hours=volunteers * rng.uniform(2, 6),
            )
        elif code == "online":
            viewers = spread(1000, 50000)
            values.update(
                online_viewers=viewers,
                online_interactions=int(viewers * rng.uniform(0.02, 0.2)),
                sessions=rng.randint(1, 3),
            )
        elif code == "training":
            values.update(
                onsite_participants=spread(30, 200) if onsite else 0,
                online_viewers=spread(200, 3000) if online else 0,
                sessions=rng.randint(2, 20),
            )
        elif code == "visit_care":
            values.update(onsite_participants=rng.randint(5, 30))
        elif code == "matchmaking":
            values.update(
                onsite_participants=spread(30, 200),
                problems_solved=rng.randint(2, 30),
                sessions=rng.randint(1, 5),
            )
        elif code == "party_meeting":
            values.update(onsite_participants=rng.randint(5, 40))
        elif code == "party_day":
            volunteers = rng.randint(0, 20)
            values.update(
                onsite_participants=rng.randint(10, 60),
                volunteers=volunteers,
                service_hours=volunteers * rng.uniform(2, 4),
            )
        else:
            volunteers = rng.randint(0, 10)
            values.update(
                onsite_participants=spread(20, 200),
                sessions=rng.randint(1, 3),
                leaflets=rng.randint(0, 300),
                volunteers=volunteers,
                service_hours=volunteers * rng.uniform(1, 4),
            )
        return values


# --- seeding -----------------------------------------------------------------------------------


def _writing_root(area: Area) -> Organization:
    """Whose subtree an organization's activities are written with: its county, else its city."""
    return (area.county or area.city or area.org) if area.org.kind != Kind.PROVINCE_ASSOCIATION else area.org


def _planned_by_root(planner: ActivityPlanner) -> tuple[int, Iterator[tuple[Organization, list[Planned]]]]:
    """The number of activities planned, and the activities of each county or city area."""
    counts = planner.counts()
    by_root: dict[int, list[tuple[Area, list[int]]]] = defaultdict(list)
    roots: dict[int, Organization] = {}
    for area, per_year in counts:
        root = _writing_root(area)
        roots[root.pk] = root
        by_root[root.pk].append((area, per_year))

    def areas():
        for root_pk, members in by_root.items():
            yield (
                roots[root_pk],
                [item for area, per_year in members for item in planner.activities(area, per_year)],
            )

    return sum(sum(per_year) for _area, per_year in counts), areas()


def _years(today: date) -> list[int]:
    return list(range(today.year - YEARS + 1, today.year + 1))


def seed_activities(
    *,
    scale: str,
    rng: random.Random,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ActivitiesResult:
    """Fill the demo network's activities (actor=None), in one transaction."""
    started = time.monotonic()
    today = today or timezone.localdate()
    result = ActivitiesResult()
    with transaction.atomic():
        before = CampaignEdition.objects.count()
        editions = campaign_editions(years=_years(today))
        result.editions = CampaignEdition.objects.count() - before
        planner = ActivityPlanner(
            scale=scale, rng=rng, today=today, network=load_network(), editions=editions
        )
        categories = {kind.pk: kind.category for kind in planner.kinds.values()}
        total, areas = _planned_by_root(planner)
        reported = 0
        for root, planned in areas:
            if not planned:
                continue
            activities_bulk_create(actor=None, organization=root, planned=planned)
            result.activities += len(planned)
            result.speakers += sum(len(item.speakers) for item in planned)
            result.by_status.update(item.activity.status for item in planned)
            result.by_category.update(categories[item.activity.kind_id] for item in planned)
            if progress and result.activities - reported >= 20_000:
                reported = result.activities
                progress(result.activities, total)
    result.seconds = time.monotonic() - started
    return result


def plan_activities(*, scale: str, rng: random.Random, today: date) -> list[Planned]:
    """What `seed_activities` writes for the network in the database, without writing it
    (the campaign editions must exist): the same inputs give the same plan."""
    editions = {
        (e.campaign.code, e.year): e
        for e in CampaignEdition.objects.filter(year__in=_years(today)).select_related("campaign")
    }
    planner = ActivityPlanner(scale=scale, rng=rng, today=today, network=load_network(), editions=editions)
    _total, areas = _planned_by_root(planner)
    return [item for _root, planned in areas for item in planned]
