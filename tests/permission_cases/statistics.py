"""Permission-matrix rows: the statistics pages, their export and the statistics API.

A statistics page of an organization (`?org=`) in county A is 404 for a sibling county's
staff; the separated administrators (province level) have no statistics permission."""

from tests.permission_cases import Case

IN_COUNTY_A = lambda w: f"?org={w.town_a.pk}&year=2025"  # noqa: E731
IN_COUNTY_A_API = lambda w: f"?organization={w.town_a.pk}&start=2025-01-01&end=2025-12-31"  # noqa: E731
NO_STATISTICS = ("auditor", "sysadmin", "secadmin")

CASES = {
    "statistics:overview": Case(query=IN_COUNTY_A, target="county_a", forbidden=NO_STATISTICS),
    "statistics:export": Case(query=IN_COUNTY_A, target="county_a", forbidden=NO_STATISTICS),
    "statistics:definitions": Case(forbidden=NO_STATISTICS),
    "statistics_api:definitions": Case(api=True, forbidden=NO_STATISTICS),
    "statistics_api:values": Case(
        query=IN_COUNTY_A_API, target="county_a", api=True, forbidden=NO_STATISTICS
    ),
}
