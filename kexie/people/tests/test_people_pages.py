"""The people pages as each persona sees them: search, filters, profile, reveal, forms."""

import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.audit.models import AuditEvent
from kexie.orgs.models import Division
from kexie.people.models import Consent, Discipline, Person, Tag
from kexie.people.services.people import PersonData, id_number_of, mobile_of, person_anonymize, person_create

pytestmark = pytest.mark.django_db

CLEAR_ID, MASKED_ID = "11010519491231002X", "110105********002X"
CLEAR_MOBILE, MASKED_MOBILE = "13800138000", "138****8000"
NEW_ID = "110105198001010016"  # a valid number nobody holds yet


def names(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [person.name for person in response.context["page_obj"]]


def add(world, name, organization=None, **fields) -> Person:
    return person_create(
        actor=None, organization=organization or world.county_a, data=PersonData(name=name, **fields)
    )


@pytest.fixture
def crowd(world, talent):
    """张伟 (talent) and names that look like his, all kept by 甲县科协."""
    for name in ("张伟明", "王张伟", "章伟", "伟华"):
        add(world, name)
    return talent


def search(client, query, **filters):
    return client.get(reverse("people:list"), {"q": query, **filters})


# --- search -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["张伟", "張偉", "zhangwei", "zw"])
def test_the_exact_name_comes_first_however_it_is_typed(login, crowd, query):
    assert names(search(login("county_staff"), query))[0] == "张伟"


def test_one_character_ranks_names_starting_with_it_before_the_rest(login, crowd):
    client = login("county_staff")
    assert names(search(client, "张")) == ["张伟", "张伟明", "王张伟"]
    found = names(search(client, "伟"))
    assert found[0] == "伟华"
    assert set(found) == {"伟华", "王张伟", "张伟", "张伟明", "章伟"}


def test_a_list_without_a_query_is_sorted_by_pinyin(login, crowd):
    listed = names(login("county_staff").get(reverse("people:list")))
    assert listed == ["王张伟", "伟华", "张伟", "章伟", "张伟明"]


def test_the_search_box_comes_first_and_has_the_focus(login, talent):
    html = login("county_staff").get(reverse("people:list")).content.decode()
    assert 'name="q"' in html
    assert "autofocus" in html.split('name="q"')[1].split(">")[0]
    assert html.index('name="q"') < html.index('name="unit"')


def test_an_htmx_search_answers_with_the_table_only(login, crowd):
    response = login("county_staff").get(reverse("people:list"), {"q": "zw"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="people-table"' in html
    assert "共找到 3 人" in html
    assert response["Vary"].count("HX-Request") == 1


def test_nobody_found_says_so_with_the_query(login, talent):
    html = search(login("county_staff"), "诸葛").content.decode()
    assert "没有与“诸葛”及筛选条件相符的人员。" in html
    assert 'data-testid="people-table"' not in html


def test_a_sibling_county_finds_nobody_of_county_a(login, crowd):
    assert names(search(login("county_b_staff"), "张伟")) == []
    assert names(login("county_b_staff").get(reverse("people:list"))) == ["李娜"]


def test_the_society_secretary_sees_their_member_but_not_the_county_people(login, talent):
    client = login("society_secretary")
    assert names(client.get(reverse("people:list"))) == ["王芳芳"]
    assert client.get(reverse("people:detail", args=[talent.member.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[talent.person_a.pk])).status_code == 404


# --- filters ------------------------------------------------------------------------


@pytest.fixture
def profiled(world, talent):
    maths = Discipline.objects.get(code="110")
    add(
        world,
        "刘洋",
        gender="male",
        birth_date=date(1980, 5, 1),
        education="doctorate",
        title="教授",
        title_level="senior",
        discipline=maths,
        division=Division.objects.get(code="110105"),
        native_place=Division.objects.get(code="140400"),
        tags=[Tag.objects.get(code="phd")],
    )
    add(
        world,
        "陈静",
        gender="female",
        birth_date=date(2000, 1, 1),
        education="bachelor",
        title_level="junior",
    )
    return talent


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"tag": "expert"}, ["张伟"]),
        ({"tag": "phd"}, ["刘洋"]),
        ({"title_level": "senior"}, ["刘洋"]),
        ({"title": "教授"}, ["刘洋"]),
        ({"education": "bachelor"}, ["陈静"]),
        ({"gender": "female"}, ["陈静", "张伟"]),
        ({"division": "110000"}, ["刘洋"]),
        ({"native_place": "140400"}, ["刘洋"]),
        ({"age_min": "40", "age_max": "50"}, ["刘洋"]),
        ({"age_max": "30"}, ["陈静"]),
    ],
)
def test_filters_narrow_the_list(login, profiled, filters, expected):
    assert names(login("county_staff").get(reverse("people:list"), filters)) == expected


