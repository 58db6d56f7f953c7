"""A science-day lecture from record to statistics, in Chromium: county staff record it with
sign-up, the city approves it, a member of the public signs up on a phone, staff check her in
at the door, and the audience she makes shows in the county's statistics and, under the
county, in the city's. Screenshots go to var/screenshots/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kexie.activities.models import Activity, Campaign, CampaignEdition, Status

from .test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "甲县全国科普日科普讲座"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def science_day():
    """This year's edition of 全国科普日, running this week (the lecture joins it)."""
    today = timezone.localdate()
    return CampaignEdition.objects.create(
        campaign=Campaign.objects.get(code="science_day"),
        year=today.year,
        starts_on=max(date(today.year, 1, 1), today - timedelta(days=1)),
        ends_on=min(date(today.year, 12, 31), today + timedelta(days=5)),
    )


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def city(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_lecture_with_sign_up_reaches_the_county_and_city_statistics(
    page, phone, city, world, science_day, screenshot
):
    # County staff record the lecture, starting in half an hour, as part of 全国科普日.
    log_in(page, "county_staff")
    page.goto(f"{page.base_url}/activities/new/")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=kind]", label="科普讲座")
    page.wait_for_selector("input[name=onsite_participants]")  # the lecture's figures swapped in
    assert page.locator("input[name=display_boards]").count() == 0  # an exhibition's are not asked
    now = timezone.now()
    page.fill("input[name=starts_at]", local(now + timedelta(minutes=30)))
    page.fill("input[name=ends_at]", local(now + timedelta(hours=3)))
    page.fill("input[name=venue]", "甲县科技馆报告厅")
    page.select_option("select[name=campaign_edition]", value=str(science_day.pk))
    page.click("[data-testid=activity-form] button[type=submit]")
    page.wait_for_selector("[data-testid=activity-title]")
    activity = Activity.objects.get(title=TITLE)
    assert activity.organization == world.county_a and activity.status == Status.DRAFT
    page.click("[data-testid=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=approve]").count() == 0  # the county does not approve its own
    screenshot(page, "activity-submitted")

    # The city association approves it.
    log_in(city, "city_admin")
    city.goto(f"{city.base_url}/activities/approvals/")
    city.click(f"[data-testid=approval-queue] a:has-text('{TITLE}')")
    city.click("[data-testid=approve]")
    city.wait_for_load_state("networkidle")
    activity.refresh_from_db()
    assert activity.status == Status.APPROVED

    # The county opens sign-up: 30 places.
    page.goto(f"{page.base_url}/activities/{activity.pk}/signups/settings/")
    page.fill("input[name=capacity]", "30")
    page.click("[data-testid=signup-settings-form] button[type=submit]")
    page.wait_for_load_state("networkidle")

    # A member of the public finds it on her phone and signs up, without an account.
    phone.goto(f"{phone.base_url}/events/")
    phone.click(f"[data-testid=event-list] a:has-text('{TITLE}')")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.fill("[data-testid=signup-form] input[name=name]", "陈晓燕")
    phone.fill("[data-testid=signup-form] input[name=mobile]", "13912345678")
    phone.click("[data-testid=signup-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=signup-code]")
    assert phone.locator("[data-testid=signup-status]").inner_text() == "已确认"
    code = phone.locator("[data-testid=signup-code]").inner_text().strip()
    screenshot(phone, "activity-signed-up-phone")

    # At the door, staff check her in by the code on her phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/activities/{activity.pk}/checkin/")
    page.fill("[data-testid=checkin-form] input[name=query]", code)
    page.click("[data-testid=checkin-form] button[type=submit]")
    page.wait_for_selector("[data-testid=checked-in]")
    assert "陈晓燕" in page.locator("[data-testid=checked-in]").inner_text()
    screenshot(page, "activity-checked-in-phone")
    page.set_viewport_size({"width": 1366, "height": 860})

    # The lecture has begun (the clock moved on): staff mark it held and take the
    # check-ins as its on-site audience.
    # (Its date moves with it: created half an hour ahead late in the evening, it was dated
    # tomorrow, which this year to date does not count yet.)
    begun = timezone.now() - timedelta(minutes=5)
    Activity.objects.filter(pk=activity.pk).update(starts_at=begun, held_on=timezone.localtime(begun).date())
    page.goto(f"{page.base_url}/activities/{activity.pk}/")
    page.click("[data-testid=mark-held]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{page.base_url}/activities/{activity.pk}/signups/")
    page.click("[data-testid=use-checkins]")
    page.wait_for_load_state("networkidle")
    activity.refresh_from_db()
    assert activity.status == Status.HELD and activity.onsite_participants == 1

    # The county's statistics count the lecture and its audience of one…
    page.goto(f"{page.base_url}/statistics/")
    assert page.locator("[data-figure=popsci_events] [data-value]").first.get_attribute("data-value") == "1"
    audience = page.locator("[data-figure=popsci_onsite_audience] [data-value]").first
    assert audience.get_attribute("data-value") == "1"
    screenshot(page, "statistics-county")

    # …and the city's show them under 甲县科协.
    city.goto(f"{city.base_url}/statistics/")
    header = city.locator("[data-testid=breakdown-table] thead th")
    column = [header.nth(i).get_attribute("data-figure") for i in range(header.count())].index(
        "popsci_onsite_audience"
    )
    row = city.locator(f"[data-testid=breakdown-table] tr[data-row='{world.county_a.pk}'] td")
    assert row.nth(column).get_attribute("data-value") == "1"
    other = city.locator(f"[data-testid=breakdown-table] tr[data-row='{world.county_b.pk}'] td")
    assert other.nth(column).get_attribute("data-value") == "0"
    screenshot(city, "statistics-city")
