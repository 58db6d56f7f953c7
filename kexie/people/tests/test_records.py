"""Honours and visits (走访慰问): recording, evidence files, filters, exports, scoping."""

from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.people.models import Honour, HonourGrade, HonourLevel, Visit, VisitOccasion
from kexie.people.services.people import PersonData, person_anonymize, person_create
from kexie.people.services.records import (
    HonourData,
    VisitData,
    honour_create,
    honour_delete,
    honour_update,
    visit_create,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(openpyxl.load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def a_minor(world, name="小明"):
    birth = timezone.localdate() - timedelta(days=365 * 10)
    return person_create(
        actor=None, organization=world.county_a, data=PersonData(name=name, birth_date=birth)
    )


def honour_form(**fields) -> dict:
    return {"title": "最美科技工作者", "level": "provincial", "grade": "", "year": "2023"} | fields


# --- recording honours ---------------------------------------------------------------------


def test_an_honour_with_an_exe_evidence_file_is_refused_in_chinese_and_nothing_is_saved(login, talent):
    before = Honour.objects.count()
    upload = SimpleUploadedFile("证书.exe", b"MZ\x90\x00 not a certificate", content_type="application/pdf")
    response = login("county_staff").post(
        reverse("people:honour_create") + f"?person={talent.person_a.pk}",
        honour_form(evidence=upload),
    )
    assert response.status_code == 200
    assert "只接受 PDF、JPG 和 PNG 文件" in response.content.decode()
    assert response.context["form"].errors["evidence"]
    assert Honour.objects.count() == before
    assert not AuditEvent.objects.filter(action="honour.create").exists()


def test_a_pdf_evidence_is_kept_and_its_download_is_audited(login, talent):
    client = login("county_staff")
    response = client.post(
        reverse("people:honour_create") + f"?person={talent.person_a.pk}",
        honour_form(
            grade="first", title="示例省科学技术进步奖", evidence=SimpleUploadedFile("证书.pdf", PDF)
        ),
        follow=True,
    )
    honour = Honour.objects.get(title="示例省科学技术进步奖")
    assert "已登记" in messages_of(response)[0]
    assert honour.person == talent.person_a
    assert honour.organization == talent.person_a.organization  # kept where the person is kept
    assert honour.grade == HonourGrade.FIRST
    assert honour.evidence.name.endswith(".pdf")
    assert "证书" not in honour.evidence.name  # stored under a random name
    created = AuditEvent.objects.get(action="honour.create")
    assert created.object_id == str(honour.pk)
    assert created.changes["title"] == [None, "示例省科学技术进步奖"]

    download = client.get(reverse("people:honour_evidence", args=[honour.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="honour.evidence", object_id=str(honour.pk)).count() == 1


def test_a_file_called_pdf_that_is_not_a_pdf_is_refused(world, talent):
    with pytest.raises(DomainError) as caught:
        honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=2024),
            evidence=SimpleUploadedFile("证书.pdf", b"MZ\x90\x00"),
        )
    assert caught.value.field == "evidence"


def test_an_evidence_file_over_10_mb_is_refused(world, talent):
    upload = SimpleUploadedFile("证书.png", PNG)
    upload.size = 10 * 1024 * 1024 + 1
    with pytest.raises(DomainError) as caught:
        honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=2024),
            evidence=upload,
        )
    assert caught.value.field == "evidence"
    assert "10 MB" in caught.value.message


@pytest.mark.parametrize("year", [1948, timezone.localdate().year + 2, None])
def test_the_year_must_lie_between_1949_and_next_year(world, talent, year):
    with pytest.raises(DomainError) as caught:
        honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=year),
        )
    assert caught.value.field == "year"


def test_next_year_is_accepted_for_an_honour_announced_ahead(world, talent):
    next_year = timezone.localdate().year + 1
    honour = honour_create(
        actor=None,
        organization=world.county_a,
        person=talent.person_a,
        data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=next_year),
    )
    assert honour.year == next_year


