"""Permission-matrix rows of the talent pool's API (/api/v1/: people_api:<name>).

Reads need PEOPLE_VIEW, which the platform's separated administrators (system, security,
audit) do not hold: at the province, every county-A record is inside their subtree, so
they get 403 where a sibling county gets 404.
"""

from tests.permission_cases import Case

NO_PEOPLE = ("auditor", "sysadmin", "secadmin")

PERSON = lambda w: {"pk": w.talent.person_a.pk}  # noqa: E731  张伟, kept by 甲县科协

CASES = {
    "people_api:people_list": Case(api=True, forbidden=NO_PEOPLE),
    "people_api:person_detail": Case(kwargs=PERSON, target="county_a", api=True, forbidden=NO_PEOPLE),
    "people_api:person_reveal": Case(
        kwargs=PERSON,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        api=True,
        forbidden=("county_staff", *NO_PEOPLE),
    ),
    "people_api:search": Case(query=lambda w: "?q=zw", api=True, forbidden=NO_PEOPLE),
    "people_api:unit_list": Case(api=True, forbidden=NO_PEOPLE),
    "people_api:unit_detail": Case(
        kwargs=lambda w: {"pk": w.talent.unit_a.pk}, target="county_a", api=True, forbidden=NO_PEOPLE
    ),
    "people_api:team_list": Case(api=True, forbidden=NO_PEOPLE),
    "people_api:team_detail": Case(
        kwargs=lambda w: {"pk": w.talent.team_a.pk}, target="county_a", api=True, forbidden=NO_PEOPLE
    ),
    "people_api:membership_list": Case(
        query=lambda w: f"?society={w.society.pk}", owner="society_secretary", api=True, forbidden=NO_PEOPLE
    ),
    "people_api:membership_detail": Case(
        kwargs=lambda w: {"pk": w.talent.membership.pk},
        owner="society_secretary",
        api=True,
        forbidden=NO_PEOPLE,
    ),
    "people_api:honour_list": Case(api=True, forbidden=NO_PEOPLE),
    "people_api:honour_detail": Case(
        kwargs=lambda w: {"pk": w.talent.honour.pk}, target="county_a", api=True, forbidden=NO_PEOPLE
    ),
    "people_api:visit_list": Case(api=True, forbidden=NO_PEOPLE),
    "people_api:visit_detail": Case(
        kwargs=lambda w: {"pk": w.talent.visit.pk}, target="county_a", api=True, forbidden=NO_PEOPLE
    ),
}
