"""Permission-matrix rows by area: each module defines `CASES: dict[str, Case]`.

`Case` and the persona tuples are defined here; tests/test_permission_matrix.py holds the
foundation's rows and runs them all. The object of a row
is built by the `world` and `talent` fixtures (matrix_world.talent holds the talent pool:
see kexie/people/testing.py; matrix_world.events the activities, built on first use: see
kexie/activities/testing.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from kexie.core.testing import World


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[World], dict] = lambda w: {}
    query: Callable[[World], str] = lambda w: ""
    method: str = "GET"
    owner: str = "county_staff"
    # Which organization the URL's object belongs to; "county_a" means a sibling county's
    # staff must get 404.
    target: str | None = None
    write: bool = False  # the read-only viewer must get 403
    api: bool = False
    # Personas (besides the viewer on writes) that must get 403.
    forbidden: tuple[str, ...] = ()
    data: Callable[[World], dict] = lambda w: {}


PUBLIC = {
    "accounts:login",  # the login page itself
    "set_language",  # language choice works before login
    "healthz",  # load-balancer liveness
    # public sign-up and check-in (kexie/activities/views_public.py, api_public.py)
    "events:list",
    "events:detail",
    "events:cancel",
    "events:door",
    "events:ticket",
    "events:ticket_cancel",
    "events_api:event_list",
    "events_api:event_detail",
    "events_api:signup_create",
    # the public service menu, the order form and the requester's own order pages
    # (kexie/volunteers/views_public.py; the order page is reached by its unguessable link)
    "volunteers_public:menu",
    "volunteers_public:order",
    "volunteers_public:order_status",
    "volunteers_public:order_rate",
    "volunteers_public:order_cancel",
}

ORG = lambda w: {"pk": w.town_a.pk}  # noqa: E731  an organization in county A
SOCIETY = lambda w: {"pk": w.society.pk}  # noqa: E731
ORDINARY = ("county_staff", "viewer", "city_admin", "society_secretary")
NOT_SYSADMIN = (*ORDINARY, "secadmin", "auditor")
NOT_SECADMIN = (*ORDINARY, "sysadmin", "auditor")
NOT_AUDITOR = (*ORDINARY, "sysadmin", "secadmin")
A_USER = lambda w: {"pk": w.users["county_staff"].pk}  # noqa: E731
# For an object in county A (or county B), only personas whose subtree holds it get 403;
# for the others it does not exist (404).
NOT_SYSADMIN_COUNTY_A = ("county_staff", "viewer", "city_admin", "secadmin", "auditor")
NOT_SECADMIN_COUNTY_B = ("viewer", "city_admin", "sysadmin", "auditor")
