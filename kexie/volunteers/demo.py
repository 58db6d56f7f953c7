"""The demo volunteer service: volunteers, teams, a menu of realistic topics and three years
of orders in every state, for `make run`, tests and benchmarks.

`seed_volunteers()` runs after the activities and sign-ups and before the reports upward
(seed_demo calls it), so the services it records as activities fall in periods not yet
locked. The same network, people, scale, seed and day give the same data. What it writes:

- about one adult person in twenty of the talent pool registered as a volunteer with the
  organization that keeps them (S ≈ 100, M ≈ 5,000, L ≈ 100,000), in their field (or a
  field the association needs), serving their county, some the whole city; about one in
  ten away for a while, a few paused or gone;
- a 科普讲师团 at each city association, a 科技志愿服务队 at each county association and the
  three teams of each town (school, hospital and agricultural station heads), each with
  members of its network;
- two menu items per team and a few offered by single volunteers, mostly published;
- for each county and year, orders from villages, communities, schools and enterprises:
  the older ones served and rated (or closed unrated), a few rejected or cancelled; the
  recent ones at every step, a few not accepted in time;
- for each service held: the activity record (kind 科技志愿服务, reported), the hours of
  whoever served, and the counters the dispatch suggestion reads.

Rows are inserted in bulk (kexie.core.bulk) with one audit record "volunteers.demo" per
county, as the other demo loaders do.
"""

import random
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.db import transaction
from django.db.models import CharField, Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear, LPad
from django.utils import timezone

from kexie.activities.models import Activity, ActivityKind
from kexie.activities.models import Status as ActivityStatus
from kexie.audit.services import record
from kexie.core import crypto
from kexie.core.bulk import insert_objects, insert_rows
from kexie.core.masking import mask_phone
from kexie.orgs.models import PATH_SEGMENT, Kind, Organization
from kexie.orgs.models import Status as OrgStatus
from kexie.people.models import Discipline, Person, PersonStatus
from kexie.volunteers.models import (
    HoursEntry,
    HoursSource,
    HoursStatus,
    MenuItem,
    MenuStatus,
    OrderAction,
    OrderEvent,
    OrderStatus,
    ServiceForm,
    ServiceOrder,
    TeamKind,
    TeamMember,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    VolunteerTeam,
)
from kexie.volunteers.services.orders import ACTIVITY_KIND, mobile_lookup

SHARE = 0.05  # of the adult people of the talent pool
YEARS = 3
ORDERS_PER_COUNTY_YEAR = {"S": 24, "M": 30, "L": 30}
CHUNK = 2_000