def test_an_honour_goes_to_exactly_one_recipient(world, talent):
    data = HonourData(title="创新达人", level=HonourLevel.COUNTY, year=2024)
    with pytest.raises(DomainError):
        honour_create(actor=None, organization=world.county_a, data=data)
    with pytest.raises(DomainError):
        honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            recipient_organization=world.town_a,
            data=data,
        )


def test_an_unknown_grade_is_refused(world, talent):
    with pytest.raises(DomainError) as caught:
        honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=2024, grade="fourth"),
        )
    assert caught.value.field == "grade"


def test_a_minor_without_guardian_consent_cannot_receive_an_honour(world):
    minor = a_minor(world)
    with pytest.raises(DomainError) as caught:
        honour_create(
            actor=None,
            organization=world.county_a,
            person=minor,
            data=HonourData(title="科技创新大赛", level=HonourLevel.COUNTY, year=2024),
        )
    assert "14" in caught.value.message
    assert not Honour.objects.filter(person=minor).exists()


def test_an_organization_honour_is_recorded_for_town_a(login, world):
    client = login("county_staff")
    response = client.post(
        reverse("people:honour_create") + f"?organization={world.town_a.pk}",
        honour_form(title="全国科普日活动优秀组织单位", level="national", year="2024"),
        follow=True,
    )
    assert response.status_code == 200
    honour = Honour.objects.get(title="全国科普日活动优秀组织单位")
    assert honour.recipient_organization == world.town_a
    assert honour.person is None
    assert honour.organization == world.town_a
    listed = client.get(reverse("people:honour_list"), {"recipient": "organization"})
    assert [h.title for h in listed.context["page_obj"]] == ["全国科普日活动优秀组织单位"]
    assert "甲镇科学技术协会" in listed.content.decode()


def test_without_a_recipient_the_page_asks_whom_the_honour_is_for(login, talent):
    client = login("county_staff")
    page = client.get(reverse("people:honour_create"))
    assert page.status_code == 200
    assert "甲镇科学技术协会" in page.content.decode()  # organizations to choose from
    assert "乙县科学技术协会" not in page.content.decode()
    found = client.get(reverse("people:honour_create"), {"find": "张"}, HTTP_HX_REQUEST="true")
    assert [p.name for p in found.context["people"]] == ["张伟"]
    assert f"?person={talent.person_a.pk}" in found.content.decode()


def test_the_honour_list_filters_by_year_and_level(login, world, talent):
    for title, level, year in [
        ("最美科技工作者", HonourLevel.PROVINCIAL, 2024),
        ("创新达人", HonourLevel.CITY, 2023),
        ("优秀科技工作者", HonourLevel.CITY, 2024),
    ]:
        honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            data=HonourData(title=title, level=level, year=year),
        )
    client = login("county_staff")

    def titles(**query):
        return sorted(h.title for h in client.get(reverse("people:honour_list"), query).context["page_obj"])

    assert titles(year="2024") == ["优秀科技工作者", "最美科技工作者", "青年科技奖"]
    assert titles(year="2024", level="city") == ["优秀科技工作者", "青年科技奖"]
    assert titles(level="city") == ["优秀科技工作者", "创新达人", "青年科技奖"]
    assert titles(q="达人") == ["创新达人"]
    assert titles(year="abc") == titles()  # a malformed filter is ignored, not an error


