"""Permission-matrix rows: the dashboard and its API.

The dashboard is the home page: the separated administrators are sent to their consoles
(a redirect, not a 403), so only the API refuses them."""

from tests.permission_cases import Case

NO_STATISTICS = ("auditor", "sysadmin", "secadmin")

CASES = {
    "reports:dashboard": Case(),
    "reports_api:dashboard": Case(api=True, forbidden=NO_STATISTICS),
}
