"""The statistics page on a phone, in Chromium: the trend chart draws under the CSP, the page
does not scroll sideways (tables scroll inside their cards), choosing another figure redraws
the chart, and a figure opens the records it counts. Screenshots go to var/screenshots/."""

import pytest

from tests.test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_city_admin_reads_the_statistics_on_a_phone_and_opens_the_records_of_a_figure(
    phone,
    world,
    figures,
    screenshot,
):
    refused = []
    phone.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    log_in(phone, "city_admin")
    phone.goto(f"{phone.base_url}/statistics/?year=2025")
    phone.wait_for_selector("[data-testid=trend] .kx-chart canvas")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("[data-figure=popsci_events] [data-value]").first.inner_text().startswith("4")
    screenshot(phone, "statistics-phone")

    phone.select_option("#s-trend", "visits_made")
    phone.wait_for_url("**trend=visits_made**")
    phone.wait_for_selector("[data-testid=trend] .kx-chart canvas")
    assert phone.locator("#s-trend").input_value() == "visits_made"

    phone.locator("[data-figure=popsci_events] a").first.click()
    phone.wait_for_load_state("networkidle")
    assert "/activities/" in phone.url and "stat=popsci_events" in phone.url
    for title in ("甲县春季讲座", "甲县夏季讲座", "甲镇大篷车", "乙县讲座"):
        assert title in phone.content()
    assert "甲县草稿讲座" not in phone.content() and "乙县取消讲座" not in phone.content()
    assert not [text for text in refused if "Content Security Policy" in text], refused


def test_the_statistics_page_on_a_desktop(chromium, live_server, world, figures, screenshot):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    page = context.new_page()
    page.base_url = live_server.url
    log_in(page, "city_admin")
    page.goto(f"{page.base_url}/statistics/?year=2025")
    page.wait_for_selector("[data-testid=trend] .kx-chart canvas")
    assert page.locator("#s-trend").input_value() == "popsci_events"
    screenshot(page, "statistics-desktop")
    context.close()
