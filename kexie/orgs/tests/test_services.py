from datetime import date

import pytest

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.testing import make_org
from kexie.orgs import services
from kexie.orgs.models import EventKind, Kind, Organization, Status

pytestmark = pytest.mark.django_db


def test_subtree_holds_the_organization_and_everything_beneath_it(world):
    names = set(Organization.objects.subtree(world.county_a).values_list("name", flat=True))
    assert names == {"甲县科学技术协会", "甲镇科学技术协会"}


def test_a_town_association_cannot_sit_directly_under_a_city(world):
    with pytest.raises(DomainError) as error:
        make_org(world.city, Kind.TOWN_ASSOCIATION, "错位镇科协")
    assert error.value.field == "parent"
    assert not Organization.objects.filter(name="错位镇科协").exists()


def test_a_society_lives_under_an_association_not_under_a_town(world):
    with pytest.raises(DomainError):
        make_org(world.town_a, Kind.SOCIETY, "镇级学会")
    society = make_org(world.county_a, Kind.SOCIETY, "甲县农学会")
    assert society.parent == world.county_a


def test_creating_writes_a_founding_event_and_an_audit_record(world):
    org = make_org(world.county_a, Kind.ENTERPRISE_ASSOCIATION, "甲县某公司科协")
    assert org.events.filter(kind=EventKind.FOUNDED).exists()
    assert AuditEvent.objects.filter(action="org.create", object_id=str(org.pk)).exists()


def test_a_bad_credit_code_is_refused_with_the_field_named(world):
    with pytest.raises(DomainError) as error:
        make_org(world.city, Kind.SOCIETY, "坏代码学会", credit_code="91110000802100433C")
    assert error.value.field == "credit_code"


def test_a_credit_code_belongs_to_one_organization(world):
    make_org(world.city, Kind.SOCIETY, "甲学会", credit_code="91110000802100433B")
    with pytest.raises(DomainError):
        make_org(world.city, Kind.SOCIETY, "乙学会", credit_code="91110000802100433b")


def test_renaming_keeps_old_and_new_name_in_history(world):
    data = services.OrganizationData(name="示例市计算机学会（更名）", kind=Kind.SOCIETY)
    services.organization_update(actor=None, organization=world.society, data=data)
    event = world.society.events.get(kind=EventKind.CHANGED, field="name")
    assert (event.old_value, event.new_value) == ("示例市计算机学会", "示例市计算机学会（更名）")


def test_moving_carries_the_whole_subtree(world):
    town = world.town_a
    moved = services.organization_move(actor=None, organization=town, new_parent=world.county_b)
    assert moved.path.startswith(world.county_b.path)
    assert set(Organization.objects.subtree(world.county_b).values_list("pk", flat=True)) >= {town.pk}
    assert not Organization.objects.subtree(world.county_a).filter(pk=town.pk).exists()


def test_an_organization_cannot_move_under_its_own_branch(world):
    with pytest.raises(DomainError):
        services.organization_move(actor=None, organization=world.city, new_parent=world.county_a)


def test_dissolving_needs_the_children_gone_first(world):
    with pytest.raises(DomainError):
        services.organization_dissolve(actor=None, organization=world.county_a, dissolved_on=date(2026, 1, 1))
    services.organization_dissolve(actor=None, organization=world.town_a, dissolved_on=date(2026, 1, 1))
    world.town_a.refresh_from_db()
    assert world.town_a.status == Status.DISSOLVED


def test_re_election_ends_the_current_term_and_sets_the_next_due_date(world):
    term = services.board_term_start(actor=None, organization=world.society, started_on=date(2022, 3, 1))
    assert term.number == 2
    assert term.due_on == date(2027, 3, 1)
    assert world.society.board_terms.get(number=1).ended_on == date(2022, 3, 1)


def test_traditional_characters_and_pinyin_find_the_same_organization(world):
    make_org(world.city, Kind.COUNTY_ASSOCIATION, "长治县科协")
    for query in ("長治", "changzhi", "czx"):
        from kexie.core.chinese import normalize_query

        found = Organization.objects.filter(search_text__contains=normalize_query(query))
        assert found.filter(name="长治县科协").exists(), query
