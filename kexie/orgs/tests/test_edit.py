from datetime import date

import pytest
from django.urls import reverse
from stdnum.cn import uscc

from kexie.audit.models import AuditEvent
from kexie.core.testing import make_org
from kexie.orgs import services
from kexie.orgs.models import (
    BoardTerm,
    Division,
    EventKind,
    Kind,
    LeaderAppointment,
    LeaderPosition,
    Organization,
    Status,
)

pytestmark = pytest.mark.django_db


def credit_code(number: int) -> str:
    base = f"91330100MA2CC{number:04d}"
    return base + uscc.calc_check_digit(base)


def town_form(**overrides) -> dict:
    return {
        "kind": Kind.TOWN_ASSOCIATION,
        "name": "甲县新镇科学技术协会",
        "short_name": "新镇科协",
        **overrides,
    }


def create_url(parent=None) -> str:
    return reverse("orgs:create") + (f"?parent={parent.pk}" if parent else "")


# --- creating ------------------------------------------------------------------------------


def test_county_staff_add_a_town_association_under_their_county_and_see_it_on_its_page(world, login):
    client = login("county_staff")
    response = client.post(create_url(world.county_a), town_form(contact_phone="138 0013 8000"), follow=True)
    town = Organization.objects.get(name="甲县新镇科学技术协会")
    assert town.parent == world.county_a
    assert town.contact_phone == "13800138000"
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[town.pk])
    assert "甲县新镇科学技术协会" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="org.create", object_id=str(town.pk), actor=world.users["county_staff"]
    ).exists()


def test_the_new_organization_form_offers_only_kinds_allowed_under_the_parent(world, login):
    response = login("county_staff").get(create_url(world.county_a))
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices if value]
    assert Kind.TOWN_ASSOCIATION in kinds
    assert Kind.COUNTY_ASSOCIATION not in kinds
    assert Kind.SOCIETY_BRANCH not in kinds
    assert "甲县科学技术协会" in response.content.decode()


def test_without_a_parent_the_form_lists_the_organizations_in_scope_and_defaults_to_the_users_own(
    world, login
):
    response = login("county_staff").get(create_url())
    field = response.context["form"].fields["parent"]
    assert set(field.queryset) == {world.county_a, world.town_a}
    assert field.initial == world.county_a.pk


def test_choosing_a_parent_in_the_select_creates_under_that_parent(world, login):
    client = login("city_admin")
    client.post(create_url(), {**town_form(), "parent": world.county_b.pk})
    assert Organization.objects.get(name="甲县新镇科学技术协会").parent == world.county_b


def test_the_kind_list_follows_the_chosen_parent_through_htmx(world, login):
    response = login("city_admin").get(create_url(world.society), HTTP_HX_REQUEST="true")
    assert 'id="kx-field-kind"' in response.content.decode()
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices if value]
    assert kinds == [Kind.SOCIETY_BRANCH, Kind.PARTY_BRANCH]


def test_creating_under_a_sibling_countys_organization_is_not_found(world, login):
    client = login("county_staff")
    assert client.get(create_url(world.county_b)).status_code == 404
    assert (
        client.post(create_url(world.town_b), town_form(kind=Kind.ENTERPRISE_ASSOCIATION)).status_code == 404
    )
    assert not Organization.objects.filter(name="甲县新镇科学技术协会").exists()


def test_a_parent_picked_outside_the_scope_is_refused(world, login):
    response = login("county_staff").post(create_url(), {**town_form(), "parent": world.county_b.pk})
    assert "parent" in response.context["form"].errors
    assert not Organization.objects.filter(name="甲县新镇科学技术协会").exists()


def test_a_read_only_viewer_cannot_create_and_nothing_is_created(world, login):
    response = login("viewer").post(create_url(world.county_a), town_form())
    assert response.status_code == 403
    assert not Organization.objects.filter(name="甲县新镇科学技术协会").exists()


def test_a_kind_not_allowed_under_the_parent_is_shown_as_a_form_error_and_nothing_is_created(world, login):
    response = login("county_staff").post(create_url(world.county_a), town_form(kind=Kind.COUNTY_ASSOCIATION))
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert 'class="form-select is-invalid"' in response.content.decode()
    assert not Organization.objects.filter(name="甲县新镇科学技术协会").exists()


