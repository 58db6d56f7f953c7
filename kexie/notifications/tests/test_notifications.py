"""Notifications: the inbox, its unread count, and the backends notify() hands a message to."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from kexie.notifications.backends import LoggingSmsSender, Recipient
from kexie.notifications.models import Notification
from kexie.notifications.services import notify, notify_users_later

pytestmark = pytest.mark.django_db

FULL = {"title": "甲县科普讲座", "capacity": 30, "url": "/activities/1/signups/"}


def test_notify_puts_a_message_in_the_users_inbox(world):
    user = world.users["county_staff"]
    assert notify(Recipient(user=user), kind="signup_full", context=FULL) == 1
    notification = Notification.objects.get(recipient=user)
    assert notification.title == "名额已满：甲县科普讲座"
    assert "30个名额已满" in notification.body
    assert notification.url == "/activities/1/signups/"


def test_a_user_with_an_address_also_gets_an_email(world):
    user = world.users["county_staff"]
    user.email = "staff@example.com"
    user.save(update_fields=["email"])
    notify(Recipient(user=user), kind="signup_full", context=FULL)
    assert [m.to for m in mail.outbox] == [["staff@example.com"]]
    assert mail.outbox[0].subject == "名额已满：甲县科普讲座"


def test_the_default_sms_backend_only_logs_a_masked_number(caplog):
    with caplog.at_level(logging.INFO, logger="kexie.notifications.backends"):
        LoggingSmsSender().send("13800138000", "测试短信")
    assert "138****8000" in caplog.text
    assert "13800138000" not in caplog.text


def test_a_failing_backend_does_not_stop_the_others(world, settings):
    settings.KEXIE_NOTIFICATION_BACKENDS = [
        "kexie.notifications.tests.test_notifications.BrokenBackend",
        "kexie.notifications.backends.InAppBackend",
    ]
    notify(Recipient(user=world.users["county_staff"]), kind="signup_full", context=FULL)
    assert Notification.objects.filter(recipient=world.users["county_staff"]).count() == 1


class BrokenBackend:
    def deliver(self, recipient, message):
        raise ConnectionError("the mail server is down")


def test_users_are_notified_after_commit_and_not_after_a_rollback(world, django_capture_on_commit_callbacks):
    user = world.users["county_staff"]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify_users_later([user], kind="signup_full", context=FULL)
        raise RuntimeError("rolled back")
    assert not Notification.objects.filter(recipient=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify_users_later([user], kind="signup_full", context=FULL)
        assert not Notification.objects.filter(recipient=user).exists()  # not before commit
    assert Notification.objects.filter(recipient=user).count() == 1


def test_the_inbox_shows_the_unread_count_and_marks_read(world, login):
    user = world.users["county_staff"]
    for _ in range(2):
        notify(Recipient(user=user), kind="signup_full", context=FULL)
    client = login("county_staff")
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "2条未读" in page and "名额已满：甲县科普讲座" in page
    assert client.get(reverse("notifications:unread_count")).content.decode().count(">2<") == 1
    first = Notification.objects.filter(recipient=user).first()
    response = client.post(reverse("notifications:read", kwargs={"pk": first.pk}))
    assert response["Location"] == "/activities/1/signups/"
    assert "1条未读" in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert "条未读" not in client.get(reverse("notifications:inbox")).content.decode()
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_nobody_reads_anothers_notifications(world, login):
    notify(Recipient(user=world.users["county_staff"]), kind="signup_full", context=FULL)
    notification = Notification.objects.get()
    response = login("county_b_staff").post(reverse("notifications:read", kwargs={"pk": notification.pk}))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
