"""Talent-pool statistics: each figure, its scope, the page and the .xlsx export.

On 2025-06-01 the county-A pool holds 张伟 (75, hospital), 刘洋 (35, senior title, clinical
medicine, hospital), 陈静 (45, intermediate title, mathematics) and 赵小明 (a child of 9 at a
school); county B holds 李娜 and the society 王芳芳, both without birth dates.
"""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.core.scoping import resolve_scope
from kexie.people.models import Discipline, Honour, HonourLevel, SocietyMembership, TitleLevel, Unit, UnitKind
from kexie.people.selectors import statistics
from kexie.people.services.people import PersonData, person_anonymize, person_create

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def scope_of(user):
    class _Request:
        pass

    request = _Request()
    request.user = user
    return resolve_scope(request)


def counts(rows) -> dict:
    return {row.key: row.count for row in rows}


@pytest.fixture
def pool(world, talent):
    school = Unit.objects.create(organization=world.county_a, name="甲县第一小学", kind=UnitKind.SCHOOL)
    people = {
        "liu": PersonData(
            name="刘洋",
            birth_date=date(1990, 5, 1),
            title_level=TitleLevel.SENIOR,
            discipline=Discipline.objects.get(code="320"),
            unit=talent.unit_a,
        ),
        "chen": PersonData(
            name="陈静",
            birth_date=date(1980, 1, 1),
            title_level=TitleLevel.INTERMEDIATE,
            discipline=Discipline.objects.get(code="110"),
        ),
        "child": PersonData(name="赵小明", birth_date=date(2015, 6, 2), unit=school),
    }
    created = {
        key: person_create(actor=None, organization=world.county_a, data=data) for key, data in people.items()
    }
    Honour.objects.create(
        organization=world.county_a,
        person=created["liu"],
        title="省科技进步奖",
        level=HonourLevel.PROVINCIAL,
        year=2024,
    )
    Honour.objects.create(
        organization=world.society,
        recipient_organization=world.society,
        title="优秀学会",
        level=HonourLevel.CITY,
        year=2023,
    )
    return created


def test_people_are_counted_by_title_level_with_every_level_shown(world, pool):
    rows = statistics.people_by_title_level(scope=scope_of(world.users["city_admin"]))
    assert [row.key for row in rows] == [*TitleLevel.values, ""]
    assert counts(rows) == {"senior": 1, "vice_senior": 0, "intermediate": 1, "junior": 0, "none": 0, "": 4}
    assert rows[0].label == "正高级"
    assert rows[-1].label == "未填写"


def test_disciplines_are_counted_in_their_category(world, pool):
    rows = statistics.people_by_discipline(scope=scope_of(world.users["city_admin"]))
    assert [(row.label, row.count) for row in rows] == [("自然科学", 1), ("医药科学", 1), ("未填写", 4)]


def test_age_bands_count_children_apart(world, pool):
    rows = statistics.people_by_age_band(scope=scope_of(world.users["city_admin"]), today=TODAY)
    assert counts(rows) == {
        "minor": 1,
        "under_35": 0,
        "35_44": 1,
        "45_54": 1,
        "55_64": 0,
        "65_plus": 1,
        "": 2,
    }


def test_a_birthday_moves_a_person_to_the_next_band_on_the_day(world, pool):
    scope = scope_of(world.users["county_staff"])
    before = counts(statistics.people_by_age_band(scope=scope, today=date(2025, 4, 30)))
    on_the_day = counts(statistics.people_by_age_band(scope=scope, today=date(2025, 5, 1)))
    assert (before["under_35"], before["35_44"]) == (1, 0)  # 刘洋 is 34
    assert (on_the_day["under_35"], on_the_day["35_44"]) == (0, 1)  # and 35 on 1 May


def test_people_are_counted_by_the_kind_of_unit(world, pool):
    found = counts(statistics.people_by_unit_kind(scope=scope_of(world.users["city_admin"])))
    assert (found["hospital"], found["school"], found["enterprise"], found[""]) == (2, 1, 0, 3)