def test_a_bad_credit_code_is_shown_on_its_field(world, login):
    response = login("county_staff").post(
        create_url(world.county_a), town_form(credit_code="91110000802100433C")
    )
    errors = response.context["form"].errors["credit_code"]
    assert "91110000802100433C" in errors[0]
    assert errors[0] in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert not Organization.objects.filter(name="甲县新镇科学技术协会").exists()


def test_a_credit_code_already_taken_is_shown_on_its_field(world, login):
    code = credit_code(1)
    make_org(world.city, Kind.SOCIETY, "已有学会", credit_code=code)
    response = login("county_staff").post(create_url(world.county_a), town_form(credit_code=code.lower()))
    assert code in response.context["form"].errors["credit_code"][0]


def test_an_unknown_division_code_is_an_error_and_a_known_one_is_kept(world, login):
    client = login("county_staff")
    response = client.post(create_url(world.county_a), town_form(division="999999"))
    assert "999999" in response.context["form"].errors["division"][0]
    response = client.post(create_url(world.county_a), town_form(division="12ab"))
    assert "division" in response.context["form"].errors
    Division.objects.get_or_create(
        code="330102", defaults={"name": "上城区", "level": "county", "edition": date(2024, 1, 1)}
    )
    client.post(create_url(world.county_a), town_form(division="330102"))
    assert Organization.objects.get(name="甲县新镇科学技术协会").division_id == "330102"


def test_a_bad_phone_and_a_future_founding_date_are_shown_on_their_fields(world, login):
    response = login("county_staff").post(
        create_url(world.county_a), town_form(contact_phone="12345", founded_on="2999-01-01")
    )
    assert "contact_phone" in response.context["form"].errors
    assert not Organization.objects.filter(name="甲县新镇科学技术协会").exists()
    response = login("county_staff").post(create_url(world.county_a), town_form(founded_on="2999-01-01"))
    assert "founded_on" in response.context["form"].errors


def test_a_society_can_record_party_building_in_its_charter_other_kinds_cannot(world, login):
    client = login("city_admin")
    client.post(
        create_url(world.city),
        {"kind": Kind.SOCIETY, "name": "示例市护理学会", "party_building_in_charter": "on"},
    )
    assert Organization.objects.get(name="示例市护理学会").party_building_in_charter is True
    client.post(create_url(world.county_a), {**town_form(), "party_building_in_charter": "on"})
    assert Organization.objects.get(name="甲县新镇科学技术协会").party_building_in_charter is False


# --- editing -------------------------------------------------------------------------------


def test_renaming_records_the_old_and_new_name_in_the_history(world, login):
    client = login("county_staff")
    url = reverse("orgs:update", args=[world.town_a.pk])
    form = client.get(url).context["form"]
    assert form.initial["name"] == "甲镇科学技术协会"
    response = client.post(url, {"name": "甲镇（街道）科学技术协会", "short_name": "甲镇科协"}, follow=True)
    event = world.town_a.events.get(kind=EventKind.CHANGED, field="name")
    assert (event.old_value, event.new_value) == ("甲镇科学技术协会", "甲镇（街道）科学技术协会")
    assert "甲镇（街道）科学技术协会" in response.content.decode()
    assert AuditEvent.objects.filter(action="org.update", object_id=str(world.town_a.pk)).exists()


def test_the_edit_form_has_no_kind_or_parent(world, login):
    form = login("county_staff").get(reverse("orgs:update", args=[world.town_a.pk])).context["form"]
    assert "kind" not in form.fields
    assert "parent" not in form.fields
    assert "party_building_in_charter" not in form.fields


def test_a_society_edits_its_party_building_in_charter_flag(world, login):
    client = login("society_secretary")
    client.post(
        reverse("orgs:update", args=[world.society.pk]),
        {"name": world.society.name, "party_building_in_charter": "on"},
    )
    world.society.refresh_from_db()
    assert world.society.party_building_in_charter is True


def test_a_sibling_county_cannot_open_the_edit_form(world, login):
    response = login("county_b_staff").get(reverse("orgs:update", args=[world.town_a.pk]))
    assert response.status_code == 404


