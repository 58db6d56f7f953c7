"""A county staff member's day, in Chromium: log in, browse, create, find, export, and be
kept out of the sibling county. Screenshots go to var/screenshots/."""

import re
from io import BytesIO

import openpyxl
import pytest

from kexie.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TOWN = "甲县新城镇科学技术协会"


def log_in(page, username: str):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_county_staff_browses_creates_finds_exports_and_is_kept_out_of_the_sibling_county(
    page, world, screenshot
):
    log_in(page, "county_staff")
    assert "/accounts/login/" not in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "甲县科协" in page.locator("[data-testid=scope-switcher]").inner_text()

    # The tree starts at the county; the town beneath it is one click away.
    page.goto(f"{page.base_url}/orgs/tree/")
    tree = page.locator(".kx-tree")
    assert "甲县科学技术协会" in tree.inner_text()
    assert "乙县科学技术协会" not in page.content()
    page.get_by_role("link", name="甲镇科学技术协会").wait_for()
    screenshot(page, "tree")

    # Create a town association under the county.
    page.goto(f"{page.base_url}/orgs/new/?parent={world.county_a.pk}")
    page.select_option("select[name=kind]", "town_association")
    page.fill("input[name=name]", NEW_TOWN)
    page.fill("input[name=short_name]", "新城镇科协")
    page.fill("input[name=contact_phone]", "13912345678")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/orgs/\d+/$", page.url), page.url
    assert NEW_TOWN in page.locator("main h1").inner_text()
    assert "139****5678" in page.content()
    assert "13912345678" not in page.content()
    screenshot(page, "detail")

    # Find it in the list by pinyin initials.
    page.goto(f"{page.base_url}/orgs/?q=xcz")
    table = page.locator("[data-testid=org-table]")
    assert NEW_TOWN in table.inner_text()
    page.goto(f"{page.base_url}/orgs/")
    assert NEW_TOWN in page.locator("[data-testid=org-table]").inner_text()
    screenshot(page, "list")

    # Export the list: the file holds exactly the listed organizations.
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as downloaded:  # no extension on disk, so read the bytes
        sheet = openpyxl.load_workbook(BytesIO(downloaded.read())).worksheets[0]
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"甲县科学技术协会", "甲镇科学技术协会", NEW_TOWN} <= names
    assert "乙镇科学技术协会" not in names

    # The sibling county's organization does not exist for this user.
    response = page.goto(f"{page.base_url}/orgs/{world.town_b.pk}/")
    assert response.status == 404


def test_the_pages_fit_a_phone_screen(chromium, live_server, world, screenshot):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.base_url = live_server.url
    log_in(page, "city_admin")
    for path in ("/", "/orgs/tree/", "/orgs/", f"/orgs/{world.society.pk}/", "/orgs/stats/", "/orgs/new/"):
        page.goto(f"{page.base_url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} scrolls sideways on a phone ({width}px)"
    page.goto(f"{page.base_url}/orgs/")
    screenshot(page, "list-phone", full_page=False)
    context.close()
