"""The demo network: a realistic, deterministic 科协 network for `make run`, tests and benchmarks.

`plan_network()` turns a scale and a seed into a list of organization specs (pure data: the
same seed and day give the same plan); `build_network()` writes the plan through the
services with actor=None, exactly as an import or a user would, so the demo data obeys
every rule the product enforces. Names of places, people and companies are made up; the
division codes are real GB/T 2260 codes (from the shipped list) so division filters work.

    示例省科学技术协会 (province)                sysadmin, secadmin, auditor
    ├── 示例市科学技术协会 (the demo city)       city_admin, viewer
    │   ├── 城关区科协, 东城区科协, … (counties)  county_admin, county_staff, county_b_staff
    │   │   ├── 街道/镇/乡科协 → 企业科协, 农技协
    │   │   ├── county societies, county 农技协, a county development zone
    │   ├── 高新区科协, 经开区科协 → enterprises, a college
    │   ├── 示例大学科协, …
    │   ├── 40+ societies with board terms and leaders → branches (分会, 专业委员会)
    │   │   (示例市计算机学会: society_secretary)
    │   ├── 学会联合体, 科技馆, 服务中心, 农技协联合会
    │   └── 科技社团党委 → party branches (some joint) covering most societies
    └── other cities (a skeleton at S and M, in full at L)
"""

import contextlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.test.utils import override_settings
from stdnum.cn import uscc

from kexie.accounts import services as account_services
from kexie.accounts.roles import Role
from kexie.core.validators import validate_phone

from . import services
from .divisions import SHIPPED_FILE, level_of, read_division_file
from .models import Division, Kind, LeaderPosition, Organization

# --- scales -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    full_cities: int  # cities built in full; the demo city is the first
    skeleton_cities: int  # cities with only counties, a few towns and societies
    counties: int  # per full city
    towns: tuple[int, int]  # per county
    enterprises_per_town: tuple[int, int]
    rural_per_town: tuple[int, int]
    county_societies: tuple[int, int]
    city_societies: int
    zone_enterprises: tuple[int, int]  # per development zone
    branches: int  # society branches per full city
    rural_with_terms_per_county: tuple[int, int]


SCALES = {
    "S": Scale(1, 3, 7, (5, 8), (0, 1), (0, 2), (1, 3), 45, (5, 8), 10, (0, 1)),
    "M": Scale(1, 3, 10, (14, 22), (6, 13), (9, 16), (3, 7), 62, (40, 60), 60, (2, 4)),
    "L": Scale(10, 0, 10, (14, 22), (6, 13), (9, 16), (3, 7), 62, (40, 60), 60, (2, 4)),
}

# --- the people who log in -----------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    role: str
    org_key: str


PERSONAS = [
    Persona("city_admin", "王芳", Role.ORG_ADMIN, "city0"),
    Persona("county_admin", "李静", Role.ORG_ADMIN, "city0/county0"),
    Persona("county_staff", "张伟", Role.STAFF, "city0/county0"),
    Persona("county_b_staff", "刘洋", Role.STAFF, "city0/county1"),
    Persona("viewer", "陈静", Role.VIEWER, "city0"),
    Persona("society_secretary", "赵磊", Role.SOCIETY_SECRETARY, "city0/society/计算机学会"),
    Persona("sysadmin", "孙强", Role.SYSTEM_ADMIN, "province"),
    Persona("secadmin", "周敏", Role.SECURITY_ADMIN, "province"),
    Persona("auditor", "吴刚", Role.AUDIT_ADMIN, "province"),
]
PERSONA_USERNAMES = [persona.username for persona in PERSONAS]

# --- name material (all invented combinations) ---------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉力鹏宇浩凯俊斌峰丹蕾婷雪琳晨欣宁坤博瑞志国"
    "庆海林波春梅兰云飞成东亮新荣永德祥昊然思嘉怡佳子轩颖慧晓晶燕莉倩立松柏岩振卫光耀旭阳泽瀚学书正茂"
)
PLACE_FIRST = "柳杨槐松桃李王张刘陈马黄白青石龙凤金新太永安平宁兴丰清长高双三五古大小东西南北前后孙韩赵周"
PLACE_SECOND = "湾集店庄铺营寨坝口岗桥河湖山岭塘坪沟圩楼屯渡堡泉林园村"
COUNTY_FIRST = "东西南北清长永安平宁兴丰华云临青白金宝龙凤泰昌德广"
COUNTY_SECOND = "城山河川阳江州水源平宁安丰泉林溪台"
ROADS = words(
    "人民 解放 建设 文化 和平 胜利 新华 友谊 科技 工业 振兴 团结 长安 光明 幸福 迎宾 滨河 学院 朝阳"
)
MOBILE_PREFIXES = words("139 138 137 136 135 150 151 152 158 159 186 187 188 189 180 181 133 153 177 199")
BRAND_CHARS = "华恒瑞鑫泰盛宏远德信达联创新科源丰润博凯腾锐星晟嘉昊天海中长金宇航安康维力智"
INDUSTRIES = [
    ("新材料科技", "新材料"),
    ("智能装备", "智能装备"),
    ("生物医药", "生物医药"),
    ("电子科技", "电子"),
    ("化工", "化工"),
    ("煤化工", "煤化工"),
    ("食品", "食品"),
    ("农业科技", "农业科技"),
    ("机械制造", "机械"),
    ("汽车零部件", "汽车零部件"),
    ("纺织", "纺织"),
    ("新型建材", "建材"),
    ("信息技术", "信息技术"),
    ("环保科技", "环保"),
    ("新能源", "新能源"),
    ("医疗器械", "医疗器械"),
    ("光电科技", "光电"),
    ("软件", "软件"),
    ("精密铸造", "铸造"),
    ("涂料", "涂料"),
]
RURAL_PRODUCTS = words(
    "葡萄种植 石榴种植 蔬菜种植 食用菌 中药材种植 生猪养殖 肉牛养殖 水产养殖 苗木花卉 小麦良种 蜜蜂养殖 "
    "茶叶 林果 家禽养殖 山药种植 大蒜种植 西瓜种植 草莓种植 黄桃种植 核桃种植 农机服务 稻虾共作 肉羊养殖 "
    "植保服务 设施农业 红薯种植 芦笋种植 梨树种植 桑蚕 电商助农"
)