def test_members_per_society_split_individual_and_institutional(world, pool, talent):
    rows = statistics.members_per_society(scope=scope_of(world.users["city_admin"]))
    assert [(r.name, r.individual, r.institutional, r.total) for r in rows] == [("示例市计算机学会", 1, 1, 2)]


def test_members_who_left_are_not_counted(world, talent):
    SocietyMembership.objects.filter(pk=talent.membership.pk).update(status="left")
    (row,) = statistics.members_per_society(scope=scope_of(world.users["society_secretary"]))
    assert (row.individual, row.institutional) == (0, 1)


def test_honours_are_counted_by_year_and_level(world, pool):
    rows = statistics.honours_by_level_and_year(scope=scope_of(world.users["city_admin"]))
    levels = HonourLevel.values
    assert [(r.year, dict(zip(levels, r.counts, strict=True)), r.total) for r in rows] == [
        (2024, {"national": 0, "provincial": 1, "city": 1, "county": 0, "other": 0}, 2),
        (2023, {"national": 0, "provincial": 0, "city": 1, "county": 0, "other": 0}, 1),
    ]
    assert statistics.honour_levels()[:2] == ["国家级", "省级"]


def test_a_county_counts_only_its_own_pool(world, pool):
    scope = scope_of(world.users["county_b_staff"])
    assert sum(row.count for row in statistics.people_by_title_level(scope=scope)) == 1
    assert statistics.members_per_society(scope=scope) == []
    assert statistics.honours_by_level_and_year(scope=scope) == []


def test_anonymized_people_are_still_counted(world, pool):
    scope = scope_of(world.users["county_staff"])
    figures = (
        statistics.people_by_title_level,
        statistics.people_by_discipline,
        statistics.people_by_unit_kind,
    )
    before = [figure(scope=scope) for figure in figures]
    person_anonymize(actor=None, person=pool["liu"], reason="本人申请")
    assert [figure(scope=scope) for figure in figures] == before


def test_each_figure_is_one_query(world, pool, django_assert_num_queries):
    scope = scope_of(world.users["city_admin"])
    for figure in (
        statistics.people_by_discipline,
        statistics.people_by_title_level,
        statistics.people_by_age_band,
        statistics.people_by_unit_kind,
        statistics.members_per_society,
        statistics.honours_by_level_and_year,
    ):
        with django_assert_num_queries(1):
            figure(scope=scope)


# --- the page and the export -------------------------------------------------------------------


def test_the_statistics_page_shows_every_figure(login, pool):
    response = login("viewer").get(reverse("people:stats"))
    assert response.status_code == 200
    page = response.content.decode()
    for figure in ("discipline", "title_level", "age", "unit_kind", "societies", "honours"):
        assert f'data-testid="stats-{figure}"' in page
    assert 'id="kx-chart-title_level" type="application/json"' in page
    assert "<script>" not in page
    assert response.context["people_total"] == 6
    assert response.context["minors"] == 1


def test_the_export_holds_the_figures_of_the_page_and_is_audited(login, world, pool):
    client = login("county_staff")
    page = client.get(reverse("people:stats")).context
    response = client.get(reverse("people:stats_export"))
    book = openpyxl.load_workbook(BytesIO(response.content))
    title_sheet = book[book.sheetnames[1]]
    rows = list(title_sheet.iter_rows(values_only=True))
    assert rows[0] == ("分组", "人数")
    assert [r[1] for r in rows[1:-1]] == [row.count for row in page["figures"][1].rows]
    assert rows[-1] == ("合计", 4)
    assert len(book.sheetnames) == 6
    event = AuditEvent.objects.get(action="people.stats_export")
    assert (event.actor, event.org_path) == (world.users["county_staff"], world.county_a.path)


def test_the_auditor_sees_no_talent_statistics(login, pool):
    client = login("auditor")
    assert client.get(reverse("people:stats")).status_code == 403
    assert client.get(reverse("people:stats_export")).status_code == 403
