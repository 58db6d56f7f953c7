"""/api/v1/volunteers/: scope, masking, the order's steps through the API, refusals that
name the field and change nothing, the dispatch suggestion and the hours ledger."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kexie.activities.models import Activity
from kexie.audit.models import AuditEvent
from kexie.volunteers.models import HoursEntry, OrderStatus, ServiceOrder, Volunteer, VolunteerStatus
from kexie.volunteers.services import orders as services
from kexie.volunteers.testing import make_order, make_volunteer

pytestmark = pytest.mark.django_db


def zh(msgid: str, **params) -> str:
    """A message as the API answers it (in Simplified Chinese, the default language)."""
    with translation.override("zh-hans"):
        message = translation.gettext(msgid)
    return message % params if params else message


def url(name: str, obj=None, **query) -> str:
    kwargs = {"pk": obj.pk} if obj is not None else {}
    path = reverse(f"volunteers_api:{name}", kwargs=kwargs)
    return path + (f"?{urlencode(query)}" if query else "")


def step(client, order, name: str, **data):
    return client.post(url(f"order_{name}", order), data, format="json")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["number"] for row in response.json()["results"])


def audit_count() -> int:
    return AuditEvent.objects.exclude(action__startswith="auth.").count()


@pytest.fixture
def orders(world, volunteering):
    """An order for a village of county A and one for a school of county B."""
    a = make_order(volunteering)
    b = make_order(
        volunteering,
        title="林下经济与森林防火",
        discipline=volunteering.forestry,
        division=volunteering.county_b_division,
        requester_unit="秦淮区第一中学",
        mobile="13912340000",
    )
    return a, b


# --- scope ---------------------------------------------------------------------------


def test_county_staff_see_only_the_orders_of_their_county(orders, api_client):
    a, b = orders
    assert numbers(api_client("county_staff").get(url("order_list"))) == [a.number]
    assert numbers(api_client("county_b_staff").get(url("order_list"))) == [b.number]
    assert numbers(api_client("city_admin").get(url("order_list"))) == sorted([a.number, b.number])


def test_another_countys_order_does_not_exist_and_its_steps_write_nothing(orders, api_client):
    a, _b = orders
    client = api_client("county_b_staff")
    before = audit_count()
    assert client.get(url("order_detail", a)).status_code == 404
    assert step(client, a, "approve").status_code == 404
    assert client.get(url("order_suggestions", a)).status_code == 404
    a.refresh_from_db()
    assert a.status == OrderStatus.PENDING
    assert audit_count() == before


def test_county_staff_never_see_another_countys_volunteers(volunteering, api_client):
    client = api_client("county_staff")
    assert names(client.get(url("volunteer_list"))) == sorted(["张农", "刘医"])
    assert names(api_client("county_b_staff").get(url("volunteer_list"))) == ["李林"]
    assert client.get(url("volunteer_detail", volunteering.li)).status_code == 404
    assert client.get(url("volunteer_hours", volunteering.li)).status_code == 404


def test_reading_needs_a_role_of_the_volunteer_service(volunteering, api_client):
    assert api_client("viewer").get(url("volunteer_list")).status_code == 200
    assert api_client("auditor").get(url("volunteer_list")).status_code == 403
    assert api_client("society_secretary").get(url("order_list")).status_code == 403
    assert api_client().get(url("order_list")).status_code == 401


# --- volunteers, teams, the menu -----------------------------------------------------


def test_volunteers_show_a_masked_mobile_only(volunteering, api_client):
    client = api_client("county_staff")
    listing = client.get(url("volunteer_list"))
    detail = client.get(url("volunteer_detail", volunteering.zhang))
    for response in (listing, detail):
        assert "13800000001" not in response.content.decode()
    assert detail.json()["mobile"] == "138****0001"
    assert {row["name"]: row["mobile"] for row in listing.json()["results"]}["刘医"] == "138****0002"


def test_the_volunteer_detail_shows_fields_teams_and_hours(volunteering, api_client):
    body = api_client("county_staff").get(url("volunteer_detail", volunteering.zhang)).json()
    assert body["name"] == "张农" and body["organization"]["name"] == "甲县科学技术协会"
    assert [d["code"] for d in body["disciplines"]] == ["210"]
    assert [d["code"] for d in body["divisions"]] == ["320102"]
    assert body["teams"] == [{"id": volunteering.team.pk, "name": "果树植保服务队"}]
    with translation.override("zh-hans"):
        assert body["status"] == "active" and body["status_display"] == str(VolunteerStatus.ACTIVE.label)
    assert body["hours_total"] == "0.0" and body["stars"] == 0 and body["rating_mean"] is None


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"q": "张"}, ["张农"]),
        ({"q": "張"}, ["张农"]),
        ({"discipline": "210"}, ["张农"]),
        ({"discipline": "320"}, ["刘医"]),
        ({"status": "paused"}, []),
    ],
)
def test_the_volunteer_list_filters(volunteering, api_client, query, expected):
    assert names(api_client("county_staff").get(url("volunteer_list", **query))) == expected


def test_an_unknown_field_of_science_is_refused_naming_it(volunteering, api_client):
    response = api_client("county_staff").get(url("volunteer_list", discipline="no-such"))
    assert response.status_code == 400
    assert response.json() == {
        "discipline": [zh("There is no field of science “%(value)s”.", value="no-such")]
    }


def test_a_team_is_shown_with_its_members(volunteering, api_client):
    client = api_client("county_staff")
    [row] = client.get(url("team_list")).json()["results"]
    assert row["name"] == "果树植保服务队" and row["member_count"] == 2
    assert row["leader"] == {"id": volunteering.zhang.pk, "name": "张农"}
    body = client.get(url("team_detail", volunteering.team)).json()
    members = {m["volunteer"]["name"]: (m["mobile"], m["is_leader"]) for m in body["members"]}
    assert members == {"张农": ("138****0001", True), "刘医": ("138****0002", False)}
    assert api_client("county_b_staff").get(url("team_detail", volunteering.team)).status_code == 404
    assert api_client("county_b_staff").get(url("team_list")).json()["count"] == 0


def test_staff_see_the_menu_of_their_scope_in_any_status(volunteering, api_client):
    client = api_client("county_staff")
    [row] = client.get(url("menu_item_list")).json()["results"]
    assert row["title"] == "果树病虫害防治讲座" and row["status"] == "published"
    assert row["team"]["name"] == "果树植保服务队" and row["volunteer"] is None
    assert client.get(url("menu_item_list", status="draft")).json()["count"] == 0
    body = client.get(url("menu_item_detail", volunteering.item)).json()
    assert body["requirements"] == "会场、投影仪"
    assert body["divisions"] == [{"code": "320102", "name": body["divisions"][0]["name"]}]
    assert api_client("county_b_staff").get(url("menu_item_detail", volunteering.item)).status_code == 404


# --- orders: reading -----------------------------------------------------------------


def test_the_order_shows_the_requesters_mobile_masked_and_never_its_link(orders, api_client):
    a, _b = orders
    response = api_client("county_staff").get(url("order_detail", a))
    body = response.json()
    assert body["mobile"] == "139****5678" and body["requester_name"] == "王村长"
    assert "13912345678" not in response.content.decode()
    assert a.token not in response.content.decode()
    assert [event["action"] for event in body["events"]] == ["order"]
    with translation.override("zh-hans"):
        assert body["status"] == "pending" and body["status_display"] == str(OrderStatus.PENDING.label)


def test_the_order_list_filters(orders, world, api_client):
    a, b = orders
    client = api_client("city_admin")
    assert numbers(client.get(url("order_list", q=a.number))) == [a.number]
    assert numbers(client.get(url("order_list", q="秦淮区第一中学"))) == [b.number]
    assert numbers(client.get(url("order_list", status="pending"))) == sorted([a.number, b.number])
    services.order_reject(actor=world.users["city_admin"], order=b, reason="不在服务范围")
    assert numbers(client.get(url("order_list", status="open_steps"))) == [a.number]
    assert numbers(client.get(url("order_list", status="rejected"))) == [b.number]
    assert numbers(client.get(url("order_list", year=timezone.localdate().year - 1))) == []
    assert numbers(client.get(url("order_list", overdue="true"))) == []
    assert client.get(url("order_list", status="lost")).status_code == 400


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_lists_read_the_same_number_of_queries_however_long(orders, volunteering, world, api_client):
    client = api_client("city_admin")
    paths = [url("order_list"), url("volunteer_list"), url("team_list"), url("menu_item_list")]
    before = [queries(client, path) for path in paths]
    for index in range(3):
        make_order(volunteering, requester_unit=f"第{index}村")
        make_volunteer(world.county_a, f"志愿者{index}", f"1370000000{index}", [volunteering.agronomy])
    services.order_dispatch(
        actor=None,
        order=services.order_approve(actor=None, order=orders[0]),
        scope_organization=world.county_a,
        volunteer=volunteering.zhang,
    )
    assert [queries(client, path) for path in paths] == before


# --- orders: taking one for a requester ---------------------------------------------


def new_order(volunteering, **fields) -> dict:
    return {
        "title": "春季果树修剪",
        "discipline": "210",
        "division": "320102",
        "address": "玄武区红山街道果园村",
        "preferred_on": str(timezone.localdate() + timedelta(days=14)),
        "expected_audience": 30,
        "requester_name": "赵书记",
        "mobile": "13700001111",
        **fields,
    }


def test_staff_take_an_order_for_a_requester_and_it_waits_for_review(volunteering, world, api_client):
    response = api_client("county_staff").post(url("order_list"), new_order(volunteering), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["organization"]["name"] == "甲县科学技术协会"
    assert body["mobile"] == "137****1111" and "13700001111" not in response.content.decode()
    order = ServiceOrder.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(action="service_order.order", object_id=str(order.pk)).exists()


def test_an_order_from_the_menu_takes_its_topic(volunteering, api_client):
    fields = new_order(volunteering, title="", discipline=None, menu_item=volunteering.item.pk)
    body = api_client("county_staff").post(url("order_list"), fields, format="json").json()
    assert body["title"] == "果树病虫害防治讲座" and body["menu_item"]["id"] == volunteering.item.pk


def test_an_order_can_be_taken_for_an_organization_in_scope_only(volunteering, world, api_client):
    client = api_client("city_admin")
    body = client.post(
        url("order_list"), new_order(volunteering, organization=world.county_b.pk), format="json"
    ).json()
    assert body["organization"]["name"] == "乙县科学技术协会"
    response = api_client("county_staff").post(
        url("order_list"), new_order(volunteering, organization=world.county_b.pk), format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["organization"]


def test_an_order_without_a_mobile_is_refused_naming_it(volunteering, api_client):
    response = api_client("county_staff").post(
        url("order_list"), new_order(volunteering, mobile="12"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"mobile": [zh("Give a valid mobile number (11 digits).")]}
    assert not ServiceOrder.objects.exists()


def test_a_read_only_viewer_cannot_take_an_order(volunteering, api_client):
    response = api_client("viewer").post(url("order_list"), new_order(volunteering), format="json")
    assert response.status_code == 403
    assert not ServiceOrder.objects.exists()


# --- orders: the steps ---------------------------------------------------------------


def test_the_whole_order_is_served_through_the_api(orders, volunteering, api_client):
    a, _b = orders
    client = api_client("county_staff")
    assert step(client, a, "approve").json()["status"] == "reviewed"
    body = step(client, a, "dispatch", volunteer=volunteering.zhang.pk).json()
    assert body["status"] == "dispatched" and body["volunteer"]["name"] == "张农" and body["accept_by"]
    assert step(client, a, "accept").json()["status"] == "accepted"
    response = step(
        client,
        a,
        "deliver",
        served_on=str(timezone.localdate()),
        hours="2.5",
        audience=45,
        report="讲解修剪与病虫害识别，现场答疑12个问题。",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "delivered" and body["hours"] == "2.5" and body["audience"] == 45
    assert [event["action"] for event in body["events"]] == [
        "order",
        "approve",
        "dispatch",
        "accept",
        "deliver",
    ]
    assert Activity.objects.get(pk=body["activity"]).onsite_participants == 45
    [line] = client.get(url("volunteer_hours", volunteering.zhang)).json()["results"]
    assert line["hours"] == "2.5" and line["order"]["number"] == a.number and line["status"] == "approved"
    assert Volunteer.objects.get(pk=volunteering.zhang.pk).open_orders == 0


def test_a_team_delivery_credits_the_members_named(orders, volunteering, api_client):
    a, _b = orders
    client = api_client("county_staff")
    step(client, a, "approve")
    assert step(client, a, "dispatch", team=volunteering.team.pk).json()["team"]["name"] == "果树植保服务队"
    step(client, a, "accept")
    response = step(
        client,
        a,
        "deliver",
        served_on=str(timezone.localdate()),
        hours=3,
        audience=60,
        report="两人分组指导果园现场修剪。",
        volunteers=[volunteering.zhang.pk, volunteering.liu.pk],
    )
    assert response.status_code == 200, response.content
    served = HoursEntry.objects.filter(order=a).values_list("volunteer__person__name", "hours")
    assert sorted(served) == [("刘医", Decimal("3.0")), ("张农", Decimal("3.0"))]


def test_a_refused_step_names_the_field_and_changes_nothing(orders, api_client):
    a, _b = orders
    client = api_client("county_staff")
    before = audit_count()
    response = step(client, a, "reject", reason="  ")
    assert response.status_code == 400
    assert response.json() == {"reason": [zh("Say why the order is rejected: the requester reads it.")]}
    a.refresh_from_db()
    assert a.status == OrderStatus.PENDING and a.events.count() == 1
    assert audit_count() == before


def test_a_step_from_the_wrong_state_is_refused(orders, api_client):
    a, _b = orders
    response = step(api_client("county_staff"), a, "accept")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [zh("Only an order waiting for acceptance is accepted.")]}


def test_a_bad_delivery_is_refused_naming_the_field(orders, volunteering, world, api_client):
    a, _b = orders
    actor = world.users["county_staff"]
    services.order_approve(actor=actor, order=a)
    services.order_dispatch(
        actor=actor, order=a, scope_organization=world.county_a, volunteer=volunteering.zhang
    )
    services.order_accept(actor=actor, order=a)
    response = step(
        api_client("county_staff"),
        a,
        "deliver",
        served_on=str(timezone.localdate()),
        hours=30,
        audience=10,
        report="x",
    )
    assert response.status_code == 400
    assert response.json() == {"hours": [zh("Hours served are from 0.5 to 24 per service.")]}
    a.refresh_from_db()
    assert a.status == OrderStatus.ACCEPTED and not HoursEntry.objects.exists()


def test_a_volunteer_outside_the_scope_cannot_be_chosen(orders, volunteering, world, api_client):
    a, _b = orders
    services.order_approve(actor=world.users["county_staff"], order=a)
    response = step(api_client("county_staff"), a, "dispatch", volunteer=volunteering.li.pk)
    assert response.status_code == 400 and list(response.json()) == ["volunteer"]
    response = step(api_client("county_staff"), a, "dispatch")
    assert response.json() == {"volunteer": [zh("Choose one volunteer or one team.")]}
    a.refresh_from_db()
    assert a.status == OrderStatus.REVIEWED and a.volunteer is None


def test_a_declined_order_waits_for_dispatch_again_with_the_reason(orders, volunteering, api_client):
    a, _b = orders
    client = api_client("county_staff")
    step(client, a, "approve")
    step(client, a, "dispatch", volunteer=volunteering.liu.pk)
    body = step(client, a, "decline", reason="当天出诊").json()
    assert body["status"] == "reviewed" and body["status_reason"] == "当天出诊" and body["volunteer"] is None
    assert body["events"][-1]["volunteer"]["name"] == "刘医"


def test_an_order_is_opened_withdrawn_and_cancelled(orders, api_client, world):
    a, _b = orders
    client = api_client("county_staff")
    step(client, a, "approve")
    body = step(client, a, "open").json()
    assert body["status"] == "open" and body["pool"]["id"] == world.county_a.pk
    assert step(client, a, "withdraw", reason="改为直接派单").json()["status"] == "reviewed"
    body = step(client, a, "cancel", reason="村里改期").json()
    assert body["status"] == "cancelled" and body["status_reason"] == "村里改期"


def test_the_city_passes_an_order_down_to_an_association_below_only(orders, world, api_client):
    a, _b = orders
    client = api_client("city_admin")
    step(client, a, "approve")
    response = step(client, a, "pass_down", organization=world.county_b.pk)
    assert response.status_code == 400
    assert response.json() == {"organization": [zh("Pass the order to an association below yours.")]}
    body = step(client, a, "pass_down", organization=world.town_a.pk).json()
    assert body["organization"]["name"] == "甲镇科学技术协会"


def test_a_read_only_viewer_gets_403_on_every_step(orders, volunteering, api_client):
    a, _b = orders
    client = api_client("viewer")
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    for name in ("approve", "reject", "dispatch", "open", "cancel"):
        assert step(client, a, name, reason="x", volunteer=volunteering.zhang.pk).status_code == 403, name
    assert client.get(url("order_suggestions", a)).status_code == 403
    a.refresh_from_db()
    assert a.status == OrderStatus.PENDING
    # Only the refusals are recorded.
    assert set(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True)) == {
        "permission.denied"
    }


# --- the suggestion ------------------------------------------------------------------


def test_the_suggestion_ranks_volunteers_with_their_reasons(orders, volunteering, world, api_client):
    a, _b = orders
    services.order_approve(actor=world.users["county_staff"], order=a)
    response = api_client("county_staff").get(url("order_suggestions", a))
    assert response.status_code == 200, response.content
    first, *others = response.json()
    assert first["volunteer"] == volunteering.zhang.pk and first["name"] == "张农"
    assert first["organization"]["name"] == "甲县科学技术协会"
    assert zh("works in %(field)s", field=volunteering.agronomy.name) in first["reasons"]
    assert zh("serves this region") in first["reasons"]
    assert [row["name"] for row in others] == ["刘医"]
    assert zh("another field") in others[0]["warnings"]
    assert first["score"] > others[0]["score"]