def test_a_dissolved_organization_cannot_be_edited(world, login):
    services.organization_dissolve(actor=None, organization=world.town_a, dissolved_on=date(2025, 1, 1))
    client = login("county_staff")
    response = client.post(reverse("orgs:update", args=[world.town_a.pk]), {"name": "新名字"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[world.town_a.pk])
    assert "已注销的组织不能再编辑。" in [str(m) for m in response.context["messages"]]
    world.town_a.refresh_from_db()
    assert world.town_a.name == "甲镇科学技术协会"


# --- moving and dissolving -----------------------------------------------------------------


def test_the_city_admin_moves_a_town_to_another_county(world, login):
    client = login("city_admin")
    url = reverse("orgs:move", args=[world.town_a.pk])
    choices = set(client.get(url).context["form"].fields["new_parent"].queryset)
    assert world.county_b in choices
    assert world.county_a not in choices  # its current parent
    assert world.society not in choices  # a town cannot sit under a society
    response = client.post(url, {"new_parent": world.county_b.pk}, follow=True)
    world.town_a.refresh_from_db()
    assert world.town_a.parent == world.county_b
    assert world.town_a.path.startswith(world.county_b.path)
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[world.town_a.pk])
    assert world.town_a.events.filter(kind=EventKind.MOVED).exists()


def test_an_organization_cannot_be_moved_into_its_own_branch(world, login):
    client = login("city_admin")
    branch = make_org(world.society, Kind.SOCIETY_BRANCH, "计算机学会分会")
    response = client.post(reverse("orgs:move", args=[world.society.pk]), {"new_parent": branch.pk})
    assert "new_parent" in response.context["form"].errors
    world.society.refresh_from_db()
    assert world.society.parent == world.city


