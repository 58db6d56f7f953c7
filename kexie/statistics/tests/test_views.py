"""The statistics page, its links to the records, its export and the definitions page."""

import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.statistics.definitions import all_definitions
from kexie.statistics.forms import Period, StatisticsForm

OVERVIEW = "statistics:overview"


def page(client, **params):
    return client.get(reverse(OVERVIEW), params)


def figure_row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-figure="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return match.group(1)


def link_of(html: str) -> str:
    return re.search(r'href="([^"]+)"', html).group(1).replace("&amp;", "&")


def test_the_page_shows_every_figure_with_the_same_period_last_year(login, world, figures):
    response = page(login("city_admin"), year=2025)
    assert response.status_code == 200
    html = response.content.decode()
    assert "示例市科学技术协会" in html
    row = figure_row(html, "popsci_events")
    assert 'data-value="4"' in row and 'data-last="2"' in row and 'data-change="2"' in row
    assert 'data-percent="100.0"' in row
    row = figure_row(html, "popsci_onsite_audience")
    assert 'data-value="230"' in row and 'data-last="80"' in row and 'data-percent="187.5"' in row
    row = figure_row(html, "training_courses")  # nothing last year: no percentage
    assert 'data-value="1"' in row and 'data-last="0"' in row and "data-percent" not in row
    for definition in all_definitions():
        assert f'data-figure="{definition.code}"' in html


def test_the_figures_are_grouped_by_the_four_services(login, world, figures):
    html = page(login("city_admin"), year=2025).content.decode()
    for service in ("workers", "innovation", "literacy", "decision"):
        assert f'data-testid="service-{service}"' in html
    literacy = html.split('data-testid="service-literacy"')[1].split('data-testid="service-')[0]
    assert 'data-figure="popsci_events"' in literacy and 'data-figure="visits_made"' not in literacy


def test_a_figure_links_to_exactly_the_activities_it_counts(login, world, figures):
    client = login("city_admin")
    html = page(client, year=2025).content.decode()
    url = link_of(figure_row(html, "popsci_events"))
    assert url.startswith(reverse("activities:list")) and "stat=popsci_events" in url
    listed = client.get(url).context["page_obj"]
    assert sorted(a.title for a in listed) == ["乙县讲座", "甲县夏季讲座", "甲县春季讲座", "甲镇大篷车"]


def test_a_figure_links_to_exactly_the_visits_it_counts(login, world, figures):
    client = login("city_admin")
    html = page(client, year=2025).content.decode()
    url = link_of(figure_row(html, "visits_made"))
    assert url.startswith(reverse("people:visit_list")) and "stat=visits_made" in url
    response = client.get(url)
    listed = response.context["page_obj"]
    assert "“走访慰问科技工作者人次”" in response.content.decode()  # says which figure it lists
    expected = [v for v in figures.visits if v.visited_on.year == 2025]
    assert sorted(v.pk for v in listed) == sorted(v.pk for v in expected)


