"""Permission-matrix rows of units, teams, society rosters, dues and board positions."""

from django.utils import timezone

from tests.permission_cases import SOCIETY, Case

# Personas whose roles do not work with the talent pool (the separated administrators).
NO_PEOPLE = ("auditor", "sysadmin", "secadmin")

UNIT = lambda w: {"pk": w.talent.unit_a.pk}  # noqa: E731  a unit kept by county A
TEAM = lambda w: {"pk": w.talent.team_a.pk}  # noqa: E731  a team kept by county A
MEMBERSHIP = lambda w: {"pk": w.talent.membership.pk}  # noqa: E731  a member of the city's society
TODAY = lambda w: {"ended_on": timezone.localdate().isoformat()}  # noqa: E731

CASES = {
    # --- units ---
    "people:unit_list": Case(forbidden=NO_PEOPLE),
    "people:unit_options": Case(forbidden=NO_PEOPLE),
    "people:unit_export": Case(forbidden=NO_PEOPLE),
    "people:unit_create": Case(method="POST", write=True, forbidden=NO_PEOPLE),
    "people:unit_detail": Case(kwargs=UNIT, target="county_a", forbidden=NO_PEOPLE),
    "people:unit_update": Case(
        kwargs=UNIT, method="POST", target="county_a", write=True, forbidden=NO_PEOPLE
    ),
    # --- teams ---
    "people:team_list": Case(forbidden=NO_PEOPLE),
    "people:team_export": Case(forbidden=NO_PEOPLE),
    "people:team_create": Case(method="POST", write=True, forbidden=NO_PEOPLE),
    "people:team_detail": Case(kwargs=TEAM, target="county_a", forbidden=NO_PEOPLE),
    "people:team_update": Case(
        kwargs=TEAM, method="POST", target="county_a", write=True, forbidden=NO_PEOPLE
    ),
    "people:team_member_add": Case(
        kwargs=TEAM,
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"person": w.talent.person_a.pk},
    ),
    "people:team_member_remove": Case(
        kwargs=lambda w: {"pk": w.talent.team_a.pk, "person_pk": w.talent.person_a.pk},
        method="POST",
        target="county_a",
        write=True,
        forbidden=NO_PEOPLE,
    ),
    # --- societies: the city's society is not in county A, its secretary owns these ---
    "people:society_list": Case(owner="society_secretary", forbidden=NO_PEOPLE),
    "people:roster": Case(kwargs=SOCIETY, owner="society_secretary", forbidden=NO_PEOPLE),
    "people:roster_export": Case(kwargs=SOCIETY, owner="society_secretary", forbidden=NO_PEOPLE),
    "people:member_create": Case(
        kwargs=SOCIETY, method="POST", owner="society_secretary", write=True, forbidden=NO_PEOPLE
    ),
    "people:member_update": Case(
        kwargs=MEMBERSHIP, method="POST", owner="society_secretary", write=True, forbidden=NO_PEOPLE
    ),
    "people:member_end": Case(
        kwargs=MEMBERSHIP,
        method="POST",
        owner="society_secretary",
        write=True,
        forbidden=NO_PEOPLE,
        data=lambda w: {"left_on": timezone.localdate().isoformat(), "status": "left"},
    ),
    "people:dues_record": Case(
        kwargs=MEMBERSHIP, method="POST", owner="society_secretary", write=True, forbidden=NO_PEOPLE
    ),
    "people:seat_create": Case(
        kwargs=SOCIETY, method="POST", owner="society_secretary", write=True, forbidden=NO_PEOPLE
    ),
    "people:seat_end": Case(
        kwargs=lambda w: {"pk": w.talent.seat.pk},
        method="POST",
        owner="society_secretary",
        write=True,
        forbidden=NO_PEOPLE,
        data=TODAY,
    ),
}
