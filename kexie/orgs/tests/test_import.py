from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from stdnum.cn import uscc

from kexie.accounts.roles import Role
from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.scoping import Scope
from kexie.core.testing import make_org, make_user
from kexie.orgs import importing
from kexie.orgs.models import Kind, Organization

pytestmark = pytest.mark.django_db

HEADERS = ["Name", "Kind", "Parent", "Unified social credit code", "Contact phone", "Founding date"]
COUNTY = "丙县科学技术协会"
TOWN = "丙县新镇科学技术协会"


def credit_code(number: int) -> str:
    base = f"91330100MA2CC{number:04d}"
    return base + uscc.calc_check_digit(base)


def workbook(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, rows, headers=HEADERS, name="组织导入.xlsx", content=None):
    file = SimpleUploadedFile(name, content if content is not None else workbook(rows, headers))
    return client.post(reverse("orgs:import"), {"file": file})


def county_and_town_rows():
    return [
        [
            COUNTY,
            "county_association",
            "示例市科学技术协会",
            credit_code(1),
            "0571-87654321",
            date(2001, 3, 1),
        ],
        [TOWN, "town_association", COUNTY, credit_code(2), "13900139000", "2019-08-01"],
    ]


def row_label(number: int) -> str:
    """How a problem's row reads in the UI language: 第3行 in Chinese, “Row 3” in English."""
    with translation.override(settings.LANGUAGE_CODE):
        return importing.problem(number, "\x00", "").split("\x00")[0]


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]), response["Location"]


# --- a good file ---------------------------------------------------------------------------


def test_a_county_and_its_town_from_one_file_preview_ok_and_are_imported_together(world, login):
    client = login("city_admin")
    preview, url = preview_of(client, upload(client, county_and_town_rows()))
    check = preview.context["check"]
    assert check.is_valid and check.valid_count == 2
    page = preview.content.decode()
    assert 'data-testid="apply-button"' in page
    assert COUNTY in page and TOWN in page

    response = client.post(url, follow=True)
    county = Organization.objects.get(name=COUNTY)
    town = Organization.objects.get(name=TOWN)
    assert county.parent == world.city and town.parent == county
    assert county.kind == Kind.COUNTY_ASSOCIATION and county.founded_on == date(2001, 3, 1)
    assert town.contact_phone == "13900139000" and town.founded_on == date(2019, 8, 1)
    assert response.redirect_chain[-1][0] == reverse("orgs:list")
    creates = AuditEvent.objects.filter(action="org.create", actor=world.users["city_admin"])
    assert set(creates.values_list("object_id", flat=True)) == {str(county.pk), str(town.pk)}
    summary = AuditEvent.objects.get(action="org.import")
    assert summary.detail["rows"] == 2 and summary.detail["filename"] == "组织导入.xlsx"


def test_a_parent_may_be_given_by_credit_code_or_left_empty_for_the_users_own_organization(world, login):
    world.users["county_admin"] = make_user("county_admin", world.county_a, Role.ORG_ADMIN)
    client = login("county_admin")
    rows = [
        ["甲县某公司科协", "enterprise_association", "", "", "", ""],
        ["甲县农学会", "society", "", credit_code(5), "", ""],
        ["甲县农学会植保分会", "society_branch", credit_code(5), "", "", ""],
    ]
    preview, url = preview_of(client, upload(client, rows))
    assert preview.context["check"].problems == []
    client.post(url)
    assert Organization.objects.get(name="甲县某公司科协").parent == world.county_a
    assert Organization.objects.get(name="甲县农学会植保分会").parent.name == "甲县农学会"


def test_headers_and_kinds_are_recognised_by_code_and_in_the_ui_language(world, login):
    with translation.override(settings.LANGUAGE_CODE):
        name, kind = str(importing.COLUMNS_BY_KEY["name"].label), str(Kind.SOCIETY.label)
    client = login("city_admin")
    rows = [["示例市护理学会", kind, ""], ["示例市农学会", "SOCIETY", "示例市科协"]]
    preview, _url = preview_of(client, upload(client, rows, headers=[name, "kind", "parent"]))
    assert preview.context["check"].is_valid


# --- bad rows ------------------------------------------------------------------------------


