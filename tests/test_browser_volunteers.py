"""A science service from order to rating, in Chromium: a village orders the fruit-tree pest
control lecture on a phone (proving its mobile with an SMS code), the county dispatches it to
the volunteer the suggestion panel ranks first, the volunteer accepts and records the service
in their portal, the village rates it, and the county's dashboard counts one more service
and its hours. Screenshots go to var/screenshots/."""

import re

import pytest
from django.utils import timezone

from kexie.accounts.services import user_set_password
from kexie.core.testing import PASSWORD
from kexie.people.services.privacy import portal_account_create
from kexie.volunteers.models import OrderStatus, ServiceOrder
from kexie.volunteers.testing import next_weekday

from .test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(chromium, live_server, **options):
    context = chromium.new_context(locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def phone(chromium, live_server):
    context, page = _context(chromium, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    yield page
    context.close()


@pytest.fixture
def volunteer_page(chromium, live_server):
    context, page = _context(chromium, live_server, viewport={"width": 1280, "height": 860})
    yield page
    context.close()


@pytest.fixture
def zhang_login(volunteering):
    """张农 (agronomy, serving 甲县) holds a portal account."""
    account = portal_account_create(actor=None, person=volunteering.zhang.person, username="zhangnong")
    user_set_password(actor=account.user, user=account.user, password=PASSWORD)
    return "zhangnong"


def dashboard_value(page, code: str) -> str:
    page.goto(f"{page.base_url}/")
    return page.locator(f"[data-figure={code}] .kx-dash-value").get_attribute("data-value")


def test_a_village_orders_a_lecture_that_is_dispatched_served_rated_and_counted(
    page, phone, volunteer_page, world, volunteering, zhang_login, sms_sent, screenshot
):
    log_in(page, "county_staff")
    assert dashboard_value(page, "volunteer_orders_completed") == "0"

    # The village finds the lecture on the public menu on a phone and orders it.
    phone.goto(f"{phone.base_url}/service/?q=果树")
    screenshot(phone, "volunteers-01-menu-phone")
    phone.locator("[data-testid=menu-item]", has_text="果树病虫害防治讲座").locator(
        "[data-testid=order-item]"
    ).click()
    phone.select_option("select[name=division]", "320102")
    phone.fill("input[name=address]", "玄武区红山街道果园村村委会")
    phone.fill("input[name=preferred_on]", next_weekday().isoformat())
    phone.fill("input[name=expected_audience]", "40")
    phone.fill("input[name=requester_unit]", "果园村村民委员会")
    phone.fill("input[name=requester_name]", "王村长")
    phone.fill("input[name=mobile]", "13912345678")
    phone.click("[data-testid=send-code]")
    phone.wait_for_selector("[data-testid=code-sent]")
    ((mobile, text),) = sms_sent
    assert mobile == "13912345678"
    phone.fill("input[name=code]", re.search(r"\d{6}", text).group(0))
    screenshot(phone, "volunteers-02-order-phone")
    phone.click("[data-testid=submit-order]")
    phone.wait_for_selector("[data-testid=order-status-page]")
    status_url = phone.url
    assert "待审核" in phone.locator("[data-testid=order-status]").inner_text()
    order = ServiceOrder.objects.get()
    assert order.organization == world.county_a and order.menu_item == volunteering.item

    # The county accepts it and dispatches it to the volunteer ranked first, who fits best.
    page.goto(f"{page.base_url}/volunteers/")
    page.get_by_role("link", name="果树病虫害防治讲座").click()
    page.click("[data-testid=approve]")
    first = page.locator("[data-testid=suggestion]").first
    assert "张农" in first.inner_text()
    assert first.locator("[data-testid=reason]").count() >= 3  # why: field, region, free that day…
    screenshot(page, "volunteers-03-suggestions")
    first.locator("[data-testid=dispatch-volunteer]").click()
    page.wait_for_selector("[data-testid=waiting]")

    # The volunteer accepts in their portal and records the service held.
    log_in(volunteer_page, zhang_login)
    volunteer_page.goto(f"{volunteer_page.base_url}/me/volunteer/")
    volunteer_page.locator("[data-testid=in-hand] a", has_text="果树病虫害防治讲座").click()
    volunteer_page.click("[data-testid=accept]")
    volunteer_page.fill("input[name=served_on]", timezone.localdate().isoformat())
    volunteer_page.fill("input[name=hours]", "2")
    volunteer_page.fill("input[name=audience]", "45")
    volunteer_page.fill("textarea[name=report]", "讲解了果树春季修剪和病虫害绿色防控，现场答疑12个问题。")
    screenshot(volunteer_page, "volunteers-04-delivery")
    volunteer_page.click("[data-testid=deliver]")
    volunteer_page.wait_for_selector("text=待评价")

    # The village rates the service from its order page.
    phone.goto(status_url)
    phone.locator("[data-testid=rating-form] input[value='5']").check()
    phone.fill("textarea[name=comment]", "讲得很实用，村民都说好。")
    phone.click("[data-testid=rate]")
    phone.wait_for_selector("[data-testid=rated]")
    screenshot(phone, "volunteers-05-rated-phone")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.rating == 5

    # The county's dashboard counts the service and its hours.
    assert dashboard_value(page, "volunteer_orders_completed") == "1"
    assert dashboard_value(page, "volunteer_service_hours") == "2"
    screenshot(page, "volunteers-06-dashboard")
