"""Fixtures of the volunteer service: the world's associations placed in real counties,
volunteers in both counties, a team, a published menu, and an order maker.

    示例市科协 — 320100 南京市 (city)
    ├── 甲县科协 — 320102 玄武区      张农 (agronomy, serves 320102), 刘医 (clinical medicine)
    │                                 果树植保服务队 (leader 张农, member 刘医)
    └── 乙县科协 — 320104 秦淮区      李林 (forestry, lives in the city)
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kexie.orgs.models import Division, Organization
from kexie.people.models import Discipline, Person
from kexie.people.services.people import PersonData, person_create
from kexie.volunteers.models import MenuItem, ServiceOrder, Volunteer, VolunteerTeam
from kexie.volunteers.services import menu as menu_services
from kexie.volunteers.services import orders as order_services
from kexie.volunteers.services import volunteers as volunteer_services

__all__ = [
    "RecordingSms",
    "Volunteering",
    "build_volunteering",
    "make_order",
    "make_volunteer",
    "next_weekday",
    "sms_sent",
    "volunteering",
]


class RecordingSms:
    """An SMS sender that keeps what it was asked to send (settings.KEXIE_SMS_SENDER)."""

    sent: list = []

    def send(self, mobile: str, text: str) -> None:
        RecordingSms.sent.append((mobile, text))


@pytest.fixture
def sms_sent(settings) -> list:
    """The (mobile, text) of every SMS sent during the test."""
    settings.KEXIE_SMS_SENDER = f"{__name__}.RecordingSms"
    RecordingSms.sent = []
    return RecordingSms.sent


PLACES = {
    "province": "320000",
    "city": "320100",
    "county_a": "320102",
    "town_a": "320102",
    "county_b": "320104",
    "town_b": "320104",
}


@dataclass
class Volunteering:
    agronomy: Discipline
    forestry: Discipline
    medicine: Discipline
    county_a_division: Division
    county_b_division: Division
    zhang: Volunteer
    liu: Volunteer
    li: Volunteer
    team: VolunteerTeam
    item: MenuItem


def place(world) -> None:
    for name, code in PLACES.items():
        Organization.objects.filter(pk=getattr(world, name).pk).update(division_id=code)
        getattr(world, name).refresh_from_db()


def make_volunteer(organization, name: str, mobile: str, disciplines, *, divisions=(), **fields) -> Volunteer:
    person = person_create(actor=None, organization=organization, data=PersonData(name=name, mobile=mobile))
    data = volunteer_services.VolunteerData(
        disciplines=list(disciplines), divisions=list(divisions), consent_on=date(2025, 3, 1), **fields
    )
    return volunteer_services.volunteer_register(
        actor=None, organization=organization, person=person, data=data
    )


def build_volunteering(world) -> Volunteering:
    place(world)
    agronomy = Discipline.objects.get(code="210")
    forestry = Discipline.objects.get(code="220")
    medicine = Discipline.objects.get(code="320")
    county_a_division = Division.objects.get(pk="320102")
    county_b_division = Division.objects.get(pk="320104")
    zhang = make_volunteer(world.county_a, "张农", "13800000001", [agronomy], divisions=[county_a_division])
    liu = make_volunteer(world.county_a, "刘医", "13800000002", [medicine])
    li = make_volunteer(
        world.county_b, "李林", "13800000003", [forestry], home_division=Division.objects.get(pk="320100")
    )
    team = volunteer_services.team_create(
        actor=None,
        organization=world.county_a,
        data=volunteer_services.TeamData(name="果树植保服务队", leader=zhang),
    )
    volunteer_services.team_member_add(actor=None, team=team, volunteer=liu)
    item = menu_services.menu_item_create(
        actor=None,
        organization=world.county_a,
        data=menu_services.MenuItemData(
            title="果树病虫害防治讲座",
            discipline=agronomy,
            team=team,
            audience="果农",
            description="春季修剪、病虫害识别与绿色防控。",
            requirements="会场、投影仪",
            divisions=[county_a_division],
        ),
    )
    item = menu_services.menu_item_publish(actor=None, item=item)
    return Volunteering(
        agronomy, forestry, medicine, county_a_division, county_b_division, zhang, liu, li, team, item
    )


@pytest.fixture
def volunteering(world) -> Volunteering:
    return build_volunteering(world)


def next_weekday(days_ahead: int = 10, weekday: int = 2) -> date:
    """A day at least `days_ahead` days from today falling on `weekday` (Wednesday)."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def make_order(
    volunteering: Volunteering, *, item=None, preferred_on=None, division=None, **fields
) -> ServiceOrder:
    data = order_services.OrderData(
        title=fields.pop("title", "" if item else "苹果树修剪与病虫害防治"),
        discipline=fields.pop("discipline", None if item else volunteering.agronomy),
        division=division or volunteering.county_a_division,
        address=fields.pop("address", "玄武区红山街道果园村村委会"),
        preferred_on=preferred_on or next_weekday(),
        expected_audience=fields.pop("expected_audience", 40),
        requester_name=fields.pop("requester_name", "王村长"),
        requester_unit=fields.pop("requester_unit", "果园村村民委员会"),
        mobile=fields.pop("mobile", "13912345678"),
        menu_item=item,
        **fields,
    )
    return order_services.order_create(actor=None, data=data)


def person_of(volunteer: Volunteer) -> Person:
    return volunteer.person