def test_a_bad_check_digit_is_reported_by_row_and_column_and_nothing_can_be_applied(world, login):
    client = login("city_admin")
    rows = county_and_town_rows()
    rows[1][3] = credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1")
    preview, url = preview_of(client, upload(client, rows))
    page = preview.content.decode()
    assert row_label(3) + "Unified social credit code" in page
    assert 'data-testid="apply-button"' not in page
    assert 'class="table-danger"' in page
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Row 3, Unified social credit code:" in english

    response = client.post(url)  # forcing the apply anyway
    assert response.status_code == 200
    assert not Organization.objects.filter(name__in=[COUNTY, TOWN]).exists()
    assert not AuditEvent.objects.filter(
        action__in=["org.create", "org.import"], actor__isnull=False
    ).exists()


def test_every_problem_of_every_row_is_listed(world, login):
    client = login("city_admin")
    rows = [
        ["", "society", "", "", "", ""],
        ["某学会", "no_such_kind", "", "", "12345", "去年"],
        ["某镇科协", "town_association", "", "", "", "2999-01-01"],
    ]
    preview, _url = preview_of(client, upload(client, rows))
    problems = preview.context["check"].problems
    assert len(problems) == 6
    assert problems[0].startswith(row_label(2) + "Name")
    columns = {(row.number, key) for row in preview.context["check"].rows for key in row.errors}
    assert columns == {
        (2, "name"),
        (3, "kind"),
        (3, "contact_phone"),
        (3, "founded_on"),
        (4, "parent"),  # a town cannot sit under the city
        (4, "founded_on"),
    }
    assert preview.context["check"].invalid_count == 3


def test_a_credit_code_twice_in_the_file_is_reported_on_the_second_row(world, login):
    client = login("city_admin")
    rows = county_and_town_rows()
    rows[1][3] = rows[0][3]
    preview, _url = preview_of(client, upload(client, rows))
    row = preview.context["check"].rows[1]
    assert list(row.errors) == ["credit_code"]
    assert "2" in row.errors["credit_code"][0]
    assert preview.context["check"].rows[0].is_valid


def test_a_credit_code_already_in_the_database_is_reported(world, login):
    make_org(world.county_b, Kind.ENTERPRISE_ASSOCIATION, "乙县某公司科协", credit_code=credit_code(1))
    client = login("city_admin")
    preview, _url = preview_of(client, upload(client, county_and_town_rows()))
    assert list(preview.context["check"].rows[0].errors) == ["credit_code"]
    assert credit_code(1) in preview.context["check"].rows[0].errors["credit_code"][0]


def test_a_parent_outside_the_users_scope_is_reported_as_not_found(world, login):
    world.users["county_admin"] = make_user("county_admin", world.county_a, Role.ORG_ADMIN)
    client = login("county_admin")
    rows = [["乙县某公司科协", "enterprise_association", "乙县科学技术协会", "", "", ""]]
    preview, _url = preview_of(client, upload(client, rows))
    errors = preview.context["check"].rows[0].errors
    assert list(errors) == ["parent"]
    assert "乙县科学技术协会" in errors["parent"][0]
    assert 'data-testid="apply-button"' not in preview.content.decode()


def test_a_parent_must_come_before_the_rows_under_it(world, login):
    client = login("city_admin")
    rows = list(reversed(county_and_town_rows()))
    preview, _url = preview_of(client, upload(client, rows))
    assert list(preview.context["check"].rows[0].errors) == ["parent"]


def test_the_example_row_of_the_template_is_not_imported(world, login):
    client = login("city_admin")
    template = client.get(reverse("orgs:import_template")).content
    preview, _url = preview_of(client, upload(client, None, content=template))
    row = preview.context["check"].rows[0]
    assert list(row.errors) == [importing.ROW_PROBLEM]


# --- bad files -----------------------------------------------------------------------------


def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(world, login):
    client = login("city_admin")
    response = upload(client, None, name="orgs.csv", content="名称,类型\n".encode())
    assert response.status_code == 200
    assert ".xlsx" in response.context["form"].errors["file"][0]
    response = upload(client, None, name="orgs.xlsx", content=b"not a workbook")
    [error] = response.context["form"].errors["file"]
    assert ".xlsx" in error
    assert error in response.content.decode()


