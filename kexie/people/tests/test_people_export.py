"""The .xlsx export of the people list: what it holds, masking, unmasking, minors, the audit."""

from io import BytesIO

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.audit.models import AuditEvent
from kexie.people.models import Consent
from kexie.people.services.people import PersonData, person_anonymize, person_create

pytestmark = pytest.mark.django_db

ID_COLUMN, MOBILE_COLUMN = 4, 5  # 0-based positions of the ID number and the mobile


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def by_name(rows) -> dict[str, tuple]:
    return {row[0]: row for row in rows[1:] if row[0]}


def test_the_export_is_masked_by_default_and_audited_with_the_filter_and_count(login, talent):
    rows = sheet_rows(login("county_staff").get(reverse("people:export"), {"q": "张伟"}))
    assert rows[0][0] == "姓名" and rows[0][ID_COLUMN] == "身份证号" and rows[0][MOBILE_COLUMN] == "手机号"
    (row,) = rows[1:]
    assert row[0] == "张伟"
    assert (row[ID_COLUMN], row[MOBILE_COLUMN]) == ("110105********002X", "138****8000")
    assert "甲县人民医院" in row and "专家" in row and "甲县科学技术协会" in row
    event = AuditEvent.objects.get(action="person.export")
    assert event.detail == {"filters": "q=%E5%BC%A0%E4%BC%9F", "count": 1, "left_out": 0, "unmasked": False}
    assert event.actor.username == "county_staff"


def test_the_export_holds_the_list_as_filtered_and_ordered_on_screen(login, world, talent):
    for name in ("张伟明", "王张伟"):
        person_create(actor=None, organization=world.county_a, data=PersonData(name=name))
    client = login("city_admin")
    listed = [p.name for p in client.get(reverse("people:list"), {"q": "张伟"}).context["page_obj"]]
    rows = sheet_rows(client.get(reverse("people:export"), {"q": "张伟", "page": "1"}))
    assert [row[0] for row in rows[1:]] == listed == ["张伟", "张伟明", "王张伟"]


def test_each_scope_exports_only_its_people(login, talent):
    assert list(by_name(sheet_rows(login("county_b_staff").get(reverse("people:export"))))) == ["李娜"]
    assert list(by_name(sheet_rows(login("society_secretary").get(reverse("people:export"))))) == ["王芳芳"]


def test_unmasking_with_the_permission_and_a_reason_gives_the_clear_values(login, talent):
    response = login("city_admin").post(
        reverse("people:export"), {"q": "张伟", "unmask": "1", "reason": "报送省科协专家库"}
    )
    (row,) = sheet_rows(response)[1:]
    assert (row[ID_COLUMN], row[MOBILE_COLUMN]) == ("11010519491231002X", "13800138000")
    export = AuditEvent.objects.get(action="person.export")
    assert export.detail["unmasked"] is True
    assert export.detail["reason"] == "报送省科协专家库"
    assert export.detail["count"] == 1
    unmask = AuditEvent.objects.get(action="person.unmask")
    assert (unmask.detail["where"], unmask.detail["reason"]) == ("export", "报送省科协专家库")


def test_unmasking_without_a_reason_exports_nothing(login, talent):
    client = login("city_admin")
    response = client.post(reverse("people:export"), {"q": "张伟", "unmask": "1", "reason": " "})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list") + "?q=%E5%BC%A0%E4%BC%9F"
    page = client.get(response["Location"])
    assert gettext("Give the reason for viewing the full personal data.") in page.content.decode()
    assert not AuditEvent.objects.filter(action__in=["person.export", "person.unmask"]).exists()


def test_unmasking_without_the_permission_is_refused(login, talent):
    response = login("county_staff").post(reverse("people:export"), {"unmask": "1", "reason": "需要完整号码"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_the_read_only_viewer_exports_masked_and_the_auditor_not_at_all(login, talent):
    rows = sheet_rows(login("viewer").get(reverse("people:export")))
    assert by_name(rows)["张伟"][ID_COLUMN] == "110105********002X"
    assert login("auditor").get(reverse("people:export")).status_code == 403


def test_anonymized_people_never_appear(login, talent):
    person_anonymize(actor=None, person=talent.person_a, reason="本人申请")
    rows = sheet_rows(login("city_admin").get(reverse("people:export")))
    assert sorted(by_name(rows)) == ["李娜", "王芳芳"]


def test_children_without_a_guardians_consent_are_left_out_and_counted(login, world, talent):
    today = timezone.localdate()
    child = person_create(
        actor=None,
        organization=world.county_a,
        data=PersonData(name="赵小明", birth_date=today - relativedelta(years=10)),
    )
    person_create(
        actor=None,
        organization=world.county_a,
        data=PersonData(name="钱小红", birth_date=today - relativedelta(years=14)),  # 14 today: not a minor
    )
    client = login("county_staff")
    rows = sheet_rows(client.get(reverse("people:export")))
    assert [row[0] for row in rows[1:-2]] == ["钱小红", "张伟"]
    assert rows[-2] == (None,) * len(rows[0])
    assert rows[-1][0] == "未满14周岁且无监护人同意、未导出的人员：1 人。"
    event = AuditEvent.objects.get(action="person.export")
    assert (event.detail["count"], event.detail["left_out"]) == (2, 1)

    Consent.objects.create(
        person=child,
        purpose=Consent.Purpose.TALENT_POOL,
        notice="入库告知书",
        method=Consent.Method.PAPER,
        given_on=today,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="赵大明",
    )
    rows = sheet_rows(client.get(reverse("people:export")))
    assert [row[0] for row in rows[1:]] == ["钱小红", "张伟", "赵小明"]  # and no note


def test_a_withdrawn_guardian_consent_no_longer_counts(login, world, talent):
    today = timezone.localdate()
    child = person_create(
        actor=None,
        organization=world.county_a,
        data=PersonData(name="赵小明", birth_date=today - relativedelta(years=10)),
    )
    Consent.objects.create(
        person=child,
        purpose=Consent.Purpose.TALENT_POOL,
        notice="入库告知书",
        method=Consent.Method.PAPER,
        given_on=today - relativedelta(years=1),
        given_by=Consent.GivenBy.GUARDIAN,
        withdrawn_on=today,
    )
    rows = sheet_rows(login("county_staff").get(reverse("people:export")))
    assert "赵小明" not in by_name(rows)
