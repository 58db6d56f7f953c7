"""Building import files and driving the import pages in tests (kexie/people/tests/test_import*.py)."""

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum.cn import ric, uscc

PEOPLE_HEADERS = ["姓名", "身份证号", "手机号", "职称", "工作单位"]
ROSTER_HEADERS = ["姓名", "性别", "身份证号", "手机号", "单位", "职称", "会员编号", "入会日期"]
UNIT_HEADERS = ["单位名称", "单位类型", "统一社会信用代码", "联系电话"]


def id_number(serial: int, birth: str = "19800101", area: str = "110105") -> str:
    """A valid resident ID number (real area and birth date, correct check digit)."""
    base = f"{area}{birth}{serial % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def bad_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def credit_code(serial: int) -> str:
    base = f"91330100MA2DD{serial:04d}"
    return base + uscc.calc_check_digit(base)


def workbook(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, kind, headers, rows, *, society=None, name="导入.xlsx", content=None):
    data = {
        "kind": kind,
        "file": SimpleUploadedFile(name, content if content is not None else workbook(headers, rows)),
    }
    if society is not None:
        data["society"] = society.pk
    return client.post(reverse("people:import"), data)


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:3000]
    url = response["Location"]
    return client.get(url), url


@pytest.fixture(autouse=True)
def import_store(settings, tmp_path):
    """Each test keeps its uploads in its own directory."""
    settings.KEXIE_IMPORT_DIR = tmp_path / "imports"
    return settings.KEXIE_IMPORT_DIR