def test_the_htmx_filter_returns_only_the_results(login, talent):
    response = login("county_staff").get(
        reverse("people:honour_list"), {"year": "2024"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "青年科技奖" in response.content.decode()


def test_editing_an_honour_keeps_old_and_new_values_in_the_audit(login, talent):
    client = login("county_staff")
    response = client.post(
        reverse("people:honour_update", args=[talent.honour.pk]),
        honour_form(title="青年科技奖", level="provincial", year="2024"),
    )
    assert response.status_code == 302
    talent.honour.refresh_from_db()
    assert talent.honour.level == HonourLevel.PROVINCIAL
    event = AuditEvent.objects.get(action="honour.update")
    assert event.changes == {"level": ["city", "provincial"]}


def test_replacing_the_evidence_deletes_the_old_file_after_commit(
    world, talent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        honour = honour_create(
            actor=None,
            organization=world.county_a,
            person=talent.person_a,
            data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=2024),
            evidence=SimpleUploadedFile("a.pdf", PDF),
        )
    storage, old_name = honour.evidence.storage, honour.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        honour = honour_update(
            actor=None,
            honour=honour,
            data=HonourData(title="创新达人", level=HonourLevel.COUNTY, year=2024),
            evidence=SimpleUploadedFile("b.png", PNG),
        )
    assert honour.evidence.name.endswith(".png")
    assert storage.exists(honour.evidence.name)
    assert not storage.exists(old_name)


def test_deleting_an_honour_needs_a_reason_and_is_audited(login, talent):
    client = login("county_staff")
    url = reverse("people:honour_delete", args=[talent.honour.pk])
    refused = client.post(url, {"reason": "  "}, follow=True)
    assert "请说明删除该荣誉的原因" in messages_of(refused)[0]
    assert Honour.objects.filter(pk=talent.honour.pk).exists()
    client.post(url, {"reason": "重复登记"})
    assert not Honour.objects.filter(pk=talent.honour.pk).exists()
    event = AuditEvent.objects.get(action="honour.delete")
    assert event.detail["reason"] == "重复登记"
    assert event.detail["title"] == "青年科技奖"


def test_the_honour_delete_service_refuses_an_empty_reason(talent):
    with pytest.raises(DomainError):
        honour_delete(actor=None, honour=talent.honour, reason="")


def test_honour_evidence_of_an_honour_without_a_file_sends_back_to_the_list(login, talent):
    response = login("county_staff").get(reverse("people:honour_evidence", args=[talent.honour.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="honour.evidence").exists()


def test_the_honour_export_holds_the_filtered_list_and_is_audited_with_the_count(login, world, talent):
    honour_create(
        actor=None,
        organization=world.town_a,
        recipient_organization=world.town_a,
        data=HonourData(title="全国科普日活动优秀组织单位", level=HonourLevel.NATIONAL, year=2024),
    )
    rows = sheet_rows(login("county_staff").get(reverse("people:honour_export"), {"year": "2024"}))
    assert rows[0][:3] == ("获奖者", "个人或组织", "荣誉名称")
    assert sorted(row[2] for row in rows[1:]) == ["全国科普日活动优秀组织单位", "青年科技奖"]
    event = AuditEvent.objects.get(action="honour.export")
    assert event.detail["rows"] == 2
    assert event.detail["filters"] == "year=2024"


def test_honours_of_anonymized_people_leave_the_list(login, talent):
    person_anonymize(actor=None, person=talent.person_a, reason="本人申请删除")
    response = login("county_staff").get(reverse("people:honour_list"))
    assert list(response.context["page_obj"]) == []


# --- visits ------------------------------------------------------------------------------


def visit_form(world, **fields) -> dict:
    return {
        "organization": world.county_a.pk,
        "visited_on": "2025-09-10",
        "occasion": "workers_day",
        "visitors": "甲县科协主席",
        "note": "了解科研需求",
    } | fields


def test_a_visit_in_the_future_is_refused(login, world, talent):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = login("county_staff").post(
        reverse("people:visit_create") + f"?person={talent.person_a.pk}",
        visit_form(world, visited_on=tomorrow),
    )
    assert response.status_code == 200
    assert "走访日期不能晚于今天" in response.content.decode()
    assert Visit.objects.count() == 1  # only the fixture's


def test_a_visit_is_recorded_for_the_visiting_organization_and_audited(login, world, talent):
    client = login("county_staff")
    response = client.post(
        reverse("people:visit_create") + f"?person={talent.person_a.pk}",
        visit_form(world, organization=world.town_a.pk),
        follow=True,
    )
    visit = Visit.objects.get(occasion=VisitOccasion.WORKERS_DAY)
    assert visit.organization == world.town_a
    assert visit.recorded_by == world.users["county_staff"]
    assert "已登记" in messages_of(response)[0]
    assert AuditEvent.objects.get(action="visit.create").object_id == str(visit.pk)


def test_the_visiting_organization_must_be_in_scope(login, world, talent):
    response = login("county_staff").post(
        reverse("people:visit_create") + f"?person={talent.person_a.pk}",
        visit_form(world, organization=world.county_b.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert Visit.objects.count() == 1


def test_the_visit_list_filters_by_year_occasion_and_name(login, world, talent):
    visit_create(
        actor=None,
        organization=world.county_a,
        person=talent.person_a,
        data=VisitData(visited_on=date(2024, 9, 17), occasion=VisitOccasion.MID_AUTUMN, visitors="甲县科协"),
    )
    client = login("county_staff")

    def dates(**query):
        return [v.visited_on for v in client.get(reverse("people:visit_list"), query).context["page_obj"]]

    assert dates() == [date(2025, 1, 20), date(2024, 9, 17)]
    assert dates(year="2024") == [date(2024, 9, 17)]
    assert dates(occasion="spring_festival") == [date(2025, 1, 20)]
    assert len(dates(q="zhangwei")) == 2  # pinyin finds 张伟
    assert dates(q="李娜") == []


def test_a_visit_can_be_corrected_and_deleted(login, talent):
    client = login("county_staff")
    url = reverse("people:visit_update", args=[talent.visit.pk])
    client.post(
        url, {"visited_on": "2025-01-21", "occasion": "spring_festival", "visitors": "甲县科协主席、副主席"}
    )
    talent.visit.refresh_from_db()
    assert talent.visit.visitors == "甲县科协主席、副主席"
    assert AuditEvent.objects.get(action="visit.update").changes["visited_on"] == ["2025-01-20", "2025-01-21"]
    client.post(reverse("people:visit_delete", args=[talent.visit.pk]))
    assert not Visit.objects.exists()
    assert AuditEvent.objects.filter(action="visit.delete").count() == 1


def test_the_visit_export_is_audited_with_the_count(login, talent):
    rows = sheet_rows(login("county_staff").get(reverse("people:visit_export")))
    assert rows[1][1] == "张伟"
    assert rows[1][3] == "春节"
    assert AuditEvent.objects.get(action="visit.export").detail["rows"] == 1


def test_a_visit_to_a_minor_without_guardian_consent_is_refused(world):
    with pytest.raises(DomainError):
        visit_create(
            actor=None,
            organization=world.county_a,
            person=a_minor(world),
            data=VisitData(visited_on=date(2025, 1, 1), occasion=VisitOccasion.OTHER, visitors="甲县科协"),
        )


# --- scoping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,obj",
    [
        ("people:honour_update", "honour"),
        ("people:honour_evidence", "honour"),
        ("people:visit_update", "visit"),
        ("people:talent_list_detail", "talent_list"),
        ("people:talent_list_export", "talent_list"),
    ],
)
def test_county_b_staff_gets_404_on_county_a_records(login, talent, name, obj):
    response = login("county_b_staff").get(reverse(name, args=[getattr(talent, obj).pk]))
    assert response.status_code == 404


def test_county_b_staff_cannot_record_an_honour_for_a_county_a_person(login, talent):
    response = login("county_b_staff").post(
        reverse("people:honour_create") + f"?person={talent.person_a.pk}", honour_form()
    )
    assert response.status_code == 404
    assert Honour.objects.count() == 1


def test_county_b_staff_do_not_see_county_a_honours_or_visits(login, talent):
    client = login("county_b_staff")
    assert list(client.get(reverse("people:honour_list")).context["page_obj"]) == []
    assert list(client.get(reverse("people:visit_list")).context["page_obj"]) == []


def test_the_city_sees_the_honours_kept_by_its_counties(login, talent):
    response = login("viewer").get(reverse("people:honour_list"))
    assert [h.title for h in response.context["page_obj"]] == ["青年科技奖"]


def test_a_read_only_viewer_cannot_record_an_honour(login, talent):
    response = login("viewer").post(
        reverse("people:honour_create") + f"?person={talent.person_a.pk}", honour_form()
    )
    assert response.status_code == 403
