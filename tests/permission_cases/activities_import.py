"""Permission-matrix rows of the .xlsx import of activities (kexie/activities/views/importing.py).

Importing needs ACTIVITY_CHANGE: staff, society secretaries and organization administrators;
the read-only viewer and the separated administrators get 403.
"""

from tests.permission_cases import Case

NO_IMPORT = ("viewer", "auditor", "sysadmin", "secadmin")
TOKEN = lambda w: {"token": "0" * 32}  # noqa: E731  an upload that is not waiting (any more)

CASES = {
    "activities:import": Case(method="POST", write=True, forbidden=NO_IMPORT),
    "activities:import_template": Case(forbidden=NO_IMPORT),
    "activities:import_preview": Case(kwargs=TOKEN, method="POST", write=True, forbidden=NO_IMPORT),
}
