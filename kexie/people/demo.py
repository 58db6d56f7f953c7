"""The demo talent pool: people, units, memberships, board seats, honours, visits, lists.

`seed_people()` fills the talent pool of the network `kexie.orgs.demo` built (seed_demo
calls it last). The same network, scale and seed give the same people. Names are invented
from a real surname distribution (王 李 张 … with their census weights, a tail of rarer and
two-character surnames) and given names from the characters each generation favoured; ID
numbers are valid GB 11643 numbers (region, birth date, sequence, check digit) and unique,
mobiles valid mainland numbers, e-mail addresses on example.com.

People are written through `people_bulk_create` (validation, encryption, blind index,
search tokens, one audit record per batch). Units, memberships and dues, board seats,
honours, visits, teams, guardian consents and talent lists are written by the bulk
functions below, each in its own transaction with one audit record per batch
(actions `<entity>.demo`, labelled in kexie/audit/actions.py).

    S ≈ 2,000 people · M = 100,000 · L = 2,000,000 (ten full cities)

Who keeps whom: universities, counties and the city association keep the most people,
enterprise associations their engineers, towns their doctors, teachers and farmers,
societies their leaders and some members; about 30% of adults are individual members of
a society of their field in their city (or county), units are institutional members.
"""

import bisect
import calendar
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric, uscc

from kexie.audit.services import record
from kexie.core.chinese import name_keys, pinyin_sort_key, search_text_for
from kexie.orgs.demo import PLACE_FIRST, PLACE_SECOND, SOCIETIES
from kexie.orgs.models import BoardTerm, Division, Kind, LeaderAppointment, LeaderPosition, Organization
from kexie.people.models import (
    BoardRole,
    BoardSeat,
    Consent,
    Discipline,
    DuesPayment,
    Education,
    Honour,
    HonourGrade,
    HonourLevel,
    MemberStatus,
    PoliticalStatus,
    SocietyMembership,
    Tag,
    TalentList,
    TalentListEntry,
    Team,
    TeamMember,
    TitleLevel,
    Unit,
    UnitKind,
    UnitSize,
    Visit,
    VisitOccasion,
)
from kexie.people.services.people import PersonData, people_bulk_create
from kexie.people.services.search_index import place_new_members

# --- sizes -----------------------------------------------------------------------------------

PEOPLE = {"S": 2_000, "M": 100_000, "L": 2_000_000}
BATCH = 5_000  # people per people_bulk_create call (an organization's people in chunks)
ACADEMICIANS_PER_CITY = {"S": 6, "M": 24, "L": 12}
HOMETOWN_TALENTS_PER_CITY = 38  # DOMAIN.md §3.1
PHD_CLUB_SIZE = 151  # DOMAIN.md §3.1
VISITS_PER_CITY_YEAR = {"S": 40, "M": 120, "L": 120}  # DOMAIN.md: ~40 a year
TEAMS_PER_CITY = {"S": 12, "M": 68, "L": 68}  # DOMAIN.md: 68 teams admitted
MEMBER_SHARE = 0.30  # of adults, individual members of some society

# People kept per organization, relative (enterprise associations scaled by company size).
KEPT_WEIGHT = {
    Kind.PROVINCE_ASSOCIATION: 250,
    Kind.CITY_ASSOCIATION: 250,
    Kind.COUNTY_ASSOCIATION: 220,
    Kind.TOWN_ASSOCIATION: 40,
    Kind.ZONE_ASSOCIATION: 15,
    Kind.ENTERPRISE_ASSOCIATION: 25,
    Kind.UNIVERSITY_ASSOCIATION: 450,
    Kind.SOCIETY: 30,  # 12 for a county society
    Kind.SOCIETY_BRANCH: 6,
    Kind.RURAL_TECH_ASSOCIATION: 8,
    Kind.SCIENCE_MUSEUM: 30,
}
COMPANY_SIZE_WEIGHT = {UnitSize.LARGE: 4.0, UnitSize.MEDIUM: 1.6, UnitSize.SMALL: 0.8, UnitSize.MICRO: 0.35}
# Organizations whose people include some schoolchildren (young inventors, science-fair winners).
KEEPS_MINORS = {Kind.CITY_ASSOCIATION, Kind.COUNTY_ASSOCIATION, Kind.TOWN_ASSOCIATION, Kind.SCIENCE_MUSEUM}

# --- names -----------------------------------------------------------------------------------

# Surnames with their bearers in units of 10,000 (Ministry of Public Security, 2019/2020,
# rounded), then a tail of rarer ones and the two-character surnames.
SURNAME_WEIGHTS = (
    "王10150 李10090 张9540 刘7210 陈6330 杨4680 黄3370 赵2860 吴2710 周2660 徐2040 孙1960 马1900 "
    "朱1790 胡1620 郭1590 何1530 高1440 林1390 罗1380 郑1260 梁1210 谢1010 宋970 唐960 许910 韩900 "
    "冯890 邓870 曹860 彭840 曾800 肖790 田760 董710 袁700 潘690 于690 蒋680 蔡670 余660 杜610 叶600 "
    "程600 苏580 魏580 吕570 丁550 任540 沈520 姚520 卢500 姜490 崔480 钟470 谭460 陆450 汪440 范430 "
    "金430 石420 廖420 贾410 夏400 韦400 付400 方390 白390 邹380 孟370 熊360 秦360 邱350 江350 尹340 "
    "薛330 闫320 段310 雷300 侯290 龙290 史280 陶270 黎270 贺260 顾250 毛250 郝250 龚240 邵240 万230 "
    "钱230 严220 覃220 武220 戴210 莫200 孔200 向190 汤190 常190 温180 康170 施170 文170 牛170 樊170 "
    "葛160 邢160 安150 齐150 易150 乔150 伍150 庞150 颜140 倪140 庄140 聂140 章140 鲁130 岳130 翟130 "
    "殷130 詹130 申130 欧130 耿120 关120 兰120 焦120 俞120 左120 柳120 甘120 祝110 包110 宁110 尚110 "
    "符110 舒110 阮110 柯100 纪100 梅100 童100 凌100 毕100 单100 季100 裴100 霍100 涂100 成100 苗90 "
    "谷90 盛90 曲90 翁90 冉90 骆90 蓝90 路90 游90 辛90 靳80 管80 柴80 蒙80 鲍80 华80 喻80 祁80 蒲80 "
    "房80 滕80 屈80 饶80 解80 牟70 艾70 尤70 阳70 时70 穆70 农70 司70 卓70 古70 吉70 缪70 简70 车70 "
    "项70 连70 芦70 麦60 褚60 娄60 窦60 戚60 岑60 景60 党60 宫60 费60 卜60 冷60 晏60 席60 卫60 米60 "
    "柏60 宗50 瞿50 桂50 全50 佟50 应50 臧50 闵50 苟50 邬50 边50 卞50 姬50 师50 和50 仇50 栾40 隋40 "
    "商40 刁40 沙40 荣40 巫40 寇40 桑40 郎40 甄40 丛40 仲40 虞40 敖40 巩40 明40 佘40 池40 查40 麻40 "
    "苑40 迟40 邝40 欧阳110 上官5 司马3 诸葛3 皇甫2 慕容1 令狐1 夏侯1 东方1 尉迟1 公孙1 端木1"
)


def _weighted(spec: str) -> tuple[list[str], list[float]]:
    """'王10150 李10090 …' (or '130:3 131:3 …') → (items, cumulative weights) for `pick`."""
    items, weights = [], []
    for token in spec.split():
        item, _colon, weight = token.rpartition(":")
        if not item:
            split = next(i for i, c in enumerate(token) if c.isdigit())
            item, weight = token[:split], token[split:]
        items.append(item)
        weights.append(float(weight))
    return items, list(itertools.accumulate(weights))


def _ranked(chars: str) -> tuple[list[str], list[float]]:
    """Characters listed most frequent first → a Zipf-like cumulative weight."""
    items = list(chars)
    return items, list(itertools.accumulate(1 / (rank + 3) for rank in range(len(items))))


SURNAMES = _weighted(SURNAME_WEIGHTS)
# Given names by generation (born before 1975, 1975–1994, from 1995) and sex: the share of
# one-character names, the one-character pool, the first and second characters of two.
GIVEN = {
    (0, True): (
        0.35,
        _ranked("军伟强明刚平华勇斌杰林涛辉峰波建国新文东海力成亮忠"),
        _ranked("建国志永德文明福长立振学庆世金玉春树新胜红卫宏光"),
        _ranked("国华军民明平林强生忠伟斌成荣东祥福才海山刚良义武"),
    ),
    (0, False): (
        0.35,
        _ranked("英芳萍红兰梅霞琴秀珍丽敏静娟华燕玲凤云"),
        _ranked("秀桂玉淑丽春凤兰美红翠金素雪爱晓小海"),
        _ranked("英兰珍芳华梅霞荣琴云莲凤芬娟萍霞玲红敏"),
    ),
    (1, True): (
        0.3,
        _ranked("伟磊勇杰涛斌超鹏飞峰辉波宇刚亮明林龙军强健凯帅"),
        _ranked("志晓建海俊文永鹏宏振云小立家国金德新春"),
        _ranked("伟强磊军勇杰涛斌超鹏飞峰辉波宇刚亮明林龙华平"),
    ),
    (1, False): (
        0.3,
        _ranked("丽静敏艳娟燕婷霞玲红芳琳丹蕾颖洁娜慧倩莉晶雪"),
        _ranked("晓丽海小春雪玉秀丹艳文静慧美红亚"),
        _ranked("丽娟燕艳静敏霞婷玲红芳琳丹蕾颖洁娜慧萍"),
    ),
    (2, True): (
        0.15,
        _ranked("浩宇杰轩鑫博帆航睿昊辰阳然凯哲豪鹏"),
        _ranked("子浩宇俊一梓博泽晨思家嘉天明文志雨"),
        _ranked("轩然宇涛杰豪辰航阳博睿鑫凯浩哲鹏文琦"),
    ),
    (2, False): (
        0.15,
        _ranked("欣怡婷琪雯颖琳瑶妍悦璐萱涵彤"),
        _ranked("欣雨思佳梓诗子一可紫静雅梦晓"),
        _ranked("怡涵彤萱琪雯婷颖琳瑶冉妍宁悦月璐"),
    ),
}
# Birth years of S&T workers: few born in the 1950s (retired experts), most 1965–1995.
BIRTH_YEARS = list(range(1950, 2006))
BIRTH_YEAR_CUM = list(
    itertools.accumulate(
        1.0 if y < 1960 else 2.0 if y < 1965 else 5.0 if 1975 <= y <= 1990 else 4.0 if y < 1996 else 2.0
        for y in BIRTH_YEARS
    )
)
# Mobile prefixes (13x, 15x, 18x, 19x) roughly as common as the operators issued them.
MOBILE_PREFIXES = _weighted(
    "130:3 131:3 132:3 133:3 135:5 136:5 137:5 138:6 139:7 150:3 151:3 152:3 153:2 155:2 156:3 157:2 "
    "158:4 159:4 180:2 181:2 182:2 183:2 185:2 186:3 187:3 188:3 189:3 191:1 193:1 195:1 198:2 199:2"
)
OUTSIDE_EMPLOYERS = (
    "北方理工大学",
    "华东农业科学研究院",
    "中南医科大学",
    "西部材料研究院",
    "东方能源研究院",
    "华北电力研究院",
    "南方海洋研究所",
    "中原化工研究院",
    "江南大学",
    "西北农林研究院",
    "东海船舶设计研究所",
    "京华信息技术研究院",
)

