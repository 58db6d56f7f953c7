"""The pages that read the organization network, seen by each persona of the test world."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from kexie.audit.models import AuditEvent
from kexie.core.scoping import resolve_scope
from kexie.core.testing import make_org
from kexie.orgs import selectors, services
from kexie.orgs.models import Kind

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [org.name for org in response.context["page_obj"]]


def scope_of(user):
    class _Request:
        pass

    request = _Request()
    request.user = user
    return resolve_scope(request)


# --- who may see what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, needs_pk",
    [
        ("orgs:overview", False),
        ("orgs:tree", False),
        ("orgs:list", False),
        ("orgs:reelections", False),
        ("orgs:stats", False),
        ("orgs:export", False),
        ("orgs:stats_export", False),
        ("orgs:detail", True),
        ("orgs:tree_children", True),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, url_name, needs_pk):
    url = reverse(url_name, args=[world.city.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_anonymous_reveal_is_sent_to_the_login_page(client, world):
    response = client.post(reverse("orgs:contact_reveal", args=[world.city.pk]), HTTP_HX_PROMPT="check")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="personal.unmask").exists()


@pytest.mark.parametrize(
    "url_name", ["orgs:overview", "orgs:tree", "orgs:list", "orgs:reelections", "orgs:stats"]
)
def test_every_page_shows_county_staff_only_their_county(login, world, url_name):
    response = login("county_staff").get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert "乙镇" not in content and "乙县" not in content
    assert "示例市计算机学会" not in content


def test_county_staff_lists_the_town_of_their_county_and_not_the_other_countys(login, world):
    response = login("county_staff").get(reverse("orgs:list"))
    assert names(response) == ["甲县科学技术协会", "甲镇科学技术协会"]
    assert "甲镇科学技术协会" in response.content.decode()


def test_a_sibling_countys_organizations_do_not_exist_for_county_staff(login, world):
    client = login("county_staff")
    assert client.get(reverse("orgs:detail", args=[world.county_b.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[world.town_b.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[world.city.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[world.town_a.pk])).status_code == 200


def test_an_organization_without_a_role_in_the_network_gets_403_on_detail(login, world):
    assert login("auditor").get(reverse("orgs:detail", args=[world.city.pk])).status_code == 403


# --- overview ------------------------------------------------------------------------------


def test_the_overview_shows_the_headline_figures_of_the_scope(login, world):
    response = login("city_admin").get(reverse("orgs:overview"))
    assert response.status_code == 200
    stats = response.context["stats"]
    expected = selectors.network_statistics(scope=scope_of(world.users["city_admin"]))
    assert stats.total_active == expected.total_active == 7
    assert stats.overdue_reelections == 1
    content = response.content.decode()
    assert "data-chart=" in content and "echarts.min.js" in content
    assert "示例市计算机学会" in content  # overdue since its 2016 term ended in 2021


# --- tree ----------------------------------------------------------------------------------


def test_the_tree_starts_at_the_users_organization_with_its_children_open(login, world):
    response = login("county_staff").get(reverse("orgs:tree"))
    content = response.content.decode()
    assert "甲县科学技术协会" in content and "甲镇科学技术协会" in content
    assert "示例市科学技术协会" not in content


def test_a_tree_node_loads_its_children_lazily(login, world):
    client = login("city_admin")
    content = client.get(reverse("orgs:tree")).content.decode()
    assert f'hx-get="{reverse("orgs:tree_children", args=[world.county_a.pk])}"' in content
    assert "甲镇科学技术协会" not in content  # not loaded until the county is opened
    partial = client.get(reverse("orgs:tree_children", args=[world.county_a.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "甲镇科学技术协会" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_tree_children_outside_the_scope_is_404(login, world):
    client = login("county_staff")
    assert client.get(reverse("orgs:tree_children", args=[world.county_b.pk])).status_code == 404
    assert client.get(reverse("orgs:tree_children", args=[world.city.pk])).status_code == 404


def test_dissolved_organizations_stay_in_the_tree_but_muted(login, world):
    services.organization_dissolve(actor=None, organization=world.town_b, dissolved_on=date(2025, 12, 31))
    partial = login("city_admin").get(reverse("orgs:tree_children", args=[world.county_b.pk]))
    assert "kx-tree-item kx-dissolved" in partial.content.decode()


def test_the_tree_search_box_goes_to_the_list(login, world):
    content = login("county_staff").get(reverse("orgs:tree")).content.decode()
    assert f'action="{reverse("orgs:list")}"' in content and 'name="q"' in content


# --- list ----------------------------------------------------------------------------------


def test_searching_in_traditional_characters_finds_the_simplified_name(login, world):
    response = login("city_admin").get(reverse("orgs:list"), {"q": "計算機"})
    assert names(response) == ["示例市计算机学会"]


@pytest.mark.parametrize("query", ["jisuanji", "jsj", "JiSuanJi"])
def test_searching_by_pinyin_or_initials_finds_the_society(login, world, query):
    response = login("city_admin").get(reverse("orgs:list"), {"q": query})
    assert names(response) == ["示例市计算机学会"]


def test_filtering_by_kind_lists_only_that_kind(login, world):
    response = login("city_admin").get(
        reverse("orgs:list"), {"kind": [Kind.COUNTY_ASSOCIATION, Kind.SOCIETY]}
    )
    assert names(response) == ["甲县科学技术协会", "乙县科学技术协会", "示例市计算机学会"]


def test_filtering_by_status_separates_dissolved_organizations(login, world):
    services.organization_dissolve(actor=None, organization=world.town_b, dissolved_on=date(2025, 12, 31))
    client = login("city_admin")
    assert names(client.get(reverse("orgs:list"), {"status": "dissolved"})) == ["乙镇科学技术协会"]
    assert "乙镇科学技术协会" not in names(client.get(reverse("orgs:list"), {"status": "active"}))


def test_filtering_within_an_organization_lists_its_subtree(login, world):
    response = login("city_admin").get(reverse("orgs:list"), {"under": world.county_b.pk})
    assert names(response) == ["乙县科学技术协会", "乙镇科学技术协会"]


def test_filtering_within_an_organization_outside_the_scope_is_refused(login, world):
    response = login("county_staff").get(reverse("orgs:list"), {"under": world.county_b.pk})
    assert response.status_code == 200
    assert names(response) == ["甲县科学技术协会", "甲镇科学技术协会"]
    assert gettext("No such organization in your scope.") in response.content.decode()


def test_the_overdue_filter_lists_societies_past_their_re_election(login, world):
    response = login("city_admin").get(reverse("orgs:list"), {"overdue": "1"})
    assert names(response) == ["示例市计算机学会"]
    assert 'data-testid="overdue-badge"' in response.content.decode()


def test_the_party_filter_separates_covered_and_uncovered_societies(login, world):
    make_org(world.city, Kind.SOCIETY, "示例市医学会")
    make_org(world.society, Kind.PARTY_BRANCH, "计算机学会党支部")
    client = login("city_admin")
    assert names(client.get(reverse("orgs:list"), {"party": "yes"})) == ["示例市计算机学会"]
    assert names(client.get(reverse("orgs:list"), {"party": "no"})) == ["示例市医学会"]


def test_founding_year_filters_and_ordering_by_founding_date(login, world):
    make_org(world.city, Kind.SOCIETY, "示例市医学会", founded_on=date(2010, 3, 1))
    client = login("city_admin")
    response = client.get(
        reverse("orgs:list"), {"founded_from": 2000, "founded_to": 2012, "ordering": "-founded_on"}
    )
    assert names(response) == ["示例市医学会", "示例市计算机学会"]
    response = client.get(reverse("orgs:list"), {"founded_from": 2005})
    assert names(response) == ["示例市医学会"]


def test_the_list_is_paginated_by_25_and_page_links_keep_the_filters(login, world):
    for number in range(30):
        make_org(world.city, Kind.SOCIETY, f"示例市第{number:02d}学会")
    client = login("city_admin")
    first = client.get(reverse("orgs:list"), {"kind": Kind.SOCIETY})
    assert first.context["page_obj"].paginator.count == 31
    assert len(names(first)) == 25
    assert "kind=society&amp;page=2" in first.content.decode()
    second = client.get(reverse("orgs:list"), {"kind": Kind.SOCIETY, "page": 2})
    assert len(names(second)) == 6
    assert not set(names(first)) & set(names(second))


def test_an_htmx_request_gets_only_the_results_table(login, world):
    response = login("city_admin").get(reverse("orgs:list"), {"q": "甲"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and 'id="kx-filter"' not in content
    assert 'data-testid="org-table"' in content and "甲镇科学技术协会" in content
    assert "HX-Request" in response["Vary"]


def test_the_list_page_swaps_its_table_with_htmx_and_pushes_the_url(login, world):
    content = login("city_admin").get(reverse("orgs:list")).content.decode()
    assert 'hx-target="#kx-list-results"' in content and 'hx-push-url="true"' in content
    assert 'id="kx-list-results"' in content


def test_an_empty_result_says_so(login, world):
    response = login("city_admin").get(reverse("orgs:list"), {"q": "不存在的组织"})
    assert names(response) == []
    assert gettext("No organization matches these filters.") in response.content.decode()


def test_the_export_button_carries_the_filters(login, world):
    content = login("city_admin").get(reverse("orgs:list"), {"kind": Kind.COUNTY_ASSOCIATION, "page": 1})
    assert f'{reverse("orgs:export")}?kind=county_association"' in content.content.decode()


# --- detail --------------------------------------------------------------------------------


def test_the_detail_page_shows_the_breadcrumb_and_the_fields(login, world):
    response = login("city_admin").get(reverse("orgs:detail", args=[world.town_a.pk]))
    content = response.content.decode()
    assert response.context["ancestors"] == [world.city, world.county_a]
    assert "甲镇科学技术协会" in content and "甲县科协" in content


def test_the_contact_phone_is_masked_on_the_detail_page(login, world):
    content = login("city_admin").get(reverse("orgs:detail", args=[world.city.pk])).content.decode()
    assert "138****8000" in content
    assert "13800138000" not in content
    assert reverse("orgs:contact_reveal", args=[world.city.pk]) in content


def test_a_viewer_gets_no_show_button_for_the_phone(login, world):
    content = login("viewer").get(reverse("orgs:detail", args=[world.city.pk])).content.decode()
    assert "138****8000" in content
    assert reverse("orgs:contact_reveal", args=[world.city.pk]) not in content


def test_a_society_shows_its_board_terms_with_the_overdue_warning(login, world):
    response = login("city_admin").get(reverse("orgs:detail", args=[world.society.pk]))
    content = response.content.decode()
    assert 'data-testid="board-terms"' in content
    assert "2016-06-01" in content and "2021-06-01" in content
    assert response.context["current_term"].overdue
    assert "alert-danger" in content


def test_the_detail_page_shows_leaders_and_the_history_timeline(login, world):
    services.leader_appoint(
        actor=world.users["city_admin"],
        organization=world.society,
        position="chair",
        person_name="张三",
        started_on=date(2016, 6, 1),
    )
    services.leader_appoint(
        actor=world.users["city_admin"],
        organization=world.society,
        position="chair",
        person_name="李四",
        started_on=date(2024, 1, 1),
    )
    services.organization_update(
        actor=world.users["city_admin"],
        organization=world.society,
        data=services.OrganizationData(name="示例市计算机学会", legal_representative="王五"),
    )
    response = login("city_admin").get(reverse("orgs:detail", args=[world.society.pk]))
    content = response.content.decode()
    assert [a.person_name for a in response.context["current_leaders"]] == ["李四"]
    assert [a.person_name for a in response.context["past_leaders"]] == ["张三"]
    assert 'class="kx-timeline"' in content
    assert "王五" in content and "city_admin" in content
    kinds = [event.kind for event in response.context["history"]]
    assert "changed" in kinds and "appointed" in kinds and "founded" in kinds


def test_the_detail_page_lists_children_and_links_to_the_full_list(login, world):
    response = login("city_admin").get(reverse("orgs:detail", args=[world.county_a.pk]))
    assert [o.name for o in response.context["children"]] == ["甲镇科学技术协会"]
    assert f"{reverse('orgs:list')}?under={world.county_a.pk}" in response.content.decode()


def test_a_party_branch_shows_the_societies_it_covers(login, world):
    branch = make_org(world.society, Kind.PARTY_BRANCH, "计算机学会党支部")
    client = login("city_admin")
    society = client.get(reverse("orgs:detail", args=[world.society.pk])).content.decode()
    assert "计算机学会党支部" in society
    content = client.get(reverse("orgs:detail", args=[branch.pk])).content.decode()
    assert 'data-testid="covered"' in content and "示例市计算机学会" in content
    assert reverse("orgs:party_coverage", args=[branch.pk]) in content


def test_action_buttons_follow_the_role(login, world):
    pk = world.county_a.pk
    admin = login("city_admin").get(reverse("orgs:detail", args=[pk])).content.decode()
    assert reverse("orgs:update", args=[pk]) in admin and reverse("orgs:dissolve", args=[pk]) in admin
    assert reverse("orgs:move", args=[pk]) in admin
    staff = login("county_staff").get(reverse("orgs:detail", args=[pk])).content.decode()
    assert reverse("orgs:update", args=[pk]) in staff and f"{reverse('orgs:create')}?parent={pk}" in staff
    assert reverse("orgs:dissolve", args=[pk]) not in staff and reverse("orgs:move", args=[pk]) not in staff
    viewer = login("viewer").get(reverse("orgs:detail", args=[pk])).content.decode()
    assert reverse("orgs:update", args=[pk]) not in viewer and reverse("orgs:create") not in viewer


def test_the_top_of_ones_own_scope_offers_no_move_or_dissolve(login, world):
    content = login("city_admin").get(reverse("orgs:detail", args=[world.city.pk])).content.decode()
    assert reverse("orgs:update", args=[world.city.pk]) in content
    assert reverse("orgs:dissolve", args=[world.city.pk]) not in content
    assert reverse("orgs:move", args=[world.city.pk]) not in content


# --- contact reveal ------------------------------------------------------------------------


def test_revealing_the_phone_with_a_reason_shows_it_and_is_audited(login, world):
    response = login("city_admin").post(
        reverse("orgs:contact_reveal", args=[world.city.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_PROMPT="回访联系人",
    )
    assert response.status_code == 200
    assert "13800138000" in response.content.decode()
    event = AuditEvent.objects.get(action="personal.unmask")
    assert event.actor == world.users["city_admin"]
    assert event.object_id == str(world.city.pk) and event.org_path == world.city.path
    assert event.detail == {"field": "contact_phone", "reason": "回访联系人"}


def test_a_reveal_reason_may_also_come_from_a_form_field(login, world):
    response = login("city_admin").post(
        reverse("orgs:contact_reveal", args=[world.city.pk]), {"reason": "核对"}
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="personal.unmask").count() == 1


def test_revealing_without_a_reason_is_refused_and_not_audited(login, world):
    response = login("city_admin").post(
        reverse("orgs:contact_reveal", args=[world.city.pk]), HTTP_HX_REQUEST="true", HTTP_HX_PROMPT="  "
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "13800138000" not in content and "138****8000" in content
    assert gettext("Give a reason to see the full number.") in content
    assert not AuditEvent.objects.filter(action="personal.unmask").exists()


def test_a_viewer_cannot_reveal_the_phone(login, world):
    response = login("viewer").post(
        reverse("orgs:contact_reveal", args=[world.city.pk]), HTTP_HX_PROMPT="想看"
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="personal.unmask").exists()


def test_revealing_outside_the_scope_is_404(login, world):
    response = login("county_b_staff").post(
        reverse("orgs:contact_reveal", args=[world.town_a.pk]), {"reason": "x"}
    )
    assert response.status_code == 404


def test_reveal_only_answers_post(login, world):
    assert login("city_admin").get(reverse("orgs:contact_reveal", args=[world.city.pk])).status_code == 405


# --- re-elections --------------------------------------------------------------------------


def test_the_re_election_page_lists_overdue_terms_with_days_overdue(login, world):
    response = login("city_admin").get(reverse("orgs:reelections"))
    terms = list(response.context["page_obj"])
    assert [t.organization for t in terms] == [world.society]
    assert terms[0].days == (date.today() - date(2021, 6, 1)).days
    assert "示例市计算机学会" in response.content.decode()


def test_the_re_election_page_lists_terms_due_soon(login, world):
    medical = make_org(world.city, Kind.SOCIETY, "示例市医学会")
    today = date.today()
    services.board_term_start(
        actor=None,
        organization=medical,
        started_on=today.replace(year=today.year - 5) + timedelta(days=30),
        length_years=5,
    )
    response = login("city_admin").get(reverse("orgs:reelections"), {"show": "upcoming"})
    assert [t.organization for t in response.context["page_obj"]] == [medical]
    assert response.context["overdue_count"] == 1 and response.context["upcoming_count"] == 1


def test_county_staff_see_an_empty_re_election_list(login, world):
    response = login("county_staff").get(reverse("orgs:reelections"))
    assert list(response.context["page_obj"]) == []
    assert gettext("No re-election is overdue in your network.") in response.content.decode()


# --- statistics ----------------------------------------------------------------------------


def test_the_statistics_shown_match_the_selector(login, world):
    make_org(world.society, Kind.PARTY_BRANCH, "计算机学会党支部")
    response = login("city_admin").get(reverse("orgs:stats"))
    expected = selectors.network_statistics(scope=scope_of(world.users["city_admin"]))
    stats = response.context["stats"]
    assert stats == expected
    content = response.content.decode()
    assert f'data-figure="total_active">{expected.total_active}<' in content
    assert f'data-figure="overdue_reelections">{expected.overdue_reelections}<' in content
    assert f'data-figure="covered">{expected.party.covered}<' in content
    assert f"{expected.party.covered_percent}%" in content
    for row in expected.by_kind:
        assert str(row.label) in content


def test_the_statistics_have_one_row_per_direct_child_association(login, world):
    response = login("city_admin").get(reverse("orgs:stats"))
    children = {child.root.name: child for child in response.context["children"]}
    assert set(children) == {"甲县科学技术协会", "乙县科学技术协会"}
    assert children["甲县科学技术协会"].total_active == 2


def test_the_statistics_can_start_at_an_organization_in_scope(login, world):
    response = login("city_admin").get(reverse("orgs:stats"), {"root": world.county_b.pk})
    assert response.context["stats"].root == world.county_b
    assert response.context["stats"].total_active == 2


def test_the_statistics_of_an_organization_outside_the_scope_are_404(login, world):
    assert login("county_staff").get(reverse("orgs:stats"), {"root": world.county_b.pk}).status_code == 404
    assert login("county_staff").get(reverse("orgs:stats"), {"root": "abc"}).status_code == 404
