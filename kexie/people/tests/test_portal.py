"""The personal portal, seen by the person themselves: 张伟 logs in with his portal account."""

import json
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext

from kexie.accounts.services import user_set_password
from kexie.audit.models import AuditEvent
from kexie.core.testing import PASSWORD
from kexie.people.services.people import id_number_of, mobile_of
from kexie.people.services.privacy import consent_record, person_erase, portal_account_create
from kexie.people.tests.test_privacy import guardian_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_user(world, talent):
    """张伟's portal account, its one-time password already replaced by his own."""
    account = portal_account_create(
        actor=world.users["city_admin"], person=talent.person_a, username="zhangwei"
    )
    return user_set_password(actor=account.user, user=account.user, password=PASSWORD)


@pytest.fixture
def portal(client, portal_user):
    client.force_login(portal_user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_new_portal_account_first_chooses_its_own_password(client, world, talent):
    account = portal_account_create(actor=None, person=talent.person_a, username="zhangwei")
    assert account.user.check_password(account.password)
    client.force_login(account.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("people:me"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")


def test_the_person_sees_their_own_profile_masked(portal, talent):
    response = portal.get(reverse("people:me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "张伟" in page
    assert talent.person_a.id_number_masked in page
    assert "11010519491231002X" not in page
    assert "青年科技奖" in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_person_corrects_their_mobile_and_the_audit_names_them(portal, portal_user, talent):
    form = portal.get(reverse("people:me_edit"))
    assert form.context["form"].initial["mobile"] == "13800138000"
    response = portal.post(
        reverse("people:me_edit"),
        {"mobile": "13700137000", "email": "zw@example.cn", "employer": "甲县人民医院", "name": "李四"},
        follow=True,
    )
    assert "您的个人信息已保存。" in [str(m) for m in response.context["messages"]]
    person = talent.person_a
    person.refresh_from_db()
    assert (mobile_of(person), person.email, person.name) == ("13700137000", "zw@example.cn", "张伟")
    assert id_number_of(person) == "11010519491231002X"
    event = AuditEvent.objects.get(action="person.self_update")
    assert event.actor == portal_user
    assert event.changes["mobile"] == ["138****8000", "137****7000"]
    assert event.object_id == str(person.pk)


def test_a_bad_mobile_is_shown_on_its_field(portal, talent):
    response = portal.post(reverse("people:me_edit"), {"mobile": "0531-82345678"})
    assert response.status_code == 200
    assert response.context["form"].errors["mobile"] == [
        "“0531-82345678”不是手机号（应为以1开头的11位数字）。"
    ]
    assert not AuditEvent.objects.filter(action="person.self_update").exists()


def test_the_json_download_holds_everything_with_the_clear_id_number(portal, portal_user, talent):
    consent_record(
        actor=None,
        person=talent.person_a,
        data=guardian_consent(given_by="self", guardian_name="", guardian_relation=""),
    )
    response = portal.get(reverse("people:me_download"), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"][0]["id_number"] == "11010519491231002X"
    assert data["profile"][0]["mobile"] == "13800138000"
    assert [h["title"] for h in data["honours"]] == ["青年科技奖"]
    assert [t["team"] for t in data["teams"]] == ["甲县智慧农业团队"]
    assert [v["visited_by"] for v in data["visits"]] == ["甲县科协主席"]
    assert [t["list"] for t in data["talent_lists"]] == ["甲县专家库"]
    assert [c["purpose"] for c in data["consents"]] == ["活动与竞赛"]
    assert gettext("Portal account created") in [e["action"] for e in data["audit_events"]]
    event = AuditEvent.objects.get(action="person.self_export")
    assert (event.actor, event.detail["format"]) == (portal_user, "json")


def test_the_xlsx_download_has_a_sheet_per_section(portal, talent):
    response = portal.get(reverse("people:me_download"), {"format": "xlsx"})
    book = openpyxl.load_workbook(BytesIO(response.content))
    titles = ["Profile", "Society memberships", "Board positions", "Teams", "Honours"]
    assert book.sheetnames[:5] == [gettext(t) for t in titles]
    assert book.sheetnames[0] == "基本信息"
    profile = {row[0]: row[1] for row in book["基本信息"].iter_rows(values_only=True)}
    assert profile["身份证号"] == "11010519491231002X"


def test_an_unknown_download_format_is_refused(portal):
    assert portal.get(reverse("people:me_download"), {"format": "pdf"}).status_code == 400
    assert not AuditEvent.objects.filter(action="person.self_export").exists()


def test_an_account_without_a_profile_gets_404(login, talent):
    client = login("county_staff")
    for name in ("people:me", "people:me_edit", "people:me_download"):
        assert client.get(reverse(name)).status_code == 404, name


def test_the_portal_user_cannot_open_the_staff_pages(portal, talent):
    for url in (
        reverse("people:detail", args=[talent.person_b.pk]),
        reverse("people:detail", args=[talent.person_a.pk]),
        reverse("people:list"),
        reverse("people:stats"),
        reverse("people:consent_create", args=[talent.person_a.pk]),
    ):
        assert portal.get(url).status_code == 403, url


def test_after_anonymizing_the_portal_is_gone(portal, world, talent):
    person_erase(actor=world.users["city_admin"], person=talent.person_a, reason="本人申请注销")
    response = portal.get(reverse("people:me"))
    assert response.status_code == 302  # the disabled account is logged out
    assert reverse("accounts:login") in response.url
