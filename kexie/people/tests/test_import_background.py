"""Large files: checked and applied by background tasks while the preview page polls the
progress (the test settings run tasks at once, with Django's ImmediateBackend)."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.people import importing
from kexie.people.models import Person

from .import_helpers import (
    PEOPLE_HEADERS,
    id_number,
    import_store,  # noqa: F401  an autouse fixture
    preview_of,
    upload,
)

pytestmark = pytest.mark.django_db

ROWS = [[f"林{n}", id_number(40 + n), f"1370013704{n}", "", ""] for n in range(3)]


@pytest.fixture
def small_sync_limit(monkeypatch):
    monkeypatch.setattr(importing, "SYNC_ROWS", 2)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_a_file_over_the_limit_is_checked_and_applied_by_tasks(world, login, small_sync_limit):
    client = login("county_staff")
    preview, url = preview_of(client, upload(client, "people", PEOPLE_HEADERS, ROWS))
    assert preview.context["state"]["phase"] == "checked"
    assert preview.context["preview"]["counts"]["new"] == 3
    response = client.post(url, follow=True)
    assert response.context["state"]["phase"] == "applied"
    assert "导入完成：新增3条，合并0条，跳过0条，无变化0条。" in response.content.decode()
    assert Person.objects.filter(name__startswith="林").count() == 3
    assert AuditEvent.objects.get(action="person.import").detail["token"] == token_of(url)


def test_the_preview_page_polls_the_progress_while_the_task_works(world, login, small_sync_limit):
    client = login("county_staff")
    _preview, url = preview_of(client, upload(client, "people", PEOPLE_HEADERS, ROWS))
    upload_record = importing.upload_get(token_of(url))
    importing.state_write(upload_record, phase="applying", done=1000, total=3000)
    page = client.get(url).content.decode()
    assert 'data-testid="import-progress"' in page
    assert f'hx-get="{reverse("people:import_progress", args=[token_of(url)])}"' in page
    partial = client.get(url + "progress/", HTTP_HX_REQUEST="true")
    assert "1000 / 3000 行" in partial.content.decode() and "<html" not in partial.content.decode()
    assert client.post(url).status_code == 302  # no second apply while one is running
    assert not Person.objects.filter(name__startswith="林").exists()

    importing.state_write(upload_record, phase="applied", result={})
    finished = client.get(url + "progress/", HTTP_HX_REQUEST="true")
    assert finished.headers["HX-Refresh"] == "true"


def test_a_task_that_fails_marks_the_upload_failed(world, login, small_sync_limit, monkeypatch):
    from kexie.people.services import importing as services

    def broken(**kwargs):
        raise RuntimeError("database went away")

    client = login("county_staff")
    _preview, url = preview_of(client, upload(client, "people", PEOPLE_HEADERS, ROWS))
    monkeypatch.setattr(services, "sheet_check", broken)
    client.post(url)
    page = client.get(url).content.decode()
    assert "导入失败，未写入任何数据。" in page
    assert not Person.objects.filter(name__startswith="林").exists()


def test_uploads_left_waiting_are_purged(world, login, settings):
    store = settings.KEXIE_IMPORT_DIR
    client = login("county_staff")
    _preview, url = preview_of(client, upload(client, "people", PEOPLE_HEADERS, ROWS))
    assert (store / token_of(url)).exists()
    importing.uploads_purge(now=10**12)
    assert not (store / token_of(url)).exists()
    assert client.get(url)["Location"] == reverse("people:import")


def test_the_reader_handles_shared_strings_rich_text_inline_strings_dates_and_gaps():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", None, "出生日期", "手机号"])
    sheet.append(["张三", None, date(1980, 5, 20), 13800138000])
    sheet.append([None, None, None, None])
    sheet["A4"] = "李四"
    sheet["D4"] = "13900139000"
    sheet["C4"] = 29221.0  # a serial number without a date format stays a number
    buffer = BytesIO()
    book.save(buffer)
    headers, rows = importing.read_rows(buffer.getvalue(), limit=10)
    assert headers == ["姓名", "", "出生日期", "手机号"]
    assert rows == [(2, ["张三", "", "1980-05-20", "13800138000"]), (4, ["李四", "", "29221", "13900139000"])]


def test_the_reader_refuses_a_workbook_with_a_dtd():
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["姓名"])
    buffer = BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(BytesIO(buffer.getvalue()))
    patched = BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            target.writestr(item, data)
    with pytest.raises(importing.UnreadableSheet):
        importing.read_rows(patched.getvalue(), limit=10)


def test_the_templates_have_chinese_headers_an_example_row_and_the_allowed_values(world, login):
    client = login("society_secretary")
    for kind, first in (("people", "姓名"), ("units", "单位名称"), ("members", "会员类型")):
        response = client.get(reverse("people:import_template"), {"kind": kind})
        assert response.status_code == 200
        book = openpyxl.load_workbook(BytesIO(response.content))
        header, example = list(book.worksheets[0].iter_rows(max_row=2, values_only=True))
        assert header[0] == first
        assert example[0] in ("张三（示例行）", "示例科技有限公司（示例行）", "个人会员")
        assert book.worksheets[1].title == "可填写的值"
    assert client.get(reverse("people:import_template"), {"kind": "cars"}).status_code == 404
