"""The .xlsx exports of the organization network: what they hold, who may unmask, the audit."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.core.scoping import resolve_scope
from kexie.core.testing import make_org
from kexie.orgs import exporting, selectors
from kexie.orgs.models import Kind

pytestmark = pytest.mark.django_db

PHONE_COLUMN = 10  # 0-based position of "contact phone" in the organization export


def sheet_rows(response, sheet: int = 0) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(BytesIO(response.content))
    return list(book.worksheets[sheet].iter_rows(values_only=True))


def scope_of(user):
    class _Request:
        pass

    request = _Request()
    request.user = user
    return resolve_scope(request)


# --- the organization list export ----------------------------------------------------------


def test_the_export_holds_exactly_the_filtered_list(login, world):
    client = login("city_admin")
    filters = {"kind": [Kind.COUNTY_ASSOCIATION, Kind.TOWN_ASSOCIATION], "ordering": "name"}
    listed = [o.name for o in client.get(reverse("orgs:list"), filters).context["page_obj"]]
    rows = sheet_rows(client.get(reverse("orgs:export"), filters))
    assert len(rows[0]) == 15
    assert [row[0] for row in rows[1:]] == listed
    assert sorted(listed) == sorted(
        ["甲县科学技术协会", "甲镇科学技术协会", "乙县科学技术协会", "乙镇科学技术协会"]
    )


def test_the_export_of_county_staff_holds_only_their_county(login, world):
    rows = sheet_rows(login("county_staff").get(reverse("orgs:export")))
    assert [row[0] for row in rows[1:]] == ["甲县科学技术协会", "甲镇科学技术协会"]


def test_the_export_rows_carry_the_organizations_fields(login, world):
    rows = sheet_rows(login("city_admin").get(reverse("orgs:export"), {"q": "计算机"}))
    (row,) = rows[1:]
    assert row[0] == "示例市计算机学会"
    assert row[3] == "示例市科学技术协会"  # parent
    assert row[11].date() == date(2001, 5, 20)  # founding date, an Excel date
    assert row[13].date() == date(2021, 6, 1)  # the current term's re-election due date


def test_the_phone_is_masked_by_default(login, world):
    rows = sheet_rows(login("city_admin").get(reverse("orgs:export"), {"q": "示例市科学技术协会"}))
    assert rows[1][0] == "示例市科学技术协会"
    assert rows[1][PHONE_COLUMN] == "138****8000"


def test_unmasking_with_the_permission_and_a_reason_gives_the_clear_phone(login, world):
    response = login("city_admin").get(
        reverse("orgs:export"), {"q": "示例市科学技术协会", "unmask": "1", "reason": "年度联络核对"}
    )
    rows = sheet_rows(response)
    assert rows[1][PHONE_COLUMN] == "13800138000"
    event = AuditEvent.objects.get(action="org.export")
    assert event.detail["unmasked"] is True
    assert event.detail["reason"] == "年度联络核对"
    assert "unmask" not in event.detail["filters"] and "reason" not in event.detail["filters"]


def test_a_viewer_cannot_unmask(login, world):
    response = login("viewer").get(reverse("orgs:export"), {"unmask": "1", "reason": "想看"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="org.export").exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.users["viewer"]).exists()


def test_unmasking_without_a_reason_exports_nothing(login, world):
    response = login("city_admin").get(
        reverse("orgs:export"), {"kind": Kind.SOCIETY, "unmask": "1", "reason": " "}
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('orgs:list')}?kind=society"
    assert not AuditEvent.objects.filter(action="org.export").exists()


def test_every_export_writes_an_audit_record(login, world):
    client = login("viewer")
    client.get(reverse("orgs:export"), {"kind": Kind.COUNTY_ASSOCIATION})
    client.get(reverse("orgs:export"))
    events = list(AuditEvent.objects.filter(action="org.export").order_by("id"))
    assert len(events) == 2
    first, second = events
    assert first.actor == world.users["viewer"] and first.org_path == world.city.path
    assert first.detail["rows"] == 2 and first.detail["unmasked"] is False
    assert first.detail["filters"] == "kind=county_association"
    assert second.detail["rows"] == 7


def test_an_export_past_the_row_limit_is_refused_with_a_message(login, world, monkeypatch):
    monkeypatch.setattr(exporting, "EXPORT_ROW_LIMIT", 3)
    client = login("city_admin")
    response = client.get(reverse("orgs:export"), {"status": "active"})
    assert response.status_code == 302
    assert response.url == f"{reverse('orgs:list')}?status=active"
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("3" in m and "7" in m for m in messages)
    assert not AuditEvent.objects.filter(action="org.export").exists()


def test_a_role_without_the_export_permission_gets_403(login, world):
    assert login("auditor").get(reverse("orgs:export")).status_code == 403


def test_an_anonymous_export_goes_to_the_login_page(client, world):
    response = client.get(reverse("orgs:export"))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="org.export").exists()


# --- re-elections --------------------------------------------------------------------------


def test_the_re_election_export_lists_the_overdue_terms_and_is_audited(login, world):
    response = login("viewer").get(reverse("orgs:reelections"), {"format": "xlsx"})
    rows = sheet_rows(response)
    assert [row[0] for row in rows[1:]] == ["示例市计算机学会"]
    assert rows[1][7] == (date.today() - date(2021, 6, 1)).days
    event = AuditEvent.objects.get(action="org.reelections_export")
    assert event.detail == {"rows": 1, "show": "overdue"}


def test_county_staff_export_an_empty_re_election_list(login, world):
    rows = sheet_rows(login("county_staff").get(reverse("orgs:reelections"), {"format": "xlsx"}))
    assert rows[1:] == []
    assert AuditEvent.objects.filter(action="org.reelections_export").count() == 1


# --- statistics ----------------------------------------------------------------------------


def test_the_statistics_export_holds_the_figures_of_the_page(login, world):
    make_org(world.society, Kind.PARTY_BRANCH, "计算机学会党支部")
    expected = selectors.network_statistics(scope=scope_of(world.users["city_admin"]))
    response = login("city_admin").get(reverse("orgs:stats_export"))
    summary = dict(sheet_rows(response, 0)[1:])
    assert list(summary.values()) == [value for _label, value in exporting.statistics_summary(expected)]
    by_kind = sheet_rows(response, 1)[1:]
    assert [(active, dissolved) for _k, active, dissolved in by_kind] == [
        (k.active, k.dissolved) for k in expected.by_kind
    ]
    by_year = sheet_rows(response, 2)[1:]
    assert by_year == exporting.statistics_year_rows(expected)
    children = sheet_rows(response, 3)[1:]
    assert {row[0] for row in children} == {"甲县科学技术协会", "乙县科学技术协会"}
    event = AuditEvent.objects.get(action="org.stats_export")
    assert event.detail == {"root": world.city.pk} and event.org_path == world.city.path


def test_the_statistics_export_of_a_root_outside_the_scope_is_404(login, world):
    response = login("county_staff").get(reverse("orgs:stats_export"), {"root": world.county_b.pk})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="org.stats_export").exists()