# City-level societies, most important first (S takes the first 45). (name, group, term years)
SOCIETIES = [
    ("计算机学会", "eng", 5),
    ("医学会", "med", 4),
    ("护理学会", "med", 4),
    ("化工行业协会", "eng", 5),
    ("消防行业协会", "eng", 5),
    ("兰花协会", "agri", 5),
    ("农学会", "agri", 5),
    ("气象学会", "sci", 5),
    ("地震学会", "sci", 5),
    ("科普作家协会", "pop", 5),
    ("心理卫生协会", "med", 5),
    ("抗癌协会", "med", 5),
    ("汽车业服务技术协会", "eng", 5),
    ("中医药学会", "med", 4),
    ("药学会", "med", 4),
    ("预防医学会", "med", 4),
    ("园艺学会", "agri", 5),
    ("林学会", "agri", 5),
    ("水利学会", "eng", 5),
    ("土木建筑学会", "eng", 5),
    ("机械工程学会", "eng", 5),
    ("电机工程学会", "eng", 5),
    ("煤炭学会", "eng", 5),
    ("环境科学学会", "sci", 5),
    ("地理学会", "sci", 5),
    ("数学学会", "sci", 5),
    ("物理学会", "sci", 5),
    ("化学学会", "sci", 5),
    ("植物保护学会", "agri", 5),
    ("畜牧兽医学会", "agri", 5),
    ("水产学会", "agri", 5),
    ("茶叶学会", "agri", 5),
    ("食品科学技术学会", "eng", 5),
    ("营养学会", "med", 5),
    ("中西医结合学会", "med", 4),
    ("口腔医学会", "med", 4),
    ("康复医学会", "med", 4),
    ("电子学会", "eng", 5),
    ("通信学会", "eng", 5),
    ("人工智能学会", "eng", 5),
    ("青少年科技教育协会", "pop", 5),
    ("老科技工作者协会", "pop", 5),
    ("高层次人才协会", "pop", 3),
    ("科技情报学会", "sci", 5),
    ("测绘学会", "eng", 5),
    ("自动化学会", "eng", 5),
    ("公路学会", "eng", 5),
    ("金属学会", "eng", 5),
    ("铸造学会", "eng", 5),
    ("城市规划学会", "eng", 5),
    ("交通运输协会", "eng", 5),
    ("针灸学会", "med", 4),
    ("土壤肥料学会", "agri", 5),
    ("农业机械学会", "agri", 5),
    ("科技咨询协会", "pop", 5),
    ("发明协会", "pop", 5),
    ("博士联谊会", "pop", 3),
    ("生态学会", "sci", 5),
    ("档案学会", "sci", 5),
    ("岩土力学学会", "eng", 5),
    ("健康管理协会", "med", 4),
    ("科学技术史学会", "sci", 5),
]
DISSOLVED_SOCIETIES = [("珠算协会", "sci", 5), ("地名学会", "sci", 5)]
DISSOLVED_NAMES = {name for name, _, _ in DISSOLVED_SOCIETIES}
COUNTY_SOCIETIES = [
    "医学会",
    "护理学会",
    "农学会",
    "林学会",
    "畜牧兽医学会",
    "水利学会",
    "中医药学会",
    "老科技工作者协会",
    "青少年科技教育协会",
    "气象学会",
    "科普作家协会",
    "园艺学会",
    "植物保护学会",
    "水产学会",
    "茶叶学会",
    "预防医学会",
    "计算机学会",
    "果树协会",
]
BRANCHES = {
    "医学会": [
        "心血管病学分会",
        "儿科学分会",
        "急诊医学分会",
        "麻醉学分会",
        "消化病学分会",
        "耳鼻咽喉科分会",
    ],
    "护理学会": ["中医护理康复专业委员会", "急诊护理专业委员会", "老年护理专业委员会"],
    "计算机学会": ["人工智能专业委员会", "网络安全专业委员会", "青年工作委员会"],
    "高层次人才协会": ["北京分会", "上海分会", "南京分会", "西安分会"],
    "兰花协会": ["春兰分会", "蕙兰分会"],
    "化工行业协会": ["煤化工专业委员会", "安全生产专业委员会"],
    "农学会": ["作物栽培专业委员会", "乡村振兴专业委员会"],
    "中医药学会": ["针灸推拿专业委员会", "中药专业委员会", "治未病专业委员会"],
}
GENERIC_BRANCHES = ["青年工作委员会", "科普工作委员会", "学术工作委员会", "企业工作委员会"]
CONSORTIA = [("医药卫生学会联合体", "med"), ("农业科技学会联合体", "agri"), ("工程技术学会联合体", "eng")]
# Joint party branches: one branch for several small societies of a field.
JOINT_BRANCHES = [
    ("医药卫生学会联合", ["药学会", "预防医学会", "营养学会"]),
    ("农业学会联合", ["园艺学会", "林学会"]),
    ("基础科学学会联合", ["数学学会", "物理学会", "化学学会"]),
]
CITY_NAMES = words("示例 东川 北原 南湖 西岭 清江 云州 华阳 宁安 平川 临湖 安山 长丰")
DEMO_COUNTIES = [
    ("城关区", "district"),
    ("东城区", "district"),
    ("河西区", "district"),
    ("新华区", "district"),
    ("临河县", "county"),
    ("青山县", "county"),
    ("白马县", "county"),
    ("安平市", "county_city"),
    ("南溪县", "county"),
    ("凤台县", "county"),
]
UNIVERSITIES = [
    ("示例大学", "city"),
    ("示例师范学院", "city"),
    ("示例职业技术学院", "high_tech"),
    ("示例医学高等专科学校", "city"),
    ("示例理工学院", "economic"),
]
PROVINCE_SOCIETIES = [
    ("计算机学会", 5),
    ("医学会", 4),
    ("园艺学会", 5),
    ("化工学会", 5),
    ("农学会", 5),
    ("院士专家联谊会", 5),
]
PROVINCE_CODE = "340000"  # a real province code; the names stay fictional


