"""Society rosters: admitting members, dues, board positions, scope and the roster export."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.testing import make_org
from kexie.orgs import services as org_services
from kexie.orgs.models import Kind
from kexie.people.models import BoardRole, BoardSeat, DuesPayment, MemberStatus, SocietyMembership
from kexie.people.services import members as services
from kexie.people.services.people import PersonData, person_anonymize, person_create
from kexie.people.services.units import UnitData, unit_create

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def society_person(world, name="陈静", **fields):
    """A person kept by the society (so in its secretary's scope), not yet a member."""
    return person_create(actor=None, organization=world.society, data=PersonData(name=name, **fields))


def roster_url(world) -> str:
    return reverse("people:roster", args=[world.society.pk])


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    book = openpyxl.load_workbook(BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


# --- societies and rosters -----------------------------------------------------------------


def test_the_society_list_shows_active_individual_and_institutional_members(world, talent, login):
    response = login("city_admin").get(reverse("people:society_list"))
    (society,) = response.context["page_obj"]
    assert society == world.society
    assert (society.individual_count, society.institutional_count) == (1, 1)
    assert "示例市计算机学会" in response.content.decode()


def test_county_staff_have_no_society_in_their_scope(world, talent, login):
    assert list(login("county_staff").get(reverse("people:society_list")).context["page_obj"]) == []


def test_the_secretary_sees_the_roster_with_masked_mobiles_this_years_dues_and_the_board(
    world, talent, login
):
    person_update_mobile = society_person(world, name="周强", mobile="13600136000")
    services.membership_create(
        actor=None,
        society=world.society,
        person=person_update_mobile,
        data=services.MembershipData(date(2022, 1, 1)),
    )
    response = login("society_secretary").get(roster_url(world))
    content = response.content.decode()
    assert response.status_code == 200
    assert {m.member_name for m in response.context["page_obj"]} == {"王芳芳", "甲县人民医院", "周强"}
    assert "136****6000" in content
    assert "13600136000" not in content
    assert "未缴" in content  # nobody paid this year yet
    assert [seat.person.name for seat in response.context["seats"]] == ["王芳芳"]


def test_the_roster_filters_by_member_type_status_and_search(world, talent, login):
    client = login("society_secretary")
    units = client.get(roster_url(world), {"type": "institutional"}).context["page_obj"]
    assert [m.member_name for m in units] == ["甲县人民医院"]
    found = client.get(roster_url(world), {"q": "wff"}).context["page_obj"]
    assert [m.member_name for m in found] == ["王芳芳"]
    by_number = client.get(roster_url(world), {"q": "JSJ-D"}).context["page_obj"]
    assert [m.member_name for m in by_number] == ["甲县人民医院"]
    assert list(client.get(roster_url(world), {"status": MemberStatus.LEFT}).context["page_obj"]) == []


def test_anonymized_people_leave_the_roster(world, talent, login):
    person_anonymize(actor=None, person=talent.member, reason="本人申请删除")
    listed = login("society_secretary").get(roster_url(world)).context["page_obj"]
    assert [m.member_name for m in listed] == ["甲县人民医院"]


def test_only_bodies_with_members_have_a_roster(world, login):
    assert login("city_admin").get(reverse("people:roster", args=[world.county_a.pk])).status_code == 404


def test_a_secretary_manages_only_their_own_society(world, talent, login):
    other = make_org(world.city, Kind.SOCIETY, "示例市农学会")
    client = login("society_secretary")
    assert client.get(reverse("people:roster", args=[other.pk])).status_code == 404
    assert client.get(reverse("people:member_create", args=[other.pk])).status_code == 404
    assert [s.name for s in client.get(reverse("people:society_list")).context["page_obj"]] == [
        "示例市计算机学会"
    ]


def test_county_staff_get_404_for_the_city_societys_roster_and_memberships(world, talent, login):
    client = login("county_staff")
    assert client.get(roster_url(world)).status_code == 404
    assert client.get(reverse("people:dues_record", args=[talent.membership.pk])).status_code == 404
    assert client.post(reverse("people:seat_end", args=[talent.seat.pk])).status_code == 404


# --- admitting members ---------------------------------------------------------------------


def test_the_secretary_admits_an_existing_person_found_by_the_search(world, talent, login):
    person = society_person(world, mobile="13500135000")
    client = login("society_secretary")
    url = reverse("people:member_create", args=[world.society.pk])
    results = client.get(url, {"q": "陈"}, HTTP_HX_REQUEST="true").content.decode()
    assert "陈静" in results
    assert "135****5000" in results
    response = client.post(
        url,
        {"type": "individual", "person": person.pk, "number": "JSJ-002", "joined_on": "2024-05-01"},
        follow=True,
    )
    membership = SocietyMembership.objects.get(society=world.society, person=person)
    assert (membership.number, membership.status) == ("JSJ-002", MemberStatus.ACTIVE)
    assert response.redirect_chain[-1][0] == roster_url(world)
    assert "陈静" in response.content.decode()
    event = AuditEvent.objects.get(action="member.create", object_id=str(membership.pk))
    assert event.org_path == world.society.path


def test_people_already_on_the_roster_are_marked_in_the_search(world, talent, login):
    url = reverse("people:member_create", args=[world.society.pk])
    results = login("society_secretary").get(url, {"q": "王芳芳"}, HTTP_HX_REQUEST="true").content.decode()
    assert "已是会员" in results
    assert "disabled" in results


def test_a_duplicate_membership_number_is_shown_on_the_number_field(world, talent, login):
    person = society_person(world)
    response = login("society_secretary").post(
        reverse("people:member_create", args=[world.society.pk]),
        {"type": "individual", "person": person.pk, "number": "JSJ-001", "joined_on": "2024-05-01"},
    )
    assert response.status_code == 200
    error = response.context["form"].errors["number"][0]
    assert "JSJ-001" in error
    assert "会员编号" in error
    assert not SocietyMembership.objects.filter(person=person).exists()


def test_a_member_is_not_admitted_twice(world, talent):
    with pytest.raises(DomainError) as caught:
        services.membership_create(
            actor=None,
            society=world.society,
            person=talent.member,
            data=services.MembershipData(date(2024, 1, 1)),
        )
    assert caught.value.field == "person"
    assert "王芳芳" in caught.value.message


def test_a_minor_without_guardian_consent_cannot_be_admitted_and_the_error_is_in_chinese(
    world, talent, login
):
    child = society_person(world, name="小红", birth_date=timezone.localdate() - relativedelta(years=12))
    response = login("society_secretary").post(
        reverse("people:member_create", args=[world.society.pk]),
        {"type": "individual", "person": child.pk, "joined_on": "2024-05-01"},
    )
    assert response.status_code == 200
    assert "小红未满14周岁" in response.content.decode()
    assert not SocietyMembership.objects.filter(person=child).exists()


def test_a_person_outside_the_secretarys_scope_cannot_be_admitted(world, talent, login):
    response = login("society_secretary").post(
        reverse("people:member_create", args=[world.society.pk]),
        {"type": "individual", "person": talent.person_b.pk, "joined_on": "2024-05-01"},
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not SocietyMembership.objects.filter(person=talent.person_b).exists()


def test_a_unit_is_admitted_as_an_institutional_member(world, talent, login):
    unit = unit_create(actor=None, organization=world.society, data=UnitData(name="示例软件有限公司"))
    client = login("society_secretary")
    url = reverse("people:member_create", args=[world.society.pk])
    results = client.get(
        url, {"type": "institutional", "q": "shili"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "示例软件有限公司" in results
    client.post(
        url, {"type": "institutional", "unit": unit.pk, "number": "JSJ-D02", "joined_on": "2024-01-01"}
    )
    membership = SocietyMembership.objects.get(unit=unit)
    assert membership.is_institutional
    assert membership.society == world.society


def test_only_societies_and_similar_bodies_admit_members(world, talent):
    with pytest.raises(DomainError):
        services.membership_create(
            actor=None,
            society=world.county_a,
            person=talent.person_a,
            data=services.MembershipData(date(2024, 1, 1)),
        )


# --- editing and ending memberships --------------------------------------------------------


def test_the_secretary_edits_a_membership_and_the_audit_keeps_old_and_new(world, talent, login):
    response = login("society_secretary").post(
        reverse("people:member_update", args=[talent.membership.pk]),
        {"number": "JSJ-101", "joined_on": "2020-03-01", "status": MemberStatus.SUSPENDED, "note": "暂停"},
    )
    assert response.status_code == 302
    talent.membership.refresh_from_db()
    assert talent.membership.status == MemberStatus.SUSPENDED
    event = AuditEvent.objects.get(action="member.update")
    assert event.changes["number"] == ["JSJ-001", "JSJ-101"]


def test_ending_a_membership_records_the_date_and_it_can_be_reopened(world, talent, login):
    client = login("society_secretary")
    client.post(
        reverse("people:member_end", args=[talent.membership.pk]),
        {"left_on": "2025-01-01", "status": MemberStatus.LEFT},
    )
    talent.membership.refresh_from_db()
    assert (talent.membership.status, talent.membership.left_on) == (MemberStatus.LEFT, date(2025, 1, 1))
    assert AuditEvent.objects.filter(action="member.end", object_id=str(talent.membership.pk)).exists()
    services.membership_update(
        actor=None,
        membership=talent.membership,
        data=services.MembershipData(date(2020, 3, 1), number="JSJ-001", status=MemberStatus.ACTIVE),
    )
    talent.membership.refresh_from_db()
    assert (talent.membership.status, talent.membership.left_on) == (MemberStatus.ACTIVE, None)


def test_a_membership_cannot_end_before_it_began(world, talent):
    with pytest.raises(DomainError) as caught:
        services.membership_end(actor=None, membership=talent.membership, left_on=date(2019, 1, 1))
    assert caught.value.field == "left_on"


# --- dues ----------------------------------------------------------------------------------


def test_the_secretary_records_dues_for_the_year_and_the_roster_shows_them_paid(world, talent, login):
    client = login("society_secretary")
    url = reverse("people:dues_record", args=[talent.membership.pk])
    response = client.post(
        url,
        {
            "year": THIS_YEAR,
            "amount": "200",
            "paid_on": timezone.localdate().isoformat(),
            "receipt_number": "R-1",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "R-1" in response.content.decode()
    assert DuesPayment.objects.get(membership=talent.membership, year=THIS_YEAR).amount == Decimal("200.00")
    listed = {m.member_name: m.dues_paid for m in client.get(roster_url(world)).context["page_obj"]}
    assert listed == {"王芳芳": Decimal("200.00"), "甲县人民医院": None}
    event = AuditEvent.objects.get(action="member.dues")
    assert event.org_path == world.society.path
    assert event.detail["year"] == THIS_YEAR


def test_recording_a_year_again_corrects_it_and_the_audit_keeps_old_and_new(world, talent):
    paid_on = date(2024, 3, 1)
    services.dues_record(
        actor=None, membership=talent.membership, year=2024, amount=Decimal(100), paid_on=paid_on
    )
    services.dues_record(
        actor=None, membership=talent.membership, year=2024, amount=Decimal(150), paid_on=paid_on
    )
    assert DuesPayment.objects.get(membership=talent.membership, year=2024).amount == Decimal("150.00")
    corrected = AuditEvent.objects.filter(action="member.dues").order_by("pk").last()
    assert corrected.changes["amount"] == ["100.00", "150.00"]


def test_dues_before_the_member_joined_are_refused_on_the_year_field(world, talent, login):
    response = login("society_secretary").post(
        reverse("people:dues_record", args=[talent.membership.pk]),
        {"year": 2019, "amount": "100", "paid_on": "2024-01-01"},
    )
    assert "2020" in response.context["form"].errors["year"][0]


def test_a_read_only_viewer_sees_the_dues_but_cannot_record_them(world, talent, login):
    client = login("viewer")
    url = reverse("people:dues_record", args=[talent.membership.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"year": THIS_YEAR, "amount": "1", "paid_on": "2024-01-01"}).status_code == 403


# --- board positions -----------------------------------------------------------------------


def test_the_secretary_assigns_a_standing_council_position_on_the_current_term(world, talent, login):
    person = society_person(world)
    client = login("society_secretary")
    url = reverse("people:seat_create", args=[world.society.pk])
    assert "本届为第1届理事会" in client.get(url).content.decode()
    response = client.post(
        url,
        {"person": person.pk, "role": BoardRole.STANDING_COUNCIL, "started_on": "2024-01-01"},
        follow=True,
    )
    seat = BoardSeat.objects.get(person=person)
    assert seat.board_term == world.society.board_terms.get(ended_on__isnull=True)
    assert seat.role == BoardRole.STANDING_COUNCIL
    assert "常务理事" in response.content.decode()
    assert AuditEvent.objects.get(action="board_seat.assign").org_path == world.society.path


def test_the_same_position_twice_is_refused_on_the_role_field(world, talent, login):
    response = login("society_secretary").post(
        reverse("people:seat_create", args=[world.society.pk]),
        {"person": talent.member.pk, "role": BoardRole.COUNCIL, "started_on": "2024-01-01"},
    )
    assert "王芳芳" in response.context["form"].errors["role"][0]


def test_a_board_has_one_chair_at_a_time(world, talent):
    term = world.society.board_terms.get(ended_on__isnull=True)
    services.seat_assign(
        actor=None, board_term=term, person=talent.member, role=BoardRole.CHAIR, started_on=date(2020, 1, 1)
    )
    with pytest.raises(DomainError) as caught:
        services.seat_assign(
            actor=None,
            board_term=term,
            person=society_person(world),
            role=BoardRole.CHAIR,
            started_on=date(2021, 1, 1),
        )
    assert caught.value.field == "role"


def test_positions_are_only_assigned_on_the_current_term(world, talent):
    old_term = world.society.board_terms.get(ended_on__isnull=True)
    org_services.board_term_start(actor=None, organization=world.society, started_on=date(2021, 6, 1))
    old_term.refresh_from_db()
    with pytest.raises(DomainError):
        services.seat_assign(
            actor=None,
            board_term=old_term,
            person=talent.member,
            role=BoardRole.SUPERVISOR,
            started_on=date(2020, 1, 1),
        )


def test_without_a_board_term_the_position_page_explains_one_must_be_recorded_first(world, login):
    other = make_org(world.city, Kind.SOCIETY, "示例市农学会")
    response = login("city_admin").get(reverse("people:seat_create", args=[other.pk]))
    assert response.status_code == 200
    assert response.context["term"] is None
    assert 'data-testid="no-term"' in response.content.decode()
    assert 'data-testid="seat-form"' not in response.content.decode()


def test_ending_a_position_removes_it_from_the_current_board(world, talent, login):
    client = login("society_secretary")
    client.post(
        reverse("people:seat_end", args=[talent.seat.pk]), {"ended_on": timezone.localdate().isoformat()}
    )
    talent.seat.refresh_from_db()
    assert talent.seat.ended_on == timezone.localdate()
    assert client.get(roster_url(world)).context["seats"] == []
    assert AuditEvent.objects.filter(action="board_seat.end", object_id=str(talent.seat.pk)).exists()


# --- the roster export ---------------------------------------------------------------------


def test_the_roster_export_has_masked_mobiles_only_and_is_audited(world, talent, login):
    person = society_person(world, name="周强", mobile="13600136000")
    membership = services.membership_create(
        actor=None,
        society=world.society,
        person=person,
        data=services.MembershipData(date(2022, 1, 1), number="JSJ-003"),
    )
    services.dues_record(
        actor=None, membership=membership, year=THIS_YEAR, amount=Decimal(80), paid_on=timezone.localdate()
    )
    rows = sheet_rows(
        login("society_secretary").get(reverse("people:roster_export", args=[world.society.pk]))
    )
    assert rows[0][0] == "会员编号"
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"JSJ-001", "JSJ-D01", "JSJ-003"}
    assert "136****6000" in by_number["JSJ-003"]
    assert not any("13600136000" in str(cell) for row in rows for cell in row)
    assert 80 in by_number["JSJ-003"]
    assert "理事" in str(by_number["JSJ-001"])
    event = AuditEvent.objects.get(action="member.export")
    assert (event.detail["rows"], event.org_path) == (3, world.society.path)