def test_unknown_and_missing_headers_are_reported_on_the_upload_page(world, login):
    client = login("city_admin")
    response = upload(client, [["某学会", "学会"]], headers=["名字", "Parent"])
    errors = response.context["form"].errors["file"]
    assert any(error.startswith(row_label(1)) and "名字" in error for error in errors)
    assert len(errors) == 3  # the unknown column, and the missing name and kind columns


def test_an_empty_file_is_refused(world, login):
    client = login("city_admin")
    response = upload(client, [])
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


# --- applying once -------------------------------------------------------------------------


def test_re_posting_an_applied_import_does_not_import_twice(world, login):
    client = login("city_admin")
    _preview, url = preview_of(client, upload(client, county_and_town_rows()))
    client.post(url)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("orgs:import")
    assert Organization.objects.filter(name__in=[COUNTY, TOWN]).count() == 2
    assert AuditEvent.objects.filter(action="org.import").count() == 1


def test_the_same_token_is_applied_at_most_once_even_from_another_session(world):
    scope = Scope(user=world.users["city_admin"], membership=world.users["city_admin"].memberships.get())
    content = workbook(county_and_town_rows())
    sheet = importing.sheet_read(content, "a.xlsx")
    importing.sheet_apply(actor=world.users["city_admin"], scope=scope, sheet=sheet, token="t" * 32)
    sheet = importing.sheet_read(content, "a.xlsx")
    with pytest.raises(DomainError):
        importing.sheet_apply(actor=world.users["city_admin"], scope=scope, sheet=sheet, token="t" * 32)
    assert Organization.objects.filter(name=COUNTY).count() == 1


def test_a_failure_while_applying_writes_nothing(world, login, monkeypatch):
    client = login("city_admin")
    _preview, url = preview_of(client, upload(client, county_and_town_rows()))
    make_org(world.county_b, Kind.ENTERPRISE_ASSOCIATION, "抢先登记的科协", credit_code=credit_code(2))
    response = client.post(url)
    assert response.status_code == 200
    assert row_label(3) in response.content.decode()
    assert not Organization.objects.filter(name__in=[COUNTY, TOWN]).exists()


def test_an_unknown_token_sends_the_user_back_to_the_upload_page(world, login):
    response = login("city_admin").get(reverse("orgs:import_preview", args=["0" * 32]))
    assert response.status_code == 302 and response["Location"] == reverse("orgs:import")


# --- who may import ------------------------------------------------------------------------


def test_staff_without_the_manage_permission_cannot_import(world, login):
    client = login("county_staff")
    assert client.get(reverse("orgs:import")).status_code == 403
    assert client.get(reverse("orgs:import_template")).status_code == 403
    assert upload(client, county_and_town_rows()).status_code == 403


def test_the_template_has_the_columns_an_example_and_the_list_of_kinds(world, login):
    response = login("city_admin").get(reverse("orgs:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(BytesIO(response.content))
    columns, kinds = book.worksheets
    with translation.override(settings.LANGUAGE_CODE):
        expected = [str(column.label) for column in importing.COLUMNS]
        county_label = str(Kind.COUNTY_ASSOCIATION.label)
    assert [cell.value for cell in columns[1]] == expected
    assert columns.max_row == 2  # the example row
    codes = {row[1].value: row[0].value for row in kinds.iter_rows(min_row=2)}
    assert codes["county_association"] == county_label
    assert len(codes) == len(Kind)


def test_excel_dates_and_numbers_are_read_as_the_user_typed_them(world, login):
    client = login("city_admin")
    rows = [["示例市护理学会", "society", "", "", 13800138000, datetime(2010, 5, 4)]]
    preview, url = preview_of(client, upload(client, rows))
    assert preview.context["check"].is_valid
    client.post(url)
    society = Organization.objects.get(name="示例市护理学会")
    assert (society.contact_phone, society.founded_on) == ("13800138000", date(2010, 5, 4))


def test_a_file_with_too_many_rows_is_refused_before_checking(world, login, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 1)
    response = upload(login("city_admin"), county_and_town_rows())
    [error] = response.context["form"].errors["file"]
    assert "2" in error and "1" in error
    assert not Organization.objects.filter(name=COUNTY).exists()
