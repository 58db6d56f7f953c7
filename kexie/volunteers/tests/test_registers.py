"""Registering volunteers, keeping teams and the menu, entering and approving hours, the
certificate and the dispatch rules, through the staff pages."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from kexie.audit.models import AuditEvent
from kexie.people.services.people import PersonData, person_create
from kexie.volunteers.models import HoursEntry, HoursStatus, MenuItem, MenuStatus, Volunteer, VolunteerTeam
from kexie.volunteers.services.policy import policy_for, star_thresholds

pytestmark = pytest.mark.django_db


def test_a_person_of_the_talent_pool_is_found_and_registered(world, volunteering, login):
    person = person_create(
        actor=None, organization=world.county_a, data=PersonData(name="赵农技", mobile="13500000001")
    )
    client = login("county_staff")
    found = client.get(reverse("volunteers:volunteer_create"), {"q": "赵农技"}).content.decode()
    assert f"?person={person.pk}" in found
    response = client.post(
        reverse("volunteers:volunteer_create"),
        {
            "person": person.pk,
            "disciplines": [volunteering.agronomy.pk],
            "divisions": ["320102"],
            "on_workdays": "on",
            "consent_on": "2025-05-01",
            "languages": "普通话、南京话",
        },
    )
    volunteer = Volunteer.objects.get(person=person)
    assert response.status_code == 302 and volunteer.organization == world.county_a
    assert list(volunteer.divisions.values_list("pk", flat=True)) == ["320102"]
    assert not volunteer.on_rest_days
    assert AuditEvent.objects.filter(action="volunteer.register", object_id=str(volunteer.pk)).exists()


def test_a_registration_without_consent_or_field_is_refused_in_chinese(world, volunteering, login):
    person = person_create(actor=None, organization=world.county_a, data=PersonData(name="钱某"))
    response = login("county_staff").post(
        reverse("volunteers:volunteer_create"), {"person": person.pk, "on_workdays": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-consent_on"' in html
    assert 'data-testid="error-disciplines"' in html
    assert not Volunteer.objects.filter(person=person).exists()


def test_a_person_outside_the_network_cannot_be_registered(world, volunteering, login):
    outsider = person_create(actor=None, organization=world.county_b, data=PersonData(name="孙某"))
    assert (
        login("county_staff").get(reverse("volunteers:volunteer_create"), {"person": outsider.pk}).status_code
        == 404
    )


def test_pausing_a_volunteer_and_a_period_away_show_on_their_page(world, volunteering, login):
    client = login("county_staff")
    url = reverse("volunteers:volunteer_step", args=[volunteering.zhang.pk, "status"])
    client.post(url, {"status": "paused", "reason": "外出学习三个月"})
    client.post(
        reverse("volunteers:volunteer_step", args=[volunteering.zhang.pk, "unavailable"]),
        {"starts_on": "2026-12-01", "ends_on": "2026-12-10", "note": "出差"},
    )
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.status == "paused"
    page = client.get(reverse("volunteers:volunteer", args=[volunteering.zhang.pk])).content.decode()
    assert "2026-12-01" in page and "出差" in page


def test_a_team_is_created_and_a_member_added_by_search(world, volunteering, login):
    client = login("county_staff")
    client.post(
        reverse("volunteers:team_create"),
        {"name": "甲县健康科普队", "kind": "health", "leader": volunteering.liu.pk},
    )
    team = VolunteerTeam.objects.get(name="甲县健康科普队")
    assert team.leader == volunteering.liu and team.members.count() == 1
    page = client.get(reverse("volunteers:team", args=[team.pk]), {"find": "张农"}).content.decode()
    assert 'data-testid="add-member"' in page
    client.post(
        reverse("volunteers:team_step", args=[team.pk, "member_add"]), {"volunteer": volunteering.zhang.pk}
    )
    assert set(team.members.values_list("pk", flat=True)) == {volunteering.liu.pk, volunteering.zhang.pk}


def test_a_menu_item_is_drafted_sent_for_review_and_published_by_the_administrator(
    world, volunteering, login
):
    client = login("county_staff")
    client.post(
        reverse("volunteers:menu_item_create"),
        {
            "volunteer": volunteering.liu.pk,
            "title": "慢性病防治与合理用药",
            "discipline": volunteering.medicine.pk,
            "form": "lecture",
            "duration_hours": "1.5",
            "audience": "老年人",
            "submit_for_review": "1",
        },
    )
    item = MenuItem.objects.get(title="慢性病防治与合理用药")
    assert item.status == MenuStatus.PENDING and item.volunteer == volunteering.liu
    assert client.post(reverse("volunteers:menu_item_step", args=[item.pk, "publish"])).status_code == 403
    login("city_admin").post(reverse("volunteers:menu_item_step", args=[item.pk, "publish"]))
    item.refresh_from_db()
    assert item.status == MenuStatus.PUBLISHED
    assert "慢性病防治与合理用药" in client.get(reverse("volunteers_public:menu")).content.decode()


def test_hours_entered_with_evidence_count_once_approved(world, volunteering, login):
    client = login("county_staff")
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("volunteers:volunteer_step", args=[volunteering.zhang.pk, "hours"]),
        {"served_on": "2026-10-10", "hours": "3", "description": "为县农技站培训果农", "evidence": evidence},
    )
    entry = HoursEntry.objects.get()
    assert entry.status == HoursStatus.PENDING
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.hours_total == 0
    assert client.post(reverse("volunteers:hours_step", args=[entry.pk, "approve"])).status_code == 403
    login("city_admin").post(reverse("volunteers:hours_step", args=[entry.pk, "approve"]))
    volunteering.zhang.refresh_from_db()
    assert volunteering.zhang.hours_total == Decimal("3.0")


def test_hours_without_evidence_are_refused(world, volunteering, login):
    client = login("county_staff")
    response = client.post(
        reverse("volunteers:volunteer_step", args=[volunteering.zhang.pk, "hours"]),
        {"served_on": "2026-10-10", "hours": "3", "description": "培训"},
        follow=True,
    )
    assert not HoursEntry.objects.exists()
    assert "证明" in response.content.decode() or "evidence" in response.content.decode().lower()


def test_the_certificate_states_the_approved_hours(world, volunteering, login):
    HoursEntry.objects.create(
        volunteer=volunteering.zhang,
        organization=volunteering.zhang.organization,
        source="manual",
        served_on=date(2025, 5, 1),
        hours=Decimal("120"),
        description="2025年果树技术服务",
        status=HoursStatus.APPROVED,
    )
    response = login("county_staff").get(
        reverse("volunteers:volunteer_certificate", args=[volunteering.zhang.pk])
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "张农" in text and "120" in text and "1" in text
    assert AuditEvent.objects.filter(action="volunteer.certificate").exists()


def test_the_administrator_sets_the_networks_deadlines(world, login):
    client = login("city_admin")
    client.post(
        reverse("volunteers:settings"), {"form": "policy", "accept_workdays": "3", "rating_days": "10"}
    )
    assert policy_for(world.town_a).accept_workdays == 3
    staff = login("county_staff")
    assert (
        staff.post(
            reverse("volunteers:settings"), {"form": "policy", "accept_workdays": "1", "rating_days": "5"}
        ).status_code
        == 403
    )


def test_only_the_top_associations_administrator_sets_the_star_levels(world, login, client):
    from kexie.accounts.roles import Role
    from kexie.core.testing import make_user

    province_admin = make_user("province_admin", world.province, Role.ORG_ADMIN)
    city = login("city_admin")
    assert city.post(reverse("volunteers:settings"), {"form": "stars", "hours": "50, 200"}).status_code == 403
    client.force_login(province_admin, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("volunteers:settings"), {"form": "stars", "hours": "50, 200, 500"})
    assert star_thresholds() == [(1, 50), (2, 200), (3, 500)]
    assert (
        client.post(reverse("volunteers:settings"), {"form": "stars", "hours": "300, 200"}).status_code == 200
    )
    assert star_thresholds() == [(1, 50), (2, 200), (3, 500)]
