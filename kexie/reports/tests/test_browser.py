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