def test_a_discipline_category_finds_everyone_in_its_disciplines(login, profiled):
    category = Discipline.objects.get(code="110").parent
    assert names(login("county_staff").get(reverse("people:list"), {"discipline": category.pk})) == ["刘洋"]


def test_the_discipline_filter_groups_disciplines_under_their_category(login, talent):
    html = login("county_staff").get(reverse("people:list")).content.decode()
    assert '<optgroup label="自然科学">' in html
    assert "自然科学（全部）" in html


def test_the_unit_filter_shows_the_chosen_unit_and_finds_the_others_by_search(login, talent):
    client = login("county_staff")
    response = client.get(reverse("people:list"), {"unit": talent.unit_a.pk})
    assert names(response) == ["张伟"]
    html = response.content.decode()
    assert f'<option value="{talent.unit_a.pk}" selected>甲县人民医院</option>' in html
    assert 'aria-label="查找单位"' in html  # the select lists the choice only; the box finds units
    for query in ("甲县", "jiaxian", "jxrmyy"):
        options = client.get(reverse("people:unit_options"), {"find": query}).content.decode()
        assert f'<option value="{talent.unit_a.pk}">甲县人民医院</option>' in options, query


def test_the_unit_search_keeps_the_choice_and_says_when_nothing_matches(login, talent):
    client = login("county_staff")
    options = client.get(reverse("people:unit_options"), {"find": "没有这个单位", "unit": talent.unit_a.pk})
    html = options.content.decode()
    assert f'<option value="{talent.unit_a.pk}" selected>甲县人民医院</option>' in html
    assert "没有匹配的单位" in html


def test_the_unit_search_stops_at_its_limit_and_says_so(login, world, talent, monkeypatch):
    from kexie.people.services.units import UnitData, unit_create
    from kexie.people.views import units as unit_views

    for i in range(3):
        unit_create(actor=None, organization=world.county_a, data=UnitData(name=f"甲县第{i}中学"))
    monkeypatch.setattr(unit_views, "UNIT_OPTIONS", 2)
    html = login("county_staff").get(reverse("people:unit_options"), {"find": "甲县"}).content.decode()
    assert html.count("中学</option>") == 2
    assert "超过 2 个单位" in html


def test_units_outside_the_scope_are_neither_found_nor_filtered_by(login, talent):
    client = login("county_b_staff")
    options = client.get(reverse("people:unit_options"), {"find": "甲县", "unit": talent.unit_a.pk})
    assert "甲县人民医院" not in options.content.decode()
    response = client.get(reverse("people:list"), {"unit": talent.unit_a.pk})
    assert "您的范围内没有这个单位。" in response.content.decode()
    assert "甲县人民医院" not in response.content.decode()


def test_a_filter_that_is_not_understood_is_shown_and_ignored(login, profiled):
    response = login("county_staff").get(reverse("people:list"), {"age_min": "50", "age_max": "40"})
    assert "年龄上限小于下限。" in response.content.decode()
    assert names(response) == ["张伟"]  # 50 or older: the upper bound is ignored


def test_the_list_pages_by_25(login, world, talent):
    people = [PersonData(name=f"测试{i:02d}") for i in range(30)]
    for data in people:
        person_create(actor=None, organization=world.county_a, data=data)
    client = login("county_staff")
    first = client.get(reverse("people:list"))
    assert len(names(first)) == 25
    assert "正在统计" in first.content.decode()  # the total follows in its own request
    count = client.get(reverse("people:list_count")).content.decode()
    assert "共找到 31 人" in count and "第1页，共2页" in count and 'hx-swap-oob="true"' in count
    second = client.get(reverse("people:list"), {"page": 2})
    assert len(names(second)) == 6
    assert "第2页，共2页" in client.get(reverse("people:list_count"), {"page": 2}).content.decode()


