"""The talent pool of the test world (fixture `talent`), built through the services.

甲县科协 keeps   张伟 (ID 11010519491231002X, mobile 13800138000, tag expert)
                 甲县人民医院 (unit, hospital) where 张伟 works
                 a team 甲县智慧农业团队 led by 张伟
乙县科协 keeps   李娜 (mobile 13900139000)
示例市计算机学会 keeps 王芳芳 (a member, number JSJ-001) and the institutional member 甲县人民医院
                 王芳芳 sits on the board (council) of the current term
张伟 holds an honour (青年科技奖, city level, 2024); 甲县科协 visited 张伟 at the Spring Festival
甲县科协 keeps a talent list 甲县专家库 (explicit) holding 张伟
"""

from dataclasses import dataclass
from datetime import date

import pytest

from kexie.people.models import (
    BoardRole,
    BoardSeat,
    Honour,
    HonourLevel,
    Person,
    SocietyMembership,
    Tag,
    TalentList,
    TalentListEntry,
    Team,
    Unit,
    UnitKind,
    Visit,
    VisitOccasion,
)
from kexie.people.services.people import PersonData, person_create
from kexie.people.services.units import TeamData, UnitData, team_create, unit_create


@dataclass
class Talent:
    person_a: Person
    person_b: Person
    member: Person
    unit_a: Unit
    team_a: Team
    membership: SocietyMembership
    unit_membership: SocietyMembership
    seat: BoardSeat
    honour: Honour
    visit: Visit
    talent_list: TalentList


def build_talent(world) -> Talent:
    expert = Tag.objects.get(code="expert")
    unit_a = unit_create(
        actor=None, organization=world.county_a, data=UnitData(name="甲县人民医院", kind=UnitKind.HOSPITAL)
    )
    person_a = person_create(
        actor=None,
        organization=world.county_a,
        data=PersonData(
            name="张伟", id_number="11010519491231002X", mobile="13800138000", unit=unit_a, tags=[expert]
        ),
    )
    person_b = person_create(
        actor=None, organization=world.county_b, data=PersonData(name="李娜", mobile="13900139000")
    )
    member = person_create(actor=None, organization=world.society, data=PersonData(name="王芳芳"))
    team_a = team_create(
        actor=None, organization=world.county_a, data=TeamData(name="甲县智慧农业团队", leader=person_a)
    )
    membership = SocietyMembership.objects.create(
        society=world.society, person=member, number="JSJ-001", joined_on=date(2020, 3, 1)
    )
    unit_membership = SocietyMembership.objects.create(
        society=world.society, unit=unit_a, number="JSJ-D01", joined_on=date(2021, 1, 1)
    )
    term = world.society.board_terms.get(ended_on__isnull=True)
    seat = BoardSeat.objects.create(
        board_term=term, person=member, role=BoardRole.COUNCIL, started_on=term.started_on
    )
    honour = Honour.objects.create(
        organization=world.county_a, person=person_a, title="青年科技奖", level=HonourLevel.CITY, year=2024
    )
    visit = Visit.objects.create(
        organization=world.county_a,
        person=person_a,
        visited_on=date(2025, 1, 20),
        occasion=VisitOccasion.SPRING_FESTIVAL,
        visitors="甲县科协主席",
    )
    talent_list = TalentList.objects.create(
        organization=world.county_a, name="甲县专家库", kind=TalentList.Kind.EXPLICIT
    )
    TalentListEntry.objects.create(talent_list=talent_list, person=person_a)
    return Talent(
        person_a,
        person_b,
        member,
        unit_a,
        team_a,
        membership,
        unit_membership,
        seat,
        honour,
        visit,
        talent_list,
    )


@pytest.fixture
def talent(world) -> Talent:
    return build_talent(world)
