"""Permission-matrix rows: honours, visits, talent lists (kept by 甲县科协 in the `talent`
fixture), and the disciplines and tags only organization administrators edit."""

from tests.permission_cases import Case

HONOUR = lambda w: {"pk": w.talent.honour.pk}  # noqa: E731
VISIT = lambda w: {"pk": w.talent.visit.pk}  # noqa: E731
TALENT_LIST = lambda w: {"pk": w.talent.talent_list.pk}  # noqa: E731
PERSON_A = lambda w: f"?person={w.talent.person_a.pk}"  # noqa: E731
# The separated administrators (province level) do not work with the talent pool.
NO_PEOPLE = ("auditor", "sysadmin", "secadmin")
# Disciplines and tags apply to the whole platform: organization administrators only.
NOT_ORG_ADMIN = ("county_staff", "viewer", "society_secretary", "auditor", "sysadmin", "secadmin")


def _discipline(code: str):
    from kexie.people.models import Discipline

    return Discipline.objects.get(code=code)


def _tag(code: str):
    from kexie.people.models import Tag

    return Tag.objects.get(code=code)


CASES = {
    # --- honours ---
    "people:honour_list": Case(forbidden=NO_PEOPLE),
    "people:honour_export": Case(forbidden=NO_PEOPLE),
    "people:honour_create": Case(
        query=PERSON_A,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"title": "最美科技工作者", "level": "provincial", "year": "2024"},
    ),
    "people:honour_update": Case(
        kwargs=HONOUR,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"title": "青年科技奖", "level": "city", "year": "2024"},
    ),
    "people:honour_delete": Case(
        kwargs=HONOUR,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"reason": "重复登记"},
    ),
    "people:honour_evidence": Case(kwargs=HONOUR, target="county_a", forbidden=NO_PEOPLE),
    # --- visits ---
    "people:visit_list": Case(forbidden=NO_PEOPLE),
    "people:visit_export": Case(forbidden=NO_PEOPLE),
    "people:visit_create": Case(
        query=PERSON_A,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {
            "organization": w.county_a.pk,
            "visited_on": "2025-09-10",
            "occasion": "workers_day",
            "visitors": "甲县科协主席",
        },
    ),
    "people:visit_update": Case(
        kwargs=VISIT,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"visited_on": "2025-01-20", "occasion": "spring_festival", "visitors": "甲县科协"},
    ),
    "people:visit_delete": Case(
        kwargs=VISIT, method="POST", target="county_a", write=True, forbidden=NO_PEOPLE
    ),
    # --- talent lists ---
    "people:talent_lists": Case(forbidden=NO_PEOPLE),
    "people:talent_list_create": Case(
        method="POST",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"name": "博士俱乐部", "kind": "explicit"},
    ),
    "people:talent_list_detail": Case(kwargs=TALENT_LIST, target="county_a", forbidden=NO_PEOPLE),
    "people:talent_list_update": Case(
        kwargs=TALENT_LIST,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"name": "甲县专家库"},
    ),
    "people:talent_list_delete": Case(
        kwargs=TALENT_LIST, method="POST", target="county_a", write=True, forbidden=NO_PEOPLE
    ),
    "people:talent_list_add": Case(
        kwargs=TALENT_LIST,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"person": w.talent.person_a.pk},
    ),
    "people:talent_list_remove": Case(
        kwargs=TALENT_LIST,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"person": w.talent.person_a.pk},
    ),
    "people:talent_list_export": Case(kwargs=TALENT_LIST, target="county_a", forbidden=NO_PEOPLE),
    # --- disciplines and tags ---
    "people:discipline_list": Case(owner="city_admin", forbidden=NOT_ORG_ADMIN),
    "people:discipline_create": Case(
        owner="city_admin",
        method="POST",
        write=True,
        forbidden=NOT_ORG_ADMIN,
        data=lambda w: {"code": "195", "name": "认知科学", "position": 0, "is_active": "on"},
    ),
    "people:discipline_update": Case(
        kwargs=lambda w: {"pk": _discipline("110").pk},
        owner="city_admin",
        method="POST",
        write=True,
        forbidden=NOT_ORG_ADMIN,
        data=lambda w: {"code": "110", "name": "数学", "position": 1, "is_active": "on"},
    ),
    "people:tag_list": Case(owner="city_admin", forbidden=NOT_ORG_ADMIN),
    "people:tag_create": Case(
        owner="city_admin",
        method="POST",
        write=True,
        forbidden=NOT_ORG_ADMIN,
        data=lambda w: {"code": "phd_club", "name": "博士俱乐部", "position": 0},
    ),
    "people:tag_update": Case(
        kwargs=lambda w: {"pk": _tag("expert").pk},
        owner="city_admin",
        method="POST",
        write=True,
        forbidden=NOT_ORG_ADMIN,
        data=lambda w: {"code": "expert", "name": "专家", "position": 0},
    ),
}
