"""Permission-matrix rows: the staff pages of the volunteer service and the volunteer's own
portal (kexie/volunteers/urls.py, urls_portal.py). The public menu, order form and the
requester's order pages (volunteers_public:*) need no login: they are in PUBLIC.

The objects are built with the ORM, not the services (the matrix counts audit records
around the request): a volunteer of 甲县科协 (张伟 of the talent pool, who also holds the
"portal" account), a team, a menu item waiting for review, an order waiting for review, an
order dispatched to 张伟, and hours waiting for approval.
"""

from datetime import date, timedelta

from tests.permission_cases import Case

# The separated administrators and the society secretary do not work with volunteers.
NO_VOLUNTEERS = ("auditor", "sysadmin", "secadmin", "society_secretary")
NOT_MANAGERS = ("county_staff", *NO_VOLUNTEERS)


def _volunteer(w):
    from kexie.people.models import Discipline
    from kexie.volunteers.models import Volunteer

    volunteer, created = Volunteer.objects.get_or_create(
        person=w.talent.person_a,
        defaults={
            "organization": w.county_a,
            "registered_on": date(2025, 3, 1),
            "consent_on": date(2025, 3, 1),
        },
    )
    if created:
        volunteer.disciplines.set([Discipline.objects.get(code="210")])
    return volunteer


def _team(w):
    from kexie.volunteers.models import VolunteerTeam

    team, _created = VolunteerTeam.objects.get_or_create(
        organization=w.county_a, name="甲县科普志愿服务队", defaults={"leader": _volunteer(w)}
    )
    return team


def _item(w):
    from kexie.people.models import Discipline
    from kexie.volunteers.models import MenuItem, MenuStatus

    item, _created = MenuItem.objects.get_or_create(
        organization=w.county_a,
        title="果树修剪技术讲座",
        defaults={
            "team": _team(w),
            "discipline": Discipline.objects.get(code="210"),
            "status": MenuStatus.PENDING,
        },
    )
    return item


def _order(w, *, title: str = "老年人健康讲座", **fields):
    import secrets

    from django.utils import timezone

    from kexie.core import crypto
    from kexie.people.models import Discipline
    from kexie.volunteers.models import ServiceOrder

    order = ServiceOrder.objects.filter(title=title).first()
    if order is None:
        order = ServiceOrder.objects.create(
            number=secrets.token_hex(6),
            token=secrets.token_urlsafe(32),
            organization=w.county_a,
            received_by=w.county_a,
            title=title,
            discipline=Discipline.objects.get(code="320"),
            division_id="320102",
            address="甲县某社区",
            ordered_on=timezone.localdate(),
            preferred_on=timezone.localdate() + timedelta(days=10),
            expected_audience=50,
            requester_name="赵主任",
            mobile_encrypted=crypto.encrypt("13612345678"),
            mobile_index="x",
            mobile_masked="136****5678",
            **fields,
        )
    return order


def _dispatched(w):
    from django.utils import timezone

    from kexie.volunteers.models import OrderStatus

    return _order(
        w,
        title="果园病虫害现场指导",
        status=OrderStatus.DISPATCHED,
        volunteer=_volunteer(w),
        dispatched_at=timezone.now(),
        accept_by=timezone.now() + timedelta(days=2),
    )


def _hours(w):
    from kexie.volunteers.models import HoursEntry, HoursSource, HoursStatus

    volunteer = _volunteer(w)
    entry, _created = HoursEntry.objects.get_or_create(
        volunteer=volunteer,
        description="县外科普讲座",
        defaults={
            "organization_id": volunteer.organization_id,
            "source": HoursSource.MANUAL,
            "served_on": date(2025, 6, 1),
            "hours": 2,
            "status": HoursStatus.PENDING,
        },
    )
    return entry


def _portal_home(w):
    _volunteer(w)
    return {}