# (field code, topic, form, audience, what the requester provides, team kinds that offer it)
TOPICS = [
    ("210", "果树病虫害绿色防控", ServiceForm.GUIDANCE, "果农", "果园现场、病虫样本", "agriculture service"),
    ("210", "小麦赤霉病识别与防治", ServiceForm.LECTURE, "种粮大户", "会场、投影仪", "agriculture service"),
    ("210", "设施蔬菜高效栽培技术", ServiceForm.GUIDANCE, "菜农", "大棚现场", "agriculture service"),
    ("230", "畜禽养殖疫病防控", ServiceForm.LECTURE, "养殖户", "会场", "agriculture service"),
    ("240", "稻渔综合种养技术", ServiceForm.GUIDANCE, "养殖户", "鱼塘现场", "agriculture service"),
    ("220", "林下经济与森林防火", ServiceForm.LECTURE, "林农", "会场", "agriculture service"),
    ("320", "老年人慢性病防治", ServiceForm.LECTURE, "老年人", "活动室、血压计", "health lecturers service"),
    (
        "320",
        "心肺复苏与急救技能",
        ServiceForm.DEMONSTRATION,
        "社区居民",
        "空地、急救训练模型",
        "health service",
    ),
    ("330", "传染病预防与健康生活方式", ServiceForm.LECTURE, "社区居民", "会场", "health lecturers"),
    ("360", "中医养生与合理用药", ServiceForm.CONSULTATION, "老年人", "咨询桌椅", "health"),
    ("550", "食品安全与家庭营养", ServiceForm.LECTURE, "家庭主妇和学生家长", "会场", "health school"),
    (
        "620",
        "家庭消防安全与逃生演练",
        ServiceForm.DEMONSTRATION,
        "社区居民",
        "空地、灭火器材",
        "service school",
    ),
    ("620", "防范电信网络诈骗", ServiceForm.LECTURE, "老年人", "会场、投影仪", "service lecturers"),
    ("620", "防灾减灾与应急避险", ServiceForm.LECTURE, "中小学生", "多媒体教室", "school service"),
    (
        "520",
        "人工智能启蒙：孩子的第一堂AI课",
        ServiceForm.LECTURE,
        "中小学生",
        "多媒体教室",
        "school lecturers",
    ),
    ("520", "老年人智能手机使用", ServiceForm.DEMONSTRATION, "老年人", "活动室", "service school"),
    ("170", "气象灾害防御知识", ServiceForm.LECTURE, "村民", "会场", "service lecturers"),
    ("180", "身边的生物多样性", ServiceForm.LECTURE, "中小学生", "多媒体教室", "school lecturers"),
    ("140", "趣味物理实验秀", ServiceForm.DEMONSTRATION, "中小学生", "实验台、电源", "school lecturers"),
    ("610", "垃圾分类与低碳生活", ServiceForm.LECTURE, "社区居民", "会场", "service school"),
    ("190", "青少年心理健康", ServiceForm.LECTURE, "中学生", "多媒体教室", "school health lecturers"),
    ("470", "农村用电安全", ServiceForm.GUIDANCE, "村民", "村委会", "service agriculture"),
]
REQUESTERS = [
    ("村民委员会", "村"),
    ("社区居民委员会", "社区"),
    ("中心小学", "小学"),
    ("中学", "中学"),
    ("农业专业合作社", "合作社"),
    ("科技有限公司", "企业"),
    ("敬老院", "敬老院"),
]
VILLAGES = "东西南北前后上下大小新老"
VILLAGE_SUFFIX = ["庄", "营", "屯", "湾", "岗", "集", "河", "桥"]
CONTACTS = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
REJECT_REASONS = ["该村本月已安排同类讲座，请下月再点单。", "需求超出科技志愿服务范围，已转交相关部门。"]
CANCEL_REASONS = ["村里活动改期", "学校临时安排考试", "场地无法落实"]
DECLINE_REASONS = ["当天在外地出差", "时间冲突，已有其他安排", "专业不太对口"]
COMMENTS = [
    "讲得通俗易懂，很实用。",
    "现场答疑很耐心，村民反映很好。",
    "希望以后多来几次。",
    "内容丰富，就是时间短了点。",
    "",
]
TEAM_NAMES = {
    TeamKind.SCHOOL: "科普教育服务队",
    TeamKind.HEALTH: "卫生健康服务队",
    TeamKind.AGRICULTURE: "农技推广服务队",
}


@dataclass
class VolunteersResult:
    volunteers: int = 0
    teams: int = 0
    items: int = 0
    orders: int = 0
    hours: Decimal = Decimal(0)
    by_status: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"Created {self.volunteers} volunteers, {self.teams} teams, {self.items} menu items and "
            f"{self.orders} service orders ({self.by_status.get(OrderStatus.COMPLETED, 0)} completed), "
            f"{self.hours} service hours in {self.seconds:.1f} s."
        )


def _aware(day: date, hour: float) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(0))) + timedelta(hours=hour)