# --- the plan --------------------------------------------------------------------------------


@dataclass
class TermSpec:
    started_on: date
    length_years: int
    council_size: int
    standing_council_size: int
    supervisory_board_size: int | None
    chair: str = ""
    secretary_general: str = ""
    supervisor_chair: str = ""


@dataclass
class OrgSpec:
    key: str
    parent: str | None
    kind: str
    name: str
    short_name: str = ""
    credit_code: str = ""
    division_code: str = ""
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    founded_on: date | None = None
    party_building_in_charter: bool = False
    terms: list[TermSpec] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)  # party branches: keys of covered societies
    dissolved_on: date | None = None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "parent": self.parent,
            "kind": self.kind,
            "name": self.name,
            "short_name": self.short_name,
            "credit_code": self.credit_code,
            "division": self.division_code,
            "phone": self.contact_phone,
            "founded_on": self.founded_on,
            "dissolved_on": self.dissolved_on,
            "terms": [(t.started_on, t.length_years, t.chair) for t in self.terms],
            "covers": self.covers,
        }


@dataclass
class Plan:
    scale: str
    seed: int
    today: date
    orgs: list[OrgSpec]
    personas: list[Persona]


class _Planner:
    def __init__(self, *, scale: str, seed: int, today: date):
        self.scale_name, self.scale, self.seed, self.today = scale, SCALES[scale], seed, today
        self.rng = random.Random(f"kexie-demo/{scale}/{seed}")
        self.orgs: list[OrgSpec] = []
        self.by_key: dict[str, OrgSpec] = {}
        self.credit_codes: set[str] = set()
        self.phones: set[str] = set()
        self.org_codes = 0
        divisions = read_division_file(SHIPPED_FILE)
        self.division_names = {row.code: row.name for row in divisions.rows}

    # --- small generators -------------------------------------------------------------
    def person(self) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.65 else "")
        return self.rng.choice(SURNAMES) + given

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES)
            number += f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                validate_phone(number)
                return number

    def credit_code(self, prefix: str, division_code: str) -> str:
        """A unified social credit code with valid GB 11714 and GB 32100 check characters."""
        while True:
            self.org_codes += 1
            base = f"{self.rng.randrange(10**7):07d}{self.org_codes % 10}"
            total = sum(int(c) * w for c, w in zip(base, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
            check = 11 - total % 11
            org_code = base + {10: "X", 11: "0"}.get(check, str(check))
            code = prefix + (division_code or PROVINCE_CODE) + org_code
            code += uscc.calc_check_digit(code)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def day_in(self, year: int) -> date:
        candidate = date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return min(candidate, self.today - timedelta(days=self.rng.randint(1, 60)))

    def founded(
        self, first: int, last: int | None = None, *, growth: float = 1.0, after: date | None = None
    ) -> date:
        """A founding date between the years; growth < 1 puts more of them in recent years."""
        last = min(last or self.today.year, self.today.year)
        year = first + int((last - first + 1) * self.rng.random() ** growth)
        founded = self.day_in(min(year, last))
        if after and founded <= after:
            latest = max(after, self.today - timedelta(days=self.rng.randint(1, 120)))
            founded = min(after + timedelta(days=self.rng.randint(30, 900)), latest)
        return founded

    def address(self, city: str, place: str) -> str:
        road = self.rng.choice(ROADS) + self.rng.choice(("路", "大道", "街"))
        return f"{city}市{place}{road}{self.rng.randint(1, 399)}号"

    def unique_name(self, first: str, second: str, used: set[str]) -> str:
        for _ in range(200):
            name = self.rng.choice(first) + self.rng.choice(second)
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("ran out of invented names")

    def add(self, spec: OrgSpec) -> OrgSpec:
        if spec.parent is not None and spec.founded_on is not None:
            parent = self.by_key[spec.parent]
            if parent.founded_on and spec.founded_on < parent.founded_on:
                latest = max(parent.founded_on, self.today - timedelta(days=self.rng.randint(1, 120)))
                spec.founded_on = min(parent.founded_on + timedelta(days=self.rng.randint(1, 400)), latest)
        self.orgs.append(spec)
        self.by_key[spec.key] = spec
        return spec

    def contact(self, spec: OrgSpec, share: float = 0.85) -> OrgSpec:
        if self.rng.random() < share:
            spec.contact_person, spec.contact_phone = self.person(), self.phone()
        return spec

    # --- board terms (换届) ---------------------------------------------------------
    def terms(self, spec: OrgSpec, length: int, *, status: str | None = None, history: int = 3) -> None:
        """Board terms until now (at most `history` of them are recorded); the current one is on
        time, due soon or overdue. The current board's chair and secretary-general are appointed,
        and with a longer history the previous chair too."""
        today = self.today
        status = status or self.rng.choices(("normal", "upcoming", "overdue"), (70, 12, 18))[0]
        if status == "overdue":
            due = today - timedelta(days=self.rng.randint(20, 900))
        elif status == "upcoming":
            due = today + timedelta(days=self.rng.randint(5, 175))
        else:
            due = today + timedelta(days=self.rng.randint(200, 365 * length - 30))
        start = due - relativedelta(years=length)
        starts = [start]
        while len(starts) < history:
            earlier = starts[-1] - relativedelta(years=length, days=self.rng.randint(-60, 200))
            if earlier <= spec.founded_on:
                break
            starts.append(earlier)
        if starts[-1] > spec.founded_on + timedelta(days=30) and len(starts) < history:
            starts.append(spec.founded_on)
        else:
            # Older boards are not recorded in the platform; the first recorded one counts as term 1.
            spec.founded_on = min(spec.founded_on, starts[-1])
        starts.reverse()
        council = self.rng.randrange(31, 181, 2)
        for index, started_on in enumerate(starts):
            current = index == len(starts) - 1
            previous = index == len(starts) - 2 and history > 3
            council = max(15, council + self.rng.randint(-10, 12))
            standing = max(5, council // 3 + self.rng.randint(-3, 3))
            supervisory = self.rng.choice((3, 5)) if started_on.year >= 2016 else None
            spec.terms.append(
                TermSpec(
                    started_on=started_on,
                    length_years=length,
                    council_size=council,
                    standing_council_size=standing,
                    supervisory_board_size=supervisory,
                    chair=self.person() if current or previous else "",
                    secretary_general=self.person() if current else "",
                    supervisor_chair=self.person() if current and supervisory and history > 3 else "",
                )
            )
        if spec.terms and spec.terms[-1].chair:
            spec.legal_representative = spec.terms[-1].chair

    # --- the network --------------------------------------------------------------------
    def plan(self) -> Plan:
        province = self.add(
            self.contact(
                OrgSpec(
                    key="province",
                    parent=None,
                    kind=Kind.PROVINCE_ASSOCIATION,
                    name="示例省科学技术协会",
                    short_name="示例省科协",
                    division_code=PROVINCE_CODE,
                    founded_on=date(1980, 3, 18),
                    address="示例省省会市科技大道1号",
                ),
                1.0,
            )
        )
        province.credit_code = self.credit_code("13", PROVINCE_CODE)
        for index, (name, length) in enumerate(PROVINCE_SOCIETIES):
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"province/society{index}",
                        parent="province",
                        kind=Kind.SOCIETY,
                        name=f"示例省{name}",
                        division_code=PROVINCE_CODE,
                        founded_on=self.founded(1980, 2005),
                    )
                )
            )
            spec.credit_code = self.credit_code("51", PROVINCE_CODE)
            self.terms(spec, length, status="normal", history=3)

        city_codes = sorted(
            c for c in self.division_names if c.startswith(PROVINCE_CODE[:2]) and level_of(c) == "city"
        )
        # The demo city takes a city with many counties; the others follow in code order.
        city_codes.sort(key=lambda c: (-sum(1 for d in self.division_names if d[:4] == c[:4]), c))
        cities = self.scale.full_cities + self.scale.skeleton_cities
        for index in range(cities):
            code = city_codes[index % len(city_codes)]
            if index < self.scale.full_cities:
                self.full_city(index, code)
            else:
                self.skeleton_city(index, code)
        self.dissolutions()
        return Plan(self.scale_name, self.seed, self.today, self.orgs, list(PERSONAS))

    def city_spec(self, index: int, code: str) -> tuple[OrgSpec, str]:
        city_name = CITY_NAMES[index]
        key = f"city{index}"
        spec = self.add(
            self.contact(
                OrgSpec(
                    key=key,
                    parent="province",
                    kind=Kind.CITY_ASSOCIATION,
                    name=f"{city_name}市科学技术协会",
                    short_name=f"{city_name}市科协",
                    division_code=code,
                    founded_on=self.founded(1980, 1986),
                    address=self.address(city_name, ""),
                ),
                1.0,
            )
        )
        spec.credit_code = self.credit_code("13", code)
        return spec, city_name

    def county_codes(self, city_code: str) -> list[str]:
        return sorted(c for c in self.division_names if c[:4] == city_code[:4] and level_of(c) == "county")

    def skeleton_city(self, index: int, code: str) -> None:
        city, city_name = self.city_spec(index, code)
        used: set[str] = set()
        codes = self.county_codes(code) or [code]
        for position in range(3):
            name = self.unique_name(COUNTY_FIRST, COUNTY_SECOND, used) + self.rng.choice("区县")
            county = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{city.key}/county{position}",
                        parent=city.key,
                        kind=Kind.COUNTY_ASSOCIATION,
                        name=f"{city_name}市{name}科学技术协会",
                        short_name=f"{name}科协",
                        division_code=codes[position % len(codes)],
                        founded_on=self.founded(1982, 1995),
                    )
                )
            )
            for town_index in range(2):
                town = self.unique_name(PLACE_FIRST, PLACE_SECOND, used) + "镇"
                self.add(
                    OrgSpec(
                        key=f"{county.key}/town{town_index}",
                        parent=county.key,
                        kind=Kind.TOWN_ASSOCIATION,
                        name=f"{name}{town}科学技术协会",
                        short_name=f"{town}科协",
                        division_code=county.division_code,
                        founded_on=self.founded(2005, growth=0.6),
                    )
                )
        for position, (name, _group, length) in enumerate(SOCIETIES[:3]):
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{city.key}/society/{name}",
                        parent=city.key,
                        kind=Kind.SOCIETY,
                        name=f"{city_name}市{name}",
                        division_code=code,
                        founded_on=self.founded(1980, 2010),
                        address=self.address(city_name, ""),
                    )
                )
            )
            spec.credit_code = self.credit_code("51", code)
            self.terms(spec, length, status=("normal", "overdue", "upcoming")[position], history=2)

    def full_city(self, index: int, code: str) -> None:
        scale, rng = self.scale, self.rng
        city, city_name = self.city_spec(index, code)
        ck = city.key
        # Institutions under the city association.
        museum = self.add(
            self.contact(
                OrgSpec(
                    key=f"{ck}/museum",
                    parent=ck,
                    kind=Kind.SCIENCE_MUSEUM,
                    name=f"{city_name}市科学技术馆",
                    short_name=f"{city_name}市科技馆",
                    division_code=code,
                    founded_on=self.founded(2008, 2014),
                    address=self.address(city_name, ""),
                ),
                1.0,
            )
        )
        museum.credit_code = self.credit_code("12", code)
        self.add(
            self.contact(
                OrgSpec(
                    key=f"{ck}/service_centre",
                    parent=ck,
                    kind=Kind.SUBORDINATE_INSTITUTION,
                    name=f"{city_name}市科技工作者服务中心",
                    division_code=code,
                    founded_on=self.founded(2012, 2019),
                ),
                1.0,
            )
        )

        # Development zones of the city.
        zones = {}
        for zone_key, name, short in (
            ("high_tech", f"{city_name}高新技术产业开发区科学技术协会", "高新区科协"),
            ("economic", f"{city_name}经济技术开发区科学技术协会", "经开区科协"),
        ):
            zones[zone_key] = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{ck}/{zone_key}",
                        parent=ck,
                        kind=Kind.ZONE_ASSOCIATION,
                        name=name,
                        short_name=short,
                        division_code=code,
                        founded_on=self.founded(2008, 2018),
                    )
                )
            )
        used_brands: set[str] = set()
        for zone in zones.values():
            self.enterprises(zone, rng.randint(*scale.zone_enterprises), used_brands, city_name)

        # Universities.
        for position, (name, place) in enumerate(UNIVERSITIES[: 3 if self.scale_name == "S" else 5]):
            name = name.replace("示例", city_name)
            parent = ck if place == "city" else zones[place].key
            self.add(
                self.contact(
                    OrgSpec(
                        key=f"{ck}/university{position}",
                        parent=parent,
                        kind=Kind.UNIVERSITY_ASSOCIATION,
                        name=f"{name}科学技术协会",
                        short_name=f"{name}科协",
                        division_code=code,
                        founded_on=self.founded(1995, 2021, growth=0.7),
                    )
                )
            )

        # Counties, their towns, enterprises, rural associations and societies.
        county_codes = self.county_codes(code) or [code]
        used_names = {name[:-1] for name, _ in DEMO_COUNTIES} if index == 0 else set()
        for position in range(scale.counties):
            if index == 0:
                name, county_type = DEMO_COUNTIES[position]
            else:
                county_type = rng.choice(("district", "county", "county", "county_city"))
                root = self.unique_name(COUNTY_FIRST, COUNTY_SECOND, used_names)
                name = root + {"district": "区", "county": "县", "county_city": "市"}[county_type]
            self.county(
                city,
                city_name,
                position,
                name,
                county_type,
                county_codes[position % len(county_codes)],
                used_brands,
            )

        # City societies, their branches, the consortia and the party organizations.
        societies = self.city_societies(city, city_name)
        self.branches(societies)
        self.consortia(city, city_name, societies)
        self.party(city, city_name, societies)
        rural = self.add(
            self.contact(
                OrgSpec(
                    key=f"{ck}/rural_federation",
                    parent=ck,
                    kind=Kind.RURAL_TECH_ASSOCIATION,
                    name=f"{city_name}市农村专业技术协会联合会",
                    short_name=f"{city_name}市农技协联合会",
                    division_code=code,
                    founded_on=self.founded(1998, 2012),
                )
            )
        )
        self.terms(rural, 5, status="upcoming", history=2)

    def county(self, city, city_name, position, name, county_type, code, used_brands) -> None:
        scale, rng = self.scale, self.rng
        county = self.add(
            self.contact(
                OrgSpec(
                    key=f"{city.key}/county{position}",
                    parent=city.key,
                    kind=Kind.COUNTY_ASSOCIATION,
                    name=f"{city_name}市{name}科学技术协会",
                    short_name=f"{name}科协",
                    division_code=code,
                    founded_on=self.founded(1981, 1996),
                    address=self.address(city_name, name),
                ),
                1.0,
            )
        )
        county.credit_code = self.credit_code("13", code)
        used: set[str] = set()
        suffixes = {
            "district": ("街道", "街道", "街道", "镇"),
            "county": ("镇", "镇", "镇", "镇", "乡"),
            "county_city": ("街道", "镇"),
        }[county_type]
        towns = []
        for town_index in range(rng.randint(*scale.towns)):
            town_name = self.unique_name(PLACE_FIRST, PLACE_SECOND, used) + rng.choice(suffixes)
            towns.append(
                self.add(
                    self.contact(
                        OrgSpec(
                            key=f"{county.key}/town{town_index}",
                            parent=county.key,
                            kind=Kind.TOWN_ASSOCIATION,
                            name=f"{name}{town_name}科学技术协会",
                            short_name=f"{town_name}科协",
                            division_code=code,
                            founded_on=self.founded(2003, growth=0.5),
                            address=self.address(city_name, name + town_name),
                        ),
                        0.7,
                    )
                )
            )
        for town in towns:
            self.enterprises(town, rng.randint(*scale.enterprises_per_town), used_brands, city_name)
            products = rng.sample(RURAL_PRODUCTS, rng.randint(*scale.rural_per_town))
            for product_index, product in enumerate(products):
                self.add(
                    self.contact(
                        OrgSpec(
                            key=f"{town.key}/rural{product_index}",
                            parent=town.key,
                            kind=Kind.RURAL_TECH_ASSOCIATION,
                            name=f"{town.short_name[:-2]}{product}专业技术协会",
                            division_code=code,
                            founded_on=self.founded(1995, growth=0.6),
                        ),
                        0.6,
                    )
                )
        # County-level rural associations with a board, a development zone in half the counties.
        for rural_index, product in enumerate(
            rng.sample(RURAL_PRODUCTS, rng.randint(*scale.rural_with_terms_per_county))
        ):
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{county.key}/rural{rural_index}",
                        parent=county.key,
                        kind=Kind.RURAL_TECH_ASSOCIATION,
                        name=f"{name}{product}协会",
                        division_code=code,
                        founded_on=self.founded(2000, 2020),
                    )
                )
            )
            spec.credit_code = self.credit_code("51", code)
            self.terms(spec, 3, history=2)
        if position % 2 == 0:
            zone_name = name[:-1] + ("经济开发区" if position % 4 == 0 else "现代农业产业园")
            zone = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{county.key}/zone",
                        parent=county.key,
                        kind=Kind.ZONE_ASSOCIATION,
                        name=f"{zone_name}科学技术协会",
                        short_name=f"{zone_name}科协",
                        division_code=code,
                        founded_on=self.founded(2012, growth=0.7),
                    )
                )
            )
            self.enterprises(zone, max(1, rng.randint(*scale.zone_enterprises) // 2), used_brands, city_name)
        county_societies = []
        for society_index, society in enumerate(
            rng.sample(COUNTY_SOCIETIES, rng.randint(*scale.county_societies))
        ):
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{county.key}/society{society_index}",
                        parent=county.key,
                        kind=Kind.SOCIETY,
                        name=f"{name}{society}",
                        division_code=code,
                        founded_on=self.founded(1985, 2022, growth=0.8),
                        address=self.address(city_name, name),
                    )
                )
            )
            if rng.random() < 0.7:
                spec.credit_code = self.credit_code("51", code)
            self.terms(spec, rng.choice((4, 5, 5)), history=2)
            county_societies.append(spec)
        if len(county_societies) >= 2 and rng.random() < 0.6:
            # A joint branch of the county association covers some of its societies.
            covered = rng.sample(county_societies, rng.randint(2, min(4, len(county_societies))))
            self.add(
                OrgSpec(
                    key=f"{county.key}/party_branch",
                    parent=county.key,
                    kind=Kind.PARTY_BRANCH,
                    name=f"中共{city_name}市{name}科技社团联合支部委员会",
                    short_name=f"{name}科技社团联合党支部",
                    division_code=code,
                    founded_on=self.founded(2019, 2024),
                    covers=[s.key for s in covered],
                )
            )

    def enterprises(self, parent: OrgSpec, count: int, used_brands: set[str], city_name: str) -> None:
        for enterprise_index in range(count):
            while True:
                brand = self.rng.choice(BRAND_CHARS) + self.rng.choice(BRAND_CHARS)
                industry, short_industry = self.rng.choice(INDUSTRIES)
                if brand[0] != brand[1] and brand + industry not in used_brands:
                    used_brands.add(brand + industry)
                    break
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{parent.key}/enterprise{enterprise_index}",
                        parent=parent.key,
                        kind=Kind.ENTERPRISE_ASSOCIATION,
                        name=f"{city_name}{brand}{industry}有限公司科学技术协会",
                        short_name=f"{brand}{short_industry}科协",
                        division_code=parent.division_code,
                        founded_on=self.founded(2008, growth=0.45),
                    ),
                    0.8,
                )
            )
            spec.legal_representative = self.person()
            if self.rng.random() < 0.5:
                spec.credit_code = self.credit_code("91", parent.division_code)

    def city_societies(self, city: OrgSpec, city_name: str) -> dict[str, OrgSpec]:
        societies = {}
        chosen = SOCIETIES[: self.scale.city_societies]
        for name, _group, length in [*chosen, *DISSOLVED_SOCIETIES]:
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{city.key}/society/{name}",
                        parent=city.key,
                        kind=Kind.SOCIETY,
                        name=f"{city_name}市{name}",
                        division_code=city.division_code,
                        founded_on=self.founded(1980, 2023, growth=0.9),
                        address=self.address(city_name, ""),
                    ),
                    0.95,
                )
            )
            spec.credit_code = self.credit_code("51", city.division_code)
            status = {"计算机学会": "normal", "医学会": "overdue", "护理学会": "upcoming"}.get(name)
            self.terms(spec, length, status=status, history=5)
            societies[name] = spec
        # 党建入章: 17 societies wrote party building into their charter (DOMAIN.md §2).
        for name in self.rng.sample(sorted(n for n, _, _ in chosen), min(17, len(chosen))):
            societies[name].party_building_in_charter = True
        return societies

    def branches(self, societies: dict[str, OrgSpec]) -> None:
        planned: list[tuple[OrgSpec, str]] = []
        for name, branch_names in BRANCHES.items():
            if name in societies:
                planned.extend((societies[name], branch) for branch in branch_names)
        others = [s for n, s in societies.items() if n not in BRANCHES and n not in DISSOLVED_NAMES]
        while len(planned) < self.scale.branches and others:
            society = others.pop(self.rng.randrange(len(others)))
            planned.extend((society, branch) for branch in self.rng.sample(GENERIC_BRANCHES, 2))
        for position, (society, branch) in enumerate(planned[: self.scale.branches]):
            self.add(
                self.contact(
                    OrgSpec(
                        key=f"{society.key}/branch{position}",
                        parent=society.key,
                        kind=Kind.SOCIETY_BRANCH,
                        name=f"{society.name}{branch}",
                        division_code=society.division_code,
                        founded_on=self.founded(2005, growth=0.6, after=society.founded_on),
                    ),
                    0.7,
                )
            )

    def consortia(self, city: OrgSpec, city_name: str, societies: dict[str, OrgSpec]) -> None:
        for position, (name, _group) in enumerate(CONSORTIA[: 2 if self.scale_name == "S" else 3]):
            spec = self.add(
                self.contact(
                    OrgSpec(
                        key=f"{city.key}/consortium{position}",
                        parent=city.key,
                        kind=Kind.SOCIETY_CONSORTIUM,
                        name=f"{city_name}市{name}",
                        division_code=city.division_code,
                        founded_on=self.founded(2016, 2022),
                    )
                )
            )
            self.terms(spec, 5, status="normal", history=2)

    def party(self, city: OrgSpec, city_name: str, societies: dict[str, OrgSpec]) -> None:
        """科技社团党委 with branches: most societies covered, some by joint branches, some not at all."""
        committee = self.add(
            self.contact(
                OrgSpec(
                    key=f"{city.key}/party_committee",
                    parent=city.key,
                    kind=Kind.PARTY_COMMITTEE,
                    name=f"中共{city_name}市科技社团委员会",
                    short_name="科技社团党委",
                    division_code=city.division_code,
                    founded_on=self.founded(2017, 2018),
                ),
                1.0,
            )
        )
        active = {n: s for n, s in societies.items() if n not in DISSOLVED_NAMES}
        joint_members = set()
        for position, (label, members) in enumerate(JOINT_BRANCHES):
            present = [active[m] for m in members if m in active]
            if len(present) < 2:
                continue
            joint_members.update(m for m in members if m in active)
            self.add(
                OrgSpec(
                    key=f"{committee.key}/joint{position}",
                    parent=committee.key,
                    kind=Kind.PARTY_BRANCH,
                    name=f"中共{city_name}市{label}支部委员会",
                    short_name=f"{label}党支部",
                    division_code=city.division_code,
                    founded_on=self.founded(2018, 2023, after=committee.founded_on),
                    covers=[s.key for s in present],
                )
            )
        singles = [n for n in active if n not in joint_members]
        # About one society in six has no party organization yet (全覆盖 is the goal, not the fact).
        candidates = [n for n in singles if n not in {"计算机学会", "医学会"}]
        uncovered = set(self.rng.sample(candidates, max(1, len(candidates) // 6)))
        for position, name in enumerate(n for n in singles if n not in uncovered):
            society = active[name]
            founded = self.founded(2018, 2024, after=max(committee.founded_on, society.founded_on))
            if position % 5 == 4:
                # A branch set up inside the society covers it by itself.
                self.add(
                    OrgSpec(
                        key=f"{society.key}/party_branch",
                        parent=society.key,
                        kind=Kind.PARTY_BRANCH,
                        name=f"中共{society.name}支部委员会",
                        short_name=f"{name}党支部",
                        division_code=city.division_code,
                        founded_on=founded,
                    )
                )
            else:
                self.add(
                    OrgSpec(
                        key=f"{committee.key}/branch{position}",
                        parent=committee.key,
                        kind=Kind.PARTY_BRANCH,
                        name=f"中共{society.name}支部委员会",
                        short_name=f"{name}党支部",
                        division_code=city.division_code,
                        founded_on=founded,
                        covers=[society.key],
                    )
                )

    def dissolutions(self) -> None:
        """注销: the two old societies, and a few percent of enterprise and rural associations."""
        parents = {spec.parent for spec in self.orgs}
        for spec in self.orgs:
            leaf = spec.key not in parents
            dissolve = False
            if spec.kind == Kind.SOCIETY and spec.name.endswith(tuple(DISSOLVED_NAMES)):
                dissolve = True
            elif spec.kind in (Kind.ENTERPRISE_ASSOCIATION, Kind.RURAL_TECH_ASSOCIATION) and leaf:
                dissolve = self.rng.random() < 0.04
            if dissolve and leaf and spec.founded_on:
                earliest = max(
                    spec.founded_on + timedelta(days=365),
                    spec.terms[-1].started_on if spec.terms else date.min,
                )
                latest = self.today - timedelta(days=10)
                if earliest < latest:
                    spec.dissolved_on = earliest + timedelta(
                        days=self.rng.randint(0, (latest - earliest).days)
                    )


def plan_network(*, scale: str = "S", seed: int = 2026, today: date | None = None) -> Plan:
    """The demo network as data: the same scale, seed and day always give the same plan."""
    from django.utils import timezone

    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    return _Planner(scale=scale, seed=seed, today=today or timezone.localdate()).plan()


# --- building it through the services -------------------------------------------------------------


@dataclass
class BuildResult:
    organizations: int
    by_kind: Counter
    dissolved: int
    board_terms: int
    personas: list[str]
    seconds: float


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 at a low cost, for the published demo password only.

    Hashing it at the configured cost for every persona would take most of the seeding
    time. The stored hash names its iteration count, so logins verify it with the normal
    hasher, which then re-hashes it at the full cost (Django's hash upgrade on login).
    """

    iterations = 1000


def _cheap_demo_hashing():
    """Hash with `DemoPasswordHasher` when the configured hasher is Django's PBKDF2 (which can
    verify and upgrade its hashes); with any other hasher, hash as configured."""
    hashers = list(settings.PASSWORD_HASHERS)
    if hashers and hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher":
        return override_settings(PASSWORD_HASHERS=["kexie.orgs.demo.DemoPasswordHasher", *hashers])
    return contextlib.nullcontext()


def _data(spec: OrgSpec, division: Division | None) -> services.OrganizationData:
    return services.OrganizationData(
        name=spec.name,
        kind=spec.kind,
        short_name=spec.short_name,
        credit_code=spec.credit_code,
        division=division,
        address=spec.address,
        legal_representative=spec.legal_representative,
        contact_person=spec.contact_person,
        contact_phone=spec.contact_phone,
        founded_on=spec.founded_on,
        party_building_in_charter=spec.party_building_in_charter,
    )


def build_network(plan: Plan, *, progress=None) -> BuildResult:
    """Write the plan through the services (actor=None), in one transaction."""
    started = time.monotonic()
    codes = {spec.division_code for spec in plan.orgs if spec.division_code}
    divisions = Division.objects.in_bulk(codes)
    created: dict[str, Organization] = {}
    terms = 0
    with transaction.atomic():
        for number, spec in enumerate(plan.orgs, start=1):
            parent = created[spec.parent] if spec.parent else None
            org = services.organization_create(
                actor=None, parent=parent, data=_data(spec, divisions.get(spec.division_code))
            )
            created[spec.key] = org
            for term in spec.terms:
                board_term = services.board_term_start(
                    actor=None,
                    organization=org,
                    started_on=term.started_on,
                    length_years=term.length_years,
                    council_size=term.council_size,
                    standing_council_size=term.standing_council_size,
                    supervisory_board_size=term.supervisory_board_size,
                )
                terms += 1
                for position, person in (
                    (LeaderPosition.CHAIR, term.chair),
                    (LeaderPosition.SECRETARY_GENERAL, term.secretary_general),
                    (LeaderPosition.SUPERVISOR_CHAIR, term.supervisor_chair),
                ):
                    if person:
                        services.leader_appoint(
                            actor=None,
                            organization=org,
                            position=position,
                            person_name=person,
                            started_on=board_term.started_on,
                        )
            if progress and number % 1000 == 0:
                progress(number, len(plan.orgs))
        for spec in plan.orgs:
            if spec.covers:
                services.party_branch_set_coverage(
                    actor=None, branch=created[spec.key], covered=[created[key] for key in spec.covers]
                )
        dissolved = 0
        for spec in plan.orgs:
            if spec.dissolved_on:
                services.organization_dissolve(
                    actor=None,
                    organization=created[spec.key],
                    dissolved_on=spec.dissolved_on,
                    note="示例数据：已办理注销登记",
                )
                dissolved += 1
        with _cheap_demo_hashing():
            for persona in plan.personas:
                user = account_services.user_create(
                    actor=None,
                    username=persona.username,
                    password=settings.KEXIE_DEMO_PASSWORD,
                    display_name=persona.display_name,
                    must_change_password=False,
                )
                account_services.membership_grant(
                    actor=None, user=user, organization=created[persona.org_key], role=persona.role
                )
    return BuildResult(
        organizations=len(created),
        by_kind=Counter(spec.kind for spec in plan.orgs),
        dissolved=dissolved,
        board_terms=terms,
        personas=[persona.username for persona in plan.personas],
        seconds=time.monotonic() - started,
    )
