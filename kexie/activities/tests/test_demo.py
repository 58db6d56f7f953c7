"""The demo activities that `seed_demo` builds on top of the demo network and its people."""

import random
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.models import Membership
from kexie.activities.demo import plan_activities
from kexie.activities.models import (
    COUNTED_STATUSES,
    Activity,
    ActivityKind,
    Campaign,
    CampaignEdition,
    Signup,
    SignupSettings,
    Status,
)
from kexie.activities.selectors import ActivityFilter, activity_list
from kexie.activities.services.activities import FIGURE_FIELDS as FIGURES
from kexie.activities.services.signups import mobile_lookup, public_upcoming
from kexie.audit.models import AuditEvent
from kexie.core import crypto
from kexie.core.masking import mask_phone
from kexie.core.scoping import Scope
from kexie.orgs.models import Kind, Organization
from kexie.people.models import Person
from kexie.statistics.definitions import all_definitions
from kexie.statistics.selectors import Breakdown, statistic_values
from kexie.volunteers.services.orders import ACTIVITY_KIND

SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One scale-S network with its people and activities for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", scale="S", seed=SEED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def city(demo, db):
    return Organization.objects.get(name="示例市科学技术协会")


@pytest.fixture
def rows(city):
    """Every activity the activities' demo wrote, with its kind's code, category and figures
    (the volunteer services held are recorded as activities by kexie/volunteers/demo.py)."""
    kinds = {kind.pk: kind for kind in ActivityKind.objects.all()}
    planned = Activity.objects.filter(service_order__isnull=True).order_by("pk")
    return [(activity, kinds[activity.kind_id]) for activity in planned]


def scope_of(username: str) -> Scope:
    membership = Membership.objects.select_related("organization", "user").get(user__username=username)
    return Scope(user=membership.user, membership=membership)


def last_year() -> int:
    return timezone.localdate().year - 1


def test_seed_demo_reports_the_activities_it_created(demo):
    assert "activities" in demo
    assert "30 campaign editions" in demo


def test_five_years_of_activities_of_every_kind_end_in_this_year(rows):
    today = timezone.localdate()
    years = Counter(activity.held_on.year for activity, _kind in rows)
    assert sorted(years) == list(range(today.year - 4, today.year + 1))
    assert all(600 <= years[year] <= 1600 for year in range(today.year - 4, today.year)), years
    assert {kind.code for _activity, kind in rows} == set(
        ActivityKind.objects.filter(is_active=True).exclude(code=ACTIVITY_KIND).values_list("code", flat=True)
    )
    assert Activity.objects.filter(kind__code=ACTIVITY_KIND, service_order__isnull=False).exists()
    assert max(activity.held_on for activity, _kind in rows) <= date(today.year, 12, 31)


def test_science_popularization_is_the_most_common_and_may_and_september_peak(rows):
    categories = Counter(kind.category for _activity, kind in rows)
    assert categories.most_common(1)[0][0] == "popsci"
    assert categories["popsci"] > len(rows) * 0.4
    months = Counter(activity.held_on.month for activity, _kind in rows)
    assert {month for month, _count in months.most_common(2)} == {5, 9}
    assert months[2] == min(months.values())  # the Spring Festival


def test_every_campaign_has_an_edition_a_year_with_activities_inside_its_dates(rows):
    years = range(timezone.localdate().year - 4, timezone.localdate().year + 1)
    for campaign in Campaign.objects.all():
        assert sorted(campaign.editions.values_list("year", flat=True)) == list(years)
    science_day = CampaignEdition.objects.get(campaign__code="science_day", year=2025)
    assert (science_day.starts_on, science_day.ends_on) == (date(2025, 9, 15), date(2025, 9, 21))
    assert CampaignEdition.objects.get(campaign__code="disaster_day", year=2025).starts_on <= date(
        2025, 5, 12
    )
    editions = {edition.pk: edition for edition in CampaignEdition.objects.select_related("campaign")}
    joined = Counter()
    for activity, _kind in rows:
        if activity.campaign_edition_id:
            edition = editions[activity.campaign_edition_id]
            assert edition.starts_on <= activity.held_on <= edition.ends_on
            joined[edition.campaign.code] += 1
    assert set(joined) == set(Campaign.objects.values_list("code", flat=True))
    assert joined.most_common(1)[0][0] == "science_day"


