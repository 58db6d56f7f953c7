"""Importing units: recognised by credit code or exact name, only within the scope."""

import pytest

from kexie.audit.models import AuditEvent
from kexie.people.models import Unit

from .import_helpers import (
    UNIT_HEADERS,
    credit_code,
    import_store,  # noqa: F401  an autouse fixture
    preview_of,
    upload,
)

pytestmark = pytest.mark.django_db


def units_import(client, rows, headers=UNIT_HEADERS):
    return preview_of(client, upload(client, "units", headers, rows))


def test_units_are_created_searchable_and_importing_them_again_changes_nothing(world, login):
    client = login("county_staff")
    rows = [
        ["甲县农业科学研究所", "科研院所", credit_code(1), "0571-87654321"],
        ["甲县第一中学", "school", "", ""],
    ]
    preview, url = units_import(client, rows)
    assert preview.context["preview"]["counts"]["new"] == 2
    client.post(url)
    institute = Unit.objects.get(name="甲县农业科学研究所")
    assert institute.organization == world.county_a and institute.kind == "institute"
    assert institute.credit_code == credit_code(1) and institute.contact_phone == "0571-87654321"
    assert "|jxnykxyjs|" in institute.search_text  # found by pinyin initials
    assert institute.sort_key.startswith("jiaxian")
    assert AuditEvent.objects.get(action="unit.import").detail["created"] == 2

    preview, url = units_import(client, rows)
    assert preview.context["preview"]["counts"]["unchanged"] == 2
    client.post(url)
    assert Unit.objects.filter(organization=world.county_a).count() == 2
    assert AuditEvent.objects.filter(action="unit.import").order_by("pk").last().detail["unchanged"] == 2


def test_a_registered_unit_is_merged_by_name(world, talent, login):
    client = login("county_staff")
    preview, url = units_import(client, [["甲县人民医院", "", credit_code(3), "13900139001"]])
    row = preview.context["preview"]["table"][0]
    assert row["status"] == "duplicate" and row["changes"] == ["统一社会信用代码", "联系电话"]
    client.post(url, {"on_duplicate": "merge"})
    talent.unit_a.refresh_from_db()
    assert talent.unit_a.credit_code == credit_code(3) and talent.unit_a.contact_phone == "13900139001"
    assert talent.unit_a.kind == "hospital"  # the empty cell left it alone


def test_bad_unit_rows_are_listed_by_row_and_column(world, login):
    Unit.objects.create(organization=world.county_b, name="乙县企业", credit_code=credit_code(4))
    client = login("county_staff")
    rows = [
        ["甲县甲公司", "", credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1"), ""],
        ["甲县乙公司", "", credit_code(4), ""],
        ["甲县丙公司", "工厂", "", "123"],
        ["甲县丁公司", "", credit_code(6), ""],
        ["甲县戊公司", "", credit_code(6), ""],
    ]
    preview, _url = units_import(client, rows)
    wrong = rows[0][2]
    assert preview.context["preview"]["problems"] == [
        f"第2行，统一社会信用代码：“{wrong}”不是有效的统一社会信用代码（18位，含校验码）。",
        f"第3行，统一社会信用代码：您数据范围以外的单位已使用统一社会信用代码 {credit_code(4)}。",
        "第4行，单位类型：“工厂”不是可填写的值（见模板第二个工作表）。",
        "第4行，联系电话：“123”不是有效的电话号码。",
        "第6行，统一社会信用代码：第5行也使用了相同的统一社会信用代码。",
    ]