class Planner:
    def __init__(self, *, scale: str, rng: random.Random, today: date):
        self.scale, self.rng, self.today = scale, rng, today
        self.disciplines = {d.code: d for d in Discipline.objects.select_related("parent")}
        self.roots = {d.pk: d.parent_id or d.pk for d in self.disciplines.values()}
        self.kind = ActivityKind.objects.get(code=ACTIVITY_KIND)
        self.orgs = {org.pk: org for org in Organization.objects.filter(status=OrgStatus.ACTIVE)}
        self.by_path = {org.path: org for org in self.orgs.values()}

    def _above(self, org: Organization, kind: str) -> Organization | None:
        """The organization itself or the nearest one above it of this kind."""
        for end in range(len(org.path), 0, -PATH_SEGMENT):
            found = self.by_path.get(org.path[:end])
            if found is not None and found.kind == kind:
                return found
        return None

    def county_of(self, org: Organization) -> Organization | None:
        return self._above(org, Kind.COUNTY_ASSOCIATION)

    def city_of(self, org: Organization) -> Organization | None:
        return self._above(org, Kind.CITY_ASSOCIATION)

    # --- volunteers ------------------------------------------------------------------------

    def volunteers(self) -> list[Volunteer]:
        rng, today = self.rng, self.today
        adult = date(today.year - 18, today.month, 1)
        ids = list(
            Person.objects.filter(status=PersonStatus.ACTIVE, anonymized_at__isnull=True)
            .filter(Q(birth_date__isnull=True) | Q(birth_date__lte=adult))
            .filter(organization_id__in=list(self.orgs))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = sorted(rng.sample(ids, max(1, int(len(ids) * SHARE)))) if ids else []
        codes = [code for code, *_rest in TOPICS]
        volunteers = []
        for start in range(0, len(chosen), CHUNK):
            rows = Person.objects.filter(pk__in=chosen[start : start + CHUNK]).values_list(
                "pk", "organization_id", "division_id", "discipline__code", "discipline__parent_id"
            )
            for pk, org_id, division_id, discipline, parent in rows.order_by("pk"):
                org = self.orgs[org_id]
                own = discipline if discipline and parent else None
                fields = [own or rng.choice(codes)]
                if rng.random() < 0.3:
                    fields.append(rng.choice(codes))
                roll = rng.random()
                status = (
                    VolunteerStatus.ACTIVE
                    if roll < 0.93
                    else (VolunteerStatus.PAUSED if roll < 0.97 else VolunteerStatus.LEFT)
                )
                registered = today - timedelta(days=rng.randint(30, 365 * 5))
                volunteer = Volunteer(
                    person_id=pk,
                    organization_id=org_id,
                    home_division_id=division_id or org.division_id,
                    on_workdays=rng.random() < 0.75,
                    on_rest_days=True,
                    languages=rng.choice(["普通话", "普通话、本地方言", "普通话、英语", ""]),
                    status=status,
                    registered_on=registered,
                    consent_on=registered,
                    expertise=f"擅长{self.disciplines[fields[0]].name}方面的科普和技术服务。",
                )
                volunteer.demo_fields = sorted(set(fields))
                county, city = self.county_of(org), self.city_of(org)
                areas = [county.division_id] if county and county.division_id else []
                if city and city.division_id and rng.random() < 0.1:
                    areas.append(city.division_id)
                volunteer.demo_areas = areas
                volunteers.append(volunteer)
        insert_objects(volunteers)
        through = Volunteer.disciplines.through
        insert_rows(
            through._meta.db_table,
            ["volunteer_id", "discipline_id"],
            ((v.pk, self.disciplines[code].pk) for v in volunteers for code in v.demo_fields),
        )
        areas = Volunteer.divisions.through
        insert_rows(
            areas._meta.db_table,
            ["volunteer_id", "division_id"],
            ((v.pk, code) for v in volunteers for code in dict.fromkeys(v.demo_areas)),
        )
        away = []
        for volunteer in volunteers:
            if rng.random() < 0.1:
                starts = today + timedelta(days=rng.randint(-20, 60))
                away.append(
                    Unavailability(
                        volunteer_id=volunteer.pk,
                        starts_on=starts,
                        ends_on=starts + timedelta(days=rng.randint(3, 30)),
                        note=rng.choice(["外出学习", "出差", "农忙", "住院治疗", ""]),
                    )
                )
        insert_objects(away)
        return volunteers


def _root_field(planner: Planner, code: str) -> int:
    return planner.roots[planner.disciplines[code].pk]


def seed_volunteers(
    *, scale: str, rng: random.Random, today: date | None = None, progress=None
) -> VolunteersResult:
    """Fill the demo network's volunteer service (actor None), in one transaction."""
    started = time.monotonic()
    today = today or timezone.localdate()
    result = VolunteersResult()
    with transaction.atomic():
        planner = Planner(scale=scale, rng=rng, today=today)
        volunteers = planner.volunteers()
        result.volunteers = len(volunteers)
        by_county: dict[int, list[Volunteer]] = defaultdict(list)
        by_org: dict[int, list[Volunteer]] = defaultdict(list)
        for volunteer in volunteers:
            if volunteer.status != VolunteerStatus.ACTIVE:
                continue
            by_org[volunteer.organization_id].append(volunteer)
            county = planner.county_of(planner.orgs[volunteer.organization_id])
            if county is not None:
                by_county[county.pk].append(volunteer)
        teams, items, members = _teams_and_menu(planner, by_county, by_org)
        result.teams, result.items = len(teams), len(items)
        counties = sorted(
            (org for org in planner.orgs.values() if org.kind == Kind.COUNTY_ASSOCIATION),
            key=lambda o: o.path,
        )
        for done, county in enumerate(counties, start=1):
            orders = _orders_of_county(planner, county, by_county.get(county.pk, []), teams, items, members)
            result.orders += len(orders)
            result.by_status.update(order.status for order in orders)
            if progress and done % 50 == 0:
                progress(done, len(counties))
        _update_counters()
        _volunteer_persona(planner)
        result.hours = (
            HoursEntry.objects.filter(status=HoursStatus.APPROVED).aggregate(total=Sum("hours"))["total"] or 0
        )
    result.seconds = time.monotonic() - started
    return result


def _teams_and_menu(planner: Planner, by_county, by_org):
    """Teams with members, and their menu items (and a few of single volunteers)."""
    rng = planner.rng
    teams: list[VolunteerTeam] = []
    for org in sorted(planner.orgs.values(), key=lambda o: o.path):
        label = (org.short_name or org.name).removesuffix("科协")
        if org.kind == Kind.CITY_ASSOCIATION:
            pool = [
                v
                for county_pk, vs in by_county.items()
                if planner.orgs[county_pk].path.startswith(org.path)
                for v in vs
            ]
            pool += by_org.get(org.pk, [])
            specs = [(TeamKind.LECTURERS, f"{label}科普讲师团", 20)]
        elif org.kind == Kind.COUNTY_ASSOCIATION:
            pool = by_county.get(org.pk, [])
            specs = [(TeamKind.SERVICE, f"{label}科技志愿服务队", 12)]
        elif org.kind == Kind.TOWN_ASSOCIATION:
            pool = [
                v
                for v in by_county.get((planner.county_of(org) or org).pk, [])
                if planner.orgs[v.organization_id].path.startswith(org.path)
            ]
            pool = pool or by_county.get((planner.county_of(org) or org).pk, [])
            specs = [(kind, f"{label}{name}", 5) for kind, name in TEAM_NAMES.items()]
        else:
            continue
        if len(pool) < 2:
            continue
        for kind, name, size in specs:
            chosen = rng.sample(pool, min(len(pool), rng.randint(max(2, size // 2), size)))
            team = VolunteerTeam(
                organization_id=org.pk,
                name=name[:128],
                kind=kind,
                leader_id=chosen[0].pk,
                founded_on=planner.today - timedelta(days=rng.randint(200, 2000)),
                description=f"{org.short_name or org.name}组建的{TeamKind(kind).label}。",
            )
            team.demo_members = chosen
            teams.append(team)
    insert_objects(teams)
    members = [
        TeamMember(team_id=team.pk, volunteer_id=volunteer.pk, joined_on=team.founded_on)
        for team in teams
        for volunteer in team.demo_members
    ]
    insert_objects(members)
    items: list[MenuItem] = []
    for team in teams:
        kind_key = {
            TeamKind.LECTURERS: "lecturers",
            TeamKind.SERVICE: "service",
            TeamKind.SCHOOL: "school",
            TeamKind.HEALTH: "health",
            TeamKind.AGRICULTURE: "agriculture",
        }[team.kind]
        fitting = [topic for topic in TOPICS if kind_key in topic[5].split()]
        for topic in rng.sample(fitting, min(2, len(fitting))):
            items.append(_item(planner, topic, organization_id=team.organization_id, team=team))
    for pool in by_county.values():
        for volunteer in rng.sample(pool, min(3, len(pool))):
            fitting = [t for t in TOPICS if t[0] in volunteer.demo_fields] or TOPICS
            items.append(
                _item(
                    planner,
                    rng.choice(fitting),
                    organization_id=volunteer.organization_id,
                    volunteer=volunteer,
                )
            )
    insert_objects(items)
    by_team = {team.pk: team for team in teams}
    return by_team, items, members


def _item(planner: Planner, topic, *, organization_id: int, team=None, volunteer=None) -> MenuItem:
    from kexie.core.chinese import search_text_for

    rng = planner.rng
    code, title, form, audience, requirements, _kinds = topic
    roll = rng.random()
    status = (
        MenuStatus.PUBLISHED
        if roll < 0.85
        else MenuStatus.PENDING
        if roll < 0.9
        else MenuStatus.DRAFT
        if roll < 0.95
        else MenuStatus.WITHDRAWN
    )
    provider = team.name if team else "志愿者"
    published = (
        _aware(planner.today - timedelta(days=rng.randint(30, 900)), 10)
        if status != MenuStatus.DRAFT
        else None
    )
    return MenuItem(
        organization_id=organization_id,
        team_id=team.pk if team else None,
        volunteer_id=volunteer.pk if volunteer else None,
        title=title,
        discipline_id=planner.disciplines[code].pk,
        form=form,
        audience=audience,
        duration_hours=Decimal(rng.choice(["1.5", "2", "2", "3"])),
        description=f"围绕“{title}”开展{ServiceForm(form).label}，结合本地实际讲解常见问题并现场答疑。",
        requirements=requirements,
        status=status,
        published_at=published if status in (MenuStatus.PUBLISHED, MenuStatus.WITHDRAWN) else None,
        search_text=search_text_for(title, audience, provider, planner.disciplines[code].name),
    )


# Statuses of orders whose service is still to come.
WAITING = (
    OrderStatus.PENDING,
    OrderStatus.REVIEWED,
    OrderStatus.OPEN,
    OrderStatus.DISPATCHED,
    OrderStatus.ACCEPTED,
)


def _final_status(rng, age_days: int) -> str:
    roll = rng.random()
    if age_days > 40:
        if roll < 0.05:
            return OrderStatus.REJECTED
        if roll < 0.10:
            return OrderStatus.CANCELLED
        return OrderStatus.COMPLETED
    steps = [
        OrderStatus.PENDING,
        OrderStatus.REVIEWED,
        OrderStatus.OPEN,
        OrderStatus.DISPATCHED,
        OrderStatus.ACCEPTED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    ]
    return rng.choices(steps, weights=[2, 2, 1, 2, 3, 2, 3])[0]


def _orders_of_county(
    planner: Planner, county: Organization, pool, teams, items, members
) -> list[ServiceOrder]:
    """Three years of orders placed with one county association, with their history, the
    activities and hours of the services held."""
    rng, today = planner.rng, planner.today
    if not county.division_id or not pool:
        return []
    county_teams = [
        t
        for t in teams.values()
        if planner.orgs[t.organization_id].path.startswith(county.path)
        or (t.kind == TeamKind.LECTURERS and county.path.startswith(planner.orgs[t.organization_id].path))
    ]
    team_ids = {t.pk for t in county_teams}
    menu = [
        i
        for i in items
        if i.status == MenuStatus.PUBLISHED
        and (i.team_id in team_ids or i.volunteer_id in {v.pk for v in pool})
    ]
    members_of = defaultdict(list)
    for member in members:
        if member.team_id in team_ids:
            members_of[member.team_id].append(member.volunteer_id)
    by_root = defaultdict(list)
    for volunteer in pool:
        for code in volunteer.demo_fields:
            by_root[_root_field(planner, code)].append(volunteer)
    towns = [o for o in planner.orgs.values() if o.parent_id == county.pk and o.kind == Kind.TOWN_ASSOCIATION]
    count = ORDERS_PER_COUNTY_YEAR[planner.scale]
    orders, plans = [], []
    first_day = date(today.year - YEARS + 1, 1, 1)
    span = (today - first_day).days
    for _ in range(count * YEARS * span // (365 * YEARS)):
        ordered = first_day + timedelta(days=rng.randint(0, max(0, span - 1)))
        age = (today - ordered).days
        status = _final_status(rng, age)
        item = rng.choice(menu) if menu and rng.random() < 0.6 else None
        if item is not None:
            topic = next((t for t in TOPICS if t[1] == item.title), rng.choice(TOPICS))
        else:
            topic = rng.choice(TOPICS)
        code, title, form = topic[0], topic[1], topic[2]
        unit_suffix, _short = rng.choice(REQUESTERS)
        town = rng.choice(towns) if towns else county
        place = f"{rng.choice(VILLAGES)}{rng.choice(VILLAGE_SUFFIX)}"
        requester_unit = f"{(town.short_name or town.name).removesuffix('科协')}{place}{unit_suffix}"
        mobile = f"139{rng.randint(0, 99_999_999):08d}"
        created = _aware(ordered, rng.uniform(8, 20))
        preferred = ordered + timedelta(days=rng.randint(7, 30))
        if status in WAITING and preferred <= today:
            # an order still on its way is wanted on a day to come
            preferred = today + timedelta(days=rng.randint(3, 20))
        order = ServiceOrder(
            number=secrets.token_hex(8),
            token=secrets.token_urlsafe(32),
            organization_id=county.pk,
            received_by_id=county.pk,
            menu_item_id=item.pk if item else None,
            title=item.title if item else title,
            need="" if item else f"希望请专家来讲讲{title}，结合我们这里的实际情况。",
            discipline_id=item.discipline_id if item else planner.disciplines[code].pk,
            form=item.form if item else form,
            division_id=county.division_id,
            address=f"{(town.short_name or town.name).removesuffix('科协')}{place}",
            preferred_on=preferred,
            expected_audience=rng.choice([30, 40, 50, 60, 80, 100, 150]),
            requester_name=f"{rng.choice(CONTACTS)}{rng.choice(['主任', '书记', '老师', '经理', '站长'])}",
            requester_unit=requester_unit,
            mobile_encrypted=crypto.encrypt(mobile),
            mobile_index=mobile_lookup(mobile),
            mobile_masked=mask_phone(mobile),
            status=status,
            created_at=created,
            ordered_on=ordered,
        )
        plan = _history(planner, order, item, by_root, pool, county_teams, members_of)
        if plan is None:
            continue
        orders.append(order)
        plans.append(plan)
    # the services held become reported activities of the county (before the orders: they link to them)
    activities = [plan["activity"] for plan in plans if plan.get("activity") is not None]
    insert_objects(activities)
    for order, plan in zip(orders, plans, strict=True):
        if plan.get("activity") is not None:
            order.activity_id = plan["activity"].pk
    insert_objects(orders)
    events, hours = [], []
    served = {pk for plan in plans for pk in plan.get("served", [])}
    registered_with = dict(Volunteer.objects.filter(pk__in=served).values_list("pk", "organization_id"))
    for order, plan in zip(orders, plans, strict=True):
        for action, from_status, to_status, at, extra in plan["events"]:
            events.append(
                OrderEvent(
                    order_id=order.pk,
                    action=action,
                    from_status=from_status,
                    to_status=to_status,
                    at=at,
                    actor_name=order.requester_name
                    if action in (OrderAction.ORDER, OrderAction.RATE)
                    else "",
                    **extra,
                )
            )
        for volunteer_id in plan.get("served", []):
            hours.append(
                HoursEntry(
                    volunteer_id=volunteer_id,
                    organization_id=registered_with[volunteer_id],
                    team_id=order.team_id,
                    order_id=order.pk,
                    source=HoursSource.SERVICE,
                    served_on=order.served_on,
                    hours=order.hours,
                    description=order.title,
                    status=HoursStatus.APPROVED,
                )
            )
    insert_objects(events)
    insert_objects(hours)
    ServiceOrder.objects.filter(pk__in=[o.pk for o in orders]).update(
        number=Concat(
            Cast(ExtractYear("created_at"), CharField()),
            LPad(Cast("id", CharField()), 7, Value("0")),
            output_field=CharField(),
        )
    )
    record(
        None,
        "volunteers.demo",
        None,
        org_path=county.path,
        orders=len(orders),
        organization=county.pk,
        statuses=dict(Counter(o.status for o in orders)),
    )
    return orders


def _history(planner: Planner, order: ServiceOrder, item, by_root, pool, teams, members_of):
    """The steps an order of this status went through, with plausible times; who served."""
    rng, today, now = planner.rng, planner.today, timezone.now()
    events = [(OrderAction.ORDER, "", OrderStatus.PENDING, order.created_at, {})]
    status = order.status
    if order.preferred_on > today and status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        order.preferred_on = today - timedelta(days=rng.randint(0, 3))
        if order.preferred_on < order.ordered_on:
            return None
    reviewed = order.created_at + timedelta(hours=rng.uniform(2, 30))
    if reviewed > now and status != OrderStatus.PENDING:
        status = order.status = OrderStatus.PENDING
    if status == OrderStatus.PENDING:
        return {"events": events}
    order.reviewed_at = reviewed
    if status == OrderStatus.REJECTED:
        order.status_reason, order.closed_at = rng.choice(REJECT_REASONS), reviewed
        events.append(
            (
                OrderAction.REJECT,
                OrderStatus.PENDING,
                OrderStatus.REJECTED,
                reviewed,
                {"reason": order.status_reason},
            )
        )
        return {"events": events}
    events.append((OrderAction.APPROVE, OrderStatus.PENDING, OrderStatus.REVIEWED, reviewed, {}))
    if status == OrderStatus.CANCELLED:
        order.status_reason, order.closed_at = rng.choice(CANCEL_REASONS), reviewed + timedelta(days=1)
        events.append(
            (
                OrderAction.CANCEL,
                OrderStatus.REVIEWED,
                OrderStatus.CANCELLED,
                order.closed_at,
                {"reason": order.status_reason},
            )
        )
        return {"events": events}
    if status == OrderStatus.REVIEWED:
        return {"events": events}
    dispatched = reviewed + timedelta(hours=rng.uniform(1, 48))
    if dispatched > now:
        dispatched = now - timedelta(minutes=rng.randint(5, 120))
    order.first_dispatched_at = order.dispatched_at = dispatched
    order.dispatched_on = timezone.localdate(dispatched)
    fitting = by_root.get(planner.roots[order.discipline_id], []) or pool
    grabbed = status == OrderStatus.OPEN or rng.random() < 0.15
    team = None
    if not grabbed and rng.random() < 0.3:
        if item is not None and item.team_id and item.team_id in members_of:
            team = next((t for t in teams if t.pk == item.team_id), None)
        elif teams:
            team = rng.choice(teams)
        if team is not None and not members_of.get(team.pk):
            team = None
    volunteer = (
        None
        if team
        else (
            next((v for v in pool if item is not None and v.pk == item.volunteer_id), None)
            or rng.choice(fitting)
        )
    )
    if grabbed:
        order.pool_id = order.organization_id
        events.append((OrderAction.OPEN, OrderStatus.REVIEWED, OrderStatus.OPEN, dispatched, {}))
        if status == OrderStatus.OPEN:
            return {"events": events}
    else:
        if rng.random() < 0.1:  # declined once, then dispatched again
            other = rng.choice(fitting)
            events.append(
                (
                    OrderAction.DISPATCH,
                    OrderStatus.REVIEWED,
                    OrderStatus.DISPATCHED,
                    dispatched,
                    {"volunteer_id": other.pk},
                )
            )
            later = dispatched + timedelta(hours=rng.uniform(2, 20))
            events.append(
                (
                    OrderAction.DECLINE,
                    OrderStatus.DISPATCHED,
                    OrderStatus.REVIEWED,
                    later,
                    {"volunteer_id": other.pk, "reason": rng.choice(DECLINE_REASONS)},
                )
            )
            dispatched = order.dispatched_at = min(
                later + timedelta(hours=rng.uniform(1, 10)), now - timedelta(minutes=1)
            )
        extra = {"team_id": team.pk} if team else {"volunteer_id": volunteer.pk}
        events.append((OrderAction.DISPATCH, OrderStatus.REVIEWED, OrderStatus.DISPATCHED, dispatched, extra))
        order.accept_by = _aware(timezone.localdate(dispatched) + timedelta(days=3), 0)
    order.team_id = team.pk if team else None
    order.volunteer_id = volunteer.pk if volunteer else None
    if status == OrderStatus.DISPATCHED:
        if rng.random() < 0.3:  # not accepted in time
            order.accept_by = now - timedelta(hours=rng.randint(1, 48))
            order.escalated_at = order.accept_by
            events.append(
                (OrderAction.ESCALATE, OrderStatus.DISPATCHED, OrderStatus.DISPATCHED, order.accept_by, {})
            )
        return {"events": events}
    accepted = min(dispatched + timedelta(hours=rng.uniform(0.5, 40)), now - timedelta(minutes=1))
    order.accepted_at = accepted
    if grabbed:
        events.append(
            (
                OrderAction.GRAB,
                OrderStatus.OPEN,
                OrderStatus.ACCEPTED,
                accepted,
                {"volunteer_id": volunteer.pk},
            )
        )
    else:
        events.append(
            (
                OrderAction.ACCEPT,
                OrderStatus.DISPATCHED,
                OrderStatus.ACCEPTED,
                accepted,
                order_provider(order),
            )
        )
    if status == OrderStatus.ACCEPTED:
        return {"events": events}
    served_on = max(order.preferred_on, timezone.localdate(accepted))
    if served_on > today:
        order.status = OrderStatus.ACCEPTED
        return {"events": events}
    order.served_on = served_on
    order.hours = Decimal(rng.choice(["1.5", "2", "2", "2.5", "3"]))
    order.audience = max(5, int(order.expected_audience * rng.uniform(0.6, 1.3)))
    order.report = (
        f"围绕“{order.title}”开展服务，现场{order.audience}人参加，解答问题{rng.randint(3, 20)}个。"
    )
    delivered = min(_aware(served_on, rng.uniform(15, 21)), now)
    order.delivered_at = delivered
    served = (
        [order.volunteer_id]
        if order.volunteer_id
        else rng.sample(members_of[order.team_id], min(len(members_of[order.team_id]), rng.randint(1, 3)))
    )
    events.append(
        (OrderAction.DELIVER, OrderStatus.ACCEPTED, OrderStatus.DELIVERED, delivered, order_provider(order))
    )
    start = _aware(served_on, 9)
    activity = Activity(
        organization_id=order.organization_id,
        title=order.title[:128],
        kind_id=planner.kind.pk,
        starts_at=start,
        ends_at=start + timedelta(minutes=int(order.hours * 60)),
        held_on=served_on,
        division_id=order.division_id,
        address=order.address,
        description=order.report,
        partners=order.requester_unit,
        status=ActivityStatus.REPORTED,
        onsite_participants=order.audience,
        sessions=1,
        volunteers=len(served),
        service_hours=order.hours * len(served),
        submitted_at=delivered,
        approved_at=delivered,
        reported_at=delivered,
    )
    if status == OrderStatus.DELIVERED and (today - served_on).days < 14:
        return {"events": events, "activity": activity, "served": served}
    order.status = OrderStatus.COMPLETED
    if rng.random() < 0.85:
        order.rating = rng.choices([5, 4, 3, 2], weights=[60, 28, 9, 3])[0]
        order.rating_comment = rng.choice(COMMENTS)
        order.rated_at = order.closed_at = min(delivered + timedelta(days=rng.uniform(0.2, 6)), now)
        events.append((OrderAction.RATE, OrderStatus.DELIVERED, OrderStatus.COMPLETED, order.rated_at, {}))
    else:
        order.closed_at = min(delivered + timedelta(days=14), now)
        events.append((OrderAction.CLOSE, OrderStatus.DELIVERED, OrderStatus.COMPLETED, order.closed_at, {}))
    return {"events": events, "activity": activity, "served": served}


def order_provider(order: ServiceOrder) -> dict:
    return {"team_id": order.team_id} if order.team_id else {"volunteer_id": order.volunteer_id}


PERSONA = "volunteer"


def _volunteer_persona(planner: Planner) -> None:
    """The demo login of a volunteer of county_staff's county, with an order dispatched to
    them and one open to grab, and an order in the county waiting for dispatch (through the
    services, as real ones are)."""
    from django.conf import settings

    from kexie.accounts.models import Membership, User
    from kexie.accounts.services import user_set_password
    from kexie.people.services.privacy import portal_account_create
    from kexie.volunteers.services import orders as order_services

    staff = Membership.objects.select_related("organization").filter(user__username="county_staff").first()
    if staff is None or User.objects.filter(username=PERSONA).exists():
        return
    county = staff.organization
    volunteer = (
        Volunteer.objects.filter(
            status=VolunteerStatus.ACTIVE,
            person__user__isnull=True,
            organization__path__startswith=county.path,
        )
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if volunteer is None or not county.division_id:
        return
    account = portal_account_create(actor=None, person=volunteer.person, username=PERSONA)
    user_set_password(actor=account.user, user=account.user, password=settings.KEXIE_DEMO_PASSWORD)
    User.objects.filter(pk=account.user.pk).update(must_change_password=False)
    field = volunteer.disciplines.first()
    division = (
        volunteer.home_division if volunteer.home_division_id == county.division_id else county.division
    )
    for mobile, step in (("13912340001", "dispatch"), ("13912340002", "open"), ("13912340003", "review")):
        topic = next((t for t in TOPICS if planner.disciplines[t[0]].pk == field.pk), TOPICS[0])
        order = order_services.order_create(
            actor=None,
            data=order_services.OrderData(
                title=topic[1],
                discipline=field,
                division=division,
                address="城关镇示范村村委会",
                preferred_on=planner.today + timedelta(days={"dispatch": 9, "open": 12, "review": 15}[step]),
                expected_audience=50,
                requester_name="周主任",
                requester_unit="示范村村民委员会",
                mobile=mobile,
            ),
            organization=county,
        )
        order = order_services.order_approve(actor=None, order=order)
        if step == "open":
            order_services.order_open(actor=None, order=order, scope_organization=county)
        elif step == "dispatch":
            order_services.order_dispatch(
                actor=None, order=order, scope_organization=county, volunteer=volunteer
            )


def _update_counters() -> None:
    """The counters the services keep, computed once over the loaded rows."""
    approved = HoursEntry.objects.filter(status=HoursStatus.APPROVED)
    rated = ServiceOrder.objects.filter(rating__isnull=False)
    in_hand = ServiceOrder.objects.filter(status__in=(OrderStatus.DISPATCHED, OrderStatus.ACCEPTED))
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=10, decimal_places=1))

    def total(queryset, column: str, aggregate, output):
        return Coalesce(
            Subquery(
                queryset.filter(**{column: OuterRef("pk")})
                .values(column)
                .annotate(v=aggregate)
                .values("v")[:1]
            ),
            Value(0) if output is None else output,
        )

    Volunteer.objects.update(
        hours_total=total(approved, "volunteer", Sum("hours"), zero),
        open_orders=total(in_hand, "volunteer", Count("pk"), None),
    )
    # a rating counts for each volunteer who served the order
    served_ratings = HoursEntry.objects.filter(order__rating__isnull=False)
    Volunteer.objects.update(
        rating_sum=total(served_ratings, "volunteer", Sum("order__rating"), None),
        rating_count=total(served_ratings, "volunteer", Count("pk"), None),
    )
    VolunteerTeam.objects.update(
        hours_total=total(approved, "team", Sum("hours"), zero),
        open_orders=total(in_hand, "team", Count("pk"), None),
        rating_sum=total(rated, "team", Sum("rating"), None),
        rating_count=total(rated, "team", Count("pk"), None),
    )