def test_each_cell_of_the_breakdown_links_to_its_own_records(login, world, figures):
    client = login("city_admin")
    html = page(client, year=2025, cols=["popsci_events", "visits_made"]).content.decode()
    table = html.split('data-testid="breakdown-table"')[1].split("</table>")[0]
    own = re.search(r'<tr data-row="own">(.*?)</tr>', table, re.S).group(1)
    assert "示例市科协（本级）" in own or "示例市科协 (own)" in own
    county_a = re.search(rf'<tr data-row="{world.county_a.pk}">(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r'<td class="text-end kx-nowrap" data-value="(\d+)">(.*?)</td>', county_a, re.S)
    # The figures in registry order: visits (serving S&T workers) before science popularization.
    assert [value for value, _ in cells] == ["2", "3"]
    visits = client.get(link_of(cells[0][1])).context["page_obj"]
    assert sorted(v.organization.name for v in visits) == ["甲县科学技术协会", "甲镇科学技术协会"]
    activities = client.get(link_of(cells[1][1])).context["page_obj"]
    assert sorted(a.title for a in activities) == ["甲县夏季讲座", "甲县春季讲座", "甲镇大篷车"]
    own_visits = re.findall(r'data-value="(\d+)">(.*?)</td>', own, re.S)[0]
    listed = client.get(link_of(own_visits[1])).context["page_obj"]
    assert [v.organization for v in listed] == [world.city]


def test_the_breakdown_shows_the_headline_figures_until_others_are_chosen(login, world, figures):
    client = login("city_admin")
    html = page(client, year=2025).content.decode()
    table = html.split('data-testid="breakdown-table"')[1].split("</thead>")[0]
    assert 'data-figure="popsci_events"' in table and 'data-figure="wall_charts"' not in table
    html = page(client, year=2025, cols="wall_charts").content.decode()
    table = html.split('data-testid="breakdown-table"')[1].split("</thead>")[0]
    assert re.findall(r'data-figure="(\w+)"', table) == ["wall_charts"]


def test_the_breakdown_rows_open_the_child_organizations_statistics(login, world, figures):
    client = login("city_admin")
    html = page(client, year=2025).content.decode()
    table = html.split('data-testid="breakdown-table"')[1]
    row = re.search(rf'<tr data-row="{world.county_a.pk}">(.*?)</tr>', table, re.S).group(1)
    response = client.get(link_of(row))
    assert response.context["organization"] == world.county_a
    assert response.context["period"].start == date(2025, 1, 1)


def test_the_trend_chart_shows_the_chosen_figure_by_month(login, world, figures):
    response = page(login("city_admin"), year=2025, trend="popsci_onsite_audience")
    assert response.context["trend"].code == "popsci_onsite_audience"
    assert [value for _label, value, _last in response.context["monthly"]][:7] == [0, 0, 130, 0, 0, 0, 100]
    html = response.content.decode()
    assert 'data-chart="{' in html and "<script>" not in html.replace("<script src=", "")


def test_the_period_can_be_a_quarter_a_month_or_a_range(login, world, figures):
    client = login("city_admin")
    quarter = page(client, year=2025, quarter=3)
    assert (quarter.context["period"].start, quarter.context["period"].end) == (
        date(2025, 7, 1),
        date(2025, 9, 30),
    )
    assert 'data-value="2"' in figure_row(quarter.content.decode(), "popsci_events")
    month = page(client, year=2025, month=3)
    assert (month.context["period"].start, month.context["period"].end) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
    )
    assert month.context["last_period"].start == date(2024, 3, 1)
    assert 'data-value="2"' in figure_row(month.content.decode(), "popsci_events")
    span = page(client, start="2025-03-15", end="2025-07-10")
    assert 'data-value="2"' in figure_row(span.content.decode(), "popsci_events")  # 乙县讲座, 甲县夏季讲座


def test_without_a_choice_the_period_is_this_year_to_date(login, world):
    response = page(login("city_admin"))
    today = response.context["form"].today
    assert response.context["period"].start == date(today.year, 1, 1)
    assert response.context["period"].end == today
    assert response.context["last_period"].end == date(today.year - 1, today.month, min(today.day, 28)) or (
        today.month == 2 and today.day == 29
    )


def test_a_period_to_date_compares_with_the_same_days_last_year():
    form = StatisticsForm({"year": "2026", "quarter": "4"}, today=date(2026, 11, 24))
    period = form.period()
    assert (period.start, period.end) == (date(2026, 10, 1), date(2026, 11, 24))
    assert (period.last_year().start, period.last_year().end) == (date(2025, 10, 1), date(2025, 11, 24))
    leap = Period(date(2024, 2, 1), date(2024, 2, 29), "")
    assert leap.last_year().end == date(2023, 2, 28)


def test_a_reversed_range_shows_an_error_and_this_year_instead(login, world):
    response = page(login("city_admin"), start="2025-09-01", end="2025-03-01")
    assert response.status_code == 200
    assert 'data-testid="period-errors"' in response.content.decode()
    assert response.context["period"].start.year == response.context["form"].today.year


def test_the_organization_chooser_offers_only_organizations_in_the_scope(login, world, figures):
    response = page(login("county_staff"), year=2025)
    offered = [pk for pk, _label in response.context["org_choices"]]
    assert world.county_a.pk in offered
    assert world.county_b.pk not in offered and world.city.pk not in offered