# --- units -----------------------------------------------------------------------------------

# profile → (title family, disciplines (code:weight)), for people working there.
PROFILES = {
    "hospital": ("hospital", "320:6 310:1 350:1 360:2"),
    "cdc": ("hospital", "330:5 310:1"),
    "agri_institute": ("institute", "210:4 220:2 230:2 240:1"),
    "institute": ("institute", "870:2 630:2 120:1 413:1"),
    "school": ("school", "110:2 140:2 150:2 180:2 740:1 880:3"),
    "weather": ("engineering", "170:1"),
    "agri_agency": ("agri", "210:4 230:2 220:1 240:1"),
    "env": ("engineering", "610:1"),
    "water": ("engineering", "570:1"),
    "zone_agency": ("economics", "630:2 790:1"),
    "museum": ("museum", "880:2 870:1 140:1 180:1"),
    "university": (
        "university",
        "110:1 140:1 150:1 180:1 210:1 320:1 430:1 460:1 510:1 520:2 530:1 790:1 880:1",
    ),
    "normal_university": ("university", "110:2 140:1 150:1 180:1 740:1 750:1 880:3"),
    "medical_college": ("university", "310:2 320:3 350:1 360:1"),
    "tech_college": ("university", "460:2 470:1 510:1 520:2 530:1 560:1"),
    "enterprise": ("engineering", "460:1"),  # replaced by the industry's disciplines
    "rural": ("agri", "210:5 220:1 230:3 240:1"),
}
# Enterprise industries: the GB/T 4754 section and the disciplines of their engineers.
INDUSTRY_PROFILE = {
    "新材料科技": ("C", "430:1"),
    "智能装备": ("C", "460:3 413:1"),
    "生物医药": ("C", "350:3 180:1"),
    "电子科技": ("C", "510:1"),
    "煤化工": ("C", "530:3 480:1"),
    "化工": ("C", "530:1"),
    "食品": ("C", "550:1"),
    "农业科技": ("A", "210:2 550:1"),
    "机械制造": ("C", "460:1"),
    "汽车零部件": ("C", "460:3 580:1"),
    "纺织": ("C", "540:1"),
    "新型建材": ("C", "430:1 560:1"),
    "信息技术": ("I", "520:3 510:1"),
    "环保科技": ("N", "610:1"),
    "新能源": ("D", "480:2 470:1"),
    "医疗器械": ("C", "535:2 320:1"),
    "光电科技": ("C", "510:2 140:1"),
    "软件": ("I", "520:1"),
    "精密铸造": ("C", "450:1"),
    "涂料": ("C", "530:1"),
}
# Units an association's own area has: (name template, kind, profile, industry, weight).
PROVINCE_UNITS = [
    ("{province}人民医院", UnitKind.HOSPITAL, "hospital", "Q", 6),
    ("{province}肿瘤医院", UnitKind.HOSPITAL, "hospital", "Q", 2),
    ("{province}农业科学院", UnitKind.INSTITUTE, "agri_institute", "M", 5),
    ("{province}科学院", UnitKind.INSTITUTE, "institute", "M", 3),
]
CITY_UNITS = [
    ("{city}市第一人民医院", UnitKind.HOSPITAL, "hospital", "Q", 10),
    ("{city}市中心医院", UnitKind.HOSPITAL, "hospital", "Q", 8),
    ("{city}市中医院", UnitKind.HOSPITAL, "hospital", "Q", 5),
    ("{city}市妇幼保健院", UnitKind.HOSPITAL, "hospital", "Q", 3),
    ("{city}市疾病预防控制中心", UnitKind.GOVERNMENT, "cdc", "Q", 3),
    ("{city}市农业科学研究院", UnitKind.INSTITUTE, "agri_institute", "M", 5),
    ("{city}市林业科学研究所", UnitKind.INSTITUTE, "agri_institute", "M", 2),
    ("{city}市科学技术情报研究所", UnitKind.INSTITUTE, "institute", "M", 2),
    ("{city}市水利勘测设计院", UnitKind.INSTITUTE, "water", "M", 2),
    ("{city}市第一中学", UnitKind.SCHOOL, "school", "P", 4),
    ("{city}市实验中学", UnitKind.SCHOOL, "school", "P", 3),
    ("{city}市实验小学", UnitKind.SCHOOL, "school", "P", 2),
    ("{city}市气象局", UnitKind.GOVERNMENT, "weather", "M", 2),
    ("{city}市农业技术推广中心", UnitKind.GOVERNMENT, "agri_agency", "A", 3),
    ("{city}市生态环境监测中心", UnitKind.GOVERNMENT, "env", "N", 2),
]
COUNTY_UNITS = [
    ("{county}人民医院", UnitKind.HOSPITAL, "hospital", "Q", 8),
    ("{county}中医院", UnitKind.HOSPITAL, "hospital", "Q", 4),
    ("{county}疾病预防控制中心", UnitKind.GOVERNMENT, "cdc", "Q", 2),
    ("{county}第一中学", UnitKind.SCHOOL, "school", "P", 4),
    ("{county}实验小学", UnitKind.SCHOOL, "school", "P", 2),
    ("{county}农业技术推广中心", UnitKind.GOVERNMENT, "agri_agency", "A", 4),
    ("{county}畜牧兽医服务中心", UnitKind.GOVERNMENT, "agri_agency", "A", 2),
    ("{county}气象局", UnitKind.GOVERNMENT, "weather", "M", 1),
]
COUNTY_INSTITUTE = ("{county}农业科学研究所", UnitKind.INSTITUTE, "agri_institute", "M", 2)
TOWN_UNITS = [
    ("{town}卫生院", UnitKind.HOSPITAL, "hospital", "Q", 3),
    ("{town}中心学校", UnitKind.SCHOOL, "school", "P", 3),
    ("{town}农业综合服务站", UnitKind.GOVERNMENT, "agri_agency", "A", 2),
]
# Which units a society's people work in, by the society's field.
GROUP_PROFILES = {
    "med": {"hospital": 8, "cdc": 2},
    "agri": {"agri_institute": 4, "agri_agency": 4, "enterprise": 1},
    "eng": {"enterprise": 7, "tech_college": 1, "university": 1, "water": 1, "env": 1},
    "sci": {"university": 3, "normal_university": 1, "school": 3, "institute": 2, "weather": 1},
    "pop": {"school": 6, "museum": 2, "normal_university": 1},
}
CATEGORY_GROUP = {"A": "sci", "B": "agri", "C": "med", "D": "eng", "E": "pop"}

# --- titles, education -----------------------------------------------------------------------

