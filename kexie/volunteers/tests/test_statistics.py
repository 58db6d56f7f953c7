"""The volunteer service's figures against records counted independently, by child
organization, and on the dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kexie.statistics.definitions import definitions_for
from kexie.statistics.selectors import Breakdown, statistic_values
from kexie.volunteers.models import ServiceOrder
from kexie.volunteers.services import orders as services
from kexie.volunteers.testing import make_order

pytestmark = pytest.mark.django_db

CODES = [
    "volunteer_orders_received",
    "volunteer_orders_dispatched",
    "volunteer_orders_completed",
    "volunteer_completion_rate",
    "volunteer_hours_to_dispatch",
    "volunteer_hours_to_accept",
    "volunteer_rating_mean",
    "volunteer_rating_good_share",
    "volunteer_service_hours",
    "volunteers_active",
]


def served(
    world,
    volunteering,
    volunteer,
    *,
    hours="2",
    rating=None,
    division=None,
    organization=None,
    mobile="13912345678",
):
    order = make_order(volunteering, division=division, mobile=mobile)
    scope_org = organization or order.organization
    order = services.order_approve(actor=None, order=order)
    order = services.order_dispatch(
        actor=None, order=order, scope_organization=scope_org, volunteer=volunteer
    )
    order = services.order_accept(actor=None, order=order)
    order = services.order_deliver(
        actor=None,
        order=order,
        data=services.DeliveryData(served_on=timezone.localdate(), hours=hours, audience=30, report="完成"),
    )
    if rating:
        order = services.order_rate(actor=None, order=order, rating=rating)
    return order


def year_figures(organization, breakdown=""):
    today = timezone.localdate()
    return statistic_values(
        organization=organization,
        definitions=definitions_for(CODES),
        start=today.replace(month=1, day=1),
        end=today.replace(month=12, day=31),
        breakdown=breakdown,
    )


@pytest.fixture
def history(world, volunteering):
    """甲县: three services (rated 5, 3 and none), one order still waiting, one rejected;
    乙县: one service rated 4 by 李林."""
    served(world, volunteering, volunteering.zhang, hours="2", rating=5)
    served(world, volunteering, volunteering.liu, hours="1.5", rating=3, mobile="13912345601")
    served(world, volunteering, volunteering.zhang, hours="3", mobile="13912345602")
    make_order(volunteering, mobile="13912345603")
    services.order_reject(actor=None, order=make_order(volunteering, mobile="13912345604"), reason="重复")
    served(
        world,
        volunteering,
        volunteering.li,
        hours="4",
        rating=4,
        division=volunteering.county_b_division,
        mobile="13912345605",
    )


def test_the_figures_match_the_records_counted_by_hand(world, volunteering, history):
    figures = year_figures(world.city)
    orders = ServiceOrder.objects.all()
    assert figures.value("volunteer_orders_received") == orders.count() == 6
    assert (
        figures.value("volunteer_orders_dispatched")
        == orders.filter(dispatched_on__isnull=False).count()
        == 4
    )
    assert figures.value("volunteer_orders_completed") == 4
    assert figures.value("volunteer_completion_rate") == Decimal("66.7")  # 4 of 6
    assert figures.value("volunteer_rating_mean") == 4  # (5 + 3 + 4) / 3
    assert figures.value("volunteer_rating_good_share") == Decimal("66.7")  # 5 and 4 of three ratings
    assert figures.value("volunteer_service_hours") == Decimal("10.5")
    assert figures.value("volunteers_active") == 3
    assert figures.value("volunteer_hours_to_dispatch") >= 0


def test_by_county_the_columns_hold_each_countys_orders_and_the_total_is_not_a_sum(
    world, volunteering, history
):
    figures = year_figures(world.city, Breakdown.CHILD)
    county_a, county_b = world.county_a.path, world.county_b.path
    assert figures.value("volunteer_orders_received", county_a) == 5
    assert figures.value("volunteer_orders_received", county_b) == 1
    assert figures.value("volunteer_completion_rate", county_a) == Decimal("60")  # 3 of 5
    assert figures.value("volunteer_completion_rate", county_b) == 100
    assert figures.value("volunteer_completion_rate") == Decimal("66.7")
    assert figures.value("volunteer_rating_mean", county_a) == 4  # (5 + 3) / 2
    assert figures.value("volunteer_service_hours", county_a) == Decimal("6.5")
    assert figures.value("volunteers_active", county_a) == 2


def test_the_median_time_to_accept_is_measured_from_the_dispatch(world, volunteering):
    now = timezone.now()
    for pk, hours in ((1, 2), (2, 4), (3, 30)):
        order = make_order(volunteering, mobile=f"1391234{pk:04d}")
        ServiceOrder.objects.filter(pk=order.pk).update(
            status="accepted",
            dispatched_on=timezone.localdate(),
            first_dispatched_at=now - timedelta(hours=40),
            dispatched_at=now - timedelta(hours=hours + 1),
            accepted_at=now - timedelta(hours=1),
        )
    assert year_figures(world.county_a).value("volunteer_hours_to_accept") == 4


def test_the_county_dashboard_shows_the_services_and_their_hours(world, volunteering, history, login):
    import re

    from django.urls import reverse

    html = login("county_staff").get(reverse("reports:dashboard")).content.decode()

    def shown(code):
        return re.search(rf'data-figure="{code}">.*?data-value="([^"]+)"', html, re.S).group(1)

    assert shown("volunteer_orders_completed") == "3"
    assert shown("volunteer_service_hours") == "6.5"


def test_a_figure_links_to_the_orders_and_the_hours_it_counts(world, volunteering, history, login):
    import re

    from django.urls import reverse

    from kexie.statistics.definitions import get_definition
    from kexie.statistics.selectors import records_url

    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    client = login("county_staff")
    completed = records_url(
        get_definition("volunteer_orders_completed"), organization=world.county_a, start=start, end=end
    )
    assert completed.startswith(reverse("volunteers:board"))
    html = client.get(completed).content.decode()
    assert 'data-testid="statistic-heading"' in html
    assert len(re.findall(r'href="/volunteers/orders/\d+/"', html)) == 3  # the county's three services held
    hours = records_url(
        get_definition("volunteer_service_hours"), organization=world.county_a, start=start, end=end
    )
    html = client.get(hours).content.decode()
    assert html.count("<tr>") - 1 == 3  # 张农 twice (2 h, 3 h) and 刘医 once, under the header row
    outside = records_url(
        get_definition("volunteer_orders_completed"), organization=world.county_b, start=start, end=end
    )
    assert client.get(outside).status_code == 404
    export = client.get(reverse("volunteers:ledger_export") + hours[hours.index("?") :])
    assert export.status_code == 200
