"""Permission-matrix rows: the working-day calendar. Everyone with a role reads it; only the
system administrator (whose organization is the province) sets its days."""

from tests.permission_cases import Case

NOT_SYSADMIN_WRITE = ("county_staff", "city_admin", "secadmin", "auditor", "society_secretary")

CASES = {
    "core:calendar": Case(),
    "core:calendar_set": Case(
        method="POST",
        owner="sysadmin",
        write=True,
        forbidden=NOT_SYSADMIN_WRITE,
        data=lambda w: {"day": "2027-01-01", "is_workday": "0", "name": "元旦"},
    ),
    "core:calendar_remove": Case(
        method="POST",
        owner="sysadmin",
        write=True,
        forbidden=NOT_SYSADMIN_WRITE,
        data=lambda w: {"day": "2027-01-01"},
    ),
    "core_api:calendar": Case(api=True),
    "core_api:calendar_day": Case(
        kwargs=lambda w: {"day": "2027-01-01"},
        method="DELETE",
        owner="sysadmin",
        write=True,
        api=True,
        forbidden=NOT_SYSADMIN_WRITE,
    ),
}