TITLES = {
    "hospital": (
        "主任医师 主任护师 主任药师",
        "副主任医师 副主任护师 副主任药师",
        "主治医师 主管护师 主管药师",
        "医师 护师 药师",
    ),
    "university": ("教授 研究员", "副教授 副研究员 高级实验师", "讲师 实验师", "助教 助理实验师"),
    "school": ("正高级教师", "高级教师", "一级教师", "二级教师"),
    "institute": ("研究员", "副研究员", "助理研究员", "研究实习员"),
    "engineering": ("正高级工程师", "高级工程师", "工程师", "助理工程师"),
    "agri": (
        "正高级农艺师 农业技术推广研究员",
        "高级农艺师 高级兽医师",
        "农艺师 兽医师",
        "助理农艺师 农民技术员",
    ),
    "economics": ("正高级经济师", "高级经济师 高级工程师", "经济师 工程师", "助理经济师"),
    "museum": ("研究馆员", "副研究馆员", "馆员", "助理馆员"),
}
LEVELS = [TitleLevel.SENIOR, TitleLevel.VICE_SENIOR, TitleLevel.INTERMEDIATE, TitleLevel.JUNIOR]
LEVEL_RANK = {
    TitleLevel.SENIOR: 4,
    TitleLevel.VICE_SENIOR: 3,
    TitleLevel.INTERMEDIATE: 2,
    TitleLevel.JUNIOR: 1,
}
POSITIONS = {
    "hospital": ("科主任", "副主任医师", "护士长", "医务科科长", "副院长"),
    "university": ("学院院长", "系主任", "实验室主任", "教研室主任", "专任教师"),
    "school": ("科学教师", "教研组长", "教务主任", "副校长", "物理教师"),
    "institute": ("研究室主任", "课题组长", "所长助理", "副所长", "科研人员"),
    "engineering": ("总工程师", "技术总监", "研发部经理", "质量部经理", "研发工程师", "工艺工程师", "技术员"),
    "agri": ("站长", "农技推广员", "技术指导员", "植保员", "畜牧技术员"),
    "economics": ("科技局科长", "招商部长", "规划处处长", "办公室主任"),
    "museum": ("展教部主任", "科普辅导员", "副馆长", "展品研发员"),
}
# Education (doctorate, master, bachelor, junior college, secondary) by title family.
EDUCATION = {
    "university": (45, 40, 15, 0, 0),
    "institute": (22, 40, 33, 5, 0),
    "hospital": (8, 30, 45, 15, 2),
    "school": (1, 15, 74, 10, 0),
    "engineering": (2, 12, 46, 28, 12),
    "economics": (2, 25, 58, 15, 0),
    "museum": (2, 20, 60, 18, 0),
    "agri": (1, 6, 30, 33, 30),
}
EDUCATION_ORDER = [
    Education.DOCTORATE,
    Education.MASTER,
    Education.BACHELOR,
    Education.COLLEGE,
    Education.SECONDARY,
]
POLITICAL = _weighted("cpc_member30 masses45 democratic_party5 non_partisan4 cpc_probationary1")
OCCASIONS = _weighted("spring_festival40 workers_day20 mid_autumn20 illness8 birthday7 other5")
VISIT_NOTES = {
    VisitOccasion.SPRING_FESTIVAL: (
        "送去新春祝福和慰问品，听取对科协工作的意见建议",
        "春节前登门走访，了解工作和生活情况",
    ),
    VisitOccasion.WORKERS_DAY: ("全国科技工作者日走访慰问，座谈科研进展", "送去节日问候，交流科技创新需求"),
    VisitOccasion.MID_AUTUMN: ("中秋节前走访慰问，送去月饼和节日祝福", "中秋走访，了解家庭困难情况"),
    VisitOccasion.ILLNESS: ("看望住院治疗的专家，送上慰问金", "了解病情和家庭困难，协调就医事宜"),
    VisitOccasion.BIRTHDAY: ("为老专家祝寿，送上生日蛋糕和鲜花", "老专家寿辰登门祝贺"),
    VisitOccasion.OTHER: ("走访了解科研条件和人才需求", "回乡考察期间座谈交流"),
}
# Honours of people: (title template, level, graded, issuer template).
PERSON_HONOURS = {
    HonourLevel.NATIONAL: [
        ("全国优秀科技工作者", False, "中国科学技术协会"),
        ("全国五一劳动奖章", False, "中华全国总工会"),
        ("国家科学技术进步奖", True, "国务院"),
        ("全国最美科技工作者", False, "中国科学技术协会"),
    ],
    HonourLevel.PROVINCIAL: [
        ("{province}科学技术奖", True, "{province}人民政府"),
        ("{province}青年科技奖", False, "{province}科学技术协会"),
        ("{province}自然科学优秀学术论文", True, "{province}科学技术协会"),
        ("{province}优秀科技工作者", False, "{province}科学技术协会"),
    ],
    HonourLevel.CITY: [
        ("{city}市科学技术进步奖", True, "{city}市人民政府"),
        ("{city}市最美科技工作者", False, "{city}市科学技术协会"),
        ("{city}市青年科技奖", False, "{city}市科学技术协会"),
        ("{city}市创新达人", False, "{city}市科学技术协会"),
        ("{city}市优秀科普工作者", False, "{city}市科学技术协会"),
        ("{city}市自然科学优秀学术论文", True, "{city}市科学技术协会"),
    ],
    HonourLevel.COUNTY: [
        ("{county}科协系统先进个人", False, "{county}科学技术协会"),
        ("{county}优秀科技人才", False, "{county}人民政府"),
        ("{county}科普工作先进个人", False, "{county}科学技术协会"),
    ],
}
HONOUR_LEVELS = _weighted("national3 provincial17 city45 county35")
REGION_TABLE = numdb.get("cn/loc")  # the region codes stdnum.cn.ric checks, with their years


# --- the network as the planner sees it --------------------------------------------------------


@dataclass
class Area:
    """An organization with the names and ancestors the generator needs."""

    org: Organization
    province: str  # 示例省
    city: Organization | None  # the city association above (or itself)
    city_name: str
    county: Organization | None
    county_name: str
    group: str = ""  # a society's field: med, agri, eng, sci, pop

    @property
    def area_key(self) -> int | None:
        """Where its people live and join societies: the county, else the city, else the province."""
        return (self.county or self.city or self.org).pk if (self.county or self.city) else None


@dataclass
class UnitSpec:
    key: int
    owner: Organization
    name: str
    kind: str
    profile: str
    industry: str
    weight: float
    division_code: str
    credit_code: str = ""
    size: str = ""
    disciplines: tuple[list[str], list[float]] | None = None
    unit: Unit | None = None  # once written


@dataclass(slots=True)
class Brief:
    """What later steps need of a person written to the database."""

    pk: int
    org_pk: int
    city_pk: int | None
    county_pk: int | None
    area_key: int | None
    group: str
    unit_key: int | None
    born: date | None
    level_rank: int
    doctorate: bool
    tags: tuple[str, ...]
    special: str
    minor: bool
    name: str


@dataclass(slots=True)
class Row:
    data: PersonData
    group: str
    unit_key: int | None
    special: str = ""
    minor: bool = False


@dataclass
class PeopleResult:
    people: int = 0
    units: int = 0
    memberships: int = 0
    institutional: int = 0
    dues: int = 0
    seats: int = 0
    honours: int = 0
    visits: int = 0
    teams: int = 0
    talent_lists: int = 0
    consents: int = 0
    seconds: float = 0.0
    by_tag: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"Created {self.people} people, {self.units} units, {self.memberships} society memberships "
            f"({self.institutional} institutional, {self.dues} dues payments), {self.seats} board positions, "
            f"{self.honours} honours, {self.visits} visits, {self.teams} teams and {self.talent_lists} "
            f"talent lists in {self.seconds:.1f} s."
        )


def society_group(name: str) -> str:
    known = {n: g for n, g, _ in SOCIETIES}
    known.update({"果树协会": "agri", "化工学会": "eng", "园艺学会": "agri", "院士专家联谊会": "sci"})
    for society in sorted(known, key=len, reverse=True):
        if name.endswith(society):
            return known[society]
    return "sci"


def load_network() -> list[Area]:
    """Every organization, in path order, with its city and county."""
    orgs = list(Organization.objects.order_by("path"))
    areas: dict[int, Area] = {}
    for org in orgs:
        parent = areas.get(org.parent_id) if org.parent_id else None
        if org.kind == Kind.PROVINCE_ASSOCIATION or parent is None:
            province = org.name.split("省")[0] + "省" if "省" in org.name else ""
            area = Area(org, province, None, "", None, "")
        else:
            area = Area(
                org, parent.province, parent.city, parent.city_name, parent.county, parent.county_name
            )
        if org.kind == Kind.CITY_ASSOCIATION:
            area.city, area.city_name = org, org.name.split("市")[0]
        elif org.kind == Kind.COUNTY_ASSOCIATION:
            area.county, area.county_name = org, (org.short_name or org.name)[:-2]
        if org.kind in (Kind.SOCIETY, Kind.SOCIETY_BRANCH):
            area.group = parent.group if parent and parent.group else society_group(org.name)
        areas[org.pk] = area
    return list(areas.values())


def allocate(weights: list[float], total: int, minimums: list[int]) -> list[int]:
    """Integer shares of `total` proportional to `weights`, each at least its minimum."""
    weight_sum = sum(weights) or 1.0
    raw = [w * total / weight_sum for w in weights]
    counts = [max(m, int(r)) for r, m in zip(raw, minimums, strict=True)]
    diff = total - sum(counts)
    if diff > 0:
        order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
        for index in itertools.islice(itertools.cycle(order), diff):
            counts[index] += 1
    while diff < 0:
        order = sorted(range(len(counts)), key=lambda i: (-(counts[i] - minimums[i]), i))
        for index in order:
            if diff == 0 or counts[index] <= minimums[index]:
                break
            counts[index] -= 1
            diff += 1
    return counts


# --- the generator ---------------------------------------------------------------------------