def test_a_page_past_the_end_shows_the_last_page(login, world, talent):
    for i in range(30):
        person_create(actor=None, organization=world.county_a, data=PersonData(name=f"测试{i:02d}"))
    response = login("county_staff").get(reverse("people:list"), {"page": 9})
    assert len(names(response)) == 6 and response.context["page_obj"].number == 2


def test_the_count_is_of_the_filtered_list_in_scope(login, crowd):
    html = login("county_staff").get(reverse("people:list_count"), {"q": "zw"}).content.decode()
    assert "共找到 3 人" in html
    html = login("county_b_staff").get(reverse("people:list_count"), {"q": "zw"}).content.decode()
    assert "共找到 0 人" in html


# --- masking and buttons ------------------------------------------------------------


def test_the_list_masks_id_numbers_and_mobiles(login, talent):
    html = login("city_admin").get(reverse("people:list")).content.decode()
    assert MASKED_ID in html and MASKED_MOBILE in html
    assert CLEAR_ID not in html and CLEAR_MOBILE not in html


def test_staff_see_export_but_not_the_unmasking_buttons(login, talent):
    html = search(login("county_staff"), "张伟").content.decode()
    assert f'href="{reverse("people:export")}?q=%E5%BC%A0%E4%BC%9F"' in html
    assert 'data-testid="reveal-list-form"' not in html
    assert "kx-people-export-unmask" not in html


def test_an_organization_admin_may_reveal_and_export_in_full(login, talent):
    html = login("city_admin").get(reverse("people:list")).content.decode()
    assert 'data-testid="reveal-list-form"' in html
    assert 'id="kx-people-export-unmask"' in html


def test_a_viewer_can_neither_add_nor_save_a_search(login, talent):
    html = search(login("viewer"), "张伟").content.decode()
    assert reverse("people:create") not in html
    assert "/people/talent-lists/new/" not in html


def test_a_search_can_be_saved_as_a_talent_list(login, talent):
    html = (
        login("county_staff").get(reverse("people:list"), {"q": "张伟", "tag": "expert", "page": 2}).content
    )
    assert 'href="/people/talent-lists/new/?q=%E5%BC%A0%E4%BC%9F&amp;tag=expert"' in html.decode()


# --- the profile --------------------------------------------------------------------


def test_the_profile_shows_the_person_and_what_they_are_part_of(login, talent):
    html = login("county_staff").get(reverse("people:detail", args=[talent.person_a.pk])).content.decode()
    for text in (
        "张伟",
        "甲县人民医院",
        "专家",
        "甲县智慧农业团队",
        "青年科技奖",
        "甲县科协主席",
        "甲县专家库",
    ):
        assert text in html, text
    assert MASKED_ID in html and MASKED_MOBILE in html
    assert CLEAR_ID not in html
    assert f"{talent.person_a.age_on(timezone.localdate())} 岁" in html


def test_the_profile_shows_society_membership_and_board_seat(login, talent):
    html = login("society_secretary").get(reverse("people:detail", args=[talent.member.pk])).content.decode()
    assert "JSJ-001" in html
    assert "示例市计算机学会" in html
    assert "理事" in html


def test_the_profile_links_other_areas_with_their_paths(login, talent):
    pk = talent.person_a.pk
    html = login("city_admin").get(reverse("people:detail", args=[pk])).content.decode()
    for path in (
        f"/people/honours/new/?person={pk}",
        f"/people/visits/new/?person={pk}",
        f"/people/{pk}/consents/new/",
        f"/people/{pk}/anonymize/",
    ):
        assert path in html, path


def test_a_viewer_sees_the_profile_without_edit_buttons(login, talent):
    html = login("viewer").get(reverse("people:detail", args=[talent.person_a.pk])).content.decode()
    assert reverse("people:update", args=[talent.person_a.pk]) not in html
    assert 'data-testid="reveal-form"' not in html


