"""Permission-matrix rows of the .xlsx imports of people, units and society members."""

from tests.permission_cases import Case

# Roles without the import permission: the read-only viewer and the separated administrators.
NO_IMPORT = ("viewer", "auditor", "sysadmin", "secadmin")
TOKEN = lambda w: {"token": "0" * 32}  # noqa: E731  an upload that is not waiting (any more)

CASES = {
    "people:import": Case(method="POST", write=True, forbidden=NO_IMPORT, data=lambda w: {"kind": "people"}),
    "people:import_template": Case(query=lambda w: "?kind=people", forbidden=NO_IMPORT),
    "people:import_preview": Case(kwargs=TOKEN, method="POST", write=True, forbidden=NO_IMPORT),
    "people:import_progress": Case(kwargs=TOKEN, forbidden=NO_IMPORT),
}
