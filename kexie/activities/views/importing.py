"""Importing activities from .xlsx: template, upload, preview, apply (names: activities:import…),
through the shared flow of kexie.core.sheet_imports: the preview checks every row again
(the network, the locks or the activities may have changed meanwhile) and offers to apply
only when no row has a problem and at least one row is new.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kexie.accounts.roles import Perm
from kexie.activities import importing
from kexie.activities.models import Status
from kexie.core import xlsx
from kexie.core.scoping import scoped
from kexie.core.sheet_imports import SheetImport
from kexie.orgs.forms import ImportUploadForm

TABLE_LIMIT = 500  # rows the preview's table shows (those with problems first)


def _imported(count: int) -> str:
    return ngettext(
        "%(count)s activity has been imported.", "%(count)s activities have been imported.", count
    ) % {"count": count}


def _preview_rows(check: importing.SheetCheck) -> dict:
    return {
        "table": _table(check),
        "table_limited": len(check.rows) > TABLE_LIMIT,
        "table_limit": TABLE_LIMIT,
    }


FLOW = SheetImport(
    importing=importing,
    session_key="activities.imports",
    upload_url="activities:import",
    preview_url="activities:import_preview",
    done_url="activities:list",
    upload_template="activities/import.html",
    preview_template="activities/import_preview.html",
    imported=_imported,
    preview_rows=_preview_rows,
)


@scoped(perm=Perm.ACTIVITY_CHANGE)
def import_template(request):
    content = importing.template_workbook(scope=request.scope)
    return xlsx.download(content, _("activity-import-template"))


@scoped(perm=Perm.ACTIVITY_CHANGE)
def import_upload(request):
    form = ImportUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    columns = [column for column in importing.COLUMNS if not column.figure]
    figures = [column for column in importing.COLUMNS if column.figure]
    return FLOW.upload(request, form, {"columns": columns, "figures": figures})


@scoped(perm=Perm.ACTIVITY_CHANGE)
def import_preview(request, token):
    """GET: every row with its problems. POST: apply them all, if none has a problem."""
    return FLOW.preview(request, token)


def _table(check: importing.SheetCheck) -> list[dict]:
    """The preview's rows, cell by cell in the file's column order, with each cell's problems."""
    statuses = dict(Status.choices)
    shown = check.rows
    if len(shown) > TABLE_LIMIT:
        invalid = [row for row in shown if not row.is_valid][:TABLE_LIMIT]
        others = [row for row in shown if row.is_valid][: TABLE_LIMIT - len(invalid)]
        shown = sorted(invalid + others, key=lambda row: row.number)
    rows = []
    for row in shown:
        cells = []
        for key in check.sheet.keys:
            note = row.notes.get(key, "")
            if key == "organizer" and not row.values.get(key) and row.organizer is not None:
                note = row.organizer.name
            cells.append({"value": row.values.get(key, ""), "errors": row.errors.get(key, []), "note": note})
        rows.append(
            {
                "number": row.number,
                "status": row.status,
                "target": statuses.get(row.target, ""),
                "problem_count": sum(len(found) for found in row.errors.values()),
                "row_errors": row.errors.get(importing.ROW_PROBLEM, []),
                "cells": cells,
            }
        )
    return rows