def test_the_organization_a_user_works_in_cannot_be_moved_by_them(world, login):
    response = login("city_admin").post(
        reverse("orgs:move", args=[world.city.pk]), {"new_parent": world.county_a.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[world.city.pk])
    world.city.refresh_from_db()
    assert world.city.parent == world.province


def test_county_staff_may_not_move_or_dissolve(world, login):
    client = login("county_staff")
    assert (
        client.post(
            reverse("orgs:move", args=[world.town_a.pk]), {"new_parent": world.county_a.pk}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("orgs:dissolve", args=[world.town_a.pk]),
        {"dissolved_on": "2025-01-01", "note": "撤并", "confirm": "on"},
    )
    assert response.status_code == 403
    world.town_a.refresh_from_db()
    assert world.town_a.status == Status.ACTIVE


def test_the_city_admin_dissolves_a_town_with_a_reason(world, login):
    client = login("city_admin")
    url = reverse("orgs:dissolve", args=[world.town_a.pk])
    response = client.post(url, {"dissolved_on": "2025-03-01", "note": "", "confirm": "on"})
    assert "note" in response.context["form"].errors
    response = client.post(
        url, {"dissolved_on": "2025-03-01", "note": "乡镇撤并", "confirm": "on"}, follow=True
    )
    world.town_a.refresh_from_db()
    assert (world.town_a.status, world.town_a.dissolved_on) == (Status.DISSOLVED, date(2025, 3, 1))
    assert world.town_a.events.get(kind=EventKind.DISSOLVED).note == "乡镇撤并"
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[world.town_a.pk])


def test_dissolving_needs_a_confirmation(world, login):
    response = login("city_admin").post(
        reverse("orgs:dissolve", args=[world.town_a.pk]), {"dissolved_on": "2025-03-01", "note": "乡镇撤并"}
    )
    assert "confirm" in response.context["form"].errors
    world.town_a.refresh_from_db()
    assert world.town_a.status == Status.ACTIVE


def test_an_organization_with_active_sub_organizations_is_not_dissolved(world, login):
    response = login("city_admin").post(
        reverse("orgs:dissolve", args=[world.county_a.pk]),
        {"dissolved_on": "2025-03-01", "note": "撤县", "confirm": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["active_children"] == 1
    world.county_a.refresh_from_db()
    assert world.county_a.status == Status.ACTIVE


# --- board terms, leaders, party coverage ---------------------------------------------------


def test_recording_a_board_election_starts_the_next_term(world, login):
    client = login("society_secretary")
    url = reverse("orgs:board_term_create", args=[world.society.pk])
    assert client.get(url).context["form"].fields["length_years"].initial == 5
    response = client.post(
        url,
        {
            "started_on": "2022-06-10",
            "length_years": "5",
            "council_size": "60",
            "standing_council_size": "20",
            "supervisory_board_size": "3",
        },
        follow=True,
    )
    term = BoardTerm.objects.get(organization=world.society, number=2)
    assert (term.due_on, term.council_size) == (date(2027, 6, 10), 60)
    assert BoardTerm.objects.get(organization=world.society, number=1).ended_on == date(2022, 6, 10)
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[world.society.pk])


def test_a_board_election_before_the_current_term_began_is_refused_on_the_date(world, login):
    response = login("society_secretary").post(
        reverse("orgs:board_term_create", args=[world.society.pk]),
        {"started_on": "2010-01-01", "length_years": "5"},
    )
    assert "started_on" in response.context["form"].errors
    assert BoardTerm.objects.filter(organization=world.society).count() == 1


def test_a_standing_board_larger_than_the_board_is_refused(world, login):
    response = login("society_secretary").post(
        reverse("orgs:board_term_create", args=[world.society.pk]),
        {
            "started_on": "2022-06-10",
            "length_years": "5",
            "council_size": "10",
            "standing_council_size": "20",
        },
    )
    assert "standing_council_size" in response.context["form"].errors


def test_organizations_without_a_board_have_no_board_election_page(world, login):
    assert (
        login("county_staff").get(reverse("orgs:board_term_create", args=[world.town_a.pk])).status_code
        == 404
    )


def test_appointing_a_chair_ends_the_previous_chairs_term(world, login):
    client = login("society_secretary")
    url = reverse("orgs:leader_appoint", args=[world.society.pk])
    client.post(url, {"position": LeaderPosition.CHAIR, "person_name": "张伟", "started_on": "2020-01-01"})
    response = client.post(
        url,
        {"position": LeaderPosition.CHAIR, "person_name": "李娜", "started_on": "2023-05-01"},
        follow=True,
    )
    assert LeaderAppointment.objects.get(person_name="张伟").ended_on == date(2023, 5, 1)
    assert LeaderAppointment.objects.get(person_name="李娜").ended_on is None
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[world.society.pk])
    assert "李娜" in client.get(url).content.decode()


def test_an_appointment_needs_a_name_and_a_position(world, login):
    response = login("county_staff").post(
        reverse("orgs:leader_appoint", args=[world.town_a.pk]),
        {"position": "", "person_name": "", "started_on": "2023-05-01"},
    )
    assert {"position", "person_name"} <= set(response.context["form"].errors)
    assert not LeaderAppointment.objects.exists()


def test_a_party_branch_covers_the_societies_ticked(world, login):
    branch = make_org(world.party_committee, Kind.PARTY_BRANCH, "联合党支部")
    second = make_org(world.city, Kind.SOCIETY, "示例市农学会")
    client = login("city_admin")
    url = reverse("orgs:party_coverage", args=[branch.pk])
    choices = set(client.get(url).context["form"].fields["covered"].queryset)
    assert {world.society, second} <= choices
    assert world.county_a not in choices
    response = client.post(url, {"covered": [world.society.pk, second.pk]}, follow=True)
    assert set(branch.covered_organizations.all()) == {world.society, second}
    assert response.redirect_chain[-1][0] == reverse("orgs:detail", args=[branch.pk])
    client.post(url, {"covered": [second.pk]})
    assert set(branch.covered_organizations.all()) == {second}
    assert AuditEvent.objects.filter(action="org.party_coverage", object_id=str(branch.pk)).count() == 2


def test_coverage_outside_the_users_scope_is_kept_when_they_save(world, login):
    branch = make_org(world.county_a, Kind.PARTY_BRANCH, "甲县联合党支部")
    county_society = make_org(world.county_a, Kind.SOCIETY, "甲县农学会")
    services.party_branch_set_coverage(actor=None, branch=branch, covered=[world.county_a, world.society])
    client = login("county_staff")
    client.post(reverse("orgs:party_coverage", args=[branch.pk]), {"covered": [county_society.pk]})
    assert set(branch.covered_organizations.all()) == {county_society, world.society}


def test_only_party_branches_have_a_coverage_page(world, login):
    assert login("city_admin").get(reverse("orgs:party_coverage", args=[world.society.pk])).status_code == 404
