"""The pages of the volunteer service, as the dispatcher, the requester and the volunteer
use them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.audit.models import AuditEvent
from kexie.people.services.privacy import portal_account_create
from kexie.volunteers.models import MobileCheck, OrderStatus, ServiceOrder
from kexie.volunteers.services import orders as services
from kexie.volunteers.testing import make_order, next_weekday

pytestmark = pytest.mark.django_db


def portal_client(client, volunteer):
    portal_account_create(actor=None, person=volunteer.person, username=f"v{volunteer.pk}")
    volunteer.person.refresh_from_db()
    user = volunteer.person.user
    user.must_change_password = False
    user.save()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_board_lists_the_networks_orders_and_hides_others(world, volunteering, login):
    order = make_order(volunteering)
    page = login("county_staff").get(reverse("volunteers:board"))
    assert page.status_code == 200
    assert order.title in page.content.decode()
    other = login("county_b_staff")
    assert order.title not in other.get(reverse("volunteers:board")).content.decode()
    assert other.get(reverse("volunteers:order", args=[order.pk])).status_code == 404


def test_the_board_shows_an_overdue_order_first_and_marked(world, volunteering, login):
    late = services.order_dispatch(
        actor=None,
        order=services.order_approve(actor=None, order=make_order(volunteering)),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    make_order(volunteering, mobile="13912345671", title="新的订单")
    # its deadline has passed (the board does not wait for the hourly task to say so)
    ServiceOrder.objects.filter(pk=late.pk).update(accept_by=timezone.now() - timezone.timedelta(hours=1))
    html = login("county_staff").get(reverse("volunteers:board")).content.decode()
    assert html.index(late.title) < html.index("新的订单")
    assert 'data-testid="overdue"' in html


def test_a_viewer_reads_the_order_but_takes_no_step(world, volunteering, login):
    order = make_order(volunteering)
    client = login("viewer")
    assert client.get(reverse("volunteers:order", args=[order.pk])).status_code == 200
    response = client.post(reverse("volunteers:order_step", args=[order.pk, "approve"]))
    assert response.status_code == 403
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_the_dispatcher_reviews_dispatches_and_records_delivery_on_the_pages(world, volunteering, login):
    order = make_order(volunteering)
    client = login("county_staff")
    client.post(reverse("volunteers:order_step", args=[order.pk, "approve"]))
    page = client.get(reverse("volunteers:order", args=[order.pk])).content.decode()
    assert 'data-testid="suggestion"' in page and "张农" in page
    client.post(
        reverse("volunteers:order_step", args=[order.pk, "dispatch"]), {"volunteer": volunteering.zhang.pk}
    )
    client.post(reverse("volunteers:order_step", args=[order.pk, "accept"]))
    response = client.post(
        reverse("volunteers:order_step", args=[order.pk, "deliver"]),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "2",
            "audience": "38",
            "report": "讲授了修剪技术。",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.volunteer == volunteering.zhang
    assert order.audience == 38


def test_a_refused_step_says_why_and_changes_nothing(world, volunteering, login):
    order = make_order(volunteering)
    client = login("county_staff")
    response = client.post(
        reverse("volunteers:order_step", args=[order.pk, "reject"]), {"reason": ""}, follow=True
    )
    assert "原因" in response.content.decode() or "reason" in response.content.decode()
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_staff_take_an_order_by_phone(world, volunteering, login):
    client = login("county_staff")
    response = client.post(
        reverse("volunteers:order_create"),
        {
            "title": "老年人防诈骗讲座",
            "discipline": volunteering.medicine.pk,
            "form": "lecture",
            "division": "320102",
            "address": "玄武区某社区活动中心",
            "preferred_on": next_weekday().isoformat(),
            "expected_audience": "60",
            "requester_name": "赵主任",
            "requester_unit": "某社区居委会",
            "mobile": "13612345678",
        },
    )
    order = ServiceOrder.objects.get()
    assert response.status_code == 302 and order.organization == world.county_a
    assert order.events.get().actor == world.users["county_staff"]


def test_the_board_exports_to_xlsx_masked_and_audited(world, volunteering, login):
    make_order(volunteering)
    response = login("county_staff").get(reverse("volunteers:board_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "139****5678" in values and "13912345678" not in values
    assert AuditEvent.objects.filter(action="service_order.export").exists()


# --- the public pages ------------------------------------------------------------------


def public_order_data(volunteering, **extra):
    return {
        "item": volunteering.item.pk,
        "division": "320102",
        "address": "红山街道果园村村委会",
        "preferred_on": next_weekday().isoformat(),
        "expected_audience": "40",
        "requester_name": "王村长",
        "requester_unit": "果园村村民委员会",
        "mobile": "13912345678",
        "form": "lecture",
        **extra,
    }


def test_the_public_menu_shows_published_items_and_finds_by_pinyin(client, volunteering):
    html = client.get(reverse("volunteers_public:menu")).content.decode()
    assert "果树病虫害防治讲座" in html
    assert (
        "果树病虫害防治讲座"
        in client.get(reverse("volunteers_public:menu"), {"q": "guoshu"}).content.decode()
    )
    assert (
        "果树病虫害防治讲座"
        not in client.get(reverse("volunteers_public:menu"), {"q": "消防"}).content.decode()
    )


def test_a_member_of_the_public_orders_with_a_code_sent_to_their_mobile(
    client, volunteering, sms_sent, django_capture_on_commit_callbacks
):
    url = reverse("volunteers_public:order")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, public_order_data(volunteering, send_code="1"))
    assert response.status_code == 200 and 'data-testid="code-sent"' in response.content.decode()
    ((mobile, text),) = sms_sent
    code = "".join(ch for ch in text if ch.isdigit())[:6]
    assert mobile == "13912345678" and not ServiceOrder.objects.exists()
    wrong = client.post(url, public_order_data(volunteering, code="000000" if code != "000000" else "111111"))
    assert wrong.status_code == 400 and not ServiceOrder.objects.exists()
    response = client.post(url, public_order_data(volunteering, code=code))
    order = ServiceOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "volunteers_public:order_status", args=[order.token]
    )
    assert order.menu_item == volunteering.item and order.requester_user is None
    assert MobileCheck.objects.get().used_at is not None


def test_a_code_is_used_once(client, volunteering, sms_sent, django_capture_on_commit_callbacks):
    url = reverse("volunteers_public:order")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, public_order_data(volunteering, send_code="1"))
    code = "".join(ch for ch in sms_sent[0][1] if ch.isdigit())[:6]
    client.post(url, public_order_data(volunteering, code=code))
    again = client.post(url, public_order_data(volunteering, code=code))
    assert again.status_code == 400 and ServiceOrder.objects.count() == 1


def test_a_bad_public_order_names_the_field(client, volunteering, login):
    client = login("county_staff")  # logged in: no code needed
    response = client.post(reverse("volunteers_public:order"), public_order_data(volunteering, address=""))
    assert response.status_code == 400 and 'data-testid="error-address"' in response.content.decode()
    assert not ServiceOrder.objects.exists()


def test_the_requester_follows_rates_and_the_rating_counts(client, world, volunteering):
    order = make_order(volunteering)
    status_url = reverse("volunteers_public:order_status", args=[order.token])
    assert client.get(status_url).status_code == 200
    assert client.get(reverse("volunteers_public:order_status", args=["nonsense"])).status_code == 404
    order = services.order_accept(
        actor=None,
        order=services.order_dispatch(
            actor=None,
            order=services.order_approve(actor=None, order=order),
            scope_organization=world.county_a,
            volunteer=volunteering.zhang,
        ),
    )
    services.order_deliver(
        actor=None,
        order=order,
        data=services.DeliveryData(served_on=timezone.localdate(), hours="2", audience=30, report="已完成"),
    )
    page = client.get(status_url).content.decode()
    assert 'data-testid="rating-form"' in page and "张农" in page
    client.post(
        reverse("volunteers_public:order_rate", args=[order.token]), {"rating": "4", "comment": "很好"}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.rating == 4


def test_the_requester_cancels_with_a_reason(client, volunteering):
    order = make_order(volunteering)
    client.post(reverse("volunteers_public:order_cancel", args=[order.token]), {"reason": "活动延期"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.status_reason == "活动延期"


# --- the volunteer's portal ------------------------------------------------------------


def test_a_volunteer_accepts_and_records_delivery_in_their_portal(client, world, volunteering):
    order = services.order_dispatch(
        actor=None,
        order=services.order_approve(actor=None, order=make_order(volunteering)),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    client = portal_client(client, volunteering.zhang)
    home = client.get(reverse("volunteers_portal:home")).content.decode()
    assert order.title in home
    client.post(reverse("volunteers_portal:order_step", args=[order.pk, "accept"]))
    client.post(
        reverse("volunteers_portal:order_step", args=[order.pk, "deliver"]),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "1.5",
            "audience": "25",
            "report": "现场指导修剪",
        },
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert "1.5" in client.get(reverse("volunteers_portal:home")).content.decode()


def test_a_volunteer_cannot_see_or_answer_anothers_order(client, world, volunteering):
    order = services.order_dispatch(
        actor=None,
        order=services.order_approve(actor=None, order=make_order(volunteering)),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    client = portal_client(client, volunteering.liu)
    assert client.get(reverse("volunteers_portal:order", args=[order.pk])).status_code == 404
    assert client.post(reverse("volunteers_portal:order_step", args=[order.pk, "accept"])).status_code == 404
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.DISPATCHED


def test_a_volunteer_grabs_an_open_order_from_their_portal(client, world, volunteering):
    order = services.order_open(
        actor=None,
        order=services.order_approve(actor=None, order=make_order(volunteering)),
        scope_organization=world.county_a,
    )
    client = portal_client(client, volunteering.zhang)
    assert order.title in client.get(reverse("volunteers_portal:home")).content.decode()
    client.post(reverse("volunteers_portal:order_step", args=[order.pk, "grab"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.volunteer == volunteering.zhang


def test_an_account_without_a_volunteer_registration_gets_404(world, login):
    assert login("county_staff").get(reverse("volunteers_portal:home")).status_code == 404


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_photos_of_the_service_are_kept_with_its_activity(world, volunteering, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = services.order_accept(
        actor=None,
        order=services.order_dispatch(
            actor=None,
            order=services.order_approve(actor=None, order=make_order(volunteering)),
            scope_organization=world.county_a,
            volunteer=volunteering.zhang,
        ),
    )
    photos = [SimpleUploadedFile(f"现场{i}.png", PNG, content_type="image/png") for i in range(2)]
    login("county_staff").post(
        reverse("volunteers:order_step", args=[order.pk, "deliver"]),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "2",
            "audience": "30",
            "report": "讲座",
            "photos": photos,
        },
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.activity.attachments.filter(kind="photo").count() == 2


def test_a_file_that_is_not_a_photo_refuses_the_delivery(world, volunteering, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = services.order_accept(
        actor=None,
        order=services.order_dispatch(
            actor=None,
            order=services.order_approve(actor=None, order=make_order(volunteering)),
            scope_organization=world.county_a,
            volunteer=volunteering.zhang,
        ),
    )
    fake = SimpleUploadedFile("现场.png", b"not a picture at all", content_type="image/png")
    response = login("county_staff").post(
        reverse("volunteers:order_step", args=[order.pk, "deliver"]),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "2",
            "audience": "30",
            "report": "讲座",
            "photos": [fake],
        },
        follow=True,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.activity is None
    assert "现场.png" in response.content.decode()


def test_star_levels_follow_the_approved_hours(world, volunteering, login):
    from decimal import Decimal

    from kexie.volunteers.models import HoursEntry, Volunteer
    from kexie.volunteers.services.policy import stars_for

    assert [stars_for(Decimal(h)) for h in (99, 100, 310, 1500)] == [0, 1, 2, 5]
    HoursEntry.objects.create(
        volunteer=volunteering.zhang,
        organization=volunteering.zhang.organization,
        source="manual",
        served_on=timezone.localdate(),
        hours=Decimal("310"),
        description="历年服务",
        status="approved",
    )
    Volunteer.objects.filter(pk=volunteering.zhang.pk).update(hours_total=Decimal("310"))
    page = (
        login("county_staff")
        .get(reverse("volunteers:volunteer", args=[volunteering.zhang.pk]))
        .content.decode()
    )
    assert 'data-testid="stars">2★' in page
