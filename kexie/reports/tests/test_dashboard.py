"""The dashboard (the home page of staff users) and its API, on the statistics tests'
records (fixture `figures`, kexie/statistics/testing.py)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from kexie.orgs import selectors as org_selectors
from kexie.reports.dashboard import HEADLINE
from kexie.reports.selectors import last_ended
from kexie.statistics.definitions import definitions_for
from kexie.statistics.selectors import statistic_values

DASHBOARD = "reports:dashboard"
API = "reports_api:dashboard"


def page(client, **params) -> str:
    response = client.get(reverse(DASHBOARD), params)
    assert response.status_code == 200
    return response.content.decode()


def figure_of(html: str, code: str) -> str:
    match = re.search(rf'<div class="col-6" data-figure="{code}">(.*?)</div>\s*</div>', html, re.S)
    assert match, code
    return match.group(1)


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split('data-testid="', 1)[0]


# --- who lands where ------------------------------------------------------------------------


def test_login_lands_staff_on_the_dashboard_of_their_organization(login, world):
    html = page(login("city_admin"))
    assert "示例市科学技术协会" in html and 'data-testid="service-literacy"' in html


@pytest.mark.parametrize(
    "persona, landing",
    [("auditor", "audit:list"), ("sysadmin", "accounts:user_list"), ("secadmin", "accounts:membership_list")],
)
def test_the_separated_administrators_land_on_their_own_console(login, world, persona, landing):
    response = login(persona).get(reverse(DASHBOARD))
    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_an_account_without_a_role_sees_a_welcome_page_not_an_error(login, world):
    response = login("nobody").get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert "bi-person-lock" in response.content.decode()


# --- the figures ----------------------------------------------------------------------------


def test_headline_figures_of_each_service_stand_beside_last_year(login, world, figures):
    html = page(login("city_admin"), year=2025)
    popsci = figure_of(html, "popsci_events")
    assert 'data-value="4"' in popsci and 'data-change="2"' in popsci and 'data-percent="100.0"' in popsci
    audience = figure_of(html, "popsci_onsite_audience")
    assert 'data-value="230"' in audience and 'data-percent="187.5"' in audience
    visits = figure_of(html, "visits_made")
    assert 'data-value="4"' in visits
    for service in ("workers", "innovation", "literacy", "decision", "network"):
        assert f'data-testid="service-{service}"' in html
    assert 'data-figure="popsci_events"' in section(html, "service-literacy")


def test_every_headline_figure_equals_its_definition_computed_on_its_own(login, world, figures):
    html = page(login("city_admin"), year=2025)
    expected = statistic_values(
        organization=world.city,
        definitions=definitions_for(HEADLINE),
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    for code in HEADLINE:
        assert f'data-value="{expected.value(code)}"' in figure_of(html, code), code


def test_a_headline_figure_links_to_the_records_it_counts(login, world, figures):
    client = login("city_admin")
    html = page(client, year=2025)
    url = re.search(r'href="([^"]+)"', figure_of(html, "popsci_events")).group(1).replace("&amp;", "&")
    assert url.startswith(reverse("activities:list"))
    listed = client.get(url).content.decode()
    for title in ("甲县春季讲座", "甲县夏季讲座", "甲镇大篷车", "乙县讲座"):
        assert title in listed
    assert "甲县待审讲座" not in listed and "甲县去年讲座" not in listed


def test_a_county_sees_its_own_subtree_and_no_approvals_it_cannot_give(login, world, figures):
    html = page(login("county_staff"), year=2025)
    assert 'data-value="3"' in figure_of(html, "popsci_events")  # spring, summer, the town's caravan
    assert "乙县" not in html and "乙镇" not in html
    assert 'data-testid="attention-approvals"' not in html


# --- ranking, trend ------------------------------------------------------------------------


def test_the_children_are_ranked_by_the_chosen_figure_with_links_to_their_records(login, world, figures):
    client = login("city_admin")
    ranking = section(page(client, year=2025), "ranking-table")
    rows = re.findall(r'<tr data-row="(\d+)">.*?data-value="(\d+)"', ranking, re.S)
    assert rows[:2] == [(str(world.county_a.pk), "3"), (str(world.county_b.pk), "1")]
    assert all(value == "0" for _pk, value in rows[2:])
    by_visits = section(page(client, year=2025, rank="visits_made"), "ranking-table")
    rows = re.findall(r'<tr data-row="(\d+)">.*?data-value="(\d+)"', by_visits, re.S)
    # 甲县 (itself and its town) 2, 乙县 1; the city's own visit is not a child's
    assert rows[:2] == [(str(world.county_a.pk), "2"), (str(world.county_b.pk), "1")]


def test_a_rank_value_opens_only_that_childs_records(login, world, figures):
    client = login("city_admin")
    ranking = section(page(client, year=2025), "ranking-table")
    row = re.search(rf'<tr data-row="{world.county_b.pk}">(.*?)</tr>', ranking, re.S).group(1)
    url = re.findall(r'href="([^"]+)"', row)[-1].replace("&amp;", "&")
    listed = client.get(url).content.decode()
    assert "乙县讲座" in listed and "甲县春季讲座" not in listed


def test_the_trend_shows_the_chosen_figure_month_by_month_against_last_year(login, world, figures):
    response = login("city_admin").get(reverse(DASHBOARD), {"year": 2025, "trend": "popsci_onsite_audience"})
    board = response.context["board"]
    assert board.trend.code == "popsci_onsite_audience"
    march = next(c for c in board.monthly.columns if c.month == date(2025, 3, 1))
    assert board.monthly.value("popsci_onsite_audience", march.key) == 130  # 甲县 100 + 乙县 30
    assert "echarts.min.js" in response.content.decode()


def test_a_malformed_period_says_so_and_shows_this_year(login, world, figures):
    html = page(login("city_admin"), start="2025-05-01", end="2025-01-01")
    assert 'data-testid="period-errors"' in html
    assert "最后一天早于第一天" in html
    assert f"{date.today().year}年" in section(html, "period")


# --- network and attention -----------------------------------------------------------------


def test_the_network_state_matches_the_network_statistics(login, world):
    response = login("city_admin").get(reverse(DASHBOARD))
    network = response.context["board"].network
    expected = org_selectors.network_statistics(scope=response.wsgi_request.scope)
    assert network.total_active == expected.total_active == 7
    html = section(response.content.decode(), "network")
    assert f'data-value="{expected.total_active}"' in html
    assert reverse("orgs:reelections") in html


def test_activities_waiting_for_the_citys_approval_are_counted_and_listed(login, world, figures):
    html = section(page(login("city_admin"), year=2025), "attention-approvals")
    assert 'data-value="1"' in html and "甲县待审讲座" in html


def test_the_overdue_re_elections_are_listed(login, world):
    html = section(page(login("city_admin")), "attention-overdue")
    assert 'data-value="1"' in html and "示例市计算机学会" in html


def test_the_last_ended_period_is_the_one_before_today():
    def bounds(period, today):
        ended = last_ended(period, today)
        return ended.start, ended.end

    assert bounds("quarter", date(2025, 11, 1)) == (date(2025, 7, 1), date(2025, 9, 30))
    assert bounds("quarter", date(2026, 1, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert bounds("quarter", date(2026, 3, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert bounds("quarter", date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert bounds("half_year", date(2026, 6, 30)) == (date(2025, 7, 1), date(2025, 12, 31))
    assert bounds("half_year", date(2026, 7, 1)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert bounds("year", date(2026, 11, 24)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_the_dashboard_names_the_children_yet_to_report(login, world):
    html = section(page(login("city_admin")), "attention-unreported")
    assert "甲县科协" in html and "乙县科协" in html
    assert 'data-value="2"' in html


# --- API -----------------------------------------------------------------------------------


def test_the_api_returns_the_dashboards_figures(api_client, world, figures):
    response = api_client("city_admin").get(reverse(API), {"year": 2025, "rank": "popsci_events"})
    assert response.status_code == 200
    data = response.json()
    assert data["organization"]["id"] == world.city.pk
    assert data["period"]["start"] == "2025-01-01" and data["last_period"]["start"] == "2024-01-01"
    popsci = next(f for f in data["figures"] if f["code"] == "popsci_events")
    assert (popsci["value"], popsci["last"], popsci["change"], popsci["percent"]) == (4, 2, 2, 100.0)
    assert popsci["service"] == "literacy" and popsci["url"].startswith(reverse("activities:list"))
    children = data["ranking"]["children"]
    assert [(c["organization"]["id"], c["value"]) for c in children[:2]] == [
        (world.county_a.pk, 3),
        (world.county_b.pk, 1),
    ]
    assert len(data["trend"]["months"]) == 12
    assert data["network"]["active_organizations"] == 7
    assert data["attention"]["approvals"] == 1
    missing = data["attention"]["unreported"]["missing"]
    assert [c["id"] for c in missing] == [world.county_a.pk, world.county_b.pk]


def test_the_api_names_a_malformed_parameter(api_client, world):
    response = api_client("city_admin").get(reverse(API), {"month": 13})
    assert response.status_code == 400
    assert "month" in response.json()


def test_the_api_gives_a_county_its_subtree_only(api_client, world, figures):
    data = api_client("county_staff").get(reverse(API), {"year": 2025}).json()
    assert data["organization"]["id"] == world.county_a.pk
    assert [c["organization"]["id"] for c in data["ranking"]["children"]] == [world.town_a.pk]
    assert data["attention"]["approvals"] is None
