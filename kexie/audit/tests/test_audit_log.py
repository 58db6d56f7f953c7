"""The audit log as the audit administrator reads it: filters, scope, export; nobody else reads it."""

from datetime import UTC, datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from kexie.accounts import services as account_services
from kexie.accounts.models import User
from kexie.accounts.roles import Role
from kexie.audit.models import AuditEvent
from kexie.audit.selectors import AuditFilter, audit_event_list
from kexie.audit.services import record
from kexie.core import context
from kexie.core.scoping import Scope
from kexie.core.testing import make_user

LIST = "audit:list"


def _page(response) -> str:
    return response.content.decode()


def _at(when, **kwargs):
    return AuditEvent.objects.create(occurred_at=when, **kwargs)


@pytest.fixture
def auditor(login):
    return login("auditor")


# --- reading ----------------------------------------------------------------------------------


def test_the_auditor_reads_the_log_with_every_column(auditor, world):
    _at(
        datetime(2026, 3, 1, 2, 30, tzinfo=UTC),
        action="org.update",
        actor=world.users["city_admin"],
        actor_username="city_admin",
        ip_address="192.0.2.7",
        request_id="req-0001",
        object_type="orgs.organization",
        object_id=str(world.city.pk),
        object_repr=world.city.name,
        org_path=world.city.path,
        changes={"contact_person": ["王芳", "李雷"]},
    )
    page = _page(auditor.get(reverse(LIST)))
    assert "2026-03-01 10:30:00" in page  # 02:30 UTC is 10:30 in Beijing
    for shown in (
        "city_admin",
        "192.0.2.7",
        "org.update",
        "示例市科学技术协会",
        "王芳",
        "李雷",
        "Succeeded",
        "req-0001",
    ):
        assert shown in page


def test_the_list_shows_the_first_changed_fields_and_links_to_the_rest(auditor, world):
    changes = {f"field{n}": ["a", "b"] for n in range(5)}
    event = _at(datetime(2026, 3, 1, tzinfo=UTC), action="org.update", actor_username="x", changes=changes)
    page = _page(auditor.get(reverse(LIST) + "?actor=x"))
    assert "field2:" in page and "field3:" not in page
    assert "and 2 more fields" in page
    detail = _page(auditor.get(reverse("audit:detail", args=[event.pk])))
    assert "field4" in detail


def test_phone_numbers_in_changed_fields_were_masked_when_recorded(auditor, world):
    token = context.activate(context.RequestContext("req-0002", "192.0.2.8"))
    try:
        record(
            world.users["city_admin"],
            "org.update",
            world.city,
            changes={"contact_phone": ("13800138000", "13912345678")},
        )
    finally:
        context.deactivate(token)
    page = _page(auditor.get(reverse(LIST) + "?request_id=req-0002"))
    assert "138****8000" in page and "139****5678" in page
    assert "13912345678" not in page and "13800138000" not in page
    assert "192.0.2.8" in page


def test_logins_are_in_the_log(client, auditor, world):
    page = _page(auditor.get(reverse(LIST) + "?action=auth."))
    assert "auth.login" in page  # the auditor's own login through the fixture


def test_the_log_is_paginated_by_50(auditor, world):
    for number in range(60):
        _at(datetime(2026, 1, 1, tzinfo=UTC), action=f"test.bulk{number}", actor_username="bulk")
    first = auditor.get(reverse(LIST) + "?actor=bulk")
    assert _page(first).count("test.bulk") == 50
    assert "Page 1 of 2" in _page(first)
    assert _page(auditor.get(reverse(LIST) + "?actor=bulk&page=2")).count("test.bulk") == 10


@pytest.fixture
def varied(world):
    """A handful of records to filter."""
    return {
        "march": _at(
            datetime(2026, 3, 10, 4, tzinfo=UTC),
            action="org.create",
            actor_username="city_admin",
            object_type="orgs.organization",
            object_repr="甲县科学技术协会",
            org_path=world.county_a.path,
            request_id="aaaa1111",
        ),
        "april": _at(
            datetime(2026, 4, 2, 4, tzinfo=UTC),
            action="org.dissolve",
            actor_username="county_staff",
            object_type="orgs.organization",
            object_repr="乙镇科学技术协会",
            org_path=world.town_b.path,
            request_id="bbbb2222",
        ),
        "denied": _at(
            datetime(2026, 4, 3, 4, tzinfo=UTC),
            action="permission.denied",
            actor_username="viewer",
            outcome="denied",
            request_id="cccc3333",
        ),
        "user": _at(
            datetime(2026, 4, 4, 4, tzinfo=UTC),
            action="user.create",
            actor_username="sysadmin",
            object_type="accounts.user",
            object_repr="zhangwei",
            request_id="dddd4444",
        ),
    }


def _found(client, query: str) -> set[str]:
    page = _page(client.get(reverse(LIST) + query))
    return {rid for rid in ("aaaa1111", "bbbb2222", "cccc3333", "dddd4444") if rid in page}


def test_the_filters_narrow_the_log(auditor, varied):
    assert _found(auditor, "?date_from=2026-04-01") == {"bbbb2222", "cccc3333", "dddd4444"}
    assert _found(auditor, "?date_from=2026-03-01&date_to=2026-04-02") == {"aaaa1111", "bbbb2222"}
    assert _found(auditor, "?actor=county") == {"bbbb2222"}
    assert _found(auditor, "?action=org.") == {"aaaa1111", "bbbb2222"}
    assert _found(auditor, "?object_type=accounts.user") == {"dddd4444"}
    assert _found(auditor, "?outcome=denied") == {"cccc3333"}
    assert _found(auditor, "?request_id=bbbb2222") == {"bbbb2222"}
    assert _found(auditor, "?q=乙镇") == {"bbbb2222"}


