"""Permission-matrix rows of the volunteer service's API (/api/v1/volunteers/:
volunteers_api:<name>).

Reads need VOLUNTEER_VIEW (the read-only viewer holds it), the order's steps and the dispatch
suggestion VOLUNTEER_DISPATCH (staff and administrators). The platform's separated
administrators hold none of them: at the province every county-A record is inside their
subtree, so they get 403 where a sibling county gets 404. A society secretary holds none
either; county A is outside a society's subtree, so only the lists answer them 403.

The objects are written directly rather than through the services: the matrix counts audit
records before it builds a row's URL, and the services would audit the building as if the
request had written. Every step's row posts `{}` to an order waiting for review: the owner
gets a 400 (a refused step or a missing field), which is neither 403 nor 404.
"""

from datetime import date, timedelta

from tests.permission_cases import Case

NO_VOLUNTEERS = ("auditor", "sysadmin", "secadmin")
NOT_IN_SERVICE = ("society_secretary", *NO_VOLUNTEERS)
AGRONOMY = "210"
COUNTY_A_DIVISION = "320102"


def _volunteer(w):
    """张伟 of the talent pool, registered as a volunteer of 甲县科协."""
    from kexie.volunteers.models import Volunteer

    volunteer, _created = Volunteer.objects.get_or_create(
        person=w.talent.person_a,
        defaults={
            "organization": w.county_a,
            "registered_on": date(2025, 3, 1),
            "consent_on": date(2025, 3, 1),
        },
    )
    return volunteer


def _team(w):
    from kexie.volunteers.models import TeamMember, VolunteerTeam

    volunteer = _volunteer(w)
    team, created = VolunteerTeam.objects.get_or_create(
        organization=w.county_a, name="甲县农技志愿服务队", defaults={"leader": volunteer}
    )
    if created:
        TeamMember.objects.create(team=team, volunteer=volunteer, joined_on=date(2025, 3, 1))
    return team


def _menu_item(w):
    from kexie.people.models import Discipline
    from kexie.volunteers.models import MenuItem

    item, _created = MenuItem.objects.get_or_create(
        organization=w.county_a,
        title="大棚蔬菜种植技术讲座",
        defaults={"discipline": Discipline.objects.get(code=AGRONOMY), "volunteer": _volunteer(w)},
    )
    return item


def _order(w):
    """An order of 甲县科协 waiting for review."""
    from django.utils import timezone

    from kexie.people.models import Discipline
    from kexie.volunteers.models import ServiceOrder

    order, _created = ServiceOrder.objects.get_or_create(
        number="20250000001",
        defaults={
            "token": "matrix-order-token",
            "organization": w.county_a,
            "received_by": w.county_a,
            "title": "果树修剪技术指导",
            "discipline": Discipline.objects.get(code=AGRONOMY),
            "division_id": COUNTY_A_DIVISION,
            "address": "甲县果园村村委会",
            "ordered_on": timezone.localdate(),
            "preferred_on": timezone.localdate() + timedelta(days=14),
            "expected_audience": 40,
            "requester_name": "王村长",
            "mobile_masked": "139****5678",
        },
    )
    return order


VOLUNTEER = lambda w: {"pk": _volunteer(w).pk}  # noqa: E731
TEAM = lambda w: {"pk": _team(w).pk}  # noqa: E731
MENU_ITEM = lambda w: {"pk": _menu_item(w).pk}  # noqa: E731
ORDER = lambda w: {"pk": _order(w).pk}  # noqa: E731


def _read(kwargs, forbidden=NO_VOLUNTEERS) -> Case:
    return Case(kwargs=kwargs, target="county_a", api=True, forbidden=forbidden)


def _step() -> Case:
    return Case(kwargs=ORDER, method="POST", target="county_a", write=True, api=True, forbidden=NO_VOLUNTEERS)


CASES = {
    "volunteers_api:volunteer_list": Case(api=True, forbidden=NOT_IN_SERVICE),
    "volunteers_api:volunteer_detail": _read(VOLUNTEER),
    "volunteers_api:volunteer_hours": _read(VOLUNTEER),
    "volunteers_api:team_list": Case(api=True, forbidden=NOT_IN_SERVICE),
    "volunteers_api:team_detail": _read(TEAM),
    "volunteers_api:menu_item_list": Case(api=True, forbidden=NOT_IN_SERVICE),
    "volunteers_api:menu_item_detail": _read(MENU_ITEM),
    "volunteers_api:order_list": Case(api=True, forbidden=NOT_IN_SERVICE),
    "volunteers_api:order_detail": _read(ORDER),
    # The suggestion shows who could be dispatched: the dispatch permission, not the viewer's.
    "volunteers_api:order_suggestions": _read(ORDER, forbidden=("viewer", *NO_VOLUNTEERS)),
    "volunteers_api:order_approve": _step(),
    "volunteers_api:order_reject": _step(),
    "volunteers_api:order_pass_down": _step(),
    "volunteers_api:order_dispatch": _step(),
    "volunteers_api:order_open": _step(),
    "volunteers_api:order_withdraw": _step(),
    "volunteers_api:order_accept": _step(),
    "volunteers_api:order_decline": _step(),
    "volunteers_api:order_deliver": _step(),
    "volunteers_api:order_cancel": _step(),
}
