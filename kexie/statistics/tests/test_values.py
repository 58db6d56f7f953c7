"""The values of the definitions against records counted by hand, their breakdowns, the
number of queries, and the records behind each figure."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kexie.activities.models import Activity, Status
from kexie.activities.testing import make_activity
from kexie.core.testing import make_org
from kexie.orgs.models import Kind
from kexie.people.models import Visit
from kexie.statistics.definitions import Aggregate, all_definitions, definitions_for, get_definition
from kexie.statistics.selectors import OWN, Breakdown, records_of, statistic_values

YEAR_2025 = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def held_in(organization, *, year=2025, category=None, own=False):
    """The activities counted for `organization`, picked out in Python, not by the selector."""
    return [
        a
        for a in Activity.objects.select_related("organization", "kind")
        if a.status in ("held", "reported")
        and a.held_on.year == year
        and (a.organization == organization if own else a.organization.path.startswith(organization.path))
        and (category is None or a.kind.category == category)
    ]


def test_figures_count_the_held_activities_of_the_subtree_and_not_drafts_or_cancelled_ones(world, figures):
    table = statistic_values(organization=world.city, **YEAR_2025)
    popsci = held_in(world.city, category="popsci")
    assert sorted(a.title for a in popsci) == ["乙县讲座", "甲县夏季讲座", "甲县春季讲座", "甲镇大篷车"]
    assert table.value("popsci_events") == len(popsci) == 4
    assert table.value("popsci_onsite_audience") == sum(a.onsite_participants for a in popsci) == 230
    assert table.value("students_reached") == 200
    assert table.value("materials_distributed") == 50
    assert table.value("caravan_stops") == 1
    training = held_in(world.city, category="training")
    assert table.value("training_courses") == len(training) == 1
    assert table.value("people_trained") == 25
    assert table.value("academic_events") == 0


def test_a_county_counts_its_towns_but_not_its_sibling(world, figures):
    county_a = statistic_values(organization=world.county_a, **YEAR_2025)
    assert county_a.value("popsci_events") == len(held_in(world.county_a, category="popsci")) == 3
    assert county_a.value("popsci_onsite_audience") == 200
    county_b = statistic_values(organization=world.county_b, **YEAR_2025)
    assert county_b.value("popsci_events") == 1  # the cancelled lecture does not count
    assert county_b.value("popsci_onsite_audience") == 30


def test_visits_are_counted_by_the_visiting_organization_and_day(world, figures):
    visits = [v for v in Visit.objects.select_related("organization") if v.visited_on.year == 2025]
    assert statistic_values(organization=world.city, **YEAR_2025).value("visits_made") == len(visits) == 4
    assert statistic_values(organization=world.county_a, **YEAR_2025).value("visits_made") == 2
    last_year = statistic_values(organization=world.city, start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert last_year.value("visits_made") == 1


def test_an_expert_who_spoke_in_two_counties_is_one_expert_of_the_city(world, figures):
    total = statistic_values(organization=world.city, **YEAR_2025)
    by_child = statistic_values(organization=world.city, breakdown=Breakdown.CHILD, **YEAR_2025)
    assert total.value("experts_engaged") == 1
    assert by_child.value("experts_engaged") == 1
    assert by_child.value("experts_engaged", world.county_a.path) == 1
    assert by_child.value("experts_engaged", world.county_b.path) == 1


def test_distinct_experts_per_column_and_in_total_match_the_speakers_counted_by_hand(world, figures, talent):
    li = talent.person_b
    make_activity(
        world.town_a, title="甲镇十月讲座", day=date(2025, 10, 8), status=Status.HELD, speakers=[li]
    )
    make_activity(
        world.county_a,
        title="甲县三月沙龙",
        day=date(2025, 3, 25),
        status=Status.HELD,
        speakers=[li, talent.person_a],
    )
    make_activity(
        world.county_b, title="乙县草稿", day=date(2025, 3, 26), status=Status.DRAFT, speakers=[li]
    )  # not counted
    counted = [a for a in held_in(world.city) if a.speakers.exists()]

    def experts(activities):
        return len({person.pk for a in activities for person in a.speakers.all()})

    by_child = statistic_values(organization=world.city, breakdown=Breakdown.CHILD, **YEAR_2025)
    assert by_child.value("experts_engaged") == experts(counted) == 2
    for county in (world.county_a, world.county_b):
        in_county = [a for a in counted if a.organization.path.startswith(county.path)]
        assert by_child.value("experts_engaged", county.path) == experts(in_county)
    assert by_child.value("experts_engaged", world.county_a.path) == 2
    assert by_child.value("experts_engaged", world.county_b.path) == 1
    by_month = statistic_values(organization=world.city, breakdown=Breakdown.MONTH, **YEAR_2025)
    assert by_month.value("experts_engaged") == 2
    for column in by_month.columns:
        in_month = [a for a in counted if a.held_on.month == column.month.month]
        assert by_month.value("experts_engaged", column.key) == experts(in_month), column.label
    assert by_month.value("experts_engaged", date(2025, 3, 1)) == 2
    assert by_month.value("experts_engaged", date(2025, 10, 1)) == 1


def test_the_breakdown_by_child_organization_sums_to_the_total(world, figures):
    total = statistic_values(organization=world.city, **YEAR_2025)
    table = statistic_values(organization=world.city, breakdown=Breakdown.CHILD, **YEAR_2025)
    assert [c.label for c in table.columns][:3] == ["示例市科协", "甲县科协", "乙县科协"]
    for definition in all_definitions():
        if definition.aggregate == Aggregate.DISTINCT:
            continue
        columns = sum(table.value(definition.code, c.key) for c in table.columns)
        assert columns == table.value(definition.code) == total.value(definition.code), definition.code
    assert table.value("training_courses", OWN) == 1  # the city's own course
    assert table.value("popsci_events", world.county_a.path) == 3  # with 甲镇's caravan
    assert table.value("visits_made", OWN) == 1


def test_the_breakdown_by_month_sums_to_the_total(world, figures):
    total = statistic_values(organization=world.city, **YEAR_2025)
    table = statistic_values(organization=world.city, breakdown=Breakdown.MONTH, **YEAR_2025)
    assert len(table.columns) == 12
    assert table.columns[2].label == "2025年3月"
    for definition in all_definitions():
        if definition.aggregate == Aggregate.DISTINCT:
            continue
        columns = sum(table.value(definition.code, c.key) for c in table.columns)
        assert columns == total.value(definition.code), definition.code
    assert table.value("popsci_events", date(2025, 3, 1)) == 2
    assert table.value("popsci_events", date(2025, 7, 1)) == 2


def test_the_number_of_queries_does_not_depend_on_the_number_of_child_organizations(
    world, figures, django_assert_num_queries
):
    make_org(world.county_a, Kind.TOWN_ASSOCIATION, "甲县第二镇科协")  # two children

    def compute():
        for breakdown in Breakdown.CHOICES:
            statistic_values(organization=world.county_a, breakdown=breakdown, **YEAR_2025)

    with CaptureQueriesContext(connection) as two_children:
        compute()
    for number in range(3, 11):  # ten children
        make_org(world.county_a, Kind.TOWN_ASSOCIATION, f"甲县第{number}镇科协")
    with django_assert_num_queries(len(two_children.captured_queries)):
        compute()


def test_the_records_of_each_figure_are_exactly_those_it_counts(world, figures):
    for organization in (world.city, world.county_a, world.county_b):
        table = statistic_values(organization=organization, **YEAR_2025)
        for definition in all_definitions():
            records = records_of(definition, organization=organization, **YEAR_2025)
            if definition.aggregate == Aggregate.COUNT:
                counted = records.count()
            elif definition.aggregate == Aggregate.SUM:
                counted = sum(getattr(record, definition.field) or 0 for record in records)
            else:
                counted = len({p.pk for record in records for p in getattr(record, definition.field).all()})
            assert counted == table.value(definition.code), (organization.name, definition.code)


def test_the_records_of_an_organizations_own_column_leave_out_its_children(world, figures):
    definition = get_definition("popsci_events")
    own = records_of(definition, organization=world.county_a, own=True, **YEAR_2025)
    assert sorted(a.title for a in own) == ["甲县夏季讲座", "甲县春季讲座"]
    speakers = records_of(get_definition("experts_engaged"), organization=world.city, **YEAR_2025)
    assert sorted(a.title for a in speakers) == ["乙县讲座", "甲县春季讲座"]


def test_only_the_figures_asked_for_are_computed(world, figures):
    table = statistic_values(
        organization=world.city, definitions=definitions_for(["visits_made"]), **YEAR_2025
    )
    assert list(table.totals) == ["visits_made"]


def test_summed_hours_read_as_entered_without_trailing_zeros(world):
    from decimal import Decimal

    figures = {
        "onsite_participants": 10,
        "leaflets": 0,
        "display_boards": 0,
        "problems_solved": 0,
        "volunteers": 2,
    }
    make_activity(world.county_a, title="甲县科普行", kind="outreach", service_hours="12.5", **figures)
    make_activity(world.county_b, title="乙县科普行", kind="outreach", service_hours="0.7", **figures)
    by_child = statistic_values(organization=world.city, breakdown=Breakdown.CHILD, **YEAR_2025)
    assert str(by_child.value("service_hours")) == "13.2"
    assert str(by_child.value("service_hours", world.county_a.path)) == "12.5"
    make_activity(world.county_b, title="乙县科普行二", kind="outreach", service_hours="0.3", **figures)
    total = statistic_values(organization=world.city, **YEAR_2025)
    assert total.value("service_hours") == Decimal("13.5")
    assert str(statistic_values(organization=world.county_b, **YEAR_2025).value("service_hours")) == "1"
