"""Permission-matrix rows: the staff pages of sign-up and check-in (kexie/activities/urls_signups.py).

Their object is an approved activity of 甲县科协 with open sign-up and one registrant, made
on first use. The public pages (events:*, events_api:*) need no login: they are in PUBLIC.
"""

from datetime import timedelta

from tests.permission_cases import Case

# The separated administrators (province level) do not work with activities.
NO_ACTIVITIES = ("auditor", "sysadmin", "secadmin")


def _signup_world(w):
    """An approved activity of county A, sign-up open, one confirmed registrant (made once).

    Built with the ORM, not the services: the matrix counts audit records around the request,
    and building the row's object must not add any."""
    if getattr(w, "signup_activity", None) is None:
        import secrets

        from django.utils import timezone

        from kexie.activities.models import Activity, ActivityKind, Signup, SignupSettings, Status
        from kexie.activities.services.signups import mobile_lookup
        from kexie.core import crypto

        starts = timezone.now().replace(microsecond=0) + timedelta(days=5)
        activity = Activity.objects.create(
            organization=w.county_a,
            title="甲县科普开放日",
            kind=ActivityKind.objects.get(code="lecture"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            held_on=timezone.localtime(starts).date(),
            status=Status.APPROVED,
        )
        SignupSettings.objects.create(
            activity=activity, capacity=20, deadline=starts, door_token=secrets.token_urlsafe(32)
        )
        w.signup_activity = activity
        w.signup = Signup.objects.create(
            activity=activity,
            name="李雷",
            mobile_encrypted=crypto.encrypt("13800138000"),
            mobile_index=mobile_lookup("13800138000"),
            mobile_masked="138****8000",
            code="ABC234",
            token=secrets.token_urlsafe(32),
            status=Signup.Status.CONFIRMED,
        )
    return w.signup_activity


ACTIVITY = lambda w: {"pk": _signup_world(w).pk}  # noqa: E731
SIGNUP = lambda w: {"pk": (_signup_world(w), w.signup)[1].pk}  # noqa: E731


def _settings_form(w) -> dict:
    activity = _signup_world(w)
    from django.utils import timezone

    return {
        "capacity": "30",
        "deadline": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "per_mobile_limit": "1",
        "waitlist": "on",
        "is_open": "on",
    }


CASES = {
    "activities:signup_panel": Case(kwargs=ACTIVITY, target="county_a", forbidden=NO_ACTIVITIES),
    "activities:signup_list": Case(kwargs=ACTIVITY, target="county_a", forbidden=NO_ACTIVITIES),
    "activities:signup_export": Case(kwargs=ACTIVITY, target="county_a", forbidden=NO_ACTIVITIES),
    "activities:signup_door": Case(kwargs=ACTIVITY, target="county_a", forbidden=("viewer", *NO_ACTIVITIES)),
    "activities:signup_settings": Case(
        kwargs=ACTIVITY,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_ACTIVITIES,
        data=_settings_form,
    ),
    "activities:signup_reveal": Case(
        kwargs=ACTIVITY,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", *NO_ACTIVITIES),
        data=lambda w: {"reason": "电话通知场地变更"},
    ),
    "activities:signup_onsite": Case(
        kwargs=ACTIVITY, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:checkin": Case(
        kwargs=ACTIVITY,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_ACTIVITIES,
        data=lambda w: {"query": "13800138000"},
    ),
    "activities:signup_cancel": Case(
        kwargs=SIGNUP, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
    "activities:signup_checkin": Case(
        kwargs=SIGNUP, method="POST", target="county_a", write=True, forbidden=NO_ACTIVITIES
    ),
}
