"""Consents, the rule for children under 14, anonymizing and portal accounts, as staff see them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.scoping import resolve_scope
from kexie.people.models import Consent, Discipline, PersonStatus, TitleLevel
from kexie.people.selectors import statistics
from kexie.people.selectors.people import PersonFilter, person_list
from kexie.people.services.people import PersonData, person_create, require_usable
from kexie.people.services.privacy import (
    ConsentData,
    consent_record,
    consent_withdraw,
    portal_account_create,
)

pytestmark = pytest.mark.django_db


def scope_of(user):
    class _Request:
        pass

    request = _Request()
    request.user = user
    return resolve_scope(request)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def guardian_consent(**changes) -> ConsentData:
    fields = {
        "purpose": Consent.Purpose.ACTIVITIES,
        "notice": "青少年科技活动个人信息告知书（2025版）",
        "method": Consent.Method.PAPER,
        "given_on": date(2025, 3, 1),
        "given_by": Consent.GivenBy.GUARDIAN,
        "guardian_name": "赵强",
        "guardian_relation": "父亲",
    }
    return ConsentData(**{**fields, **changes})


@pytest.fixture
def child(world):
    """A pupil born in 2015: under 14 until 2029."""
    return person_create(
        actor=None, organization=world.county_a, data=PersonData(name="赵小明", birth_date=date(2015, 6, 1))
    )


# --- the rule for children under 14 ------------------------------------------------------------


def test_a_child_without_a_guardians_consent_cannot_be_used(child):
    with pytest.raises(DomainError, match="14"):
        require_usable(child)


def test_a_guardians_consent_makes_the_child_usable_and_withdrawing_it_stops_that(world, child):
    consent = consent_record(actor=world.users["county_staff"], person=child, data=guardian_consent())
    require_usable(child)  # no error
    consent_withdraw(actor=world.users["county_staff"], consent=consent, withdrawn_on=date(2025, 9, 1))
    with pytest.raises(DomainError):
        require_usable(child)


def test_a_child_cannot_consent_for_themselves(child):
    data = guardian_consent(given_by=Consent.GivenBy.SELF, guardian_name="", guardian_relation="")
    with pytest.raises(DomainError) as error:
        consent_record(actor=None, person=child, data=data)
    assert error.value.field == "given_by"
    assert "只有监护人" in str(error.value)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"guardian_name": ""}, "guardian_name"),
        ({"guardian_relation": " "}, "guardian_relation"),
        ({"purpose": "marketing"}, "purpose"),
        ({"method": "telepathy"}, "method"),
        ({"notice": ""}, "notice"),
        ({"given_on": None}, "given_on"),
    ],
)
def test_an_incomplete_consent_is_refused_on_the_field_at_fault(child, changes, field):
    with pytest.raises(DomainError) as error:
        consent_record(actor=None, person=child, data=guardian_consent(**changes))
    assert error.value.field == field
    assert not Consent.objects.exists()


def test_a_consent_dated_in_the_future_is_refused(talent):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = guardian_consent(given_by=Consent.GivenBy.SELF, given_on=tomorrow)
    with pytest.raises(DomainError) as error:
        consent_record(actor=None, person=talent.person_a, data=data)
    assert str(error.value) == "同意日期不能晚于今天。"


def test_an_adults_own_consent_keeps_no_guardian(talent):
    data = guardian_consent(given_by=Consent.GivenBy.SELF)
    consent = consent_record(actor=None, person=talent.person_a, data=data)
    assert (consent.guardian_name, consent.guardian_relation) == ("", "")


def test_a_consent_cannot_be_withdrawn_twice_or_before_it_was_given(world, child):
    consent = consent_record(actor=None, person=child, data=guardian_consent())
    with pytest.raises(DomainError) as error:
        consent_withdraw(actor=None, consent=consent, withdrawn_on=date(2025, 2, 1))
    assert error.value.field == "withdrawn_on"
    consent_withdraw(actor=None, consent=consent, withdrawn_on=date(2025, 4, 1))
    with pytest.raises(DomainError, match="2025-04-01"):
        consent_withdraw(actor=None, consent=consent, withdrawn_on=date(2025, 5, 1))


# --- the consent pages ---------------------------------------------------------------------------


def test_staff_record_a_guardians_consent_on_the_consent_page(login, child):
    client = login("county_staff")
    page = client.get(reverse("people:consent_create", args=[child.pk]))
    assert page.status_code == 200
    assert "未满14周岁" in page.content.decode()
    response = client.post(
        reverse("people:consent_create", args=[child.pk]),
        {
            "purpose": "activities",
            "notice": "青少年科技活动个人信息告知书（2025版）",
            "method": "paper",
            "given_on": "2025-03-01",
            "given_by": "guardian",
            "guardian_name": "赵强",
            "guardian_relation": "父亲",
        },
        follow=True,
    )
    assert "赵小明对“活动与竞赛”的同意已记录。" in messages_of(response)
    consent = child.consents.get()
    assert (consent.guardian_name, consent.recorded_by.username) == ("赵强", "county_staff")
    event = AuditEvent.objects.get(action="consent.record")
    assert event.object_id == str(child.pk)
    assert event.detail["consent"] == consent.pk
    require_usable(child)


def test_a_guardian_consent_without_the_guardians_name_shows_the_error_on_the_field(login, child):
    response = login("county_staff").post(
        reverse("people:consent_create", args=[child.pk]),
        {
            "purpose": "activities",
            "notice": "告知书",
            "method": "paper",
            "given_on": "2025-03-01",
            "given_by": "guardian",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["guardian_name"] == ["请填写表示同意的监护人姓名。"]


def test_staff_withdraw_a_consent(login, child):
    consent = consent_record(actor=None, person=child, data=guardian_consent())
    response = login("county_staff").post(
        reverse("people:consent_withdraw", args=[consent.pk]), {"withdrawn_on": "2025-06-30"}, follow=True
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2025, 6, 30)
    assert "已记录为于2025-06-30撤回" in messages_of(response)[0]
    assert AuditEvent.objects.filter(action="consent.withdraw", object_id=str(child.pk)).exists()


def test_another_countys_staff_cannot_see_or_withdraw_the_consents(login, child):
    consent = consent_record(actor=None, person=child, data=guardian_consent())
    client = login("county_b_staff")
    assert client.get(reverse("people:consent_create", args=[child.pk])).status_code == 404
    response = client.post(
        reverse("people:consent_withdraw", args=[consent.pk]), {"withdrawn_on": "2025-06-30"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_read_only_viewer_cannot_record_consents(login, child):
    assert login("viewer").get(reverse("people:consent_create", args=[child.pk])).status_code == 403


# --- anonymizing ---------------------------------------------------------------------------------


@pytest.fixture
def profiled(world, talent):
    """张伟 with a title level and a discipline, so that the figures have something to keep."""
    from kexie.people.services.people import person_data_from, person_update

    data = person_data_from(talent.person_a)
    data.title_level = TitleLevel.SENIOR
    data.discipline = Discipline.objects.get(code="120")
    person_update(actor=None, person=talent.person_a, data=data)
    return talent


def test_an_administrator_is_asked_to_confirm_with_a_reason(login, talent):
    page = login("city_admin").get(reverse("people:anonymize", args=[talent.person_a.pk]))
    assert page.status_code == 200
    assert "不可撤销" in page.content.decode()
    response = login("city_admin").post(
        reverse("people:anonymize", args=[talent.person_a.pk]), {"confirm": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    talent.person_a.refresh_from_db()
    assert talent.person_a.status == PersonStatus.ACTIVE


def test_an_anonymized_person_leaves_search_but_the_statistics_stay(world, login, profiled):
    person = profiled.person_a
    scope = scope_of(world.users["city_admin"])
    by_title = statistics.people_by_title_level(scope=scope)
    by_field = statistics.people_by_discipline(scope=scope)
    assert [p.pk for p in person_list(scope=scope, filters=PersonFilter(query="张伟"))] == [person.pk]

    response = login("city_admin").post(
        reverse("people:anonymize", args=[person.pk]),
        {"reason": "本人书面申请", "confirm": "on"},
        follow=True,
    )

    assert "张伟已匿名化" in messages_of(response)[0]
    assert list(person_list(scope=scope, filters=PersonFilter(query="张伟"))) == []
    assert person.pk not in person_list(scope=scope).ids()
    assert statistics.people_by_title_level(scope=scope) == by_title
    assert statistics.people_by_discipline(scope=scope) == by_field
    person.refresh_from_db()
    assert (person.status, person.id_number_masked, person.mobile_encrypted) == (
        PersonStatus.ANONYMIZED,
        "",
        "",
    )
    assert AuditEvent.objects.get(action="person.anonymize").detail["reason"] == "本人书面申请"


def test_anonymizing_closes_the_portal_account(world, login, talent):
    account = portal_account_create(actor=None, person=talent.person_a, username="zhangwei")
    login("city_admin").post(
        reverse("people:anonymize", args=[talent.person_a.pk]), {"reason": "保存期限届满", "confirm": "on"}
    )
    account.user.refresh_from_db()
    assert account.user.is_active is False
    assert AuditEvent.objects.filter(action="portal.account_disable").exists()


def test_county_staff_may_not_anonymize(login, talent):
    response = login("county_staff").post(
        reverse("people:anonymize", args=[talent.person_a.pk]), {"reason": "申请", "confirm": "on"}
    )
    assert response.status_code == 403
    talent.person_a.refresh_from_db()
    assert talent.person_a.status == PersonStatus.ACTIVE


# --- portal accounts -----------------------------------------------------------------------------


def test_an_administrator_creates_a_portal_account_and_sees_the_password_once(login, talent):
    response = login("city_admin").post(
        reverse("people:portal_account", args=[talent.person_a.pk]), {"username": "zhangwei"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    password = response.context["password"]
    talent.person_a.refresh_from_db()
    user = talent.person_a.user
    assert user.username == "zhangwei"
    assert user.must_change_password is True
    assert user.check_password(password)
    assert escape(password) in response.content.decode()  # shown once, as the page writes it
    assert not user.memberships.exists()
    event = AuditEvent.objects.get(action="portal.account_create")
    assert password not in str(event.changes) + str(event.detail)
    page = login("city_admin").get(reverse("people:portal_account", args=[talent.person_a.pk]))
    assert password not in page.content.decode()
    assert "zhangwei" in page.content.decode()


def test_a_person_gets_only_one_portal_account(login, talent):
    portal_account_create(actor=None, person=talent.person_a, username="zhangwei")
    response = login("city_admin").post(
        reverse("people:portal_account", args=[talent.person_a.pk]), {"username": "zhangwei2"}
    )
    assert response.status_code == 200
    assert "已有个人账号" in response.context["form"].errors["username"][0]


def test_a_taken_username_is_refused(login, world, talent):
    response = login("city_admin").post(
        reverse("people:portal_account", args=[talent.person_a.pk]), {"username": "county_staff"}
    )
    assert response.context["form"].errors["username"]
    talent.person_a.refresh_from_db()
    assert talent.person_a.user is None


def test_a_child_gets_no_portal_account(child):
    with pytest.raises(DomainError, match="14"):
        portal_account_create(actor=None, person=child, username="xiaoming")


def test_closing_a_portal_account_disables_the_login(login, talent):
    account = portal_account_create(actor=None, person=talent.person_a, username="zhangwei")
    response = login("city_admin").post(
        reverse("people:portal_account_disable", args=[talent.person_a.pk]), follow=True
    )
    assert "张伟的个人账号已关闭。" in messages_of(response)
    account.user.refresh_from_db()
    talent.person_a.refresh_from_db()
    assert (account.user.is_active, talent.person_a.user) == (False, None)
