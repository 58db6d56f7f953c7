"""The kinds, target groups and national campaigns every installation starts with (the
administrator edits them afterwards). Used by a data migration: keep it plain data."""

_ACADEMIC = ["onsite_participants", "online_viewers", "online_interactions", "sessions"]

KINDS = [
    # code, name, category, figures
    ("conference", "学术会议", "academic", _ACADEMIC),
    ("forum", "学术论坛", "academic", _ACADEMIC),
    ("seminar", "研讨会", "academic", _ACADEMIC),
    ("salon", "学术沙龙", "academic", ["onsite_participants", "sessions"]),
    ("report_meeting", "学术报告会", "academic", _ACADEMIC),
    (
        "lecture",
        "科普讲座",
        "popsci",
        [
            "onsite_participants",
            "online_viewers",
            "online_interactions",
            "sessions",
            "leaflets",
            "students_reached",
        ],
    ),
    (
        "exhibition",
        "科普展览",
        "popsci",
        ["onsite_participants", "display_boards", "wall_charts", "leaflets"],
    ),
    ("contest", "科普知识竞赛", "popsci", ["onsite_participants", "online_viewers", "students_reached"]),
    ("hands_on", "科学实验与体验活动", "popsci", ["onsite_participants", "sessions", "students_reached"]),
    (
        "caravan",
        "科普大篷车巡展",
        "popsci",
        ["onsite_participants", "students_reached", "sessions", "display_boards", "leaflets"],
    ),
    (
        "outreach",
        "科普进乡村、进校园、进社区",
        "popsci",
        [
            "onsite_participants",
            "leaflets",
            "display_boards",
            "problems_solved",
            "volunteers",
            "service_hours",
        ],
    ),
    ("online", "线上科普活动", "popsci", ["online_viewers", "online_interactions", "sessions"]),
    ("training", "培训班", "training", ["onsite_participants", "online_viewers", "sessions"]),
    ("visit_care", "走访慰问", "care", ["onsite_participants"]),
    (
        "matchmaking",
        "人才与创新对接活动",
        "matchmaking",
        ["onsite_participants", "problems_solved", "sessions"],
    ),
    ("party_meeting", "三会一课", "party", ["onsite_participants"]),
    ("party_day", "主题党日", "party", ["onsite_participants", "volunteers", "service_hours"]),
    (
        "other",
        "其他活动",
        "other",
        [
            "onsite_participants",
            "online_viewers",
            "online_interactions",
            "sessions",
            "leaflets",
            "display_boards",
            "wall_charts",
            "problems_solved",
            "students_reached",
            "volunteers",
            "service_hours",
        ],
    ),
]

TARGET_GROUPS = [
    ("youth", "青少年"),
    ("farmers", "农民"),
    ("workers", "产业工人"),
    ("elderly", "老年人"),
    ("officials", "领导干部和公务员"),
    ("residents", "社区居民"),
    ("scientists", "科技工作者"),
]

CAMPAIGNS = [
    # code, name, usual dates
    ("science_day", "全国科普日", "每年9月第三周"),
    ("science_week", "科技活动周", "每年5月下旬"),
    ("workers_day", "全国科技工作者日", "5月30日"),
    ("disaster_day", "防灾减灾日", "5月12日"),
    ("food_safety_week", "食品安全宣传周", "每年6月前后"),
    ("disaster_reduction_day", "国际减灾日", "10月13日"),
]
