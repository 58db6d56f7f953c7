"""A society secretary's roster import, in Chromium: a file with two bad rows is refused with
every problem shown by row and column, the corrected file is imported, and a new member is
found in the people list by the initials of her name. Screenshots go to var/screenshots/."""

from io import BytesIO

import openpyxl
import pytest
from stdnum.cn import ric

from kexie.people.models import Person, SocietyMembership

from .test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["姓名", "性别", "身份证号", "手机号", "单位", "职称", "会员编号", "入会日期"]


def id_number(birth: str, serial: int) -> str:
    base = f"330106{birth}{serial:03d}"
    return base + ric.calc_check_digit(base + "0")


GOOD_ID = id_number("19860214", 123)
SECOND_ID = id_number("19880505", 456)
BAD_ID = SECOND_ID[:-1] + ("1" if SECOND_ID[-1] != "1" else "2")


def roster(*, fixed: bool) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["欧阳明华", "男", GOOD_ID, "13512345601", "", "高级工程师", "JSJ-301", "2024-03-01"])
    sheet.append(
        ["司马青", "", SECOND_ID if fixed else BAD_ID, "13512345602", "", "研究员", "JSJ-302", "2024-03-01"]
    )
    sheet.append(
        ["诸葛芸", "女", "", "13512345603" if fixed else "1351234560", "", "", "JSJ-303", "2024-04-15"]
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_roster(page, content: bytes):
    page.goto(f"{page.base_url}/people/import/")
    assert page.locator("#kx-kind-members").is_checked()  # a secretary imports her roster
    page.set_input_files("input[name=file]", {"name": "会员名册.xlsx", "mimeType": XLSX, "buffer": content})
    page.click("[data-testid=check-button]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def import_store(settings, tmp_path):
    settings.KEXIE_IMPORT_DIR = tmp_path / "imports"


def test_a_secretary_imports_a_roster_fixes_two_bad_rows_and_finds_a_member_by_initials(
    page, world, screenshot
):
    log_in(page, "society_secretary")

    upload_roster(page, roster(fixed=False))
    problems = page.locator("[data-testid=import-problems]")
    problems.wait_for()
    text = problems.inner_text()
    assert f"第3行，身份证号：身份证号“{BAD_ID}”的校验码不正确。" in text
    assert "第4行，手机号：“1351234560”不是有效的电话号码。" in text
    assert page.locator("[data-testid=apply-button]").count() == 0
    assert page.locator("[data-testid=import-table] tr[data-status=invalid]").count() == 2
    screenshot(page, "people-import-errors")
    assert not Person.objects.filter(name__in=["欧阳明华", "司马青", "诸葛芸"]).exists()

    upload_roster(page, roster(fixed=True))
    assert "新增3条" in page.locator("[data-testid=import-totals]").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=apply-button]")
    page.wait_for_load_state("networkidle")
    result = page.locator("[data-testid=import-result]")
    result.wait_for()
    assert "导入完成：新增3条，合并0条，跳过0条，无变化0条。" in result.inner_text()
    screenshot(page, "people-import-done")
    assert SocietyMembership.objects.filter(society=world.society, number__startswith="JSJ-30").count() == 3

    page.goto(f"{page.base_url}/people/")
    page.fill("input[name=q]", "oymh")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    table = page.locator("[data-testid=people-table]")
    table.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=people-table]').innerText.includes('欧阳明华')"
    )
    assert "欧阳明华" in table.inner_text()
    assert "司马青" not in table.inner_text()
    assert "135****5601" in table.inner_text()
    screenshot(page, "people-import-found-by-initials")


def test_county_staff_finds_a_unit_by_its_initials_and_the_list_shows_its_people(page, world, screenshot):
    from kexie.people.services.people import PersonData, person_create
    from kexie.people.testing import build_talent

    talent = build_talent(world)
    person_create(actor=None, organization=world.county_a, data=PersonData(name="赵敏"))
    log_in(page, "county_staff")
    page.goto(f"{page.base_url}/people/")
    table = page.locator("[data-testid=people-table]")
    assert "赵敏" in table.inner_text() and "张伟" in table.inner_text()
    select = page.locator("select[name=unit]")
    assert select.locator("option").count() == 1  # nothing but "any unit" until a search
    page.fill("#id_unit_find", "jxrm")
    page.wait_for_function("() => document.querySelectorAll('select[name=unit] option').length > 1")
    assert "甲县人民医院" in select.inner_text()
    screenshot(page, "people-list-unit-search", full_page=False)
    select.select_option(str(talent.unit_a.pk))
    page.wait_for_url(f"**unit={talent.unit_a.pk}**")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=people-table]').innerText.includes('赵敏')"
    )
    assert "张伟" in table.inner_text()
    assert "unit_find" not in page.url and "find=" not in page.url  # the search box is not a filter
    page.reload()
    assert page.locator("select[name=unit] option:checked").inner_text() == "甲县人民医院"
