"""The dashboard in Chromium: login lands on it, the trend chart draws under the CSP, the
page does not scroll sideways on a phone, choosing the ranking's figure keeps the period,
and a ranked value opens that child's records. Screenshots go to var/screenshots/."""

import pytest

from tests.test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_city_admin_lands_on_the_dashboard_and_ranks_the_counties_on_a_phone(
    chromium, live_server, world, figures, screenshot
):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    phone.base_url = live_server.url
    refused = []
    phone.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    log_in(phone, "city_admin")
    assert phone.url.rstrip("/") == live_server.url  # the home page is the dashboard
    phone.goto(f"{phone.base_url}/?year=2025")
    phone.wait_for_selector("[data-testid=trend] .kx-chart canvas")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("[data-figure=popsci_events] [data-value]").first.inner_text().startswith("4")
    screenshot(phone, "dashboard-phone")

    phone.select_option("#d-rank", "popsci_onsite_audience")
    phone.wait_for_url("**rank=popsci_onsite_audience**")
    assert "year=2025" in phone.url
    first = phone.locator("[data-testid=ranking-table] tbody tr").first
    assert "甲县科协" in first.inner_text() and "200" in first.inner_text()  # 100 + 40 + the town's 60

    first.locator("a.kx-figure-link").click()
    phone.wait_for_load_state("networkidle")
    assert "/activities/" in phone.url
    content = phone.content()
    assert "甲县春季讲座" in content and "甲镇大篷车" in content and "乙县讲座" not in content
    assert not [text for text in refused if "Content Security Policy" in text], refused
    context.close()


def test_the_dashboard_on_a_desktop(chromium, live_server, world, figures, screenshot):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    page = context.new_page()
    page.base_url = live_server.url
    log_in(page, "city_admin")
    page.goto(f"{page.base_url}/?year=2025")
    page.wait_for_selector("[data-testid=trend] .kx-chart canvas")
    assert page.locator("[data-testid=attention-approvals]").inner_text().count("甲县待审讲座") == 1
    screenshot(page, "dashboard-desktop")
    context.close()


def _context_page(chromium, live_server):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 860}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    return context, page


def test_a_county_reports_its_year_the_city_returns_it_accepts_it_and_drafts_its_annual_report(
    chromium, live_server, world, figures, screenshot
):
    from kexie.accounts.roles import Role
    from kexie.core.testing import make_user

    make_user("county_admin", world.county_a, Role.ORG_ADMIN)
    county_context, county = _context_page(chromium, live_server)
    city_context, city = _context_page(chromium, live_server)
    log_in(county, "county_admin")
    log_in(city, "city_admin")
    year_2025 = "/reports/?period=year&year=2025&number=1"

    # 甲县 submits its 2025.
    county.goto(county.base_url + year_2025)
    county.fill("textarea[name=remarks]", "全年数字已核对")
    county.click("[data-testid=submit-form] button[type=submit]")
    county.wait_for_selector("[data-testid=state]")
    assert "已上报" in county.locator("[data-testid=state]").inner_text()

    # The city sees it, and returns it with a reason.
    city.goto(city.base_url + year_2025)
    row = city.locator(f"[data-testid=children-table] tr[data-row='{world.county_a.pk}']")
    assert "已上报" in row.inner_text()
    row.locator("a").click()
    city.wait_for_selector("[data-testid=review]")
    assert "全年数字已核对" in city.locator("[data-testid=remarks]").inner_text()
    city.fill("#r-reason", "培训人次与台账不符，请核对")
    city.click("[data-testid=return]")
    city.wait_for_selector("[data-testid=return-reason]")
    screenshot(city, "report-returned")

    # 甲县 reads the reason and submits again.
    county.goto(county.base_url + year_2025)
    assert "培训人次与台账不符" in county.locator("[data-testid=returned]").inner_text()
    county.click("[data-testid=submit-form] button[type=submit]")
    county.wait_for_selector("[data-testid=state]")

    # The city accepts it.
    city.goto(city.base_url + year_2025)
    row = city.locator(f"[data-testid=children-table] tr[data-row='{world.county_a.pk}']")
    row.locator("a").click()
    city.click("[data-testid=accept]")
    city.wait_for_selector("[data-testid=state] .bg-success-subtle")
    assert "已接收" in city.locator("[data-testid=state]").inner_text()

    # The city drafts its annual report and downloads it.
    city.goto(city.base_url + "/reports/documents/")
    city.select_option("#d-first", "2025")
    city.click("[data-testid=document-form] button[type=submit]")
    city.wait_for_selector("[data-testid=download-docx]")
    screenshot(city, "annual-report-page")
    with city.expect_download() as download:
        city.click("[data-testid=download-docx]")
    from docx import Document

    document = Document(str(download.value.path()))
    assert document.paragraphs[0].text == "示例市科学技术协会2025年工作总结"
    assert download.value.suggested_filename.endswith(".docx")
    county_context.close()
    city_context.close()