def test_only_the_figures_of_the_kind_are_filled_and_held_activities_have_them_all(rows):
    for activity, kind in rows:
        for figure in FIGURES:
            value = getattr(activity, figure)
            if figure not in kind.figures:
                assert value is None, (activity.title, figure)
            elif activity.status in COUNTED_STATUSES:
                assert value is not None and value >= 0, (activity.title, figure)


def test_figures_have_the_magnitudes_of_real_activities(rows):
    held = [(a, k.code) for a, k in rows if a.status in COUNTED_STATUSES]
    lectures = [a for a, code in held if code == "lecture" and a.mode == "offline"]
    assert lectures and all(50 <= a.onsite_participants <= 300 for a in lectures)
    assert all(a.online_viewers >= 1000 for a, code in held if code == "online")
    caravans = [a for a, code in held if code == "caravan"]
    assert caravans and all(200 <= a.students_reached <= 800 for a in caravans)
    exhibitions = [a for a, code in held if code == "exhibition"]
    assert exhibitions and all(10 <= a.display_boards <= 60 for a in exhibitions)


def test_old_activities_are_reported_recent_ones_still_in_the_workflow_and_few_cancelled(rows):
    today = timezone.localdate()
    old = Counter(a.status for a, _k in rows if (today - a.held_on).days > 60)
    assert old[Status.REPORTED] > 0.85 * sum(old.values())
    assert old[Status.HELD] > 0
    assert not old[Status.DRAFT] and not old[Status.SUBMITTED]
    ahead = Counter(a.status for a, _k in rows if a.held_on > today)
    assert set(ahead) <= {Status.APPROVED, Status.SUBMITTED, Status.DRAFT, Status.CANCELLED}
    recent = Counter(a.status for a, _k in rows if 0 <= (today - a.held_on).days < 14)
    assert recent[Status.HELD] + recent[Status.APPROVED] + recent[Status.SUBMITTED] + recent[Status.DRAFT] > 0
    statuses = Counter(a.status for a, _k in rows)
    assert 0.01 < statuses[Status.CANCELLED] / len(rows) < 0.04
    assert all(a.status_reason for a, _k in rows if a.status == Status.CANCELLED)


def test_organizers_are_associations_at_every_level_societies_and_grassroots(rows):
    kinds = dict(Organization.objects.values_list("pk", "kind"))
    organizers = Counter(kinds[a.organization_id] for a, _k in rows)
    for kind in (
        Kind.PROVINCE_ASSOCIATION,
        Kind.CITY_ASSOCIATION,
        Kind.COUNTY_ASSOCIATION,
        Kind.TOWN_ASSOCIATION,
        Kind.SOCIETY,
        Kind.UNIVERSITY_ASSOCIATION,
        Kind.SCIENCE_MUSEUM,
        Kind.PARTY_BRANCH,
    ):
        assert organizers[kind] > 0, kind
    societies = Counter(k.category for a, k in rows if kinds[a.organization_id] == Kind.SOCIETY)
    assert societies["academic"] > 0.5 * sum(societies.values())


def test_speakers_are_people_tagged_expert(city):
    speakers = Activity.speakers.through.objects.values_list("person_id", flat=True)
    assert speakers.exists()
    experts = set(Person.objects.filter(tags__code="expert").values_list("pk", flat=True))
    assert set(speakers) <= experts


def test_the_city_statistics_of_last_year_are_filled_for_every_activity_figure(city):
    year = last_year()
    definitions = [d for d in all_definitions() if d.source.code == "activities"]
    table = statistic_values(
        organization=city, definitions=definitions, start=date(year, 1, 1), end=date(year, 12, 31)
    )
    assert all(table.value(d.code) > 0 for d in definitions), {
        d.code: table.value(d.code) for d in definitions
    }
    by_county = statistic_values(
        organization=city,
        definitions=definitions,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        breakdown=Breakdown.CHILD,
    )
    county = Organization.objects.get(name="示例市城关区科学技术协会")
    assert by_county.value("popsci_events", county.path) > 0
    assert by_county.value("popsci_events") == table.value("popsci_events")


def test_the_demo_personas_see_the_activities_of_their_organization(city):
    for username in ("city_admin", "county_staff", "society_secretary", "sysadmin"):
        scope = scope_of(username)
        seen = activity_list(scope=scope, filters=ActivityFilter())
        assert seen.exists(), username
        assert all(a.organization.path.startswith(scope.organization.path) for a in seen[:50])