class PeoplePlanner:
    """Turns the network and an rng into units and people (pure data until written)."""

    def __init__(self, *, scale: str, rng: random.Random, today: date, network: list[Area]):
        self.scale, self.rng, self.today, self.network = scale, rng, today, network
        self.ids: set[str] = set()
        self.region_years: dict[str, list[tuple[int, int]]] = {}
        self.mobiles: set[str] = set()
        self.credit_codes = set(
            Organization.objects.exclude(credit_code="").values_list("credit_code", flat=True)
        )
        self.org_code_counter = 0
        self.disciplines = {
            d.code: d for d in Discipline.objects.filter(parent__isnull=False).select_related("parent")
        }
        self.tags = {t.code: t for t in Tag.objects.all()}
        divisions = list(Division.objects.filter(level="county").order_by("code"))
        self.divisions = {d.code: d for d in Division.objects.all()}
        self.counties_by_prefix: dict[str, list[Division]] = defaultdict(list)
        for division in divisions:
            self.counties_by_prefix[division.code[:4]].append(division)
            self.counties_by_prefix[division.code[:2]].append(division)
        self.all_counties = divisions
        self.profile_disciplines = {p: self._codes(spec) for p, (_, spec) in PROFILES.items()}
        self.industry_disciplines = {k: self._codes(spec) for k, (_, spec) in INDUSTRY_PROFILE.items()}
        self.units: list[UnitSpec] = []
        self.units_by_owner: dict[int, list[UnitSpec]] = defaultdict(list)
        # area (county/city pk) → profile → units there; the city's units serve its counties too.
        self.units_by_area: dict[int | None, dict[str, list[UnitSpec]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def _codes(self, spec: str) -> tuple[list[str], list[float]]:
        items, cum = [], []
        total = 0.0
        for token in spec.split():
            code, weight = token.split(":")
            if code in self.disciplines:
                items.append(code)
                total += float(weight)
                cum.append(total)
        return items, cum

    def pick(self, weighted: tuple[list[str], list[float]]) -> str:
        items, cum = weighted
        return items[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    # --- identifiers --------------------------------------------------------------------
    def credit_code(self, prefix: str, division_code: str) -> str:
        """A unified social credit code with valid GB 11714 and GB 32100 check characters."""
        while True:
            self.org_code_counter += 1
            base = f"{self.rng.randrange(10**7):07d}{self.org_code_counter % 10}"
            total = sum(int(c) * w for c, w in zip(base, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
            check = 11 - total % 11
            code = prefix + division_code + base + {10: "X", 11: "0"}.get(check, str(check))
            code += uscc.calc_check_digit(code)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def region(self, area: Area, *, local: float = 0.7) -> Division:
        """A county-level division: usually the organization's own, else elsewhere in the
        province, sometimes another province (the ID number's region is the birthplace)."""
        code = area.org.division_id or ""
        roll = self.rng.random()
        if code and roll < local:
            if code[4:] != "00" and code in self.divisions:
                return self.divisions[code]
            pool = self.counties_by_prefix.get(code[:4] if code[2:4] != "00" else code[:2])
            if pool:
                return self.rng.choice(pool)
        if code and roll < local + 0.2 and self.counties_by_prefix.get(code[:2]):
            return self.rng.choice(self.counties_by_prefix[code[:2]])
        return self.rng.choice(self.all_counties)

    def region_at_birth(self, region: Division, year: int) -> str:
        """A region code that existed in the birth year (GB 11643 numbers carry the code of
        the time, and stdnum checks it): the region itself, else one near it."""
        if self._existed(region.code, year):
            return region.code
        for key in (region.code[:4], region.code[:2], ""):
            pool = self.counties_by_prefix.get(key, []) if key else self.all_counties
            for _attempt in range(min(len(pool), 12)):
                code = self.rng.choice(pool).code
                if self._existed(code, year):
                    return code
        return next(d.code for d in self.all_counties if self._existed(d.code, year))

    def _existed(self, code: str, year: int) -> bool:
        """Whether stdnum's region table has the code for people born in `year`."""
        ranges = self.region_years.get(code)
        if ranges is None:
            info = {k: v for _part, props in REGION_TABLE.info(code) for k, v in props.items()}
            ranges = []
            for county in info.get("county", "").split(",") if info.get("county") else []:
                if not county.startswith("["):
                    ranges.append((0, 9999))
                    continue
                start, end = county[1:].split("]")[0].split("-")
                ranges.append((int(start or 0), int(end or 9999)))
            self.region_years[code] = ranges
        return any(start <= year <= end for start, end in ranges)

    def id_number(self, region: str, born: date, male: bool) -> str:
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            body = f"{region}{born:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(body + "0")  # it ignores the last character
            if number not in self.ids:
                self.ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = self.pick(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def name(self, male: bool, year: int) -> str:
        return self.pick(SURNAMES) + self.given(male, year)

    def given(self, male: bool, year: int) -> str:
        era = 0 if year < 1975 else 1 if year < 1995 else 2
        single, one, first, second = GIVEN[(era, male)]
        if self.rng.random() < single:
            return self.pick(one)
        return self.pick(first) + self.pick(second)

    def birth(self, first: int = 1950, last: int = 2005) -> date:
        while True:
            year = BIRTH_YEARS[bisect.bisect_right(BIRTH_YEAR_CUM, self.rng.random() * BIRTH_YEAR_CUM[-1])]
            if first <= year <= last:
                break
        month = self.rng.randint(1, 12)
        return date(year, month, self.rng.randint(1, calendar.monthrange(year, month)[1]))

    def day_between(self, start: date, end: date) -> date:
        if end <= start:
            return end
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # --- units --------------------------------------------------------------------------
    def plan_units(self) -> list[UnitSpec]:
        for area in self.network:
            org = area.org
            if not org.is_active:
                continue
            templates: list[tuple] = []
            names = {"province": area.province, "city": area.city_name, "county": area.county_name}
            if org.kind == Kind.PROVINCE_ASSOCIATION:
                templates = PROVINCE_UNITS
            elif org.kind == Kind.CITY_ASSOCIATION:
                templates = CITY_UNITS
            elif org.kind == Kind.COUNTY_ASSOCIATION:
                templates = COUNTY_UNITS + ([COUNTY_INSTITUTE] if self.rng.random() < 0.4 else [])
            elif org.kind == Kind.TOWN_ASSOCIATION:
                town = (org.short_name or org.name)[:-2]
                names["town"] = town
                templates = [t for t in TOWN_UNITS if not (town.endswith("街道") and t[2] == "agri_agency")]
                if town.endswith("街道"):
                    templates = [
                        ("{town}社区卫生服务中心", *t[1:]) if t[2] == "hospital" else t for t in templates
                    ]
            elif org.kind == Kind.ENTERPRISE_ASSOCIATION:
                self._enterprise(area)
            elif org.kind == Kind.UNIVERSITY_ASSOCIATION:
                name = org.name.removesuffix("科学技术协会")
                profile = (
                    "medical_college"
                    if "医" in name
                    else "normal_university"
                    if "师范" in name
                    else "tech_college"
                    if "理工" in name or "职业" in name
                    else "university"
                )
                self._add(area, name, UnitKind.UNIVERSITY, profile, "P", 1.0, prefix="12")
            elif org.kind == Kind.SCIENCE_MUSEUM:
                self._add(area, org.name, UnitKind.GOVERNMENT, "museum", "R", 1.0, code=org.credit_code)
            elif org.kind == Kind.ZONE_ASSOCIATION and org.name.endswith("科学技术协会"):
                name = org.name.removesuffix("科学技术协会") + "管理委员会"
                self._add(area, name, UnitKind.GOVERNMENT, "zone_agency", "S", 1.0, prefix="11")
            for template, kind, profile, industry, weight in templates:
                prefix = "11" if template.endswith("局") else "12"
                self._add(area, template.format(**names), kind, profile, industry, weight, prefix=prefix)
        return self.units

    def _enterprise(self, area: Area) -> None:
        org = area.org
        name = org.name.removesuffix("科学技术协会")
        industry = next((k for k in INDUSTRY_PROFILE if k in name), "机械制造")
        size = self.rng.choices(
            (UnitSize.LARGE, UnitSize.MEDIUM, UnitSize.SMALL, UnitSize.MICRO), (10, 25, 45, 20)
        )[0]
        spec = self._add(
            area,
            name,
            UnitKind.ENTERPRISE,
            "enterprise",
            INDUSTRY_PROFILE[industry][0],
            1.0,
            prefix="91",
            code=org.credit_code,
        )
        spec.size, spec.disciplines = size, self.industry_disciplines[industry]

    def _add(self, area, name, kind, profile, industry, weight, *, prefix="12", code="") -> UnitSpec:
        org = area.org
        division = org.division_id or ""
        if code and code in self.credit_codes and not code.startswith(prefix):
            code = ""
        if not code:
            code = self.credit_code(prefix, division or "340000")
        spec = UnitSpec(
            key=len(self.units),
            owner=org,
            name=name,
            kind=kind,
            profile=profile,
            industry=industry,
            weight=weight,
            division_code=division,
            credit_code=code,
            size=UnitSize.LARGE if kind in (UnitKind.HOSPITAL, UnitKind.UNIVERSITY) else "",
        )
        spec.disciplines = self.profile_disciplines[profile]
        self.units.append(spec)
        self.units_by_owner[org.pk].append(spec)
        key = area.area_key
        self.units_by_area[key][profile].append(spec)
        if area.county is not None and area.city is not None:
            self.units_by_area[area.city.pk][profile].append(spec)
        if key is not None:
            self.units_by_area[None][profile].append(spec)
        return spec

    # --- how many people each organization keeps ------------------------------------------
    def allocation(self, leaders: dict[int, list[tuple[str, str]]]) -> list[tuple[Area, int, list[Row]]]:
        """(area, people to generate, special rows) per organization, summing to the scale."""
        total = PEOPLE[self.scale]
        specials: dict[int, list[Row]] = defaultdict(list)
        cities = [a for a in self.network if a.org.kind == Kind.CITY_ASSOCIATION and self._full_city(a)]
        for city in cities:
            for _ in range(ACADEMICIANS_PER_CITY[self.scale]):
                specials[city.org.pk].append(self.outsider(city, academician=True))
            for _ in range(HOMETOWN_TALENTS_PER_CITY):
                specials[city.org.pk].append(self.outsider(city, academician=False))
        for area in self.network:
            for position, name in leaders.get(area.org.pk, []):
                specials[area.org.pk].append(self.leader(area, position, name))
        regular = total - sum(len(rows) for rows in specials.values())
        weights, minimums = [], []
        for area in self.network:
            org = area.org
            weight = KEPT_WEIGHT.get(org.kind, 0) if org.is_active else 0
            if org.kind == Kind.ENTERPRISE_ASSOCIATION:
                owned = self.units_by_owner.get(org.pk)
                weight *= COMPANY_SIZE_WEIGHT.get(owned[0].size, 1.0) if owned else 0.5
            elif org.kind == Kind.SOCIETY and area.county is not None:
                weight = 12
            weights.append(weight * (0.6 + 0.8 * self.rng.random()) if weight else 0)
            minimums.append(0)
        counts = allocate(weights, regular, minimums)
        return [
            (area, count, specials.get(area.org.pk, []))
            for area, count in zip(self.network, counts, strict=True)
            if count or specials.get(area.org.pk)
        ]

    def _full_city(self, city: Area) -> bool:
        """Full cities have counties with towns (skeleton cities have a few towns only)."""
        return any(
            a.org.kind == Kind.UNIVERSITY_ASSOCIATION and a.city is not None and a.city.pk == city.org.pk
            for a in self.network
        )

    # --- people -------------------------------------------------------------------------
    def unit_for(self, area: Area) -> UnitSpec | None:
        org = area.org
        owned = self.units_by_owner.get(org.pk, [])
        if org.kind in (Kind.ENTERPRISE_ASSOCIATION, Kind.UNIVERSITY_ASSOCIATION, Kind.SCIENCE_MUSEUM):
            return owned[0] if owned else None
        if org.kind == Kind.RURAL_TECH_ASSOCIATION:
            return None
        if org.kind == Kind.TOWN_ASSOCIATION and self.rng.random() < 0.45:
            return None
        if org.kind in (Kind.SOCIETY, Kind.SOCIETY_BRANCH):
            return self.unit_in_field(area.area_key, area.group) or self.unit_in_field(None, area.group)
        if org.kind == Kind.ZONE_ASSOCIATION:
            if owned and self.rng.random() < 0.3:
                return owned[0]
            return self.unit_in_field(area.area_key, "eng")
        if owned:
            return self.rng.choices(owned, [u.weight for u in owned])[0]
        return None

    def unit_in_field(self, area_key: int | None, group: str) -> UnitSpec | None:
        profiles = GROUP_PROFILES.get(group) or GROUP_PROFILES["sci"]
        here = self.units_by_area.get(area_key)
        if not here:
            return None
        available = [(p, w) for p, w in profiles.items() if here.get(p)]
        if not available:
            return None
        profile = self.rng.choices([p for p, _ in available], [w for _, w in available])[0]
        return self.rng.choice(here[profile])

    def people_for(self, area: Area, count: int) -> list[Row]:
        rows = []
        for _ in range(count):
            if area.org.kind in KEEPS_MINORS and self.rng.random() < 0.03:
                rows.append(self.minor(area))
            else:
                rows.append(self.adult(area))
        return rows

    def _person(self, area: Area, *, male: bool, born: date, region: Division | None = None) -> dict:
        name = self.name(male, born.year)
        fields = {"name": name}
        if self.rng.random() < 0.8:
            code = self.region_at_birth(region or self.region(area), born.year)
            fields["id_number"] = self.id_number(code, born, male)
            if self.rng.random() < 0.6 and code in self.divisions:
                fields["native_place"] = self.divisions[code]
        else:
            fields["gender"] = "male" if male else "female"
            if self.rng.random() < 0.85:
                fields["birth_date"] = born
        return fields

    def minor(self, area: Area) -> Row:
        male = self.rng.random() < 0.5
        year, month = self.rng.randint(2012, 2016), self.rng.randint(1, 12)
        born = date(year, month, self.rng.randint(1, calendar.monthrange(year, month)[1]))
        fields = self._person(area, male=male, born=born)
        fields.update(education=Education.SECONDARY, division=self.divisions.get(area.org.division_id or ""))
        return Row(PersonData(**fields), "pop", None, minor=True)

    def adult(
        self, area: Area, *, born: date | None = None, unit: UnitSpec | None = None, floor: int = 0
    ) -> Row:
        rng = self.rng
        unit = unit or self.unit_for(area)
        profile = unit.profile if unit else "rural"
        family = PROFILES[profile][0]
        male_share = {"hospital": 0.4, "school": 0.35, "engineering": 0.68, "agri": 0.7}.get(family, 0.55)
        male = rng.random() < male_share
        born = born or self.birth()
        age = self.today.year - born.year
        fields = self._person(area, male=male, born=born)
        # Education, then the title level it and the age allow.
        weights = EDUCATION[family]
        education = rng.choices(EDUCATION_ORDER, weights)[0]
        if education == Education.DOCTORATE and age < 28:
            education = Education.MASTER
        if education in (Education.MASTER, Education.DOCTORATE) and age < 24:
            education = Education.BACHELOR
        level = self.title_level(age, education, family, floor)
        title = ""
        if level in LEVEL_RANK:
            options = TITLES[family][LEVELS.index(level)].split()
            title = rng.choice(options)
        discipline_code = self.pick(
            unit.disciplines if unit and unit.disciplines else self.profile_disciplines[profile]
        )
        discipline = self.disciplines[discipline_code]
        group = (
            "pop" if profile in ("school", "museum") else CATEGORY_GROUP.get(discipline.parent.code, "sci")
        )
        position = ""
        if rng.random() < 0.6:
            position = rng.choice(POSITIONS[family])
        employer = unit.name if unit else self.no_unit_employer(area)
        tags = self.tags_for(age, level, education, family, profile)
        political = self.pick(POLITICAL)
        if age < 28 and political == PoliticalStatus.MASSES and rng.random() < 0.6:
            political = PoliticalStatus.CYL_MEMBER
        fields.update(
            mobile=self.mobile() if rng.random() < 0.97 else "",
            email=self.email(fields["name"], born) if rng.random() < 0.25 else "",
            education=education,
            title=title,
            title_level=level,
            discipline=discipline,
            unit=unit.unit if unit else None,
            employer=employer,
            position=position,
            division=self.divisions.get(unit.division_code if unit else area.org.division_id or ""),
            political_status=political,
            expertise=f"长期从事{discipline.name}领域的研究与应用" if "expert" in tags else "",
            tags=[self.tags[code] for code in tags],
        )
        return Row(PersonData(**fields), group, unit.key if unit else None)

    def title_level(self, age: int, education: str, family: str, floor: int = 0) -> str:
        if family == "agri" and education == Education.SECONDARY:
            weights = (0, 3, 12, 25, 60)
        elif age < 30:
            weights = (0, 1, 25, 45, 29)
        elif age < 40:
            weights = (3, 17, 45, 20, 15)
        elif age < 55:
            weights = (15, 35, 32, 8, 10)
        else:
            weights = (28, 38, 22, 4, 8)
        if education == Education.DOCTORATE:
            weights = (weights[0] * 3, weights[1] * 2, weights[2], weights[3] // 3, 0)
        level = self.rng.choices([*LEVELS, TitleLevel.NONE], weights)[0]
        if LEVEL_RANK.get(level, 0) < floor:
            level = LEVELS[4 - floor]
        return level

    def tags_for(self, age: int, level: str, education: str, family: str, profile: str) -> list[str]:
        rng = self.rng
        tags = []
        rank = LEVEL_RANK.get(level, 0)
        if rng.random() < {4: 0.45, 3: 0.12}.get(rank, 0.01):
            tags.append("expert")
        if education == Education.DOCTORATE:
            tags.append("phd")
        if rank == 4 and rng.random() < (0.3 if education == Education.DOCTORATE else 0.05):
            tags.append("high_level_talent")
        if age < 40 and (education == Education.DOCTORATE or rank >= 2) and rng.random() < 0.2:
            tags.append("young_talent")
        if rng.random() < (0.3 if profile == "school" else 0.005):
            tags.append("tutor")
        if rng.random() < 0.08:
            tags.append("volunteer")
        if rng.random() < (0.25 if profile in ("school", "museum") else 0.02):
            tags.append("popularizer")
        if (
            family == "engineering"
            and education in (Education.COLLEGE, Education.SECONDARY)
            and rng.random() < 0.1
        ):
            tags.append("craftsman")
        return tags

    def no_unit_employer(self, area: Area) -> str:
        org = area.org
        if org.kind == Kind.RURAL_TECH_ASSOCIATION:
            return org.name.replace("专业技术协会", "专业合作社").replace("协会", "专业合作社")
        if org.kind == Kind.TOWN_ASSOCIATION:
            return self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND) + "村"
        return ""

    def email(self, name: str, born: date) -> str:
        return f"{name_keys(name)[1]}{born:%y}{self.rng.randrange(100):02d}@example.com"

    def outsider(self, city: Area, *, academician: bool) -> Row:
        """A hometown academician or high-level talent: born in the city, working elsewhere."""
        rng = self.rng
        male = rng.random() < (0.9 if academician else 0.7)
        born = self.birth(1950, 1965) if academician else self.birth(1960, 1990)
        native = self.region(city, local=1.0)
        fields = self._person(city, male=male, born=born, region=native)
        fields["native_place"] = native
        doctorate = academician or rng.random() < 0.7
        category = rng.choice("ABCD")
        codes = [c for c, d in self.disciplines.items() if d.parent.code == category]
        discipline = self.disciplines[rng.choice(sorted(codes))]
        tags = ["hometown_talent"]
        if academician:
            tags += ["academician", "expert", "high_level_talent"]
        else:
            tags += [t for t, share in (("expert", 0.6), ("high_level_talent", 0.5)) if rng.random() < share]
        if doctorate:
            tags.append("phd")
        employer = rng.choice(OUTSIDE_EMPLOYERS)
        academy = "中国工程院" if category in "BD" or rng.random() < 0.3 else "中国科学院"
        fields.update(
            mobile=self.mobile(),
            education=Education.DOCTORATE if doctorate else Education.MASTER,
            title=TITLES["institute"][0] if academician else rng.choice(("研究员", "教授", "正高级工程师")),
            title_level=TitleLevel.SENIOR if academician or rng.random() < 0.7 else TitleLevel.VICE_SENIOR,
            discipline=discipline,
            employer=employer,
            position=rng.choice(("首席科学家", "学术委员会主任", "研究室主任", "教授")),
            division=rng.choice(self.all_counties),
            political_status=self.pick(POLITICAL),
            expertise=f"长期从事{discipline.name}领域的研究",
            achievements=f"{academy}院士" if academician else "",
            tags=[self.tags[t] for t in tags],
        )
        group = CATEGORY_GROUP.get(category, "sci")
        return Row(PersonData(**fields), group, None, special="academician" if academician else "hometown")

    def leader(self, area: Area, position: str, name: str) -> Row:
        """A society's chair, secretary-general or chief supervisor, named as appointed."""
        born = (
            self.birth(1955, 1978) if position != LeaderPosition.SECRETARY_GENERAL else self.birth(1965, 1988)
        )
        floor = 3 if position == LeaderPosition.CHAIR else 2
        unit = self.unit_in_field(area.area_key, area.group) or self.unit_in_field(None, area.group)
        row = self.adult(area, born=born, unit=unit, floor=floor)
        row.data.name = name
        if row.data.email:
            row.data.email = self.email(name, born)
        row.special = f"leader:{position}"
        return row


# --- bulk writes: each one transaction, one audit record --------------------------------------------


@transaction.atomic
def units_bulk_create(*, actor, organization: Organization, units: list[Unit]) -> list[Unit]:
    """Register many units kept by `organization` at once (demo data): search keys set."""
    for unit in units:
        unit.organization = organization
        unit.search_text = search_text_for(unit.name)
        unit.sort_key = pinyin_sort_key(unit.name)
    Unit.objects.bulk_create(units, batch_size=1000)
    record(
        actor, "unit.demo", None, org_path=organization.path, count=len(units), organization=organization.pk
    )
    return units


@transaction.atomic
def memberships_bulk_create(
    *, actor, society: Organization, memberships: list[SocietyMembership], dues: list[list[DuesPayment]]
) -> list[SocietyMembership]:
    """Admit many members (people or units) to one society with their dues payments."""
    if any(m.society_id != society.pk for m in memberships):
        raise ValueError("every membership must belong to the society")
    SocietyMembership.objects.bulk_create(memberships, batch_size=2000)
    place_new_members(m.person_id for m in memberships if m.person_id)
    payments = []
    for membership, paid in zip(memberships, dues, strict=True):
        for payment in paid:
            payment.membership = membership
            payments.append(payment)
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
    record(
        actor,
        "member.demo",
        society,
        count=len(memberships),
        institutional=sum(1 for m in memberships if m.unit_id),
        dues=len(payments),
    )
    return memberships


@transaction.atomic
def board_seats_bulk_create(*, actor, board_term: BoardTerm, seats: list[BoardSeat]) -> list[BoardSeat]:
    """Seat a board term's council, standing council, leaders and supervisors."""
    BoardSeat.objects.bulk_create(seats, batch_size=2000)
    record(
        actor,
        "board_seat.demo",
        board_term.organization,
        board_term=board_term.pk,
        count=len(seats),
        roles=dict(Counter(seat.role for seat in seats)),
    )
    return seats


@transaction.atomic
def honours_bulk_create(*, actor, organization: Organization, honours: list[Honour]) -> list[Honour]:
    Honour.objects.bulk_create(honours, batch_size=2000)
    record(
        actor,
        "honour.demo",
        None,
        org_path=organization.path,
        count=len(honours),
        organization=organization.pk,
    )
    return honours


@transaction.atomic
def visits_bulk_create(*, actor, organization: Organization, visits: list[Visit]) -> list[Visit]:
    Visit.objects.bulk_create(visits, batch_size=2000)
    record(
        actor, "visit.demo", None, org_path=organization.path, count=len(visits), organization=organization.pk
    )
    return visits


@transaction.atomic
def teams_bulk_create(
    *, actor, organization: Organization, teams: list[Team], members: list[list[TeamMember]]
) -> list[Team]:
    for team in teams:
        team.organization = organization
        team.sort_key = pinyin_sort_key(team.name)
    Team.objects.bulk_create(teams)
    rows = []
    for team, team_members in zip(teams, members, strict=True):
        for member in team_members:
            member.team = team
            rows.append(member)
    TeamMember.objects.bulk_create(rows, batch_size=2000)
    record(actor, "team.demo", None, org_path=organization.path, count=len(teams), members=len(rows))
    return teams


@transaction.atomic
def consents_bulk_create(*, actor, organization: Organization, consents: list[Consent]) -> list[Consent]:
    Consent.objects.bulk_create(consents, batch_size=2000)
    record(
        actor,
        "consent.demo",
        None,
        org_path=organization.path,
        count=len(consents),
        organization=organization.pk,
    )
    return consents


@transaction.atomic
def talent_list_create_with(
    *, actor, talent_list: TalentList, people: list[int], note: str = ""
) -> TalentList:
    """A talent list with its chosen people (explicit lists) or its saved search."""
    talent_list.save()
    TalentListEntry.objects.bulk_create(
        [TalentListEntry(talent_list=talent_list, person_id=pk, note=note) for pk in people], batch_size=2000
    )
    record(actor, "talent_list.demo", talent_list, count=len(people), kind=talent_list.kind)
    return talent_list


# --- seeding -----------------------------------------------------------------------------------


def _current_leaders() -> dict[int, list[tuple[str, str]]]:
    """Society pk → [(position, name)] of the current term's chair, secretary-general, chief supervisor."""
    leaders: dict[int, list[tuple[str, str]]] = defaultdict(list)
    positions = (LeaderPosition.CHAIR, LeaderPosition.SECRETARY_GENERAL, LeaderPosition.SUPERVISOR_CHAIR)
    appointments = (
        LeaderAppointment.objects.filter(
            ended_on__isnull=True,
            position__in=positions,
            organization__kind=Kind.SOCIETY,
            organization__status="active",
        )
        .order_by("organization__path", "position", "pk")
        .values_list("organization_id", "position", "person_name")
    )
    for org_pk, position, name in appointments:
        leaders[org_pk].append((position, name))
    return leaders


def seed_people(
    *,
    scale: str,
    rng: random.Random,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PeopleResult:
    """Fill the demo network's talent pool (actor=None), in one transaction."""
    started = time.monotonic()
    today = today or timezone.localdate()
    result = PeopleResult()
    with transaction.atomic():
        network = load_network()
        planner = PeoplePlanner(scale=scale, rng=rng, today=today, network=network)
        _write_units(planner, result)
        briefs = _write_people(planner, result, progress)
        seeder = _Relations(planner, briefs, result)
        seeder.memberships()
        seeder.board_seats()
        seeder.honours()
        seeder.visits()
        seeder.teams()
        seeder.consents()
        seeder.talent_lists()
    result.seconds = time.monotonic() - started
    return result


def _write_units(planner: PeoplePlanner, result: PeopleResult) -> None:
    specs = planner.plan_units()
    by_owner: dict[int, list[UnitSpec]] = defaultdict(list)
    for spec in specs:
        by_owner[spec.owner.pk].append(spec)
    for owned in by_owner.values():
        units = []
        for spec in owned:
            phone = planner.mobile() if planner.rng.random() < 0.5 else ""
            spec.unit = Unit(
                name=spec.name,
                kind=spec.kind,
                credit_code=spec.credit_code,
                industry=spec.industry,
                division_id=spec.division_code or None,
                size=spec.size,
                address=spec.owner.address if spec.kind == UnitKind.ENTERPRISE else "",
                contact_person=planner.name(planner.rng.random() < 0.5, planner.birth().year)
                if phone
                else "",
                contact_phone=phone,
            )
            units.append(spec.unit)
        units_bulk_create(actor=None, organization=owned[0].owner, units=units)
        result.units += len(units)


def _write_people(planner: PeoplePlanner, result: PeopleResult, progress) -> list[Brief]:
    briefs: list[Brief] = []
    total = PEOPLE[planner.scale]
    reported = 0
    for area, count, specials in planner.allocation(_current_leaders()):
        rows = specials + planner.people_for(area, count)
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            people = people_bulk_create(
                actor=None, organization=area.org, rows=[r.data for r in chunk], action="person.demo"
            )
            for person, row in zip(people, chunk, strict=True):
                tags = tuple(t.code for t in row.data.tags or ())
                result.by_tag.update(tags)
                briefs.append(
                    Brief(
                        pk=person.pk,
                        org_pk=area.org.pk,
                        city_pk=area.city.pk if area.city else None,
                        county_pk=area.county.pk if area.county else None,
                        area_key=area.area_key,
                        group=row.group,
                        unit_key=row.unit_key,
                        born=person.birth_date,
                        level_rank=LEVEL_RANK.get(person.title_level, 0),
                        doctorate=person.education == Education.DOCTORATE,
                        tags=tags,
                        special=row.special,
                        minor=row.minor,
                        name=person.name,
                    )
                )
        result.people = len(briefs)
        if progress and result.people - reported >= 10_000:
            reported = result.people
            progress(result.people, total)
    return briefs


class _Relations:
    """Memberships, board seats, honours, visits, teams, consents and lists of the written people."""

    def __init__(self, planner: PeoplePlanner, briefs: list[Brief], result: PeopleResult):
        self.planner, self.rng, self.today = planner, planner.rng, planner.today
        self.briefs, self.result = briefs, result
        self.areas = {a.org.pk: a for a in planner.network}
        self.adults = [b for b in briefs if not b.minor]
        self.members: dict[int, list[tuple[Brief, SocietyMembership]]] = {}

    def age(self, brief: Brief) -> int:
        return self.today.year - brief.born.year if brief.born else 40

    # --- society memberships and dues ------------------------------------------------------
    def memberships(self) -> None:
        rng = self.rng
        societies = [a for a in self.planner.network if a.org.kind == Kind.SOCIETY and a.org.is_active]
        if not societies:
            return
        by_society_tree: dict[int, list[Brief]] = defaultdict(list)
        branch_of = {}
        for area in self.planner.network:
            if area.org.kind == Kind.SOCIETY_BRANCH:
                parent = self.areas.get(area.org.parent_id)
                while parent is not None and parent.org.kind == Kind.SOCIETY_BRANCH:
                    parent = self.areas.get(parent.org.parent_id)
                if parent is not None:
                    branch_of[area.org.pk] = parent.org.pk
        buckets: dict[tuple, list[Brief]] = defaultdict(list)
        for brief in self.adults:
            society_pk = branch_of.get(brief.org_pk, brief.org_pk)
            by_society_tree[society_pk].append(brief)
            if brief.special in ("academician", "hometown"):
                continue
            buckets[(brief.area_key, brief.group)].append(brief)
            if brief.county_pk is not None and brief.city_pk is not None:
                buckets[(brief.city_pk, brief.group)].append(brief)
            if brief.area_key is not None:
                buckets[(None, brief.group)].append(brief)
        already = sum(len(by_society_tree.get(a.org.pk, [])) for a in societies)
        target = max(0, int(MEMBER_SHARE * len(self.adults)) - already)
        weights = []
        for area in societies:
            base = 1.0 if area.county is not None else 2.0 if area.city is None else 3.0
            weights.append(base * (0.5 + rng.random()))
        extra = allocate(weights, target, [0] * len(societies))
        units_by_area = self.planner.units_by_area
        for area, count in zip(societies, extra, strict=True):
            society = area.org
            chosen: dict[int, Brief] = {b.pk: b for b in by_society_tree.get(society.pk, [])}
            key = area.area_key if area.city is not None else None
            pool = buckets.get((key, area.group), [])
            if "院士" in society.name:
                pool = [b for b in self.adults if b.special in ("academician", "hometown")]
            for brief in rng.sample(pool, min(count, len(pool))):
                chosen.setdefault(brief.pk, brief)
            founded = society.founded_on or date(2000, 1, 1)
            charges = rng.random() < 0.7
            fee = rng.choice((50, 100, 100, 200)) if charges else 0
            unit_fee = rng.choice((1000, 2000, 3000, 5000)) if charges else 0
            short = society.name.removeprefix(area.province).removeprefix(f"{area.city_name}市")
            prefix = name_keys(short.removeprefix(area.county_name))[2].upper()[:6] or "M"
            memberships, dues, members = [], [], []
            for number, brief in enumerate(chosen.values(), start=1):
                earliest = max(founded, date(brief.born.year + 22, 1, 1) if brief.born else founded)
                leader = brief.special.startswith("leader:")
                membership = self.membership(society, f"{prefix}-{number:05d}", earliest, active=leader)
                membership.person_id = brief.pk
                memberships.append(membership)
                dues.append(self.dues(membership, fee, f"{prefix}{number:05d}") if fee else [])
                members.append((brief, membership))
            # Institutional members: units of the society's field in its area.
            profiles = GROUP_PROFILES.get(area.group, {})
            here = units_by_area.get(key, {})
            candidates = [u for p in profiles for u in here.get(p, [])]
            wanted = {"S": 4, "M": 12, "L": 12}[self.planner.scale] if area.county is None else 3
            for number, spec in enumerate(rng.sample(candidates, min(len(candidates), wanted)), start=1):
                membership = self.membership(society, f"{prefix}-D{number:04d}", founded)
                membership.unit_id = spec.unit.pk
                memberships.append(membership)
                dues.append(self.dues(membership, unit_fee, f"{prefix}D{number:04d}") if unit_fee else [])
            if memberships:
                memberships_bulk_create(actor=None, society=society, memberships=memberships, dues=dues)
            self.members[society.pk] = members
            self.result.memberships += len(memberships)
            self.result.institutional += len(memberships) - len(members)
            self.result.dues += sum(len(d) for d in dues)

    def membership(
        self, society: Organization, number: str, earliest: date, *, active: bool = False
    ) -> SocietyMembership:
        rng = self.rng
        latest = self.today - timedelta(days=30)
        joined = self.planner.day_between(min(earliest, latest - timedelta(days=30)), latest)
        status = rng.choices(
            (MemberStatus.ACTIVE, MemberStatus.LAPSED, MemberStatus.LEFT, MemberStatus.SUSPENDED),
            (88, 5, 4, 3),
        )[0]
        if active or joined > self.today - timedelta(days=400):
            status = MemberStatus.ACTIVE
        left_on = None
        if status == MemberStatus.LEFT:
            left_on = self.planner.day_between(joined + timedelta(days=1), self.today)
        return SocietyMembership(
            society=society, number=number, joined_on=joined, status=status, left_on=left_on
        )

    def dues(self, membership: SocietyMembership, amount: int, receipt: str) -> list[DuesPayment]:
        last = self.today.year - (0 if self.today.month >= 4 else 1)
        if membership.status == MemberStatus.LAPSED:
            last = self.today.year - 3
        elif membership.left_on:
            last = membership.left_on.year
        first = max(membership.joined_on.year, self.today.year - 3)
        payments = []
        for year in range(first, last + 1):
            paid_on = date(year, self.rng.randint(1, 6), self.rng.randint(1, 28))
            paid_on = min(max(paid_on, membership.joined_on), self.today)
            payments.append(
                DuesPayment(year=year, amount=amount, paid_on=paid_on, receipt_number=f"{year}{receipt}"[:32])
            )
        return payments

    # --- board seats -----------------------------------------------------------------------
    def board_seats(self) -> None:
        rng = self.rng
        terms = BoardTerm.objects.filter(
            ended_on__isnull=True, organization__kind=Kind.SOCIETY, organization__status="active"
        ).select_related("organization")
        for term in terms.order_by("organization__path"):
            members = [
                b
                for b, m in self.members.get(term.organization_id, [])
                if m.status == MemberStatus.ACTIVE and not b.minor
            ]
            if not members:
                continue
            named = {b.special: b for b in members if b.special.startswith("leader:")}
            others = [b for b in members if not b.special.startswith("leader:")]
            rng.shuffle(others)
            others.sort(key=lambda b: (-b.level_rank, -self.age(b) // 10))
            council = term.council_size or 15
            standing = min(term.standing_council_size or council // 3, council)
            vice = max(2, min(10, council // 12))
            plan: list[tuple[str, Brief | None]] = [
                (BoardRole.CHAIR, named.get(f"leader:{LeaderPosition.CHAIR}")),
                (BoardRole.SECRETARY_GENERAL, named.get(f"leader:{LeaderPosition.SECRETARY_GENERAL}")),
            ]
            plan += [(BoardRole.VICE_CHAIR, None)] * vice
            if term.supervisory_board_size:
                plan.append(
                    (BoardRole.CHIEF_SUPERVISOR, named.get(f"leader:{LeaderPosition.SUPERVISOR_CHAIR}"))
                )
                plan += [(BoardRole.SUPERVISOR, None)] * (term.supervisory_board_size - 1)
            plan += [(BoardRole.STANDING_COUNCIL, None)] * max(0, standing - vice - 2)
            plan += [(BoardRole.COUNCIL, None)] * max(0, council - standing)
            queue = iter(others)
            seats = []
            for role, person in plan:
                person = person or next(queue, None)
                if person is None:
                    break
                seats.append(
                    BoardSeat(board_term=term, person_id=person.pk, role=role, started_on=term.started_on)
                )
            if seats:
                board_seats_bulk_create(actor=None, board_term=term, seats=seats)
                self.result.seats += len(seats)

    # --- honours --------------------------------------------------------------------------
    def honours(self) -> None:
        rng, planner = self.rng, self.planner
        by_org: dict[int, list[Honour]] = defaultdict(list)
        for brief in self.adults:
            chance = 0.02
            if "expert" in brief.tags:
                chance = 0.12
            if brief.level_rank == 4:
                chance += 0.05
            if brief.special == "academician":
                chance = 1.0
            if rng.random() >= chance:
                continue
            for _ in range(1 if rng.random() < 0.8 else rng.randint(2, 3)):
                by_org[brief.org_pk].append(self.honour(brief))
        # Honours of organizations, kept by the association above them (DOMAIN.md §4).
        recipients = [
            a
            for a in planner.network
            if a.org.is_active
            and a.org.kind
            in (Kind.CITY_ASSOCIATION, Kind.COUNTY_ASSOCIATION, Kind.SOCIETY, Kind.TOWN_ASSOCIATION)
            and a.org.parent_id
        ]
        share = {"S": 0.15, "M": 0.1, "L": 0.1}[planner.scale]
        for area in recipients:
            if rng.random() >= share:
                continue
            title, level, issuer = self.org_honour_title(area)
            first = max(2016, (area.org.founded_on or date(2000, 1, 1)).year)
            year = rng.randint(min(first, self.today.year - 1), self.today.year - 1)
            by_org[area.org.parent_id].append(
                Honour(
                    organization_id=area.org.parent_id,
                    recipient_organization=area.org,
                    title=title,
                    level=level,
                    year=year,
                    issuer=issuer,
                )
            )
        for org_pk, honours in by_org.items():
            honours_bulk_create(actor=None, organization=self.areas[org_pk].org, honours=honours)
            self.result.honours += len(honours)

    def honour(self, brief: Brief) -> Honour:
        rng = self.rng
        area = self.areas[brief.org_pk]
        level = HonourLevel.NATIONAL if brief.special == "academician" else self.planner.pick(HONOUR_LEVELS)
        if level == HonourLevel.COUNTY and not area.county_name:
            level = HonourLevel.CITY
        if level == HonourLevel.CITY and not area.city_name:
            level = HonourLevel.PROVINCIAL
        title, graded, issuer = rng.choice(PERSON_HONOURS[level])
        names = {"province": area.province, "city": area.city_name, "county": area.county_name}
        grade = ""
        if graded:
            grades = (
                ((HonourGrade.SPECIAL, 5), (HonourGrade.FIRST, 25), (HonourGrade.SECOND, 70))
                if level == HonourLevel.NATIONAL
                else ((HonourGrade.FIRST, 20), (HonourGrade.SECOND, 35), (HonourGrade.THIRD, 45))
            )
            grade = rng.choices([g for g, _ in grades], [w for _, w in grades])[0]
        first = max(2010, (brief.born.year + 25) if brief.born else 2010)
        return Honour(
            organization_id=brief.org_pk,
            person_id=brief.pk,
            title=title.format(**names),
            level=level,
            grade=grade,
            year=rng.randint(min(first, self.today.year), self.today.year),
            issuer=issuer.format(**names),
        )

    def org_honour_title(self, area: Area) -> tuple[str, str, str]:
        names = {"province": area.province, "city": area.city_name, "county": area.county_name}
        kind = area.org.kind
        if kind == Kind.CITY_ASSOCIATION:
            options = [
                ("全国科普日活动优秀组织单位", HonourLevel.NATIONAL, "中国科学技术协会"),
                ("{province}科协系统先进集体", HonourLevel.PROVINCIAL, "{province}科学技术协会"),
            ]
        elif kind == Kind.SOCIETY:
            options = [
                ("五星级学会", HonourLevel.CITY, "{city}市科学技术协会"),
                ("学会工作先进单位", HonourLevel.CITY, "{city}市科学技术协会"),
            ]
            if not area.city_name:
                options = [("{province}科协系统先进集体", HonourLevel.PROVINCIAL, "{province}科学技术协会")]
        elif kind == Kind.COUNTY_ASSOCIATION:
            options = [
                ("全国科普日活动优秀组织单位", HonourLevel.NATIONAL, "中国科学技术协会"),
                ("科普工作先进集体", HonourLevel.CITY, "{city}市科学技术协会"),
            ]
        else:
            options = [
                ("优秀基层科协组织", HonourLevel.CITY, "{city}市科学技术协会"),
                ("科技工作者之家示范点", HonourLevel.COUNTY, "{county}科学技术协会"),
            ]
        title, level, issuer = self.rng.choice(options)
        return title.format(**names), level, issuer.format(**names)

    # --- visits ----------------------------------------------------------------------------
    def visits(self) -> None:
        rng, planner = self.rng, self.planner
        cities = [a for a in planner.network if a.org.kind == Kind.CITY_ASSOCIATION and planner._full_city(a)]
        seniors: dict[int, list[Brief]] = defaultdict(list)  # city or county pk → people worth a visit
        for brief in self.adults:
            notable = brief.special in ("academician", "hometown") or (
                ("expert" in brief.tags or brief.level_rank == 4) and self.age(brief) >= 50
            )
            if not notable:
                continue
            if brief.city_pk is not None:
                seniors[brief.city_pk].append(brief)
            if brief.county_pk is not None:
                seniors[brief.county_pk].append(brief)
        by_org: dict[int, list[Visit]] = defaultdict(list)
        per_year = VISITS_PER_CITY_YEAR[planner.scale]
        for city in cities:
            counties = [
                a
                for a in planner.network
                if a.org.kind == Kind.COUNTY_ASSOCIATION and a.city is not None and a.city.pk == city.org.pk
            ]
            for year in range(self.today.year - 4, self.today.year + 1):
                for _ in range(per_year):
                    visitor = city if rng.random() < 0.6 or not counties else rng.choice(counties)
                    pool = seniors.get(visitor.org.pk) or seniors.get(city.org.pk)
                    if not pool:
                        continue
                    person = rng.choice(pool)
                    visit = self.visit(visitor, person, year)
                    if visit is not None:
                        by_org[visitor.org.pk].append(visit)
        for org_pk, visits in by_org.items():
            visits_bulk_create(actor=None, organization=self.areas[org_pk].org, visits=visits)
            self.result.visits += len(visits)

    def visit(self, visitor: Area, person: Brief, year: int) -> Visit | None:
        rng = self.rng
        occasion = self.planner.pick(OCCASIONS)
        if occasion == VisitOccasion.BIRTHDAY and (not person.born or self.age(person) < 70):
            occasion = VisitOccasion.SPRING_FESTIVAL
        if occasion == VisitOccasion.SPRING_FESTIVAL:
            day = date(year, 1, 10) + timedelta(days=rng.randrange(32))
        elif occasion == VisitOccasion.WORKERS_DAY:
            day = date(year, 5, 25) + timedelta(days=rng.randrange(6))
        elif occasion == VisitOccasion.MID_AUTUMN:
            day = date(year, 9, 10) + timedelta(days=rng.randrange(25))
        elif occasion == VisitOccasion.BIRTHDAY:
            day = person.born.replace(year=year, day=min(person.born.day, 28))
        else:
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        if day > self.today:
            return None
        leader = self.planner.name(rng.random() < 0.7, self.planner.birth(1965, 1980).year)
        if visitor.org.kind == Kind.CITY_ASSOCIATION:
            role = rng.choice(("党组书记、主席", "副主席", "党组成员、副主席", "一级调研员"))
            visitors = f"{visitor.city_name}市科协{role}{leader}一行"
        else:
            visitors = f"{visitor.county_name}科协主席{leader}"
        return Visit(
            organization=visitor.org,
            person_id=person.pk,
            visited_on=day,
            occasion=occasion,
            visitors=visitors,
            note=rng.choice(VISIT_NOTES[occasion]),
        )

    # --- teams ----------------------------------------------------------------------------
    def teams(self) -> None:
        rng, planner = self.rng, self.planner
        by_unit: dict[int, list[Brief]] = defaultdict(list)
        for brief in self.adults:
            if brief.unit_key is not None and not brief.special:
                by_unit[brief.unit_key].append(brief)
        cities = [a for a in planner.network if a.org.kind == Kind.CITY_ASSOCIATION and planner._full_city(a)]
        by_org: dict[int, list[tuple[Team, list[TeamMember]]]] = defaultdict(list)
        used_units = set()
        for city in cities:
            candidates = [
                key
                for key, people in by_unit.items()
                if len(people) >= 4 and planner.units[key].owner.path.startswith(city.org.path)
            ]
            rng.shuffle(candidates)
            candidates.sort(key=lambda key: -len(by_unit[key]) // 20)
            for key in candidates[: TEAMS_PER_CITY[planner.scale]]:
                if key in used_units:
                    continue
                used_units.add(key)
                spec = planner.units[key]
                people = sorted(by_unit[key], key=lambda b: (-b.level_rank, b.pk))
                leader, rest = people[0], people[1:]
                crew = rng.sample(rest, min(len(rest), rng.randint(3, 8)))
                discipline = planner.disciplines[planner.pick(spec.disciplines)]
                founded = date(rng.randint(2012, self.today.year - 1), rng.randint(1, 12), 1)
                team = Team(
                    name=f"{spec.name}{discipline.name.split('、')[0]}创新团队",
                    leader_id=leader.pk,
                    unit=spec.unit,
                    discipline=discipline,
                    description=f"围绕{discipline.name}开展技术攻关和成果转化",
                    founded_on=founded,
                )
                members = [TeamMember(person_id=leader.pk, role="负责人", joined_on=founded)] + [
                    TeamMember(person_id=b.pk, role=rng.choice(("骨干", "成员", "成员")), joined_on=founded)
                    for b in crew
                ]
                by_org[spec.owner.pk].append((team, members))
        for org_pk, pairs in by_org.items():
            teams_bulk_create(
                actor=None,
                organization=self.areas[org_pk].org,
                teams=[t for t, _ in pairs],
                members=[m for _, m in pairs],
            )
            self.result.teams += len(pairs)

    # --- consents of minors -------------------------------------------------------------------
    def consents(self) -> None:
        """Most minors' guardians consented; the others' records wait for it (PIPL art. 31)."""
        rng = self.rng
        by_org: dict[int, list[Consent]] = defaultdict(list)
        for brief in self.briefs:
            if not brief.minor or rng.random() >= 0.85:
                continue
            relation = rng.choice(("父亲", "母亲"))
            guardian = self.planner.name(relation == "父亲", 1985)
            if relation == "父亲":  # the child's surname
                guardian = brief.name[0] + self.planner.given(True, 1985)
            by_org[brief.org_pk].append(
                Consent(
                    person_id=brief.pk,
                    purpose=Consent.Purpose.TALENT_POOL,
                    notice="青少年科技创新人才信息登记告知书",
                    method=Consent.Method.PAPER,
                    given_on=self.planner.day_between(self.today - timedelta(days=700), self.today),
                    given_by=Consent.GivenBy.GUARDIAN,
                    guardian_name=guardian,
                    guardian_relation=relation,
                )
            )
        for org_pk, consents in by_org.items():
            consents_bulk_create(actor=None, organization=self.areas[org_pk].org, consents=consents)
            self.result.consents += len(consents)

    # --- talent lists -------------------------------------------------------------------------
    def talent_lists(self) -> None:
        planner = self.planner
        cities = [a for a in planner.network if a.org.kind == Kind.CITY_ASSOCIATION and planner._full_city(a)]
        for city in cities:
            people = [b for b in self.adults if b.city_pk == city.org.pk]
            academicians = [b.pk for b in people if b.special == "academician"]
            hometown = [b.pk for b in people if b.special == "hometown"]
            doctors = [b.pk for b in people if b.doctorate and not b.special]
            club = sorted(self.rng.sample(doctors, min(PHD_CLUB_SIZE, len(doctors))))
            lists = [
                (
                    TalentList(
                        name="家乡院士名录",
                        kind=TalentList.Kind.EXPLICIT,
                        description="本市籍两院院士，逢年过节走访慰问。",
                    ),
                    academicians,
                    "",
                ),
                (
                    TalentList(
                        name="家乡高层次人才",
                        kind=TalentList.Kind.EXPLICIT,
                        description="在外工作的本市籍高层次人才。",
                    ),
                    hometown,
                    "",
                ),
                (
                    TalentList(
                        name="博士俱乐部",
                        kind=TalentList.Kind.EXPLICIT,
                        description=f"{city.city_name}市博士俱乐部会员。",
                    ),
                    club,
                    "博士俱乐部会员",
                ),
                (
                    TalentList(
                        name="专家库",
                        kind=TalentList.Kind.SAVED_FILTER,
                        filter_query="tag=expert",
                        description="标记为专家的科技工作者（按条件自动更新）。",
                    ),
                    [],
                    "",
                ),
                (
                    TalentList(
                        name="正高级职称青年人才",
                        kind=TalentList.Kind.SAVED_FILTER,
                        filter_query="tag=young_talent&title_level=senior",
                    ),
                    [],
                    "",
                ),
            ]
            for talent_list, chosen, note in lists:
                talent_list.organization = city.org
                talent_list_create_with(actor=None, talent_list=talent_list, people=chosen, note=note)
                self.result.talent_lists += 1
        for area in planner.network:
            if area.org.kind == Kind.COUNTY_ASSOCIATION and area.org.is_active and area.city is not None:
                talent_list = TalentList(
                    organization=area.org,
                    name=f"{area.county_name}专家库",
                    kind=TalentList.Kind.SAVED_FILTER,
                    filter_query="tag=expert",
                )
                talent_list_create_with(actor=None, talent_list=talent_list, people=[])
                self.result.talent_lists += 1