def test_a_day_in_the_date_filter_is_a_beijing_calendar_day(auditor, world):
    # 2026-05-01 23:30 in Beijing is still 1 May locally, but 15:30 UTC.
    _at(
        datetime(2026, 5, 1, 15, 30, tzinfo=UTC),
        action="test.late",
        actor_username="x",
        request_id="late0001",
    )
    assert "late0001" in _page(auditor.get(reverse(LIST) + "?date_to=2026-05-01"))
    assert "late0001" not in _page(auditor.get(reverse(LIST) + "?date_from=2026-05-02"))


def test_a_bad_filter_value_is_reported_and_ignored(auditor, varied):
    response = auditor.get(reverse(LIST) + "?date_from=yesterday&actor=county")
    assert response.status_code == 200
    assert "Some filters were not understood" in _page(response)
    assert _found(auditor, "?date_from=yesterday&actor=county") == {"bbbb2222"}


def test_an_htmx_filter_answers_with_the_table_only(auditor, varied):
    page = _page(auditor.get(reverse(LIST) + "?actor=county", HTTP_HX_REQUEST="true"))
    assert 'data-testid="audit-table"' in page and "<html" not in page


def test_the_detail_page_shows_one_record_with_its_changes(auditor, world):
    event = _at(
        datetime(2026, 3, 1, 2, 30, tzinfo=UTC),
        action="org.update",
        actor_username="city_admin",
        object_repr="示例市科学技术协会",
        org_path=world.city.path,
        changes={"contact_person": ["王芳", "李雷"]},
        detail={"reason": "换届"},
    )
    page = _page(auditor.get(reverse("audit:detail", args=[event.pk])))
    assert "org.update" in page and "2026-03-01 10:30:00" in page
    assert "王芳" in page and "李雷" in page and "换届" in page


# --- scope ------------------------------------------------------------------------------------


def test_a_root_auditor_sees_events_of_no_organization_and_of_the_whole_tree(world, varied):
    scope = Scope(user=world.users["auditor"], membership=world.users["auditor"].memberships.get())
    events = set(audit_event_list(scope=scope, filters=AuditFilter()).values_list("request_id", flat=True))
    assert {"aaaa1111", "bbbb2222", "cccc3333", "dddd4444"} <= events


def test_a_county_auditor_sees_only_their_countys_events(client, world, varied):
    auditor_a = make_user("auditor_a", world.county_a, Role.AUDIT_ADMIN)
    client.force_login(auditor_a)
    assert _found(client, "") == {"aaaa1111"}
    assert client.get(reverse("audit:detail", args=[varied["april"].pk])).status_code == 404
    assert client.get(reverse("audit:detail", args=[varied["denied"].pk])).status_code == 404
    assert client.get(reverse("audit:detail", args=[varied["march"].pk])).status_code == 200


# --- export -----------------------------------------------------------------------------------


def test_the_export_is_the_filtered_log_as_xlsx_and_is_itself_audited(auditor, world, varied):
    response = auditor.get(reverse("audit:export") + "?action=org.&date_to=2026-04-30")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("Time", "User", "IP address", "Action")
    assert [row[3] for row in rows[1:]] == ["Organization dissolved", "Organization created"]
    assert [row[4] for row in rows[1:]] == ["org.dissolve", "org.create"]
    assert rows[1][0] == "2026-04-02 12:00:00"
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == world.users["auditor"]
    assert export.detail == {"rows": 2, "filters": "action=org.&date_to=2026-04-30"}


# --- nobody else ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "sysadmin",
        "secadmin",
        "city_admin",
        "county_staff",
        "county_b_staff",
        "viewer",
        "society_secretary",
        "nobody",
    ],
)
def test_every_other_persona_gets_403_on_the_audit_pages(login, world, persona, varied):
    client = login(persona)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse("audit:detail", args=[varied["march"].pk])).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse(LIST))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_no_page_changes_or_deletes_a_record(auditor, varied):
    event = varied["march"]
    for url in (reverse(LIST), reverse("audit:detail", args=[event.pk]), reverse("audit:export")):
        assert auditor.post(url, {"action": "x"}).status_code == 405
        assert auditor.delete(url).status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).action == "org.create"


# --- what survives a rollback -------------------------------------------------------------------


def test_the_audit_of_a_failed_service_is_rolled_back_with_it(transactional_db, world, monkeypatch):
    from kexie.accounts import services

    real_record = services.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        account_services.user_create(
            actor=world.users["sysadmin"], username="ghost", password="Blue-Harbor-2026#"
        )
    assert not User.objects.filter(username="ghost").exists()
    assert not AuditEvent.objects.filter(action="user.create", actor=world.users["sysadmin"]).exists()


def test_the_audit_of_a_denied_permission_is_kept(transactional_db, world, client):
    client.force_login(world.users["sysadmin"])
    assert client.get(reverse(LIST)).status_code == 403
    denied = AuditEvent.objects.get(action="permission.denied", actor=world.users["sysadmin"])
    assert denied.outcome == AuditEvent.Outcome.DENIED
    assert denied.detail == {"permission": "audit.view"}