def test_a_county_user_sees_the_newest_activities_of_the_county_on_the_list_page(city, client):
    scope = scope_of("county_staff")
    newest = activity_list(scope=scope, filters=ActivityFilter()).first()
    client.force_login(scope.user)
    response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert newest.title in response.content.decode()


def test_one_audit_record_per_bulk_write_counts_every_activity(rows):
    records = AuditEvent.objects.filter(action="activity.demo")
    assert 0 < records.count() < 40  # one per county or city area, not one per activity
    assert sum(record.detail["count"] for record in records) == len(rows)


def test_the_same_seed_gives_the_same_activities(rows):
    plan = plan_activities(
        scale="S", rng=random.Random(f"kexie-demo-activities/S/{SEED}"), today=timezone.localdate()
    )

    def key(activity):
        return (
            activity.organization_id,
            activity.kind_id,
            activity.title,
            activity.starts_at,
            activity.status,
            activity.campaign_edition_id,
            tuple(getattr(activity, figure) for figure in FIGURES),
        )

    assert [key(item.activity) for item in plan] == [key(activity) for activity, _kind in rows]


# --- sign-ups ------------------------------------------------------------------------------


def test_the_public_signed_up_for_activities_of_every_year_at_the_demos_scale(city):
    by_year = Counter(Signup.objects.values_list("activity__held_on", flat=True))
    years = Counter()
    for day, count in by_year.items():
        years[day.year] += count
    this_year = timezone.localdate().year
    assert sorted(years) == list(range(this_year - 4, this_year + 1))
    # S is a small demo: about 20,000 sign-ups a year (a full city at M: about 300,000).
    assert all(10_000 < count < 35_000 for count in years.values()), years


def test_sign_ups_never_exceed_the_places_and_one_mobile_signs_up_once_an_activity(city):
    settings = SignupSettings.objects.annotate(
        confirmed=Count("activity__signups", filter=Q(activity__signups__status=Signup.Status.CONFIRMED)),
        waiting=Count("activity__signups", filter=Q(activity__signups__status=Signup.Status.WAITLISTED)),
    )
    assert settings.count() > 500
    assert not settings.filter(confirmed__gt=F("capacity")).exists()
    assert not settings.filter(waitlist=False, waiting__gt=0).exists()
    assert settings.filter(waiting__gt=0).exists()  # some filled up and kept a waiting list
    repeated = (
        Signup.objects.exclude(status=Signup.Status.CANCELLED)
        .values("activity_id", "mobile_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not repeated.exists()
    # Registrants come back: fewer different mobiles than sign-ups.
    assert Signup.objects.values("mobile_index").distinct().count() < Signup.objects.count() / 2


def test_only_confirmed_registrants_of_held_activities_are_checked_in(city):
    checked = Signup.objects.filter(checked_in_at__isnull=False)
    assert (
        checked.count()
        > 0.5
        * Signup.objects.filter(status=Signup.Status.CONFIRMED, activity__status__in=COUNTED_STATUSES).count()
    )
    assert not checked.exclude(status=Signup.Status.CONFIRMED).exists()
    assert not checked.exclude(activity__status__in=COUNTED_STATUSES).exists()
    assert not Signup.objects.filter(created_at__gt=F("activity__starts_at")).exists()


def test_mobiles_of_registrants_are_stored_encrypted_and_shown_masked(city):
    signup = Signup.objects.order_by("pk").first()
    mobile = crypto.decrypt(signup.mobile_encrypted)
    assert len(mobile) == 11 and mobile not in signup.mobile_encrypted
    assert signup.mobile_masked == mask_phone(mobile)
    assert signup.mobile_index == mobile_lookup(mobile)


def test_upcoming_activities_are_open_for_sign_up_on_the_public_page(city, client):
    upcoming = list(public_upcoming()[:3])
    assert len(upcoming) == 3
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    for settings in upcoming:
        assert settings.activity.title in response.content.decode()


def test_one_audit_record_per_bulk_write_counts_every_sign_up(city):
    records = AuditEvent.objects.filter(action="signup.demo")
    assert 0 < records.count() < 10
    assert sum(record.detail["signups"] for record in records) == Signup.objects.count()