CASES = {
    "volunteers:board": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:board_export": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:order_create": Case(forbidden=("viewer", *NO_VOLUNTEERS)),
    "volunteers:order": Case(
        kwargs=lambda w: {"pk": _order(w).pk}, target="county_a", forbidden=NO_VOLUNTEERS
    ),
    "volunteers:order_step": Case(
        kwargs=lambda w: {"pk": _order(w).pk, "step": "approve"},
        method="POST",
        write=True,
        target="county_a",
        forbidden=NO_VOLUNTEERS,
    ),
    "volunteers:volunteers": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:volunteer_create": Case(forbidden=("viewer", *NO_VOLUNTEERS)),
    "volunteers:volunteer_update": Case(
        kwargs=lambda w: {"pk": _volunteer(w).pk}, target="county_a", forbidden=("viewer", *NO_VOLUNTEERS)
    ),
    "volunteers:volunteer_certificate": Case(
        kwargs=lambda w: {"pk": _volunteer(w).pk}, target="county_a", forbidden=NO_VOLUNTEERS
    ),
    "volunteers:volunteer_step": Case(
        kwargs=lambda w: {"pk": _volunteer(w).pk, "step": "status"},
        method="POST",
        write=True,
        target="county_a",
        forbidden=NO_VOLUNTEERS,
        data=lambda w: {"status": "paused"},
    ),
    "volunteers:team_create": Case(forbidden=("viewer", *NO_VOLUNTEERS)),
    "volunteers:team_update": Case(
        kwargs=lambda w: {"pk": _team(w).pk}, target="county_a", forbidden=("viewer", *NO_VOLUNTEERS)
    ),
    "volunteers:team_step": Case(
        kwargs=lambda w: {"pk": _team(w).pk, "step": "stop"},
        method="POST",
        write=True,
        target="county_a",
        forbidden=NO_VOLUNTEERS,
    ),
    "volunteers:menu_item_create": Case(
        query=lambda w: f"?team={_team(w).pk}", forbidden=("viewer", *NO_VOLUNTEERS)
    ),
    "volunteers:menu_item_update": Case(
        kwargs=lambda w: {"pk": _item(w).pk}, target="county_a", forbidden=("viewer", *NO_VOLUNTEERS)
    ),
    "volunteers:settings": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:volunteer": Case(
        kwargs=lambda w: {"pk": _volunteer(w).pk}, target="county_a", forbidden=NO_VOLUNTEERS
    ),
    "volunteers:teams": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:team": Case(kwargs=lambda w: {"pk": _team(w).pk}, target="county_a", forbidden=NO_VOLUNTEERS),
    "volunteers:menu": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:menu_item_step": Case(
        kwargs=lambda w: {"pk": _item(w).pk, "step": "publish"},
        method="POST",
        owner="city_admin",
        write=True,
        target="county_a",
        forbidden=NOT_MANAGERS,
    ),
    "volunteers:hours": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:ledger": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:ledger_export": Case(forbidden=NO_VOLUNTEERS),
    "volunteers:hours_step": Case(
        kwargs=lambda w: {"pk": _hours(w).pk, "step": "approve"},
        method="POST",
        owner="city_admin",
        write=True,
        target="county_a",
        forbidden=NOT_MANAGERS,
    ),
    # the volunteer's portal: reached through the account's own registration (others: 404)
    "volunteers_portal:home": Case(kwargs=_portal_home, owner="portal"),
    "volunteers_portal:certificate": Case(kwargs=_portal_home, owner="portal"),
    "volunteers_portal:hours_enter": Case(kwargs=_portal_home, method="POST", owner="portal"),
    "volunteers_portal:order": Case(kwargs=lambda w: {"pk": _dispatched(w).pk}, owner="portal"),
    "volunteers_portal:order_step": Case(
        kwargs=lambda w: {"pk": _dispatched(w).pk, "step": "accept"}, method="POST", owner="portal"
    ),
}
