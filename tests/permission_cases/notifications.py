"""Permission-matrix rows: the in-app inbox (kexie/notifications/urls.py). Every logged-in
user reads their own notifications; someone else's is 404."""

from tests.permission_cases import Case


def _notification_of_county_staff(w) -> dict:
    from kexie.notifications.models import Notification

    notification, _ = Notification.objects.get_or_create(
        recipient=w.users["county_staff"], kind="signup_full", defaults={"title": "名额已满：甲县科普讲座"}
    )
    return {"pk": notification.pk}


CASES = {
    "notifications:inbox": Case(),
    "notifications:unread_count": Case(),
    "notifications:read": Case(kwargs=_notification_of_county_staff, method="POST", target="county_a"),
    "notifications:read_all": Case(method="POST"),
}
