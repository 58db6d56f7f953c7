"""Sign-up and check-in: opening sign-up, the public pages and API, the waiting list,
check-in by QR token and by code, masking, exports, rate limits and the messages sent."""

from datetime import timedelta
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kexie.activities.models import Activity, ActivityKind, Signup, Status
from kexie.activities.services import signups as services
from kexie.activities.services.activities import (
    ActivityData,
    activity_approve,
    activity_create,
    activity_submit,
)
from kexie.activities.testing import make_activity
from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.notifications.models import Notification

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def approved_activity(
    world, *, starts_in=timedelta(days=7), hours=2, title="甲县青少年科普讲座", creator=None
):
    starts = timezone.now().replace(microsecond=0) + starts_in
    activity = activity_create(
        actor=creator,
        organization=world.county_a,
        data=ActivityData(
            title=title,
            kind=ActivityKind.objects.get(code="lecture"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            venue="甲县科技馆报告厅",
        ),
    )
    activity = activity_submit(actor=None, activity=activity)
    return activity_approve(actor=None, activity=activity)


def open_signup(activity, **options):
    values = {"capacity": 3, "deadline": activity.starts_at - timedelta(hours=1), **options}
    return services.signup_settings_save(
        actor=None, activity=activity, options=services.SignupOptions(**values)
    )


def sign_up(activity, index=0, **fields):
    data = {"name": f"报名者{index}", "mobile": f"1380013{index:04d}", "unit": "甲县第一中学", **fields}
    return services.signup_create(activity=activity, data=services.SignupData(**data))


@pytest.fixture
def lecture(world):
    activity = approved_activity(world, creator=world.users["county_staff"])
    open_signup(activity)
    return activity


# --- capacity, waiting list, promotion -----------------------------------------------------


def test_sign_ups_are_confirmed_until_the_places_are_taken_then_waitlisted(lecture):
    statuses = [sign_up(lecture, i).status for i in range(5)]
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2


def test_without_a_waiting_list_a_full_activity_refuses_with_a_clear_message(world):
    activity = approved_activity(world)
    open_signup(activity, capacity=1, waitlist=False)
    sign_up(activity, 1)
    with pytest.raises(DomainError) as error:
        sign_up(activity, 2)
    assert str(error.value.message) == "1个名额已满，报名未成功。"
    assert Signup.objects.filter(activity=activity).count() == 1


class RecordingSms:
    """An SMS vendor adapter for tests (settings.KEXIE_SMS_SENDER)."""

    sent: list = []

    def send(self, mobile: str, text: str) -> None:
        RecordingSms.sent.append((mobile, text))


@pytest.fixture
def sms(settings):
    settings.KEXIE_SMS_SENDER = f"{__name__}.RecordingSms"
    RecordingSms.sent = []
    return RecordingSms.sent


def test_cancelling_a_confirmed_place_promotes_the_first_on_the_waiting_list(
    lecture, sms, django_capture_on_commit_callbacks
):
    first, *_rest = [sign_up(lecture, i) for i in range(3)]
    waiting = [sign_up(lecture, i) for i in (10, 11)]
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(actor=None, signup=first)
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert waiting[0].status == Signup.Status.CONFIRMED
    assert waiting[1].status == Signup.Status.WAITLISTED
    assert len(sms) == 1
    mobile, text = sms[0]
    assert mobile == "13800130010"
    assert text.startswith("【科协工作平台】报名者10，“甲县青少年科普讲座”")
    assert "您已候补成功" in text and waiting[0].code in text
    assert AuditEvent.objects.filter(action="signup.promote").count() == 1


def test_the_registrant_cancels_with_mobile_and_code(lecture):
    signup = sign_up(lecture, 1)
    with pytest.raises(DomainError):
        services.signup_cancel_by_code(activity=lecture, mobile="13800130001", code="WRONG1")
    services.signup_cancel_by_code(activity=lecture, mobile="13800130001", code=signup.code.lower())
    signup.refresh_from_db()
    assert signup.status == Signup.Status.CANCELLED


def test_more_places_go_to_the_waiting_list_first(lecture):
    for i in range(4):
        sign_up(lecture, i)
    open_signup(lecture, capacity=4)
    assert Signup.objects.filter(activity=lecture, status="confirmed").count() == 4


def test_places_cannot_be_fewer_than_those_confirmed(lecture):
    for i in range(3):
        sign_up(lecture, i)
    with pytest.raises(DomainError) as error:
        open_signup(lecture, capacity=2)
    assert error.value.field == "capacity"


def test_after_the_deadline_sign_up_is_refused(world):
    activity = approved_activity(world)
    open_signup(activity, deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as error:
        sign_up(activity)
    assert "报名已于" in str(error.value.message)


def test_one_mobile_signs_up_as_often_as_the_limit_allows(world):
    activity = approved_activity(world)
    open_signup(activity, capacity=10, per_mobile_limit=2)
    sign_up(activity, 1, name="张三")
    sign_up(activity, 1, name="张四")
    with pytest.raises(DomainError) as error:
        sign_up(activity, 1, name="张五")
    assert error.value.field == "mobile"
    assert "2" in str(error.value.message)


def test_the_same_submission_sent_twice_is_one_sign_up(lecture):
    data = services.SignupData(name="李雷", mobile="13800130001")
    first = services.signup_create(activity=lecture, data=data, submission_key="abc")
    second = services.signup_create(activity=lecture, data=data, submission_key="abc")
    assert first.pk == second.pk
    assert Signup.objects.filter(activity=lecture).count() == 1


def test_the_id_number_is_asked_and_kept_only_for_real_name_activities(world, lecture):
    plain = sign_up(lecture, 1, id_number=ID_NUMBER)
    assert plain.id_number_encrypted == "" and plain.id_number_masked == ""
    real_name = approved_activity(world, title="实名制科普活动")
    open_signup(real_name, require_id_number=True)
    with pytest.raises(DomainError) as error:
        sign_up(real_name, 2)
    assert error.value.field == "id_number"
    signup = sign_up(real_name, 2, id_number=ID_NUMBER)
    assert signup.id_number_masked == "110105********002X"
    assert ID_NUMBER not in signup.id_number_encrypted
    assert signup.mobile_masked == "138****0002"
    assert "13800130002" not in signup.mobile_encrypted


def test_sign_up_cannot_open_for_a_held_activity(world):
    forum = make_activity(world.county_a, kind="forum", status=Status.HELD, onsite_participants=80)
    with pytest.raises(DomainError):
        open_signup(forum)


# --- notifications after commit ------------------------------------------------------------


def test_the_confirmation_goes_out_after_commit_with_the_code_and_link(
    lecture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(lecture, 1, email="li@example.com")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "报名成功" in message.subject
    assert signup.code in message.body
    assert f"/events/t/{signup.token}/" in message.body


def test_nothing_is_sent_when_the_sign_up_is_rolled_back(lecture, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        sign_up(lecture, 1, email="li@example.com")
        raise RuntimeError("the request failed later")
    assert mail.outbox == []
    assert not Signup.objects.filter(activity=lecture).exists()


def test_the_organizer_is_told_in_the_inbox_when_places_run_out(
    world, lecture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            sign_up(lecture, i)
    notification = Notification.objects.get(recipient=world.users["county_staff"])
    assert "名额已满" in notification.title
    assert notification.url == reverse("activities:signup_list", kwargs={"pk": lecture.pk})


def test_reminders_go_to_tomorrows_registrants_once(world, sms, django_capture_on_commit_callbacks):
    tomorrow = timezone.localtime() + timedelta(days=1)
    activity = approved_activity(world, starts_in=tomorrow.replace(hour=9, minute=0) - timezone.localtime())
    open_signup(activity, deadline=activity.starts_at - timedelta(hours=2))
    sign_up(activity, 1, email="a@example.com")
    sign_up(activity, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_activity_reminders", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_activity_reminders", stdout=StringIO())
    assert [m.subject for m in mail.outbox] == [f"提醒：{activity.title}明天举行"]
    assert [mobile for mobile, _text in sms if "提醒" in _text] == ["13800130001", "13800130002"]
    assert Signup.objects.filter(activity=activity, reminded_at__isnull=False).count() == 2


# --- check-in -------------------------------------------------------------------------------


def test_staff_check_in_by_the_qr_token_and_by_code(lecture, login):
    by_token, by_code = sign_up(lecture, 1), sign_up(lecture, 2)
    client = login("county_staff")
    url = reverse("activities:checkin", kwargs={"pk": lecture.pk})
    scanned = "http://testserver" + reverse("events:ticket", kwargs={"token": by_token.token})
    response = client.post(url, {"query": scanned})
    assert "报名者1" in response.content.decode()
    response = client.post(url, {"query": by_code.code.lower()})
    assert f"报名者2（{by_code.code}）已签到" in response.content.decode()
    response = client.post(url, {"query": by_code.code}, follow=True)
    assert "已于" in response.content.decode()
    assert Signup.objects.filter(activity=lecture, checked_in_at__isnull=False).count() == 2


def test_a_code_of_digits_only_is_found_as_a_code_not_taken_for_a_mobile(lecture, login):
    registrant = sign_up(lecture, 1)
    Signup.objects.filter(pk=registrant.pk).update(code="234567")  # the alphabet has digits
    response = login("county_staff").post(
        reverse("activities:checkin", kwargs={"pk": lecture.pk}), {"query": "234567"}
    )
    assert "报名者1（234567）已签到" in response.content.decode()


def test_a_waitlisted_registrant_cannot_check_in(lecture):
    for i in range(3):
        sign_up(lecture, i)
    waiting = sign_up(lecture, 9)
    with pytest.raises(DomainError) as error:
        services.signup_checkin(actor=None, signup=waiting)
    assert "候补" in str(error.value.message)


def test_the_registrants_page_offers_staff_the_check_in_button(lecture, client, login):
    signup = sign_up(lecture, 1)
    url = reverse("events:ticket", kwargs={"token": signup.token})
    anonymous = client.get(url).content.decode()
    assert signup.code in anonymous and "<svg" in anonymous
    assert 'data-testid="staff-checkin"' not in anonymous
    assert 'data-testid="staff-checkin"' in login("county_staff").get(url).content.decode()


def test_registrants_check_themselves_in_at_the_door_with_their_mobile(world, client):
    activity = approved_activity(world, starts_in=timedelta(minutes=30))
    settings = open_signup(activity, deadline=activity.starts_at)
    signup = sign_up(activity, 1)
    url = reverse("events:door", kwargs={"pk": activity.pk, "door_token": settings.door_token})
    response = client.post(url, {"query": "13800130001"})
    assert "报名者1，欢迎您，签到成功" in response.content.decode()
    signup.refresh_from_db()
    assert signup.checked_in_at is not None
    wrong = reverse("events:door", kwargs={"pk": activity.pk, "door_token": "x" * 43})
    assert client.get(wrong).status_code == 404


def test_the_door_is_closed_long_before_the_activity(lecture, client):
    settings = lecture.signup_settings
    url = reverse("events:door", kwargs={"pk": lecture.pk, "door_token": settings.door_token})
    sign_up(lecture, 1)
    response = client.post(url, {"query": "13800130001"})
    assert "签到在活动开始前两小时开放" in response.content.decode()


def test_check_ins_become_the_on_site_participants_with_an_audit_record(lecture, login):
    for i in range(3):
        services.signup_checkin(actor=None, signup=sign_up(lecture, i))
    response = login("county_staff").post(
        reverse("activities:signup_onsite", kwargs={"pk": lecture.pk}), follow=True
    )
    assert "现场参与人数已设为3" in response.content.decode()
    assert Activity.objects.get(pk=lecture.pk).onsite_participants == 3
    event = AuditEvent.objects.filter(action="activity.update").latest("pk")
    assert event.changes == {"onsite_participants": [None, 3]}


# --- public pages and API -------------------------------------------------------------------


def test_the_public_pages_need_no_login(lecture, client):
    listing = client.get(reverse("events:list"))
    assert listing.status_code == 200
    assert lecture.title in listing.content.decode()
    page = client.get(reverse("events:detail", kwargs={"pk": lecture.pk}))
    assert page.status_code == 200
    assert "剩余3个名额" in page.content.decode()
    assert 'name="id_number"' not in page.content.decode()


def test_activities_without_open_sign_up_are_404(world, events, lecture, client):
    closed = approved_activity(world, title="已关闭报名的活动")
    open_signup(closed, is_open=False)
    draft = activity_create(
        actor=None,
        organization=world.county_a,
        data=ActivityData(
            title="草稿活动",
            kind=ActivityKind.objects.get(code="lecture"),
            starts_at=lecture.starts_at,
            ends_at=lecture.ends_at,
        ),
    )
    open_signup(draft)
    for activity in (events.lecture, closed, draft):
        assert client.get(reverse("events:detail", kwargs={"pk": activity.pk})).status_code == 404
    assert closed.title not in client.get(reverse("events:list")).content.decode()


def test_signing_up_on_the_page_leads_to_the_registrants_page(lecture, client):
    page = client.get(reverse("events:detail", kwargs={"pk": lecture.pk})).content.decode()
    key = page.split('name="submission" value="')[1].split('"')[0]
    data = {"name": "韩梅梅", "mobile": "13800138000", "unit": "甲县第二中学", "submission": key}
    response = client.post(reverse("events:detail", kwargs={"pk": lecture.pk}), data, follow=True)
    text = response.content.decode()
    assert "已确认" in text
    signup = Signup.objects.get(activity=lecture)
    assert signup.code in text
    client.post(reverse("events:detail", kwargs={"pk": lecture.pk}), data)  # the double click
    assert Signup.objects.filter(activity=lecture).count() == 1


def test_the_page_shows_what_is_wrong_with_the_mobile(lecture, client):
    response = client.post(
        reverse("events:detail", kwargs={"pk": lecture.pk}), {"name": "韩梅梅", "mobile": "123"}
    )
    assert response.status_code == 200
    assert "不是有效的电话号码" in response.content.decode()


def test_too_many_attempts_from_one_address_get_a_429_in_chinese(lecture, client):
    url = reverse("events:detail", kwargs={"pk": lecture.pk})
    statuses = {client.post(url, {"name": "甲", "mobile": f"12{i}"}).status_code for i in range(30)}
    assert statuses == {200}
    response = client.post(url, {"name": "甲", "mobile": "13900009999"})
    assert response.status_code == 429
    assert "报名尝试次数过多" in response.content.decode()


def test_too_many_attempts_for_one_mobile_are_refused_by_the_api(lecture, api_client):
    client = api_client()
    url = reverse("events_api:signup_create", kwargs={"pk": lecture.pk})
    for i in range(5):
        client.post(url, {"name": f"甲{i}", "mobile": "138001"}, format="json")
    response = client.post(url, {"name": "甲", "mobile": "138001"}, format="json")
    assert response.status_code == 429
    assert "报名尝试次数过多" in response.json()["detail"]


def test_the_api_signs_up_like_the_page(lecture, api_client):
    client = api_client()
    url = reverse("events_api:signup_create", kwargs={"pk": lecture.pk})
    response = client.post(
        url, {"name": "李雷", "mobile": "13800138000", "submission_key": "k1"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed" and len(body["code"]) == 6
    again = client.post(url, {"name": "李雷", "mobile": "13800138000", "submission_key": "k1"}, format="json")
    assert again.json()["code"] == body["code"]
    refused = client.post(url, {"name": "李雷", "mobile": "13800138000"}, format="json")
    assert refused.status_code == 400
    assert "该手机号已报名" in refused.json()["mobile"][0]
    listing = client.get(reverse("events_api:event_list")).json()
    assert [row["title"] for row in listing] == [lecture.title]
    assert client.get(reverse("events_api:event_detail", kwargs={"pk": 999999})).status_code == 404


# --- staff pages: masking, reveal, export ----------------------------------------------------


def test_the_staff_list_masks_mobiles_and_id_numbers(world, login):
    activity = approved_activity(world)
    open_signup(activity, require_id_number=True)
    sign_up(activity, 1, id_number=ID_NUMBER)
    text = (
        login("county_staff")
        .get(reverse("activities:signup_list", kwargs={"pk": activity.pk}))
        .content.decode()
    )
    assert "138****0001" in text and "110105********002X" in text
    assert "13800130001" not in text and ID_NUMBER not in text
    assert 'data-testid="reveal-form"' not in text  # staff do not hold personal.unmask


def test_an_org_admin_reveals_a_page_in_full_with_an_audited_reason(world, login):
    activity = approved_activity(world)
    open_signup(activity, require_id_number=True)
    sign_up(activity, 1, id_number=ID_NUMBER)
    client = login("city_admin")
    url = reverse("activities:signup_reveal", kwargs={"pk": activity.pk})
    refused = client.post(url, {"reason": ""}).content.decode()
    assert "13800130001" not in refused
    text = client.post(url, {"reason": "通知场地变更"}).content.decode()
    assert "13800130001" in text and ID_NUMBER in text
    event = AuditEvent.objects.get(action="personal.unmask")
    assert event.detail["reason"] == "通知场地变更"
    staff = login("county_staff").post(url, {"reason": "看看"})
    assert staff.status_code == 403


def test_the_export_is_masked_and_audited(lecture, login):
    sign_up(lecture, 1)
    response = login("county_staff").get(reverse("activities:signup_export", kwargs={"pk": lecture.pk}))
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("报名码", "姓名", "所在单位", "手机号")
    assert rows[1][1:4] == ("报名者1", "甲县第一中学", "138****0001")
    assert "13800130001" not in str(rows)
    assert AuditEvent.objects.filter(action="activity.export", detail__what="signups").count() == 1


def test_staff_open_sign_up_through_the_settings_page(world, login):
    activity = approved_activity(world)
    client = login("county_staff")
    url = reverse("activities:signup_settings", kwargs={"pk": activity.pk})
    deadline = timezone.localtime(activity.starts_at - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {"capacity": "50", "deadline": deadline, "waitlist": "on", "per_mobile_limit": "1", "is_open": "on"},
    )
    assert response.status_code == 302
    assert activity.signup_settings.capacity == 50
    panel = client.get(reverse("activities:signup_panel", kwargs={"pk": activity.pk})).content.decode()
    assert "向公众开放" in panel
    assert reverse("events:detail", kwargs={"pk": activity.pk}) in panel


def test_staff_cancel_a_sign_up_from_the_list(lecture, login):
    signup = sign_up(lecture, 1)
    response = login("county_staff").post(
        reverse("activities:signup_cancel", kwargs={"pk": signup.pk}), follow=True
    )
    assert "报名者1的报名已取消" in response.content.decode()
    assert AuditEvent.objects.get(action="signup.cancel").detail["by"] == "staff"


def test_a_sibling_county_cannot_see_the_sign_ups(lecture, login):
    signup = sign_up(lecture, 1)
    client = login("county_b_staff")
    assert client.get(reverse("activities:signup_list", kwargs={"pk": lecture.pk})).status_code == 404
    assert client.post(reverse("activities:signup_checkin", kwargs={"pk": signup.pk})).status_code == 404


def test_the_activity_page_loads_the_sign_up_panel(world, login):
    activity = approved_activity(world)
    client = login("county_staff")
    page = client.get(reverse("activities:detail", kwargs={"pk": activity.pk})).content.decode()
    assert reverse("activities:signup_panel", kwargs={"pk": activity.pk}) in page
    panel = client.get(reverse("activities:signup_panel", kwargs={"pk": activity.pk}), HTTP_HX_REQUEST="true")
    assert 'data-testid="signup-open"' in panel.content.decode()
    assert "开放报名" in panel.content.decode()