def test_a_sibling_county_gets_404_for_the_profile(login, talent):
    response = login("county_b_staff").get(reverse("people:detail", args=[talent.person_a.pk]))
    assert response.status_code == 404


def test_a_child_without_a_guardians_consent_is_flagged(login, world, talent):
    child = add(world, "赵小明", birth_date=timezone.localdate() - relativedelta(years=10))
    client = login("county_staff")
    html = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "未满14周岁，缺少监护人同意" in html
    Consent.objects.create(
        person=child,
        purpose=Consent.Purpose.TALENT_POOL,
        notice="入库告知书",
        method=Consent.Method.PAPER,
        given_on=timezone.localdate(),
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="赵大明",
    )
    html = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "未满14周岁，缺少监护人同意" not in html
    assert "赵大明" in html


def test_an_anonymized_person_shows_a_banner_and_no_edit_buttons(login, talent):
    person_anonymize(actor=None, person=talent.person_a, reason="本人申请")
    client = login("city_admin")
    html = client.get(reverse("people:detail", args=[talent.person_a.pk])).content.decode()
    assert 'data-testid="anonymized-banner"' in html
    assert 'data-testid="person-actions"' not in html
    response = client.get(reverse("people:update", args=[talent.person_a.pk]), follow=True)
    assert "该人员信息已匿名化，不能再修改。" in response.content.decode()
    assert names(client.get(reverse("people:list"))) == ["李娜", "王芳芳"]


# --- reveal -------------------------------------------------------------------------