def test_a_sibling_county_gets_404_for_another_countys_organization(login, world, figures):
    assert page(login("county_b_staff"), org=world.county_a.pk).status_code == 404
    assert page(login("county_b_staff"), org=world.town_a.pk).status_code == 404
    assert page(login("county_staff"), org=world.town_a.pk).status_code == 200


def test_a_role_without_statistics_gets_403(login, world):
    assert page(login("auditor")).status_code == 403


def test_the_export_holds_the_figures_the_organizations_and_the_months(login, world, figures):
    client = login("city_admin")
    response = client.get(reverse("statistics:export"), {"year": 2025, "org": world.city.pk})
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    figures_sheet, by_org, by_month = book.worksheets
    rows = {row[1]: row for row in figures_sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {d.code for d in all_definitions()}
    assert rows["popsci_events"][4:8] == (4, 2, 2, 100)
    assert rows["popsci_onsite_audience"][4:7] == (230, 80, 150)
    assert rows["training_courses"][7] in (None, "")
    headers = [cell.value for cell in by_org[1]]
    column = headers.index(next(h for h in headers if h and h.startswith(str(get_name("popsci_events")))))
    org_rows = {row[0]: row for row in by_org.iter_rows(min_row=2, values_only=True)}
    assert org_rows["甲县科协"][column] == 3
    assert org_rows["乙县科协"][column] == 1
    assert sum(row[column] for name, row in org_rows.items() if name not in ("Total", "合计")) == 4
    month_rows = list(by_month.iter_rows(min_row=2, values_only=True))
    assert len(month_rows) == 13  # twelve months and the total
    assert month_rows[2][0] == "2025年3月" and month_rows[2][column] == 2
    assert month_rows[-1][column] == 4


def get_name(code):
    from kexie.statistics.definitions import get_definition

    return get_definition(code).name


def test_the_export_is_audited(login, world, figures):
    login("city_admin").get(reverse("statistics:export"), {"year": 2025})
    event = AuditEvent.objects.filter(action="statistics.export").get()
    assert event.actor == world.users["city_admin"]


def test_the_export_of_another_countys_organization_is_404(login, world):
    response = login("county_b_staff").get(reverse("statistics:export"), {"org": world.county_a.pk})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="statistics.export").exists()


def test_the_definitions_page_lists_every_figure_and_how_it_is_counted(login, world):
    response = login("viewer").get(reverse("statistics:definitions"))
    assert response.status_code == 200
    html = response.content.decode()
    for definition in all_definitions():
        assert f"<code>{definition.code}</code>" in html
    row = re.search(r'<tr data-figure="popsci_onsite_audience">(.*?)</tr>', html, re.S).group(1)
    assert "onsite_participants" not in row  # the field by its name on screen, not its code


@pytest.mark.parametrize("stat", ["popsci_events", "nonsense"])
def test_the_visit_list_refuses_a_figure_that_does_not_count_visits(login, world, stat):
    response = login("city_admin").get(reverse("people:visit_list"), {"stat": stat})
    assert response.status_code == 404


def test_the_visit_list_of_a_figure_is_404_for_another_countys_organization(login, world, figures):
    query = {"stat": "visits_made", "from": "2025-01-01", "to": "2025-12-31", "org": world.county_a.pk}
    assert login("county_b_staff").get(reverse("people:visit_list"), query).status_code == 404


def test_the_page_makes_as_many_queries_with_ten_child_organizations_as_with_two(
    login, world, figures, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kexie.core.testing import make_org
    from kexie.orgs.models import Kind

    client = login("county_staff")
    make_org(world.county_a, Kind.TOWN_ASSOCIATION, "甲县第二镇科协")
    page(client, year=2025)  # the first request of a session loads what later ones have cached
    with CaptureQueriesContext(connection) as two_children:
        assert page(client, year=2025).status_code == 200
    for number in range(3, 11):
        make_org(world.county_a, Kind.TOWN_ASSOCIATION, f"甲县第{number}镇科协")
    with django_assert_num_queries(len(two_children.captured_queries)):
        response = page(client, year=2025)
    assert len(response.context["breakdown"]) == 11  # 本级 and ten towns