def test_revealing_with_a_reason_shows_the_clear_values_and_is_audited(login, talent):
    url = reverse("people:reveal", args=[talent.person_a.pk])
    response = login("city_admin").post(url, {"reason": "核对表彰申报材料"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert CLEAR_ID in html and CLEAR_MOBILE in html
    assert "<html" not in html
    event = AuditEvent.objects.get(action="person.unmask")
    assert event.detail["reason"] == "核对表彰申报材料"
    assert event.object_id == str(talent.person_a.pk)


def test_revealing_without_a_reason_shows_nothing_and_asks_for_one(login, talent):
    url = reverse("people:reveal", args=[talent.person_a.pk])
    response = login("city_admin").post(url, {"reason": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert gettext("Give the reason for viewing the full personal data.") in html
    assert CLEAR_ID not in html
    assert not AuditEvent.objects.filter(action="person.unmask").exists()


def test_revealing_without_htmx_renders_the_profile_with_the_clear_values(login, talent):
    url = reverse("people:reveal", args=[talent.person_a.pk])
    response = login("city_admin").post(url, {"reason": "电话回访"})
    assert response.status_code == 200
    assert CLEAR_MOBILE in response.content.decode()
    assert "青年科技奖" in response.content.decode()


def test_staff_without_the_unmask_permission_get_403_on_reveal(login, talent):
    url = reverse("people:reveal", args=[talent.person_a.pk])
    response = login("county_staff").post(url, {"reason": "想看看"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="person.unmask").exists()


def test_a_sibling_county_gets_404_on_reveal(login, talent):
    url = reverse("people:reveal", args=[talent.person_a.pk])
    assert login("county_b_staff").post(url, {"reason": "想看看"}).status_code == 404


def test_revealing_the_list_shows_the_current_page_in_full_and_is_audited(login, crowd):
    response = login("city_admin").post(
        reverse("people:reveal_list"), {"q": "张伟", "reason": "年度专家联络"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CLEAR_ID in html and CLEAR_MOBILE in html
    assert names(response) == ["张伟", "张伟明", "王张伟"]
    event = AuditEvent.objects.get(action="person.unmask")
    assert event.detail["reason"] == "年度专家联络"
    assert event.detail["where"] == "people:list"
    assert event.detail["people"] == [p.pk for p in response.context["page_obj"]]  # the page shown


def test_revealing_the_list_needs_a_reason(login, talent):
    response = login("city_admin").post(reverse("people:reveal_list"), {"q": "张伟"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert CLEAR_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.unmask").exists()


def test_staff_get_403_on_revealing_the_list(login, talent):
    response = login("county_staff").post(reverse("people:reveal_list"), {"reason": "核对"})
    assert response.status_code == 403


# --- create and edit ----------------------------------------------------------------


def test_staff_register_a_person_in_their_own_organization(login, world, talent):
    response = login("county_staff").post(
        reverse("people:create"),
        {
            "name": "孙悦",
            "id_number": NEW_ID,
            "mobile": "139 1234 5678",
            "unit": talent.unit_a.pk,
            "tags": [Tag.objects.get(code="expert").pk],
            "division": "110105",
        },
    )
    person = Person.objects.get(name="孙悦")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.organization == world.county_a
    assert (person.birth_date, person.gender) == (date(1980, 1, 1), "male")
    assert (id_number_of(person), mobile_of(person)) == (NEW_ID, "13912345678")
    assert person.division_id == "110105"
    assert list(person.tags.values_list("code", flat=True)) == ["expert"]
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()


def test_an_admin_may_file_the_person_under_a_county(login, world, talent):
    login("city_admin").post(reverse("people:create"), {"name": "孙悦", "organization": world.county_b.pk})
    assert Person.objects.get(name="孙悦").organization == world.county_b


def test_staff_cannot_file_a_person_outside_their_scope(login, world, talent):
    response = login("county_staff").post(
        reverse("people:create"), {"name": "孙悦", "organization": world.county_b.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not Person.objects.filter(name="孙悦").exists()


def test_a_wrong_check_digit_is_shown_next_to_the_id_number_and_nothing_is_saved(login, talent):
    response = login("county_staff").post(
        reverse("people:create"), {"name": "孙悦", "id_number": "110105198001010018"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    field = html.split('id="kx-field-id_number"')[1].split('id="kx-field-mobile"')[0]
    assert "身份证号“110105198001010018”的校验码不正确。" in field
    assert not Person.objects.filter(name="孙悦").exists()


def test_a_rule_of_the_service_is_shown_on_its_field(login, talent):
    response = login("county_staff").post(
        reverse("people:create"), {"name": "孙悦", "id_number": NEW_ID, "birth_date": "1981-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    assert not Person.objects.filter(name="孙悦").exists()


def test_an_id_number_already_registered_is_refused_on_its_field(login, talent):
    response = login("county_staff").post(reverse("people:create"), {"name": "孙悦", "id_number": CLEAR_ID})
    assert response.context["form"].errors["id_number"] == [
        gettext("This ID number is already registered to another person.")
    ]


def test_an_unknown_division_code_is_refused(login, talent):
    response = login("county_staff").post(reverse("people:create"), {"name": "孙悦", "division": "999999"})
    assert response.context["form"].errors["division"]
    assert not Person.objects.filter(name="孙悦").exists()


def test_a_field_is_checked_when_it_is_left_without_saving(login, talent):
    client = login("county_staff")
    bad = client.post(
        reverse("people:create"),
        {"name": "孙悦", "id_number": "110105198001010018", "_validate": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "校验码不正确" in bad.content.decode()
    good = client.post(
        reverse("people:create"),
        {"name": "孙悦", "id_number": NEW_ID, "_validate": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 200
    assert not good.context["form"].errors
    assert not Person.objects.filter(name="孙悦").exists()


def test_the_discipline_select_groups_disciplines_by_category(login, talent):
    html = login("county_staff").get(reverse("people:create")).content.decode()
    assert '<optgroup label="自然科学">' in html


def test_the_edit_form_never_holds_the_clear_identifiers(login, talent):
    response = login("county_staff").get(reverse("people:update", args=[talent.person_a.pk]))
    html = response.content.decode()
    assert CLEAR_ID not in html and CLEAR_MOBILE not in html
    assert MASKED_ID in html and MASKED_MOBILE in html
    assert 'value="张伟"' in html


def test_editing_with_empty_identifier_inputs_keeps_them(login, talent):
    person = talent.person_a
    response = login("county_staff").post(
        reverse("people:update", args=[person.pk]),
        {
            "name": "张伟",
            "title": "主任医师",
            "unit": talent.unit_a.pk,
            "tags": [Tag.objects.get(code="expert").pk],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "主任医师"
    assert (id_number_of(person), mobile_of(person)) == (CLEAR_ID, CLEAR_MOBILE)
    event = AuditEvent.objects.get(action="person.update")
    assert set(event.changes) == {"title"}


def test_a_typed_mobile_replaces_the_stored_one(login, talent):
    person = talent.person_a
    login("county_staff").post(
        reverse("people:update", args=[person.pk]), {"name": "张伟", "mobile": "13700137000"}
    )
    person.refresh_from_db()
    assert (id_number_of(person), mobile_of(person)) == (CLEAR_ID, "13700137000")


def test_a_stored_mobile_can_be_removed(login, talent):
    person = talent.person_a
    login("county_staff").post(
        reverse("people:update", args=[person.pk]), {"name": "张伟", "remove_mobile": "on"}
    )
    person.refresh_from_db()
    assert (person.mobile_masked, mobile_of(person)) == ("", "")


def test_editing_with_a_wrong_check_digit_changes_nothing(login, talent):
    person = talent.person_a
    response = login("county_staff").post(
        reverse("people:update", args=[person.pk]), {"name": "张伟改", "id_number": "110105198001010018"}
    )
    assert response.status_code == 200
    assert "身份证号“110105198001010018”的校验码不正确。" in response.content.decode()
    person.refresh_from_db()
    assert (person.name, id_number_of(person)) == ("张伟", CLEAR_ID)


def test_a_viewer_gets_403_on_the_forms(login, talent):
    client = login("viewer")
    assert client.get(reverse("people:create")).status_code == 403
    assert client.get(reverse("people:update", args=[talent.person_a.pk])).status_code == 403


def test_a_sibling_county_gets_404_on_editing(login, talent):
    response = login("county_b_staff").post(
        reverse("people:update", args=[talent.person_a.pk]), {"name": "改"}
    )
    assert response.status_code == 404
    talent.person_a.refresh_from_db()
    assert talent.person_a.name == "张伟"


def test_a_count_past_the_limit_says_more_than(login, world, talent, monkeypatch):
    from kexie.people.views import people as views

    monkeypatch.setattr(views, "COUNT_LIMIT", 5)
    for i in range(6):
        person_create(actor=None, organization=world.county_a, data=PersonData(name=f"测试{i}"))
    html = login("county_staff").get(reverse("people:list_count")).content.decode()
    assert "超过 5 人" in html and "共找到" not in html
    monkeypatch.setattr(views, "COUNT_LIMIT", 7)  # 张伟 and the six: exactly seven
    assert "共找到 7 人" in login("county_staff").get(reverse("people:list_count")).content.decode()


def test_a_filtered_count_of_a_large_scope_says_at_least_and_counts_all_on_request(
    login, world, talent, monkeypatch
):
    from kexie.people.views import people as views

    monkeypatch.setattr(views, "COUNT_SCAN", 3)
    for i in range(8):  # six women, two men; and 张伟, a woman (her ID number says so)
        gender = "female" if i < 6 else "male"
        person_create(
            actor=None, organization=world.county_a, data=PersonData(name=f"测试{i}", gender=gender)
        )
    client = login("county_staff")
    html = client.get(reverse("people:list_count"), {"gender": "female"}).content.decode()
    assert "至少找到" in html and "共找到" not in html
    assert "第1页" not in html  # no numbered pages from a partial count: prev/next stay
    link = re.search(r'href="([^"]*exact=1[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "gender=female" in link
    assert "共找到 7 人" in client.get(link).content.decode()
    # Unfiltered, the scope is an index range: counted exactly whatever the scan.
    assert "共找到 9 人" in client.get(reverse("people:list_count")).content.decode()


def test_the_person_form_shows_the_unit_chosen_and_saves_another_found_by_search(login, world, talent):
    from kexie.people.services.units import UnitData, unit_create

    other = unit_create(actor=None, organization=world.county_a, data=UnitData(name="甲县第一中学"))
    client = login("county_staff")
    html = client.get(reverse("people:update", args=[talent.person_a.pk])).content.decode()
    assert f'<option value="{talent.unit_a.pk}" selected>甲县人民医院</option>' in html
    assert "甲县第一中学" not in html  # found by the search box, not listed up front
    options = client.get(reverse("people:unit_options"), {"find": "jxdy", "blank": "none"}).content.decode()
    assert '<option value="">---------</option>' in options and f'value="{other.pk}"' in options
